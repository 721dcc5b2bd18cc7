package org.escadrille.server.storage;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link OrphanSweeper} on a real S3 server (s3proxy) on loopback, a bucket per test. */
class S3OrphanSweeperTest extends OrphanSweeperContract {
    @RegisterExtension
    static final S3Server s3 = new S3Server();

    @Override
    protected Storage newStorage() {
        return new S3Storage(s3.client(), s3.presigner(), s3.newBucket(), "escadrille/", S3Storage.MIN_PART_SIZE);
    }
}
