package org.escadrille.server.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.escadrille.protocol.Sha256;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A storage element in an S3 bucket (AWS, Ceph RGW, MinIO, Garage, ...), under an optional prefix.
 * Objects are streamed both ways: a put reads at most one part ({@code partSize} bytes) at a time,
 * so a stream that fits in one part is one PUT and a longer one (or one of unknown length) a
 * multipart upload; S3 makes either visible whole at its end, so readers never see a torn object.
 * The SHA-256 computed on the way is kept as the object's metadata {@code x-amz-meta-sha256}.
 */
public final class S3Storage implements Storage, AutoCloseable {
    /** The object metadata that holds the SHA-256 of the content, in hexadecimal. */
    public static final String SHA256_METADATA = "sha256";
    /** S3 refuses parts under 5 MiB (but the last). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    /** The largest object one CopyObject may copy; a larger one is copied part by part. */
    private static final long MAX_COPY = 5L * 1024 * 1024 * 1024;
    private static final long COPY_PART = 512L * 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;
    private final int partSize;

    /**
     * @param presigner signs URLs that reach objects directly (null: none are handed out)
     * @param prefix    where this storage's keys start in the bucket: empty, or a key ending with {@code /}
     * @param partSize  bytes buffered per part of an upload (at least {@link #MIN_PART_SIZE})
     */
    public S3Storage(S3Client s3, S3Presigner presigner, String bucket, String prefix, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("the part size must be at least 5 MiB (S3's smallest part), got " + partSize);
        }
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.prefix = normalisePrefix(prefix);
        this.partSize = partSize;
    }

    static String normalisePrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            return "";
        }
        String trimmed = prefix.strip().replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? "" : StorageKeys.check(trimmed + "/");
    }

    public String bucket() {
        return bucket;
    }

    S3Client client() {
        return s3;
    }

    /** Closes the client and the signer this storage was given. */
    @Override
    public void close() {
        s3.close();
        if (presigner != null) {
            presigner.close();
        }
    }

    /** The key of a storage key in the bucket. */
    public String objectKey(String key) {
        return prefix + StorageKeys.check(key);
    }

    @Override
    public ObjectInfo put(String key, InputStream content) throws IOException {
        String objectKey = objectKey(key);
        MessageDigest digest = Sha256.digest();
        byte[] part = content.readNBytes(partSize);
        digest.update(part);
        try {
            if (part.length < partSize) {
                String sha256 = Sha256.hex(digest);
                s3.putObject(b -> b.bucket(bucket).key(objectKey).contentLength((long) part.length)
                        .metadata(Map.of(SHA256_METADATA, sha256)), RequestBody.fromBytes(part));
                return new ObjectInfo(key, part.length, sha256, modified(objectKey));
            }
            return putInParts(key, objectKey, part, content, digest);
        } catch (SdkException e) {
            throw failure("cannot store " + key, e);
        }
    }

    /**
     * A multipart upload, one part in memory at a time. The checksum is known only at the end, so it
     * is set by copying the object onto itself with the new metadata, only if it is still this
     * upload's object: when a concurrent writer replaced it meanwhile, the newer object stays as it is.
     */
    private ObjectInfo putInParts(String key, String objectKey, byte[] part, InputStream content, MessageDigest digest)
            throws IOException {
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
            if (size <= MAX_COPY) {
                try {
                    s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(objectKey).destinationBucket(bucket)
                            .destinationKey(objectKey).copySourceIfMatch(etag)
                            .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of(SHA256_METADATA, sha256)));
                } catch (S3Exception e) {
                    if (e.statusCode() != 412) {
                        throw e;
                    }
                }
            }
            return new ObjectInfo(key, size, sha256, modified(objectKey));
        } catch (IOException | RuntimeException e) {
            abort(objectKey, uploadId);
            throw e;
        }
    }

    private void abort(String objectKey, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(uploadId));
        } catch (SdkException ignored) {
            // The store forgets unfinished uploads by its own lifecycle rules; the failure that matters is the caller's.
        }
    }

    private long modified(String objectKey) {
        return head(objectKey).map(h -> h.lastModified().toEpochMilli()).orElse(0L);
    }

    @Override
    public boolean transfersDirectly() {
        return presigner != null;
    }

    @Override
    public Optional<URI> directDownload(String key, Duration lifetime) throws IOException {
        if (presigner == null) {
            return Optional.empty();
        }
        String objectKey = objectKey(key);
        try {
            return Optional.of(presigner.presignGetObject(b -> b.signatureDuration(lifetime)
                    .getObjectRequest(g -> g.bucket(bucket).key(objectKey))).url().toURI());
        } catch (SdkException | URISyntaxException e) {
            throw new IOException("cannot sign a URL for " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * A presigned PUT whose signature covers the length, the SHA-256 as metadata and as S3's own
     * checksum ({@code x-amz-checksum-sha256}), which the store verifies against the body it receives.
     */
    @Override
    public Optional<DirectUpload> directUpload(String key, long size, String sha256, Duration lifetime) throws IOException {
        if (presigner == null) {
            return Optional.empty();
        }
        String objectKey = objectKey(key);
        try {
            String checksum = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256));
            var signed = presigner.presignPutObject(b -> b.signatureDuration(lifetime)
                    .putObjectRequest(p -> p.bucket(bucket).key(objectKey).contentLength(size)
                            .metadata(Map.of(SHA256_METADATA, sha256)).checksumSHA256(checksum)));
            var headers = new TreeMap<String, String>();
            signed.signedHeaders().forEach((name, values) -> {
                // The HTTP client sets these itself from the URL and the body.
                if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                    headers.put(name, String.join(",", values));
                }
            });
            return Optional.of(new DirectUpload(signed.url().toURI(), headers));
        } catch (SdkException | URISyntaxException e) {
            throw new IOException("cannot sign an upload of " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            return s3.getObject(b -> b.bucket(bucket).key(objectKey));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        } catch (SdkException e) {
            throw failure("cannot read " + key, e);
        }
    }

    /** A ranged GET: the store sends only those bytes. */
    @Override
    public InputStream get(String key, long offset, long length) throws IOException {
        String objectKey = objectKey(key);
        if (length <= 0) {
            return InputStream.nullInputStream();
        }
        try {
            return s3.getObject(b -> b.bucket(bucket).key(objectKey).range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        } catch (SdkException e) {
            throw failure("cannot read " + key, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            return head(objectKey).map(h -> new ObjectInfo(key, h.contentLength(), h.metadata().get(SHA256_METADATA),
                    h.lastModified().toEpochMilli()));
        } catch (SdkException e) {
            throw failure("cannot stat " + key, e);
        }
    }

    private Optional<HeadObjectResponse> head(String objectKey) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(objectKey)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<Entry> list(String under) throws IOException {
        String listed = prefix + checkPrefix(under);
        var entries = new ArrayList<Entry>();
        try {
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(listed).delimiter("/"))) {
                for (var common : page.commonPrefixes()) {
                    String name = common.prefix().substring(listed.length(), common.prefix().length() - 1);
                    entries.add(new Entry(name, under + name + "/", true, 0, 0));
                }
                for (S3Object object : page.contents()) {
                    String name = object.key().substring(listed.length());
                    if (!name.isEmpty()) {
                        entries.add(new Entry(name, under + name, false, object.size(), object.lastModified().toEpochMilli()));
                    }
                }
            }
        } catch (SdkException e) {
            throw failure("cannot list " + under, e);
        }
        entries.sort(Comparator.comparing(Entry::name));
        return entries;
    }

    @Override
    public List<ObjectInfo> walk(String under) throws IOException {
        var objects = new ArrayList<ObjectInfo>();
        try {
            for (S3Object object : objectsUnder(prefix + checkPrefix(under))) {
                objects.add(new ObjectInfo(object.key().substring(prefix.length()), object.size(), null,
                        object.lastModified().toEpochMilli()));
            }
        } catch (SdkException e) {
            throw failure("cannot list " + under, e);
        }
        objects.sort(Comparator.comparing(ObjectInfo::key));
        return objects;
    }

    private Iterable<S3Object> objectsUnder(String objectPrefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(objectPrefix)).contents();
    }

    @Override
    public void delete(String key) throws IOException {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("refusing to delete the whole storage");
        }
        String objectKey = objectKey(key);
        try {
            if (!key.endsWith("/")) {
                s3.deleteObject(b -> b.bucket(bucket).key(objectKey));
                return;
            }
            var batch = new ArrayList<ObjectIdentifier>();
            for (S3Object object : objectsUnder(objectKey)) {
                batch.add(ObjectIdentifier.builder().key(object.key()).build());
                if (batch.size() == 1000) {
                    deleteAll(batch);
                }
            }
            deleteAll(batch);
        } catch (SdkException e) {
            throw failure("cannot delete " + key, e);
        }
    }

    private void deleteAll(List<ObjectIdentifier> batch) {
        if (!batch.isEmpty()) {
            var delete = Delete.builder().objects(List.copyOf(batch)).quiet(true).build();
            s3.deleteObjects(b -> b.bucket(bucket).delete(delete));
            batch.clear();
        }
    }

    @Override
    public boolean isDirectory(String key) throws IOException {
        if (key.isEmpty()) {
            return false;
        }
        String objectPrefix = objectKey(key) + "/";
        try {
            return s3.listObjectsV2(b -> b.bucket(bucket).prefix(objectPrefix).maxKeys(1)).keyCount() > 0;
        } catch (SdkException e) {
            throw failure("cannot list " + key, e);
        }
    }

    /** A copy then a delete: S3 has no rename. The target is whole at every moment, old or new. */
    @Override
    public void move(String from, String to) throws IOException {
        String source = objectKey(from);
        String target = objectKey(to);
        try {
            HeadObjectResponse head = head(source).orElseThrow(() -> new NoSuchFileException(from));
            if (head.contentLength() <= MAX_COPY) {
                s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(source).destinationBucket(bucket).destinationKey(target));
            } else {
                copyInParts(source, target, head);
            }
            s3.deleteObject(b -> b.bucket(bucket).key(source));
        } catch (SdkException e) {
            throw failure("cannot move " + from + " to " + to, e);
        }
    }

    private void copyInParts(String source, String target, HeadObjectResponse head) {
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

    private static String checkPrefix(String under) {
        if (!under.isEmpty() && !under.endsWith("/")) {
            throw new IllegalArgumentException("a prefix ends with '/': " + under);
        }
        return StorageKeys.check(under);
    }

    /** The store's own words, for the operator: its error code and message, not the SDK's class. */
    private static IOException failure(String what, SdkException e) {
        return new IOException(what + ": " + S3Messages.of(e), e);
    }
}
