package org.escadrille.server.storage;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.FileSystemUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A real S3 server on loopback for a test class: s3proxy over a directory, with signed requests
 * (AWS signature v2 or v4) checked against one access key. Each test takes a fresh bucket.
 * Register it with {@code @RegisterExtension static final S3Server s3 = new S3Server();}.
 */
public final class S3Server implements BeforeAllCallback, AfterAllCallback {
    public static final String ACCESS_KEY = "escadrille-test";
    public static final String SECRET_KEY = "escadrille-test-secret";
    public static final String REGION = "us-east-1";
    private static final AtomicInteger buckets = new AtomicInteger();

    private Path directory;
    private S3Proxy proxy;
    private S3Client client;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("escadrille-s3");
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(directory.toString()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(proxy.getState()));
        client = client(ACCESS_KEY, SECRET_KEY);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        client.close();
        proxy.stop();
        FileSystemUtils.deleteRecursively(directory);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** A client of this server, path-style, with the given credentials. */
    public S3Client client(String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public S3Client client() {
        return client;
    }

    /** A signer of URLs for this server, path-style. */
    public S3Presigner presigner() {
        return S3Presigner.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** A new, empty bucket. */
    public String newBucket() {
        String bucket = "bucket-" + buckets.incrementAndGet();
        client.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    /** Every byte stored, whatever the bucket: to show that a test's data went through S3. */
    public long bytesOnDisk() throws IOException {
        try (var files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
