package org.escadrille.server.portal;

import java.time.Instant;
import java.util.List;
import org.escadrille.boutiques.Descriptor;
import org.escadrille.server.Page;
import org.escadrille.server.account.Account;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.catalog.Catalog;
import org.escadrille.server.catalog.CatalogFilter;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The catalogue: the newest version of every application, each leading to its launch form, searched by
 * text and by tag (the descriptor's tags show as chips that lead to the applications sharing one).
 */
@Controller
class CataloguePage {
    private final Catalog catalog;

    CataloguePage(Catalog catalog) {
        this.catalog = catalog;
    }

    /** An application as the catalogue lists it. */
    record Entry(String name, String version, String digest, String description, int inputs, Instant published,
                 List<String> tags) {
        static Entry of(Application app) {
            var descriptor = Descriptor.parse(app.descriptorJson());
            return new Entry(app.name(), app.version(), app.digest(),
                    descriptor.description() == null ? "" : descriptor.description(), descriptor.inputs().size(),
                    Instant.ofEpochMilli(app.publishedAtMs()), CatalogFilter.tags(descriptor.json()));
        }
    }

    /** Applications on one page of the catalogue. */
    static final int PAGE_SIZE = 48;

    @GetMapping("/apps")
    String catalogue(@AuthenticationPrincipal(expression = "account") Account account, @RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "") String q,
                     @RequestParam(defaultValue = "") String tag, Model model) {
        var filter = new CatalogFilter(q, tag);
        var shown = Page.of(catalog.latestOfEach(filter, account), Pager.offset(page, PAGE_SIZE), PAGE_SIZE).map(Entry::of);
        model.addAttribute("q", q);
        model.addAttribute("tag", tag);
        model.addAttribute("filtered", !filter.equals(CatalogFilter.ALL));
        model.addAttribute("apps", shown.items());
        model.addAttribute("pager", Pager.of(shown, PAGE_SIZE));
        return "apps";
    }
}
