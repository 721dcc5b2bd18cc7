package org.escadrille.server.storage;

import java.net.URI;
import java.time.Duration;
import org.escadrille.server.EscadrilleProperties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Opens the S3 storage of the settings: a client and a URL signer for the bucket, and a check that the
 * bucket answers, so that wrong credentials, a missing bucket or an unreachable endpoint stop the
 * server at its start with the store's own words, not at the first upload.
 */
final class S3Setup {
    private S3Setup() {
    }

    static S3Storage open(EscadrilleProperties.S3 settings) {
        AwsCredentialsProvider credentials = settings.accessKey().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        var region = Region.of(settings.region());
        var client = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                // Stores other than AWS (and older ones) refuse the SDK's default trailing checksums; the
                // SHA-256 we compute and keep is the check that matters.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2))
                        .build());
        var presigner = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
        if (!settings.endpoint().isEmpty()) {
            client.endpointOverride(URI.create(settings.endpoint()));
            presigner.endpointOverride(URI.create(settings.endpoint()));
        }
        var storage = new S3Storage(client.build(), presigner.build(), settings.bucket(), settings.prefix(),
                (int) settings.partSize().toBytes());
        try {
            check(storage.client(), settings);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
        return storage;
    }

    /** HeadBucket; on a refusal, the same question as a listing, whose answer has a body with the store's message. */
    static void check(S3Client s3, EscadrilleProperties.S3 settings) {
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (S3Exception refused) {
            String said = S3Messages.of(refused);
            try {
                s3.listObjectsV2(b -> b.bucket(settings.bucket()).maxKeys(1));
            } catch (SdkException e) {
                said = S3Messages.of(e);
            }
            throw unusable(settings, said, refused);
        } catch (SdkException e) {
            throw unusable(settings, S3Messages.of(e), e);
        }
    }

    private static StorageUnavailableException unusable(EscadrilleProperties.S3 settings, String said, Exception cause) {
        String where = settings.endpoint().isEmpty() ? "AWS (" + settings.region() + ")" : settings.endpoint();
        return new StorageUnavailableException("escadrille.storage.s3: the bucket '" + settings.bucket() + "' at " + where
                + " cannot be used: " + said + ". Check escadrille.storage.s3.endpoint, bucket, access-key and secret-key.",
                cause);
    }
}
