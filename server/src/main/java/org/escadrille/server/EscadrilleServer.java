package org.escadrille.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The gateway's entry point: {@code escadrille serve} starts this application. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class EscadrilleServer {

    public static void main(String[] args) {
        SpringApplication.run(EscadrilleServer.class, args);
    }
}
