package org.escadrille.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload's body as the HTTP client takes it: the file's bytes in order, in direct buffers (which the socket
 * sends without copying them) read into again only once sent, its length announced, and a file that changes
 * size while it is sent failing the request instead of sending something else.
 */
class DirectFileBodyPublisherTest {
    @TempDir
    Path dir;

    /**
     * Takes one buffer at a time, as the HTTP/1.1 client's body subscriber asks for them, and keeps them
     * unsent (their position where it was), as a client still writing them would.
     */
    private static class Taker implements Flow.Subscriber<ByteBuffer> {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<ByteBuffer> slices = new ArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        boolean complete;
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
        }

        @Override
        public void onNext(ByteBuffer item) {
            slices.add(item);
            byte[] copy = new byte[item.remaining()];
            item.duplicate().get(copy);
            bytes.writeBytes(copy);
        }

        @Override
        public void onError(Throwable throwable) {
            failure.set(throwable);
        }

        @Override
        public void onComplete() {
            complete = true;
        }

        void take(int slices) {
            for (int i = 0; i < slices; i++) {
                subscription.request(1);
            }
        }
    }

    private Path randomFile(int size) throws IOException {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return Files.write(dir.resolve("input.bin"), content);
    }

    @Test
    void sendsEveryByteInOrderInDirectBuffersAndNeverReadsIntoOneStillUnsent() throws Exception {
        Path file = randomFile(300_007);
        var sent = new AtomicLong();
        var body = new DirectFileBodyPublisher(file, sent::addAndGet, 10_000);
        var taker = new Taker();

        body.subscribe(taker);
        taker.take(1_000);

        assertThat(taker.failure).hasNullValue();
        assertThat(taker.complete).isTrue();
        assertThat(body.contentLength()).isEqualTo(300_007);
        assertThat(taker.bytes.toByteArray()).isEqualTo(Files.readAllBytes(file));
        assertThat(taker.slices).allMatch(ByteBuffer::isDirect);
        // Every buffer the client still holds unsent has the bytes it was given.
        var held = new ByteArrayOutputStream();
        taker.slices.forEach(buffer -> {
            byte[] copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            held.writeBytes(copy);
        });
        assertThat(held.toByteArray()).isEqualTo(Files.readAllBytes(file));
        assertThat(sent).hasValue(300_007);
    }

    @Test
    void aBufferTheClientHasSentIsReadIntoAgain() throws Exception {
        Path file = randomFile(300_007);
        var buffers = Collections.newSetFromMap(new IdentityHashMap<ByteBuffer, Boolean>());
        var taker = new Taker() {
            @Override
            public void onNext(ByteBuffer item) {
                buffers.add(item);
                byte[] copy = new byte[item.remaining()];
                item.get(copy); // as the socket's write does: the position reaches the limit
                bytes.writeBytes(copy);
            }
        };

        new DirectFileBodyPublisher(file, n -> { }, 10_000).subscribe(taker);
        taker.take(1_000);

        assertThat(taker.complete).isTrue();
        assertThat(taker.bytes.toByteArray()).isEqualTo(Files.readAllBytes(file));
        assertThat(buffers).hasSize(1);
    }

    @Test
    void aRequestMadeWhileASliceIsDeliveredAddsToTheDemandInsteadOfRecursing() throws Exception {
        Path file = randomFile(1_000_000);
        var depth = new AtomicLong();
        var deepest = new AtomicLong();
        var taker = new Taker() {
            @Override
            public void onNext(ByteBuffer item) {
                deepest.accumulateAndGet(depth.incrementAndGet(), Math::max);
                super.onNext(item);
                subscription.request(1);
                depth.decrementAndGet();
            }
        };

        new DirectFileBodyPublisher(file, n -> { }, 1_000).subscribe(taker);
        taker.take(1);

        assertThat(taker.complete).isTrue();
        assertThat(taker.bytes.toByteArray()).isEqualTo(Files.readAllBytes(file));
        assertThat(deepest).hasValue(1);
    }

    @Test
    void aFileThatGrowsWhileItIsSentFailsTheRequest() throws Exception {
        Path file = randomFile(100_000);
        var taker = new Taker();
        new DirectFileBodyPublisher(file, n -> { }, 10_000).subscribe(taker);
        taker.take(3);

        Files.write(file, new byte[5], StandardOpenOption.APPEND);
        taker.take(100);

        assertThat(taker.complete).isFalse();
        assertThat(taker.failure.get()).isInstanceOf(IOException.class)
                .hasMessageContaining("changed while it was sent: it has 100005 bytes, 100000 were announced");
    }

    @Test
    void aFileThatShrinksWhileItIsSentFailsTheRequest() throws Exception {
        Path file = randomFile(200_000);
        var taker = new Taker();
        new DirectFileBodyPublisher(file, n -> { }, 10_000).subscribe(taker);
        taker.take(3);

        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(70_000);
        }
        taker.take(100);

        assertThat(taker.complete).isFalse();
        assertThat(taker.failure.get()).isInstanceOf(IOException.class)
                .hasMessageContaining("it has 70000 bytes, 200000 were announced");
    }

    @Test
    void regionsOfOneChannelSendExactlyTheirBytesInterleavedWithTheCrcOfWhatTheyRead() throws Exception {
        Path file = randomFile(100_000);
        byte[] content = Files.readAllBytes(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var first = DirectFileBodyPublisher.region(channel, 0, 40_000, 7_000);
            var second = DirectFileBodyPublisher.region(channel, 40_000, 60_000, 7_000);
            var takeFirst = new Taker();
            var takeSecond = new Taker();
            first.subscribe(takeFirst);
            second.subscribe(takeSecond);

            // Interleaved, as parts sent at once read the one channel.
            takeFirst.take(2);
            takeSecond.take(100);
            takeFirst.take(100);

            assertThat(takeFirst.complete).isTrue();
            assertThat(takeSecond.complete).isTrue();
            assertThat(takeFirst.bytes.toByteArray()).isEqualTo(Arrays.copyOfRange(content, 0, 40_000));
            assertThat(takeSecond.bytes.toByteArray()).isEqualTo(Arrays.copyOfRange(content, 40_000, 100_000));
            assertThat(first.contentLength()).isEqualTo(40_000);
            assertThat(first.crc32c()).isEqualTo(crc(content, 0, 40_000));
            assertThat(second.crc32c()).isEqualTo(crc(content, 40_000, 60_000));
            assertThat(channel.isOpen()).as("the caller's channel").isTrue();
        }
    }

    @Test
    void aRegionHasNoCrcUntilASendingReadItToItsEnd() throws Exception {
        Path file = randomFile(50_000);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var region = DirectFileBodyPublisher.region(channel, 10_000, 30_000, 7_000);
            var taker = new Taker();
            region.subscribe(taker);
            taker.take(2);

            assertThat(region.crc32c()).isEqualTo(-1);
        }
    }

    @Test
    void aFileShorterThanItsRegionFailsTheRequestInsteadOfSendingAShortBody() throws Exception {
        Path file = randomFile(100);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var taker = new Taker();
            DirectFileBodyPublisher.region(channel, 50, 100, 7_000).subscribe(taker);
            taker.take(10);

            assertThat(taker.complete).isFalse();
            assertThat(taker.failure.get()).isInstanceOf(IOException.class)
                    .hasMessageContaining("it has 100 bytes, a part of 100 from byte 50 was announced");
        }
    }

    @Test
    void aMissingFileIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> new DirectFileBodyPublisher(dir.resolve("absent.bin"), n -> { }))
                .isInstanceOf(FileNotFoundException.class).hasMessageContaining("absent.bin");
    }

    @Test
    void theServerReceivesTheWholeFileWithItsContentLength() throws Exception {
        Path file = randomFile(3 * 1024 * 1024 + 5);
        var received = new AtomicReference<byte[]>();
        var length = new AtomicReference<String>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            length.set(exchange.getRequestHeaders().getFirst("Content-Length"));
            received.set(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/f"))
                    .PUT(new DirectFileBodyPublisher(file, n -> { }, 256 * 1024)).build();

            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());

            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(length).hasValue(Long.toString(Files.size(file)));
            assertThat(received.get()).isEqualTo(Files.readAllBytes(file));
        } finally {
            server.stop(0);
        }
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
