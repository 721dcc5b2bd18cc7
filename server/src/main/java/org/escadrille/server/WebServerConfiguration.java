package org.escadrille.server;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat would refuse an encoded slash ({@code %2F}) with an HTML page of its own; passed through, it
 * reaches Spring Security's firewall, which refuses it with a problem document like every other error.
 */
@Configuration
class WebServerConfiguration {

    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }
}
