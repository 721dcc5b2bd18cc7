package org.escadrille.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;

/** Tomcat as {@link WebServerConfiguration} sets it up, read back from a connector it customized. */
class WebServerConfigurationTest {
    private final WebServerConfiguration configuration = new WebServerConfiguration();

    @Test
    void channelsOfClosedConnectionsAreKeptForTheNextWhateverTheHeap() {
        // Tomcat's own default keeps none below a heap of 2 GiB; a shed pilot comes back on a new connection.
        var connector = new Connector(SmallResponseBufferProtocol.class.getName());

        configuration.reuseChannelsOfClosedConnections().customize(connector);

        assertThat(connector.getProperty("socket.bufferPoolSize"))
                .isEqualTo(String.valueOf(Runtime.getRuntime().maxMemory() / 64));
    }

    @Test
    void eachConnectionHasSmallSocketBuffers() {
        var connector = new Connector(SmallResponseBufferProtocol.class.getName());

        configuration.smallBuffersPerConnection().customize(connector);

        assertThat(connector.getProperty("socket.appReadBufSize")).isEqualTo(String.valueOf(WebServerConfiguration.SOCKET_BUFFER_BYTES));
        assertThat(connector.getProperty("socket.appWriteBufSize")).isEqualTo(String.valueOf(WebServerConfiguration.SOCKET_BUFFER_BYTES));
    }
}
