package dev.mortar.metastore.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows printed under a header in columns padded to their widest cell, two spaces apart. */
final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private boolean rule;

    TextTable(String... header) {
        this.header = List.of(header);
    }

    /** A line of dashes under the header, as SQL shells print results. */
    TextTable ruled() {
        this.rule = true;
        return this;
    }

    int rows() {
        return rows.size();
    }

    TextTable row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell == null ? "-" : cell.toString());
        }
        rows.add(row);
        return this;
    }

    void print(PrintWriter out) {
        int[] widths = new int[header.size()];
        for (List<String> row : concat()) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : concat()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
            if (rule && row == header) {
                StringBuilder dashes = new StringBuilder();
                for (int i = 0; i < widths.length; i++) {
                    dashes.append("-".repeat(Math.max(1, widths[i]))).append(i == widths.length - 1 ? "" : "  ");
                }
                out.println(dashes);
            }
        }
        out.flush();
    }

    private List<List<String>> concat() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
