package org.escadrille.server.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** When a download is handed to the connector's sendfile, and when it is streamed instead. */
class SendfileTest {
    private static final Path FILE = Path.of("/data/users/ada/big.bin");

    @Test
    void aLargeGetOnAConnectorWithSendfileIsHandedOverAsTheFileAndItsRange() {
        var request = request("GET", true);

        assertThat(Sendfile.offer(request, FILE, 1000, 1 << 20)).isTrue();
        assertThat(request.getAttribute(Sendfile.FILENAME)).isEqualTo(FILE.toString());
        assertThat(request.getAttribute(Sendfile.START)).isEqualTo(1000L);
        assertThat(request.getAttribute(Sendfile.END)).isEqualTo(1000L + (1 << 20));
    }

    @Test
    void aConnectorWithoutSendfileAHeadASmallFileOrTlsIsStreamed() {
        var noSupport = request("GET", false);
        var head = request("HEAD", true);
        var small = request("GET", true);
        var tls = request("GET", true);
        tls.setAttribute(Sendfile.CIPHER_SUITE, "TLS_AES_128_GCM_SHA256");

        assertThat(Sendfile.offer(noSupport, FILE, 0, 1 << 20)).isFalse();
        assertThat(Sendfile.offer(head, FILE, 0, 1 << 20)).isFalse();
        assertThat(Sendfile.offer(small, FILE, 0, Sendfile.MIN_BYTES - 1)).isFalse();
        assertThat(Sendfile.offer(tls, FILE, 0, 1 << 20)).isFalse();
        for (var request : new MockHttpServletRequest[] {noSupport, head, small, tls}) {
            assertThat(request.getAttribute(Sendfile.FILENAME)).isNull();
        }
    }

    private static MockHttpServletRequest request(String method, boolean sendfile) {
        var request = new MockHttpServletRequest(method, "/api/v1/files/big.bin");
        if (sendfile) {
            request.setAttribute(Sendfile.SUPPORTED, Boolean.TRUE);
        }
        return request;
    }
}
