package dev.mortar.benchmarks;

import dev.mortar.benchmarks.Target.Product;
import dev.mortar.benchmarks.Target.StoreKind;
import dev.mortar.benchmarks.Workload.Floor;
import dev.mortar.benchmarks.Workload.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Turns the measurements into tables: one per store kind, HMS beside Mortar, with the ratio
 * Mortar/HMS of calls per second (above 1: Mortar is faster). The same cells feed the console
 * (aligned text) and docs/BENCHMARKS.md (Markdown).
 */
final class Report
{
    private static final String NONE = "—";

    record MemoryFigures(Target target, OptionalLong peakRssBytes, OptionalLong rssBytes) {}

    private final List<Target> targets;
    private final List<Row> rows;
    private final List<MemoryFigures> memory;
    private final List<Floor> floors;

    Report(List<Target> targets, List<Row> rows, List<MemoryFigures> memory, List<Floor> floors)
    {
        this.targets = List.copyOf(targets);
        this.rows = List.copyOf(rows);
        this.memory = List.copyOf(memory);
        this.floors = List.copyOf(floors);
    }

    List<String> floorHeader()
    {
        return List.of("operation", "answer of", "calls", "bytes", "driver floor ops/s", "p50 ms", "p99 ms", "HMS ops/s", "highest Mortar/HMS possible");
    }

    /**
     * Per floor: its figures, the HMS's on the same store, and the ratio Mortar/HMS would reach if Mortar
     * answered in no time at all (the floor's ops/s over the HMS's).
     */
    List<List<String>> floorRows()
    {
        List<List<String>> table = new ArrayList<>();
        for (Floor floor : floors) {
            Optional<Measurement> h = find(Product.HMS, floor.store()).flatMap(hms -> rows.stream()
                    .filter(row -> row.section().equals(floor.section()) && row.operation().equals(floor.operation()))
                    .findFirst()
                    .map(row -> row.measurements().get(hms)));
            List<String> cells = new ArrayList<>();
            cells.add(floor.section() + ": " + floor.operation());
            cells.add(floor.source());
            cells.add(format("%,d", floor.measurement().calls()));
            cells.add(format("%,d", floor.replyBytes()));
            cells.addAll(measurementCells(Optional.of(floor.measurement()), floor.unit()));
            cells.add(h.filter(m -> !m.failed() && m.calls() > 0).map(m -> rate(m.callsPerSecond())).orElse(NONE));
            cells.add(ratioCell(h, Optional.of(floor.measurement())));
            table.add(cells);
        }
        return table;
    }

    /** The store kinds that have at least one server in this run, in a fixed order. */
    List<StoreKind> storeKinds()
    {
        return List.of(StoreKind.values()).stream()
                .filter(kind -> targets.stream().anyMatch(target -> target.store() == kind))
                .toList();
    }

    Optional<Target> find(Product product, StoreKind store)
    {
        return targets.stream().filter(t -> t.product() == product && t.store() == store).findFirst();
    }

    List<String> comparisonHeader(StoreKind kind)
    {
        String hms = find(Product.HMS, kind).map(Target::name).orElse("HMS (not run)");
        String mortar = find(Product.MORTAR, kind).map(Target::name).orElse("Mortar (not run)");
        return List.of("operation", "calls",
                hms + " ops/s", "p50 ms", "p99 ms",
                mortar + " ops/s", "p50 ms", "p99 ms",
                "Mortar/HMS");
    }

    /** Section title followed by its rows; failures are shown in the cell, truncated. */
    List<List<String>> comparisonRows(StoreKind kind, String section)
    {
        Optional<Target> hms = find(Product.HMS, kind);
        Optional<Target> mortar = find(Product.MORTAR, kind);
        List<List<String>> table = new ArrayList<>();
        for (Row row : rows) {
            if (!row.section().equals(section)) {
                continue;
            }
            Optional<Measurement> h = hms.map(row.measurements()::get);
            Optional<Measurement> m = mortar.map(row.measurements()::get);
            List<String> cells = new ArrayList<>();
            cells.add(row.operation());
            cells.add(callsCell(h, m));
            cells.addAll(measurementCells(h, row.unit()));
            cells.addAll(measurementCells(m, row.unit()));
            cells.add(ratioCell(h, m));
            table.add(cells);
        }
        return table;
    }

    List<String> sections()
    {
        return rows.stream().map(Row::section).distinct().toList();
    }

    List<String> memoryHeader()
    {
        return List.of("server", "what", "start-up s", "peak RSS (VmHWM)", "RSS at end");
    }

    List<List<String>> memoryRows()
    {
        List<List<String>> table = new ArrayList<>();
        for (MemoryFigures figures : memory) {
            Target target = figures.target();
            table.add(List.of(
                    target.name(),
                    target.description().isEmpty() ? NONE : target.description(),
                    target.startupSeconds().isPresent() ? format("%.1f", target.startupSeconds().getAsDouble()) : NONE,
                    mebibytes(figures.peakRssBytes()),
                    mebibytes(figures.rssBytes())));
        }
        return table;
    }

    /** Every failure in full, for the text below the tables. */
    List<String> failures()
    {
        List<String> lines = new ArrayList<>();
        for (Row row : rows) {
            row.measurements().forEach((target, m) -> {
                m.failure().ifPresent(failure -> lines.add("%s, %s: %s (after %d successful calls)".formatted(target.name(), row.operation(), failure, m.calls())));
                if (m.truncated()) {
                    lines.add("%s, %s: stopped early at the time cap after %d calls".formatted(target.name(), row.operation(), m.calls()));
                }
            });
        }
        return lines;
    }

    String toText()
    {
        StringBuilder out = new StringBuilder();
        for (StoreKind kind : storeKinds()) {
            out.append('\n').append(kind.title()).append('\n');
            List<List<String>> all = new ArrayList<>();
            for (String section : sections()) {
                List<List<String>> sectionRows = comparisonRows(kind, section);
                if (sectionRows.isEmpty()) {
                    continue;
                }
                List<String> title = new ArrayList<>(List.of("-- " + section));
                while (title.size() < sectionRows.getFirst().size()) {
                    title.add("");
                }
                all.add(title);
                all.addAll(sectionRows);
            }
            out.append(textTable(comparisonHeader(kind), all, 1));
        }
        if (!floors.isEmpty()) {
            out.append("\nDriver floor (the same answer, replayed by the driver itself)\n").append(textTable(floorHeader(), floorRows(), 2));
        }
        out.append("\nServer memory\n").append(textTable(memoryHeader(), memoryRows(), 2));
        List<String> failures = failures();
        if (!failures.isEmpty()) {
            out.append("\nFailures and early stops\n");
            failures.forEach(line -> out.append("  ").append(line).append('\n'));
        }
        return out.toString();
    }

    String toMarkdown()
    {
        StringBuilder out = new StringBuilder();
        for (StoreKind kind : storeKinds()) {
            out.append("#### ").append(kind.title()).append("\n\n");
            List<List<String>> all = new ArrayList<>();
            for (String section : sections()) {
                List<List<String>> sectionRows = comparisonRows(kind, section);
                if (sectionRows.isEmpty()) {
                    continue;
                }
                List<String> title = new ArrayList<>(List.of("**" + section + "**"));
                while (title.size() < sectionRows.getFirst().size()) {
                    title.add("");
                }
                all.add(title);
                all.addAll(sectionRows);
            }
            out.append(markdownTable(comparisonHeader(kind), all, 1)).append('\n');
        }
        if (!floors.isEmpty()) {
            out.append("#### Driver floor\n\n")
                    .append("`get_partition_names` and `get_partitions` of the whole table answered at once, with Mortar's answer's bytes, by a server inside the driver ")
                    .append("that takes its turn with the two servers, call by call: what the driver itself spends sending the request, receiving the answer and decoding it. ")
                    .append("No server can answer these calls faster (beyond the noise of a few calls: at 100,000 partitions there are two of `get_partitions`), so the floor caps the ratio Mortar/HMS at the floor's ops/s over the HMS's ")
                    .append("(last column); a Mortar figure near the floor means the time is the driver's, not the server's.\n\n")
                    .append(markdownTable(floorHeader(), floorRows(), 2)).append('\n');
        }
        out.append("#### Server memory\n\n").append(markdownTable(memoryHeader(), memoryRows(), 2)).append('\n');
        List<String> failures = failures();
        if (!failures.isEmpty()) {
            out.append("#### Failures and early stops\n\n");
            failures.forEach(line -> out.append("- ").append(line.replace("|", "\\|")).append('\n'));
            out.append('\n');
        }
        return out.toString();
    }

    /** Calls made; "HMS / Mortar" when they differ (timed loads, time caps, failures). */
    private static String callsCell(Optional<Measurement> h, Optional<Measurement> m)
    {
        if (h.isPresent() && m.isPresent() && h.get().calls() != m.get().calls()) {
            return format("%,d / %,d", h.get().calls(), m.get().calls());
        }
        return format("%,d", h.or(() -> m).map(Measurement::calls).orElse(0));
    }

    private static List<String> measurementCells(Optional<Measurement> measurement, String unit)
    {
        if (measurement.isEmpty()) {
            return List.of(NONE, NONE, NONE);
        }
        Measurement m = measurement.get();
        if (m.failed() && m.calls() == 0) {
            String failure = m.failure().orElseThrow();
            return List.of("failed: " + (failure.length() > 60 ? failure.substring(0, 60) + "..." : failure), NONE, NONE);
        }
        String throughput = rate(m.callsPerSecond());
        double itemsPerCall = m.calls() == 0 ? 0 : (double) m.items() / m.calls();
        if (itemsPerCall > 1.5) {
            throughput += " (" + rate(m.itemsPerSecond()) + " " + unit + "/s)";
        }
        if (m.failed()) {
            throughput += " [failed]";
        }
        else if (m.truncated()) {
            throughput += " [capped]";
        }
        return List.of(throughput, millis(m.percentileMillis(50)), millis(m.percentileMillis(99)));
    }

    private static String ratioCell(Optional<Measurement> h, Optional<Measurement> m)
    {
        if (h.isEmpty() || m.isEmpty() || h.get().failed() || m.get().failed() || h.get().calls() == 0 || m.get().calls() == 0) {
            return NONE;
        }
        return format("%.2fx", m.get().callsPerSecond() / h.get().callsPerSecond());
    }

    static String rate(double perSecond)
    {
        if (Double.isNaN(perSecond)) {
            return NONE;
        }
        if (perSecond >= 100) {
            return format("%,.0f", perSecond);
        }
        if (perSecond >= 10) {
            return format("%.1f", perSecond);
        }
        return perSecond >= 0.1 ? format("%.2f", perSecond) : format("%.4f", perSecond);
    }

    private static String millis(double millis)
    {
        if (Double.isNaN(millis)) {
            return NONE;
        }
        if (millis >= 1000) {
            return format("%,.0f", millis);
        }
        return millis >= 10 ? format("%.1f", millis) : format("%.2f", millis);
    }

    private static String mebibytes(OptionalLong bytes)
    {
        return bytes.isPresent() ? format("%,d MiB", bytes.getAsLong() / (1024 * 1024)) : NONE;
    }

    /** Aligned columns: the first {@code textColumns} left (text), the rest right (figures). */
    static String textTable(List<String> header, List<List<String>> rows, int textColumns)
    {
        int[] widths = new int[header.size()];
        Function<List<String>, Void> widen = cells -> {
            for (int i = 0; i < cells.size(); i++) {
                // section titles span the row: they do not widen the first column
                if (!(i == 0 && cells.get(0).startsWith("-- "))) {
                    widths[i] = Math.max(widths[i], cells.get(i).length());
                }
            }
            return null;
        };
        widen.apply(header);
        rows.forEach(widen::apply);
        StringBuilder out = new StringBuilder();
        appendTextRow(out, header, widths, textColumns);
        int total = 0;
        for (int width : widths) {
            total += width + 2;
        }
        out.append("-".repeat(total)).append('\n');
        for (List<String> row : rows) {
            if (row.get(0).startsWith("-- ")) {
                out.append(row.get(0)).append('\n');
            }
            else {
                appendTextRow(out, row, widths, textColumns);
            }
        }
        return out.toString();
    }

    private static void appendTextRow(StringBuilder out, List<String> cells, int[] widths, int textColumns)
    {
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            out.append(i < textColumns ? pad(cell, widths[i]) : padLeft(cell, widths[i])).append("  ");
        }
        out.setLength(out.length() - 2);
        out.append('\n');
    }

    /** A Markdown table: the first {@code textColumns} aligned left, the rest right. */
    static String markdownTable(List<String> header, List<List<String>> rows, int textColumns)
    {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header.stream().map(Report::escape).toList())).append(" |\n");
        out.append("|");
        for (int i = 0; i < header.size(); i++) {
            out.append(i < textColumns ? "---|" : "---:|");
        }
        out.append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row.stream().map(Report::escape).toList())).append(" |\n");
        }
        return out.toString();
    }

    private static String escape(String cell)
    {
        return cell.replace("|", "\\|");
    }

    private static String pad(String text, int width)
    {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    private static String padLeft(String text, int width)
    {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }

    private static String format(String pattern, Object... args)
    {
        return String.format(Locale.ROOT, pattern, args);
    }
}
