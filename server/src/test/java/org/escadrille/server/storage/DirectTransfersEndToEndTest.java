package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.escadrille.protocol.Sha256;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * On S3 storage, a real pilot downloads its input and uploads its output straight from and to the
 * bucket with presigned URLs: the server signs, checks and records, and streams none of the bytes.
 */
@Tag("e2e")
class DirectTransfersEndToEndTest {
    @RegisterExtension
    static final S3Server s3 = new S3Server();

    private static final String DESCRIPTOR = """
            {"name": "count-bytes", "tool-version": "1.0", "schema-version": "0.5",
             "description": "Counts the bytes of a file.",
             "command-line": "wc -c < [INPUT] | tr -d ' ' > count.txt; cat [INPUT] > copy.bin",
             "inputs": [{"id": "input", "name": "Input file", "type": "File", "value-key": "[INPUT]"}],
             "output-files": [{"id": "count", "name": "Byte count", "path-template": "count.txt"},
                              {"id": "copy", "name": "Copy", "path-template": "copy.bin"}]}""";

    @Test
    void aPilotTransfersItsInputAndOutputsStraightToTheBucketAndTheServerStreamsNone() {
        String bucket = s3.newBucket();
        try (TestServer server = s3.server(bucket, S3Server.SECRET_KEY).pilots(true).start()) {
            var admin = server.admin();
            assertThat(admin.post("/api/v1/apps", DESCRIPTOR).status()).isEqualTo(201);
            byte[] input = "x".repeat(300_000).getBytes(StandardCharsets.UTF_8);
            assertThat(admin.put("/api/v1/files/data/input.txt", input).status()).isEqualTo(201);
            var meter = server.bean(TransferMeter.class);
            double receivedBefore = meter.received();
            double sentBefore = meter.sent();
            assertThat(receivedBefore).as("the user's upload went through the server").isGreaterThanOrEqualTo(input.length);

            String id = admin.launch(Map.of("app", "count-bytes", "inputs", Map.of("input", "data/input.txt")));
            var execution = admin.awaitEnd(id, Duration.ofSeconds(90));

            assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
            assertThat(meter.received()).as("bytes received by the server during the execution").isEqualTo(receivedBefore);
            assertThat(meter.sent()).as("bytes sent by the server during the execution").isEqualTo(sentBefore);
            S3Object copy = outputObject(bucket, "copy.bin");
            assertThat(copy.size()).isEqualTo(input.length);
            var head = s3.client().headObject(b -> b.bucket(bucket).key(copy.key()));
            assertThat(head.metadata()).containsEntry(S3Storage.SHA256_METADATA, Sha256.of(input));
            ResponseBytes<?> count = s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(outputObject(bucket, "count.txt").key()));
            assertThat(count.asUtf8String().strip()).isEqualTo(Integer.toString(input.length));
            assertThat(admin.get("/actuator/prometheus").body())
                    .contains("escadrille_storage_server_bytes_total{direction=\"out\"}")
                    .contains("escadrille_storage_server_bytes_total{direction=\"in\"}");
        }
    }

    @Test
    void anOutputOverTheThresholdGoesStraightToTheBucketInParts() {
        String bucket = s3.newBucket();
        // 8 MiB instead of S3's 5 GiB, in parts of 5 MiB: a 12 MiB output makes three.
        try (TestServer server = s3.server(bucket, S3Server.SECRET_KEY).pilots(true)
                .property("escadrille.uploads.part-size", "5MB")
                .property("escadrille.local.pilot-jvm-options", "-Xmx128m -Descadrille.pilot.multipart-threshold=8388608")
                .start()) {
            var admin = server.admin();
            assertThat(admin.post("/api/v1/apps", DESCRIPTOR).status()).isEqualTo(201);
            byte[] input = new byte[12 * 1024 * 1024 + 5];
            new java.util.Random(3).nextBytes(input);
            assertThat(admin.put("/api/v1/files/data/big.bin", input).status()).isEqualTo(201);
            var meter = server.bean(TransferMeter.class);
            double receivedBefore = meter.received();

            String id = admin.launch(Map.of("app", "count-bytes", "inputs", Map.of("input", "data/big.bin")));
            var execution = admin.awaitEnd(id, Duration.ofSeconds(120));

            assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
            assertThat(meter.received()).as("bytes received by the server during the execution").isEqualTo(receivedBefore);
            S3Object copy = outputObject(bucket, "copy.bin");
            assertThat(copy.size()).isEqualTo(input.length);
            var head = s3.client().headObject(b -> b.bucket(bucket).key(copy.key()));
            assertThat(head.metadata()).containsEntry(S3Storage.SHA256_METADATA, Sha256.of(input));
            assertThat(server.bean(io.micrometer.core.instrument.MeterRegistry.class).get("escadrille.storage.pilot.output.parts")
                    .counter().count()).as("parts signed for the pilot").isEqualTo(3);
        }
    }

    @Test
    void aMonteCarloRunOnABucketSendsItsCheckpointsAndPartialResultsStraightThereAndMerges() {
        String bucket = s3.newBucket();
        try (TestServer server = s3.server(bucket, S3Server.SECRET_KEY).pilots(true).start()) {
            var admin = server.admin();
            var meter = server.bean(TransferMeter.class);
            double receivedBefore = meter.received();

            String id = admin.launch(Map.of("app", "pi", "inputs", Map.of("events", 20_000_000)));
            var execution = admin.awaitEnd(id, Duration.ofSeconds(120));

            assertThat(execution.path("status").asString()).as(execution.toString()).isEqualTo("Finished");
            assertThat(meter.received()).as("bytes received by the server during the run").isEqualTo(receivedBefore);
            assertThat(s3.client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix("gateway/users/admin/executions/"))
                    .contents()).anySatisfy(object -> assertThat(object.key()).endsWith("pi.json"));
        }
    }

    private static S3Object outputObject(String bucket, String name) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix("gateway/users/admin/executions/")).contents()
                .stream().filter(o -> o.key().endsWith("/" + name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in the bucket"));
    }
}
