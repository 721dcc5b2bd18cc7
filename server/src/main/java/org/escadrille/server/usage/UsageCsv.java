package org.escadrille.server.usage;

import java.util.List;
import java.util.Locale;

/**
 * Usage lines as CSV (RFC 4180: a header, CRLF line ends, a field quoted when it holds a comma, a quote or
 * a line end), for spreadsheets and funders' reports. Hours keep four decimals: 0.36 s.
 */
public final class UsageCsv {
    private UsageCsv() {
    }

    /** The lines of a month as CSV; {@code by}: {@code user} or {@code group}, the first column's name. */
    public static String of(String month, String by, List<UsageLine> lines) {
        var csv = new StringBuilder();
        row(csv, List.of("month", by, "members", "attempts", "cpu_hours", "wall_hours", "storage_bytes"));
        for (var line : lines) {
            row(csv, List.of(month, line.name(), String.join(" ", line.members()), Integer.toString(line.attempts()),
                    hours(line.cpuHours()), hours(line.wallHours()), Long.toString(line.storageBytes())));
        }
        return csv.toString();
    }

    private static String hours(double hours) {
        return String.format(Locale.ROOT, "%.4f", hours);
    }

    private static void row(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            String field = fields.get(i);
            if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
                csv.append('"').append(field.replace("\"", "\"\"")).append('"');
            } else {
                csv.append(field);
            }
        }
        csv.append("\r\n");
    }
}
