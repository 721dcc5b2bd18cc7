package org.escadrille.server.montecarlo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bin-wise sum of CSV tables, e.g. depth-dose histograms: comment lines ({@code #}) and the header
 * come from the first part; in each data row the first {@code keyColumns} columns (the bin) must
 * agree across parts, and the other columns are summed (whole numbers stay whole).
 */
final class CsvSumMerger implements Merger {
    private final int keyColumns;

    CsvSumMerger(int keyColumns) {
        this.keyColumns = keyColumns;
    }

    @Override
    public void merge(List<InputStream> parts, OutputStream merged) throws IOException {
        List<String> head = null;
        List<String[]> rows = null;
        int index = 0;
        for (InputStream part : parts) {
            var lines = new BufferedReader(new InputStreamReader(part, StandardCharsets.UTF_8)).lines().toList();
            var partHead = new ArrayList<String>();
            var partRows = new ArrayList<String[]>();
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                if (line.startsWith("#") || (partRows.isEmpty() && !looksNumeric(line.split(",", -1)))) {
                    partHead.add(line);
                } else {
                    partRows.add(line.split(",", -1));
                }
            }
            if (rows == null) {
                head = partHead;
                rows = partRows;
            } else {
                add(rows, partRows, index);
            }
            index++;
        }
        if (rows == null) {
            throw new MergeException("there is no partial result to merge");
        }
        Writer out = new OutputStreamWriter(merged, StandardCharsets.UTF_8);
        for (String line : head) {
            out.write(line);
            out.write('\n');
        }
        for (String[] row : rows) {
            out.write(String.join(",", row));
            out.write('\n');
        }
        out.flush();
    }

    private void add(List<String[]> sum, List<String[]> part, int index) throws MergeException {
        if (sum.size() != part.size()) {
            throw new MergeException("partial result " + index + " has " + part.size() + " rows, the first has " + sum.size());
        }
        for (int r = 0; r < sum.size(); r++) {
            String[] total = sum.get(r);
            String[] row = part.get(r);
            if (row.length != total.length) {
                throw new MergeException("row " + (r + 1) + " of partial result " + index + " has " + row.length
                        + " columns, the first has " + total.length);
            }
            for (int c = 0; c < total.length; c++) {
                if (c < keyColumns) {
                    if (!row[c].strip().equals(total[c].strip())) {
                        throw new MergeException("row " + (r + 1) + ": bins differ (" + total[c] + " and " + row[c] + ")");
                    }
                } else {
                    total[c] = sum(total[c].strip(), row[c].strip(), r, index);
                }
            }
        }
    }

    private static String sum(String a, String b, int row, int index) throws MergeException {
        try {
            if (isWhole(a) && isWhole(b)) {
                return Long.toString(Math.addExact(Long.parseLong(a), Long.parseLong(b)));
            }
            return Double.toString(Double.parseDouble(a) + Double.parseDouble(b));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new MergeException("row " + (row + 1) + " of partial result " + index + ": cannot sum '" + a + "' and '" + b + "'");
        }
    }

    private static boolean isWhole(String s) {
        return s.matches("-?\\d+");
    }

    private static boolean looksNumeric(String[] cells) {
        for (String cell : cells) {
            try {
                Double.parseDouble(cell.strip());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
