package org.escadrille.server.portal;

import java.time.Instant;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.server.Page;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.catalog.Catalog;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The catalogue: the newest version of every application, each leading to its launch form. */
@Controller
class CataloguePage {
    private final Catalog catalog;

    CataloguePage(Catalog catalog) {
        this.catalog = catalog;
    }

    /** An application as the catalogue lists it. */
    record Entry(String name, String version, String digest, String description, int inputs, Instant published) {
        static Entry of(Application app) {
            var descriptor = Descriptor.parse(app.descriptorJson());
            return new Entry(app.name(), app.version(), app.digest(),
                    descriptor.description() == null ? "" : descriptor.description(), descriptor.inputs().size(),
                    Instant.ofEpochMilli(app.publishedAtMs()));
        }
    }

    /** Applications on one page of the catalogue. */
    static final int PAGE_SIZE = 48;

    @GetMapping("/apps")
    String catalogue(@RequestParam(defaultValue = "1") int page, Model model) {
        var shown = Page.of(catalog.latestOfEach(), Pager.offset(page, PAGE_SIZE), PAGE_SIZE).map(Entry::of);
        model.addAttribute("apps", shown.items());
        model.addAttribute("pager", Pager.of(shown, PAGE_SIZE));
        return "apps";
    }
}
