package org.escadrille.server.scheduling;

import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /pilot.jar}: the open-source pilot, for anyone to start on a host of their own with a
 * manual site's token. No sign-in: the jar holds no secret.
 */
@RestController
class PilotJarController {
    private final PilotJar jar;

    PilotJarController(PilotJar jar) {
        this.jar = jar;
    }

    @GetMapping("/pilot.jar")
    ResponseEntity<InputStreamResource> pilotJar() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/java-archive"))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("escadrille-pilot.jar").build().toString())
                .body(new InputStreamResource(jar.open()));
    }
}
