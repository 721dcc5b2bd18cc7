package org.escadrille.server.portal;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The root page, until the portal's pages land: where to go from here. */
@RestController
class LandingController {

    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    String landing() {
        return """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Escadrille</title></head>
                <body><h1>Escadrille</h1>
                <p>The gateway is running. Use the CLI (<code>./escadrille run pi events=100000000</code>) or the
                REST API under <code>/api/v1</code> with your API key in the <code>apikey</code> header.</p>
                </body></html>""";
    }
}
