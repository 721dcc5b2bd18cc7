package org.escadrille.cli.terminal;

import java.util.List;
import java.util.stream.Collectors;
import org.escadrille.cli.api.AppSummary;

/**
 * The applications that {@code escadrille apps} lists, with their inputs written as a launch names
 * them: {@code id:Type}, {@code ?} for optional, {@code []} for a list.
 */
public final class CatalogueTable {
    private static final List<String> HEADERS = List.of("NAME", "VERSION", "INPUTS");

    private CatalogueTable() {
    }

    public static String render(List<AppSummary> apps) {
        List<List<String>> rows = apps.stream()
                .map(app -> List.of(app.name(), ExecutionTable.orDash(app.version()), inputs(app)))
                .toList();
        return Table.render(HEADERS, rows);
    }

    static String inputs(AppSummary app) {
        if (app.inputs().isEmpty()) {
            return "-";
        }
        return app.inputs().stream()
                .map(input -> input.id() + ":" + input.type() + (input.list() ? "[]" : "")
                        + (input.optional() ? "?" : ""))
                .collect(Collectors.joining(" "));
    }
}
