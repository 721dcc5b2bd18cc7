package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.escadrille.server.EscadrilleProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;

/** At start, the S3 storage checks its bucket and says in the store's own words why it cannot use it. */
class S3SetupTest {
    @RegisterExtension
    static final S3Server s3 = new S3Server();

    @Test
    void aReachableBucketWithRightCredentialsOpensAndStores() throws IOException {
        String bucket = s3.newBucket();

        try (S3Storage storage = S3Setup.open(settings(s3.endpoint().toString(), bucket, S3Server.ACCESS_KEY, S3Server.SECRET_KEY))) {
            storage.put("hello.txt", new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)));
            assertThat(storage.stat("hello.txt")).isPresent();
        }
        assertThat(s3.client().headObject(b -> b.bucket(bucket).key("escadrille/hello.txt")).contentLength()).isEqualTo(5);
    }

    @Test
    void anUnknownAccessKeyIsRefusedAtStartWithTheStoresMessage() {
        var settings = settings(s3.endpoint().toString(), s3.newBucket(), "nobody", S3Server.SECRET_KEY);

        assertThatThrownBy(() -> S3Setup.open(settings))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("escadrille.storage.s3")
                .hasMessageContaining("InvalidAccessKeyId")
                .hasMessageContaining("HTTP 403");
    }

    @Test
    void aWrongSecretIsRefusedAtStartWithTheStoresMessage() {
        var settings = settings(s3.endpoint().toString(), s3.newBucket(), S3Server.ACCESS_KEY, "not-the-secret");

        assertThatThrownBy(() -> S3Setup.open(settings))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("SignatureDoesNotMatch")
                .hasMessageContaining("HTTP 403");
    }

    @Test
    void aMissingBucketIsRefusedAtStartWithTheStoresMessage() {
        var settings = settings(s3.endpoint().toString(), "no-such-bucket", S3Server.ACCESS_KEY, S3Server.SECRET_KEY);

        assertThatThrownBy(() -> S3Setup.open(settings))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("'no-such-bucket'")
                .hasMessageContaining("NoSuchBucket")
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void anUnreachableEndpointIsRefusedAtStartSayingSo() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var settings = settings("http://127.0.0.1:" + closedPort, "any", S3Server.ACCESS_KEY, S3Server.SECRET_KEY);

        assertThatThrownBy(() -> S3Setup.open(settings))
                .isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("http://127.0.0.1:" + closedPort)
                .hasMessageContaining("Connection refused");
    }

    private static EscadrilleProperties.S3 settings(String endpoint, String bucket, String accessKey, String secretKey) {
        return new EscadrilleProperties.S3(endpoint, S3Server.REGION, bucket, "escadrille", accessKey, secretKey, true,
                DataSize.ofMegabytes(5), null);
    }
}
