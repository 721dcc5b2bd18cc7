package org.escadrille.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The firewall's rules for headers and parameter names, checked without a regular expression, allow and refuse
 * exactly what Spring Security's own patterns do, and a request that breaks them is refused with a problem.
 */
class FirewallRulesTest {
    /** Spring Security's {@code StrictHttpFirewall} patterns (7.1): names, then header values. */
    private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern HEADER_VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void theRulesAgreeWithSpringSecuritysPatternsOnEdgeCases() {
        var texts = List.of("", "apikey", "application/json; q=0.9", "a\tb", "\t", "a\u0007b", "\u0000", "\u007f",
                "\u0085", "\u009f", "\u00a0", "\u0378", "\uffff", "\ufffd", "\ud800", "x\udc00", "\ud83d\ude00",
                "\udb40\udc01", "\u2028", "été", "\r\n", "a b", "\u001b[31m");
        for (String text : texts) {
            assertAgree(text);
        }
        assertThat(FirewallRules.headerValue("a\tb")).isTrue();
        assertThat(FirewallRules.assignedAndNotControl("a\tb")).isFalse();
        assertThat(FirewallRules.headerValue("a\u0085b")).as("a C1 control").isFalse();
        assertThat(FirewallRules.headerValue("\u0378")).as("unassigned").isFalse();
    }

    @Test
    void theRulesAgreeWithSpringSecuritysPatternsOnRandomText() {
        var random = new SplittableRandom(18);
        for (int i = 0; i < 20_000; i++) {
            var text = new StringBuilder();
            int length = random.nextInt(6);
            for (int j = 0; j < length; j++) {
                int bound = switch (random.nextInt(3)) {
                    case 0 -> 0x100;
                    case 1 -> 0x10000;
                    default -> Character.MAX_CODE_POINT + 1;
                };
                int codePoint = random.nextInt(bound);
                if (codePoint < 0x10000) {
                    text.append((char) codePoint);
                } else {
                    text.appendCodePoint(codePoint);
                }
            }
            assertAgree(text.toString());
        }
    }

    private static void assertAgree(String text) {
        String shown = text.codePoints().mapToObj(Integer::toHexString).toList().toString();
        assertThat(FirewallRules.assignedAndNotControl(text)).as("name %s", shown).isEqualTo(NAMES.matcher(text).matches());
        assertThat(FirewallRules.headerValue(text)).as("header value %s", shown).isEqualTo(HEADER_VALUES.matcher(text).matches());
    }

    @Test
    @Tag("e2e")
    void aHeaderWithAControlCharacterIsRefusedWithAProblemAndAGoodOneGoesThrough() throws IOException {
        try (var server = TestServer.builder().pilots(false).start()) {
            var refused = get(server, "apikey: not-a-key\u0085");
            assertThat(refused.getFirst()).isEqualTo("HTTP/1.1 400 ");
            assertThat(refused).anySatisfy(line -> assertThat(line).contains("header names and values no control characters"));

            var readOn = get(server, "apikey: not-a-key\tstill");
            assertThat(readOn.getFirst()).as("a tab is allowed: the key is read, and is wrong").isEqualTo("HTTP/1.1 401 ");
        }
    }

    /** The answer's lines to a GET of the executions with this header, its bytes as ISO-8859-1 (as Tomcat reads them). */
    private static List<String> get(TestServer server, String header) throws IOException {
        var url = URI.create(server.url());
        try (var socket = new Socket(url.getHost(), url.getPort())) {
            String request = "GET /api/v1/executions HTTP/1.1\r\nHost: " + url.getAuthority() + "\r\n" + header
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            var lines = new ArrayList<String>();
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            return lines;
        }
    }
}
