package org.escadrille.server.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Map;
import org.escadrille.protocol.Sha256;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** {@link S3Storage}'s multipart work: uploads longer than a part, and copies larger than CopyObject takes. */
final class S3Multipart {
    /** The largest object one CopyObject may copy; a larger one is copied part by part. */
    static final long MAX_COPY = 5L * 1024 * 1024 * 1024;
    private static final long COPY_PART = 512L * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;

    /** What a multipart upload stored. */
    record Uploaded(long size, String sha256) {
    }

    S3Multipart(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * A multipart upload, one part in memory at a time. The checksum is known only at the end, so it
     * is set by copying the object onto itself with the new metadata, only if it is still this
     * upload's object: when a concurrent writer replaced it meanwhile, the newer object stays as it is.
     *
     * @param part the first part, already read (and digested); the buffer for the next ones
     * @return the size and SHA-256 of the whole content
     */
    Uploaded upload(String objectKey, byte[] part, InputStream content, MessageDigest digest) throws IOException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(objectKey)).uploadId();
        try {
            var parts = new ArrayList<CompletedPart>();
            long size = 0;
            int length = part.length;
            while (length > 0) {
                int number = parts.size() + 1;
                int partLength = length;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId).partNumber(number)
                                .contentLength((long) partLength),
                        RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, partLength), partLength)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                size += length;
                length = content.readNBytes(part, 0, part.length);
                digest.update(part, 0, length);
            }
            String etag = s3.completeMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))).eTag();
            String sha256 = Sha256.hex(digest);
            keepChecksum(objectKey, etag, size, sha256);
            return new Uploaded(size, sha256);
        } catch (IOException | RuntimeException e) {
            abort(objectKey, uploadId);
            throw e;
        }
    }

    /**
     * Sets the SHA-256 metadata of a completed multipart object by copying it onto itself, only if it is
     * still that upload's object ({@code etag}): when a concurrent writer replaced it meanwhile, the newer
     * object stays as it is. Beyond CopyObject's 5 GiB the object goes without it (the record keeps it).
     * Only the server's own uploads pay this copy: an attempt's staged outputs are checked against this
     * metadata rather than read again; users' uploads straight to the bucket keep their SHA-256 in their record.
     */
    void keepChecksum(String objectKey, String etag, long size, String sha256) {
        if (size > MAX_COPY) {
            return;
        }
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(objectKey).destinationBucket(bucket)
                    .destinationKey(objectKey).copySourceIfMatch(etag)
                    .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of(S3Storage.SHA256_METADATA, sha256)));
        } catch (S3Exception e) {
            if (e.statusCode() != 412) {
                throw e;
            }
        }
    }

    void abort(String objectKey, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
        } catch (SdkException ignored) {
            // The store forgets unfinished uploads by its own lifecycle rules; the failure that matters is the caller's.
        }
    }

    /** A copy part by part, for objects CopyObject cannot copy at once; the metadata goes along. */
    void copy(String source, String target, HeadObjectResponse head) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(target).metadata(head.metadata())).uploadId();
        try {
            var parts = new ArrayList<CompletedPart>();
            for (long start = 0; start < head.contentLength(); start += COPY_PART) {
                int number = parts.size() + 1;
                String range = "bytes=" + start + "-" + (Math.min(start + COPY_PART, head.contentLength()) - 1);
                String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(source).destinationBucket(bucket)
                        .destinationKey(target).uploadId(uploadId).partNumber(number).copySourceRange(range)
                        .copySourceIfMatch(head.eTag())).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(target).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            abort(target, uploadId);
            throw e;
        }
    }
}
