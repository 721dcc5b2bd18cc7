package org.escadrille.cli.terminal;

import java.util.ArrayList;
import java.util.List;

/** Plain-text columns, left-aligned and two spaces apart, like {@code docker ps}: easy to read and to grep. */
public final class Table {
    private Table() {
    }

    public static String render(List<String> headers, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        return align(all, headers.size());
    }

    /** Rows without a header line, e.g. {@code Field  value} pairs. */
    public static String rows(List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        return align(rows, columns);
    }

    private static String align(List<List<String>> all, int columns) {
        int[] widths = new int[columns];
        for (List<String> row : all) {
            for (int column = 0; column < columns; column++) {
                widths[column] = Math.max(widths[column], cell(row, column).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < columns; column++) {
                String cell = cell(row, column);
                line.append(cell);
                if (column < columns - 1) {
                    line.append(" ".repeat(widths[column] - cell.length() + 2));
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private static String cell(List<String> row, int column) {
        String value = column < row.size() ? row.get(column) : null;
        return value == null ? "" : value;
    }
}
