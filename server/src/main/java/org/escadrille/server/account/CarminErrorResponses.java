package org.escadrille.server.account;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes CARMIN's {@code ErrorCodeAndMessage} for the security layer of {@code /rest}, which answers
 * before any controller. Only the two keys: VIP's client takes a body for an error only when its keys
 * are exactly {@code errorCode} and {@code errorMessage}; a bad or missing key is VIP's {@code 40101}.
 */
final class CarminErrorResponses {
    static final long BAD_API_KEY = 40101;

    private CarminErrorResponses() {
    }

    static void write(HttpServletResponse response, int status, long code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"errorCode\":" + code + ",\"errorMessage\":\"" + escape(message) + "\"}");
    }

    private static String escape(String s) {
        var out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
