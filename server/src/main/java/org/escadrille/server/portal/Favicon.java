package org.escadrille.server.portal;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Browsers ask for {@code /favicon.ico} whatever the page links to (bookmarks, tabs opened on a file):
 * they get the SVG icon the pages link, rather than a 404 in every log.
 */
@Controller
class Favicon {

    @GetMapping("/favicon.ico")
    String ico() {
        return "forward:/favicon.svg";
    }
}
