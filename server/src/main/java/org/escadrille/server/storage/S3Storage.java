package org.escadrille.server.storage;

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
import java.util.function.Predicate;
import org.escadrille.protocol.Sha256;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
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

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;
    private final int partSize;
    private final S3Multipart multipart;
    private final S3DirectMultipart directMultipart;

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
        this.multipart = new S3Multipart(s3, bucket);
        this.directMultipart = presigner == null ? null : new S3DirectMultipart(this, presigner, multipart);
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
            var uploaded = multipart.upload(objectKey, part, content, digest);
            return new ObjectInfo(key, uploaded.size(), uploaded.sha256(), modified(objectKey));
        } catch (SdkException e) {
            throw failure("cannot store " + key, e);
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
    public Optional<DirectMultipart> directMultipart() {
        return Optional.ofNullable(directMultipart);
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

    /** Multipart uploads under this storage's prefix begun before {@code beforeMs} and never completed: aborted. */
    @Override
    public int removeAbandonedUploads(long beforeMs, Predicate<String> mayRemove) throws IOException {
        int removed = 0;
        try {
            for (var upload : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix)).uploads()) {
                if (upload.initiated() != null && upload.initiated().toEpochMilli() < beforeMs
                        && mayRemove.test(upload.key().substring(prefix.length()))) {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                    removed++;
                }
            }
        } catch (SdkException e) {
            throw failure("cannot list or abort unfinished uploads", e);
        }
        return removed;
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
            if (head.contentLength() <= S3Multipart.MAX_COPY) {
                s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(source).destinationBucket(bucket).destinationKey(target));
            } else {
                multipart.copy(source, target, head);
            }
            s3.deleteObject(b -> b.bucket(bucket).key(source));
        } catch (SdkException e) {
            throw failure("cannot move " + from + " to " + to, e);
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
