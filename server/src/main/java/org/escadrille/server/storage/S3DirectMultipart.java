package org.escadrille.server.storage;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** {@link S3Storage}'s {@link DirectMultipart}: presigned UploadPart URLs, ListParts, and the rest signed by the server. */
final class S3DirectMultipart implements DirectMultipart {
    private final S3Storage storage;
    private final S3Presigner presigner;
    private final S3Multipart multipart;

    S3DirectMultipart(S3Storage storage, S3Presigner presigner, S3Multipart multipart) {
        this.storage = storage;
        this.presigner = presigner;
        this.multipart = multipart;
    }

    @Override
    public String start(String key, String sha256) throws IOException {
        String objectKey = storage.objectKey(key);
        Map<String, String> metadata = sha256 == null ? Map.of() : Map.of(S3Storage.SHA256_METADATA, sha256);
        try {
            return storage.client().createMultipartUpload(b -> b.bucket(storage.bucket()).key(objectKey).metadata(metadata))
                    .uploadId();
        } catch (SdkException e) {
            throw new IOException("cannot start an upload of " + key + ": " + S3Messages.of(e), e);
        }
    }

    @Override
    public URI partUrl(String key, String uploadId, int number, long length, Duration lifetime) throws IOException {
        String objectKey = storage.objectKey(key);
        try {
            return presigner.presignUploadPart(b -> b.signatureDuration(lifetime).uploadPartRequest(p -> p
                    .bucket(storage.bucket()).key(objectKey).uploadId(uploadId).partNumber(number).contentLength(length)))
                    .url().toURI();
        } catch (SdkException | URISyntaxException e) {
            throw new IOException("cannot sign part " + number + " of " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Part> parts(String key, String uploadId) throws IOException {
        String objectKey = storage.objectKey(key);
        var parts = new ArrayList<Part>();
        try {
            for (var page : storage.client().listPartsPaginator(b -> b.bucket(storage.bucket()).key(objectKey).uploadId(uploadId))) {
                page.parts().forEach(p -> parts.add(new Part(p.partNumber(), p.size(), p.eTag())));
            }
        } catch (NoSuchUploadException e) {
            throw new NoSuchFileException(key, null, "no such upload " + uploadId);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchFileException(key, null, "no such upload " + uploadId);
            }
            throw new IOException("cannot list the parts of " + key + ": " + S3Messages.of(e), e);
        } catch (SdkException e) {
            throw new IOException("cannot list the parts of " + key + ": " + S3Messages.of(e), e);
        }
        parts.sort(Comparator.comparingInt(Part::number));
        return parts;
    }

    @Override
    public void complete(String key, String uploadId, List<Part> parts) throws IOException {
        String objectKey = storage.objectKey(key);
        var completed = parts.stream().map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
        try {
            storage.client().completeMultipartUpload(b -> b.bucket(storage.bucket()).key(objectKey)
                    .uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
        } catch (NoSuchUploadException e) {
            throw new NoSuchFileException(key, null, "no such upload " + uploadId);
        } catch (SdkException e) {
            throw new IOException("cannot complete the upload of " + key + ": " + S3Messages.of(e), e);
        }
    }

    @Override
    public void abort(String key, String uploadId) {
        multipart.abort(storage.objectKey(key), uploadId);
    }
}
