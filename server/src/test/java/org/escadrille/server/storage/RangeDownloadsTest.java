package org.escadrille.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import org.escadrille.server.ApiClient;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/files/{path}} with {@code Range}: one range is a 206 of those bytes, so a cut download resumes. */
@Tag("e2e")
class RangeDownloadsTest {
    private static TestServer server;
    private static ApiClient ada;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.builder().pilots(false).start();
        ada = server.newUser("ada");
        ada.put("/api/v1/files/data/ten.txt", "0123456789".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void oneRangeIsAPartialAnswerOfThoseBytes() throws Exception {
        var middle = get("bytes=2-4");
        var from = get("bytes=7-");
        var last = get("bytes=-3");
        var past = get("bytes=8-100");

        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo("234");
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 2-4/10");
        assertThat(middle.headers().firstValue("Content-Length")).hasValue("3");
        assertThat(from.body()).isEqualTo("789");
        assertThat(last.body()).isEqualTo("789");
        assertThat(past.body()).isEqualTo("89");
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes 8-9/10");
    }

    @Test
    void aRangePastTheEndIsUnsatisfiableAndSaysTheSize() throws Exception {
        var response = get("bytes=10-20");

        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */10");
    }

    @Test
    void severalRangesAreOnePartEachAndNoRangeIsTheWholeFile() throws Exception {
        var several = get("bytes=0-1,5-6");
        var malformed = get("lines=1-2");
        var none = get(null);

        assertThat(several.statusCode()).isEqualTo(206);
        assertThat(several.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("multipart/byteranges"));
        assertThat(several.body()).contains("Content-Range: bytes 0-1/10").contains("01")
                .contains("Content-Range: bytes 5-6/10").contains("56");
        assertThat(malformed.statusCode()).isLessThan(500);
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).isEqualTo("0123456789");
        assertThat(none.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    }

    private static HttpResponse<String> get(String range) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/files/data/ten.txt")).header("apikey", ada.apiKey());
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }
}
