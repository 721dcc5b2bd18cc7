package org.escadrille.server;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one clock of the server. Every class that reads the time takes this bean, so that unit tests
 * can hand it a fixed or stepped clock instead of waiting for real time to pass.
 */
@Configuration(proxyBeanMethods = false)
public class TimeConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
