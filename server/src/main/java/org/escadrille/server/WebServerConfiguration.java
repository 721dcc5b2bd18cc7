package org.escadrille.server;

import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat as the pilots need it: every pilot keeps a connection open and, idle, a long poll parked on
 * it, so what Tomcat allocates per connection and per request in progress is multiplied by the number
 * of pilots. Its defaults (8 KB for each of some eight buffers) came to about 100 KB a pilot; see
 * {@code bench/README.md}, "Scale". Header sizes are set in {@code application.properties}.
 */
@Configuration
class WebServerConfiguration {
    /** Each socket's read and write buffers (Tomcat: 8 KB each); also the chunk size of large transfers. */
    static final int SOCKET_BUFFER_BYTES = 4096;
    /** Trailers after a chunked request body; nothing we serve reads them (Tomcat: 8 KB, allocated per request). */
    static final int MAX_TRAILER_BYTES = 1024;

    /**
     * Tomcat would refuse an encoded slash ({@code %2F}) with an HTML page of its own; passed through, it
     * reaches Spring Security's firewall, which refuses it with a problem document like every other error.
     */
    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    @Bean
    TomcatConnectorCustomizer smallBuffersPerConnection() {
        return connector -> {
            for (String property : new String[] {"socket.appReadBufSize", "socket.appWriteBufSize"}) {
                if (!connector.setProperty(property, Integer.toString(SOCKET_BUFFER_BYTES))) {
                    throw new IllegalStateException("this Tomcat has no connector property " + property);
                }
            }
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setMaxTrailerSize(MAX_TRAILER_BYTES);
            }
        };
    }

    /**
     * Tomcat keeps the channel of a closed connection (its two socket buffers and their objects) for the next
     * one it accepts, but only with a heap of 2 GiB or more (1/32 of it); below, every connection accepted
     * allocates new ones. Tomcat closes the connection of every {@code 503}, so a pilot shed comes back on a new
     * one: at 10,000 pilots asking for work those buffers were the allocations JFR sampled most (bench/README.md,
     * "Scale"). Kept here: 1/64 of any heap, 16 MiB of channels (2,048 of them) with 1 GiB.
     */
    @Bean
    TomcatConnectorCustomizer reuseChannelsOfClosedConnections() {
        long bytes = Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 64);
        return connector -> {
            if (!connector.setProperty("socket.bufferPoolSize", Long.toString(bytes))) {
                throw new IllegalStateException("this Tomcat has no connector property socket.bufferPoolSize");
            }
        };
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallResponseBuffer() {
        return factory -> factory.setProtocol(SmallResponseBufferProtocol.class.getName());
    }
}
