package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.escadrille.protocol.Sha256;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The whole server with {@code escadrille.storage.kind=s3}, on a real S3 server on loopback. */
@Tag("e2e")
class S3StorageServerTest {
    @RegisterExtension
    static final S3Server s3 = new S3Server();

    @Test
    void uploadsLandInTheBucketWithTheirChecksumAndComeBack() {
        String bucket = s3.newBucket();
        try (var server = s3.server(bucket, S3Server.SECRET_KEY).start()) {
            var admin = server.admin();

            var put = admin.put("/api/v1/files/data/hello.txt", "hello, bucket\n".getBytes(StandardCharsets.UTF_8));
            var get = admin.get("/api/v1/files/data/hello.txt");

            assertThat(put.status()).isEqualTo(201);
            assertThat(get.body()).isEqualTo("hello, bucket\n");
            var head = s3.client().headObject(b -> b.bucket(bucket).key("gateway/users/admin/data/hello.txt"));
            assertThat(head.contentLength()).isEqualTo(14);
            assertThat(head.metadata()).containsEntry(S3Storage.SHA256_METADATA, Sha256.of("hello, bucket\n"));
            assertThat(server.dataDir().resolve("storage")).doesNotExist();
        }
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theServerRefusesToStartOnAMissingBucketSayingWhy(CapturedOutput output) {
        assertThatThrownBy(() -> s3.server("absent-bucket", S3Server.SECRET_KEY).start().close())
                .satisfies(e -> assertThat(messages(e))
                        .contains("escadrille.storage.s3: the bucket 'absent-bucket' at " + s3.endpoint())
                        .contains("NoSuchBucket"));
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
                .contains("NoSuchBucket: The specified bucket does not exist (HTTP 404)")
                .contains("Fix the escadrille.storage.* settings");
    }

    @Test
    void theServerRefusesToStartWithAWrongSecretSayingWhy() {
        assertThatThrownBy(() -> s3.server(s3.newBucket(), "wrong").start().close())
                .satisfies(e -> assertThat(messages(e)).contains("SignatureDoesNotMatch"));
    }

    private static String messages(Throwable e) {
        var all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
