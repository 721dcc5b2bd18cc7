package org.escadrille.server.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.escadrille.server.Page;
import org.escadrille.server.account.Account;
import org.escadrille.server.audit.AuditLog;
import org.escadrille.server.catalog.Application;
import org.escadrille.server.catalog.Catalog;
import org.escadrille.server.catalog.CatalogFilter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The catalogue: list (searched by text and tag), show, publish, delete. */
@RestController
class AppsController {
    private final Catalog catalog;
    private final JsonMapper json;
    private final Paging paging;
    private final AuditLog audit;

    AppsController(Catalog catalog, JsonMapper json, Paging paging, AuditLog audit) {
        this.catalog = catalog;
        this.json = json;
        this.paging = paging;
        this.audit = audit;
    }

    /** An application as the API lists it. */
    record AppSummary(String name, String version, String description, String digest, List<InputInfo> inputs,
                      List<OutputInfo> outputs, JsonNode descriptor, List<String> tags) {
    }

    record InputInfo(String id, String name, String type, boolean optional, boolean list, JsonNode defaultValue,
                     JsonNode choices, String description) {
    }

    record OutputInfo(String id, String name, boolean optional) {
    }

    @GetMapping("/api/v1/apps")
    ResponseEntity<List<AppSummary>> list(@AuthenticationPrincipal Account account,
                                          @RequestParam(required = false) Integer limit,
                                          @RequestParam(required = false) Integer offset,
                                          @RequestParam(required = false) String q,
                                          @RequestParam(required = false) String tag, HttpServletRequest request) {
        var window = paging.window(limit, offset);
        var page = Page.of(catalog.latestOfEach(new CatalogFilter(q, tag), account), window.offset(), window.limit()).map(app -> summary(app, false));
        return paging.answer(page, window, request);
    }

    @GetMapping("/api/v1/apps/{name}")
    AppSummary show(@AuthenticationPrincipal Account account, @PathVariable String name,
                    @RequestParam(required = false) String version) {
        return summary(catalog.find(name, version, account), true);
    }

    @PostMapping("/api/v1/apps")
    ResponseEntity<AppSummary> publish(@AuthenticationPrincipal Account account, @RequestBody String descriptor,
                                       HttpServletRequest request) {
        if (account.role() == Account.Role.USER) {
            throw new AccessDeniedException("publishing applications needs the developer or admin role");
        }
        Application app = catalog.publish(descriptor, account);
        audit.record(account.username(), "application-published", app.name() + " " + app.version() + " (" + app.digest() + ")",
                request.getRemoteAddr());
        return ResponseEntity.status(HttpStatus.CREATED).body(summary(app, true));
    }

    /**
     * Deletes a version (its publisher or an admin): erased, or withdrawn from the catalogue when
     * executions refer to it (they keep its descriptor for provenance).
     */
    @DeleteMapping("/api/v1/apps/{name}/{version}")
    ResponseEntity<Map<String, Object>> delete(@AuthenticationPrincipal Account account, @PathVariable String name,
                                               @PathVariable String version, HttpServletRequest request) {
        boolean erased = catalog.delete(name, version, account);
        audit.record(account.username(), erased ? "application-erased" : "application-withdrawn", name + " " + version,
                request.getRemoteAddr());
        return ResponseEntity.ok(Map.of("name", name, "version", version, "outcome", erased ? "erased" : "withdrawn"));
    }

    private AppSummary summary(Application app, boolean withDescriptor) {
        JsonNode descriptor = json.readTree(app.descriptorJson());
        var inputs = new ArrayList<InputInfo>();
        for (JsonNode input : descriptor.path("inputs")) {
            inputs.add(new InputInfo(input.path("id").asString(), input.path("name").asString(), input.path("type").asString(),
                    input.path("optional").asBoolean(false), input.path("list").asBoolean(false), input.get("default-value"),
                    input.get("value-choices"), input.path("description").asString(null)));
        }
        var outputs = new ArrayList<OutputInfo>();
        for (JsonNode output : descriptor.path("output-files")) {
            outputs.add(new OutputInfo(output.path("id").asString(), output.path("name").asString(),
                    output.path("optional").asBoolean(false)));
        }
        return new AppSummary(app.name(), app.version(), descriptor.path("description").asString(null), app.digest(),
                inputs, outputs, withDescriptor ? descriptor : null, CatalogFilter.tags(descriptor));
    }
}
