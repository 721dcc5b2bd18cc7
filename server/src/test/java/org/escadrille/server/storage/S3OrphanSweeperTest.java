package org.escadrille.server.storage;

import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/** The {@link OrphanSweeper} on a real S3 server (s3proxy) on loopback, a bucket per test. */
class S3OrphanSweeperTest extends OrphanSweeperContract {
    @RegisterExtension
    static final S3Server s3 = new S3Server();

    private String bucket;

    @Override
    protected Storage newStorage() {
        bucket = s3.newBucket();
        return new S3Storage(s3.client(), s3.presigner(), bucket, "escadrille/", S3Storage.MIN_PART_SIZE);
    }

    /** A killed multipart upload: begun, one part sent, never completed nor aborted. */
    @Override
    protected void leaveAnUnfinishedUpload(Storage storage, String key) {
        String id = s3.client().createMultipartUpload(b -> b.bucket(bucket).key("escadrille/" + key)).uploadId();
        s3.client().uploadPart(b -> b.bucket(bucket).key("escadrille/" + key).uploadId(id).partNumber(1),
                RequestBody.fromString("the first part"));
    }

    @Override
    protected int unfinishedUploads(Storage storage) {
        return s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }
}
