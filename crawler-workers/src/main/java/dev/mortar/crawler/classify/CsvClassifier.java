package dev.mortar.crawler.classify;

import dev.mortar.catalog.Column;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Delimited text. The delimiter is the candidate ({@code , | \t ; \u0001}, or the one a custom classifier names)
 * that splits every sampled row into the same number (at least two, unless single columns are allowed) of
 * columns, the most columns winning; at least two rows are needed. The first row is a header when all its cells
 * are strings (each but the last shorter than 150 characters) while some column below has another type;
 * otherwise the columns are {@code col0, col1, ...}. A custom classifier may force the header present or absent
 * and name the columns. Files whose fields are quoted get {@code OpenCSVSerde} (which honours the quotes),
 * others {@code LazySimpleSerDe}.
 */
public final class CsvClassifier implements Classifier {
    public static final String SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
    public static final String OPEN_CSV_SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde";
    public static final String INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat";
    public static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
    private static final char[] DELIMITERS = {',', '|', '\t', ';', '\u0001'};
    private static final int SAMPLE_RECORDS = 1000;
    private static final int MAX_HEADER_CELL = 150;

    private static final Pattern BIGINT = Pattern.compile("[-+]?\\d{1,18}");
    private static final Pattern DOUBLE = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?");
    private static final Pattern BOOLEAN = Pattern.compile("(?i)true|false");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?");

    /** Whether the first row is a header: decided from the content, or forced by a custom classifier. */
    public enum HeaderMode { UNKNOWN, PRESENT, ABSENT }

    /** Which SerDe the table gets: chosen from the content (quoted fields or not), or forced. */
    public enum SerdeChoice { AUTO, OPEN_CSV, LAZY_SIMPLE }

    /**
     * How a CSV classifier reads: the built-in one tries every candidate delimiter and decides the header; a custom
     * one (the service's {@code CsvClassifier}) may fix the delimiter, the quote, the header and the SerDe.
     *
     * @param classifierName the custom classifier's name, or empty for the built-in classifier
     * @param delimiter      the only delimiter tried, or empty for the candidates
     * @param headerNames    column names to use instead of the header row's or {@code col<n>}; empty for none
     * @param trimValues     whether values are trimmed before their type is decided
     */
    public record Options(Optional<String> classifierName, Optional<Character> delimiter, char quote, HeaderMode header, List<String> headerNames,
                          boolean trimValues, boolean allowSingleColumn, SerdeChoice serde) {
        public Options {
            Objects.requireNonNull(classifierName, "classifierName");
            Objects.requireNonNull(delimiter, "delimiter");
            Objects.requireNonNull(header, "header");
            headerNames = List.copyOf(headerNames);
            Objects.requireNonNull(serde, "serde");
        }

        public static Options builtIn() {
            return new Options(Optional.empty(), Optional.empty(), '"', HeaderMode.UNKNOWN, List.of(), true, false, SerdeChoice.AUTO);
        }
    }

    private final Options options;

    public CsvClassifier() {
        this(Options.builtIn());
    }

    public CsvClassifier(Options options) {
        this.options = options;
    }

    @Override
    public Optional<Classification> classify(SampledFile file) throws IOException {
        byte[] sample = file.content(SampledFile.TEXT_SAMPLE_BYTES);
        boolean truncated = sample.length == SampledFile.TEXT_SAMPLE_BYTES;
        String text = new String(sample, StandardCharsets.UTF_8);
        if (text.indexOf('\0') >= 0 || text.indexOf('\uFFFD') >= 0) {
            return Optional.empty(); // binary, not text
        }
        int minWidth = options.allowSingleColumn() ? 1 : 2;
        List<List<String>> best = null;
        char bestDelimiter = 0;
        for (char delimiter : options.delimiter().map(d -> new char[] {d}).orElse(DELIMITERS)) {
            List<List<String>> rows = rows(text, delimiter, options.quote(), truncated);
            if (rows.size() < 2) {
                continue;
            }
            int width = rows.get(0).size();
            if (width < minWidth || rows.stream().anyMatch(r -> r.size() != width)) {
                continue;
            }
            if (best == null || width > best.get(0).size()) {
                best = rows;
                bestDelimiter = delimiter;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int width = best.get(0).size();
        if (!options.headerNames().isEmpty() && options.headerNames().size() != width) {
            return Optional.empty(); // the classifier's column names do not fit these rows
        }
        StringBuilder why = new StringBuilder(options.classifierName().map(n -> "custom CSV classifier '" + n + "': ").orElse("csv: "));
        why.append("delimiter '").append(printable(bestDelimiter)).append("' splits all ").append(best.size()).append(" sampled rows into ")
                .append(width).append(width == 1 ? " column" : " columns");
        if (options.delimiter().isEmpty()) {
            why.append(" (the most of the candidates , | \\t ; \\u0001 that split every row alike)");
        }

        List<String> first = best.get(0);
        List<String> bodyTypes = types(best.subList(1, best.size()), width);
        boolean header = switch (options.header()) {
            case PRESENT -> {
                why.append("; header: present, as the classifier says");
                yield true;
            }
            case ABSENT -> {
                why.append("; header: absent, as the classifier says");
                yield false;
            }
            case UNKNOWN -> detectHeader(first, bodyTypes, why);
        };
        List<String> types = header ? bodyTypes : types(best, width);
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            String name = !options.headerNames().isEmpty() ? columnName(options.headerNames().get(i), i) : header ? columnName(first.get(i), i) : "col" + i;
            columns.add(new Column(name, types.get(i)));
        }
        if (!options.headerNames().isEmpty()) {
            why.append("; column names from the classifier's Header");
        }

        boolean quoted = quoted(text, bestDelimiter, options.quote());
        boolean openCsv = switch (options.serde()) {
            case OPEN_CSV -> true;
            case LAZY_SIMPLE -> false;
            case AUTO -> quoted;
        };
        if (quoted) {
            why.append("; fields are quoted with '").append(options.quote()).append("'");
        }
        why.append(switch (options.serde()) {
            case OPEN_CSV -> ", SerDe OpenCSVSerde as the classifier says";
            case LAZY_SIMPLE -> ", SerDe LazySimpleSerDe as the classifier says";
            case AUTO -> quoted ? ", so OpenCSVSerde (which removes the quotes)" : "; no quoted fields, so LazySimpleSerDe";
        });
        Compression compression = file.compression();
        if (compression != Compression.NONE) {
            why.append("; ").append(compression.tableValue()).append(" compressed, read transparently");
        }

        String delimiter = String.valueOf(bestDelimiter);
        Map<String, String> table = new HashMap<>(Map.of("classification", "csv", "typeOfData", "file", "delimiter", delimiter,
                "areColumnsQuoted", String.valueOf(quoted), "columnsOrdered", "true", "compressionType", compression.tableValue()));
        if (header) {
            table.put("skip.header.line.count", "1");
        }
        Map<String, String> serde = openCsv
                ? Map.of("separatorChar", delimiter, "quoteChar", String.valueOf(options.quote()))
                : Map.of("field.delim", delimiter);
        return Optional.of(new Classification("csv", columns, openCsv ? OPEN_CSV_SERDE : SERDE, serde, INPUT_FORMAT, OUTPUT_FORMAT, table, why.toString()));
    }

    /** The service's rule: every first-row cell a string (all but the last under 150 characters), some column below not a string. */
    private boolean detectHeader(List<String> first, List<String> bodyTypes, StringBuilder why) {
        for (int i = 0; i < first.size(); i++) {
            String cell = first.get(i);
            if (cell.isBlank()) {
                why.append("; no header: cell ").append(i + 1).append(" of the first row is empty");
                return false;
            }
            String type = typeOf(cell);
            if (!type.equals("string")) {
                why.append("; no header: cell '").append(cell).append("' of the first row is ").append(type);
                return false;
            }
            if (i < first.size() - 1 && cell.length() >= MAX_HEADER_CELL) {
                why.append("; no header: cell ").append(i + 1).append(" of the first row is ").append(MAX_HEADER_CELL).append(" characters or longer");
                return false;
            }
        }
        for (int i = 0; i < bodyTypes.size(); i++) {
            if (!bodyTypes.get(i).equals("string")) {
                why.append("; header detected: every cell of the first row is a string and column '").append(first.get(i).strip())
                        .append("' below is ").append(bodyTypes.get(i));
                return true;
            }
        }
        why.append("; no header: every column is a string, so the first row cannot be told from data (a custom CSV classifier with ContainsHeader=PRESENT says otherwise)");
        return false;
    }

    /** Whether some field of the sample is enclosed in the quote character. */
    private static boolean quoted(String text, char delimiter, char quote) {
        String d = Pattern.quote(String.valueOf(delimiter));
        String q = Pattern.quote(String.valueOf(quote));
        return Pattern.compile("(?m)(^|" + d + ")" + q + "[^\\n]*?" + q + "(" + d + "|\\r?$)").matcher(text).find();
    }

    private static String printable(char delimiter) {
        return switch (delimiter) {
            case '\t' -> "\\t";
            case '\u0001' -> "\\u0001";
            default -> String.valueOf(delimiter);
        };
    }

    private static List<List<String>> rows(String text, char delimiter, char quote, boolean truncated) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setQuote(quote).setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            for (CSVRecord record : parser) {
                rows.add(record.toList());
                if (rows.size() >= SAMPLE_RECORDS) {
                    break;
                }
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException e) {
            return List.of(); // not parsable with this delimiter (an unbalanced quote)
        }
        if (truncated && rows.size() > 2 && rows.size() < SAMPLE_RECORDS) {
            rows.remove(rows.size() - 1); // the sample cut the last row
        }
        return rows;
    }

    private List<String> types(List<List<String>> rows, int width) {
        List<String> types = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            String type = null;
            for (List<String> row : rows) {
                String cell = row.get(i);
                if (!cell.isEmpty()) {
                    type = HiveTypes.merge(type, options.trimValues() ? typeOf(cell) : typeOfUntrimmed(cell));
                }
            }
            types.add(type == null ? "string" : type);
        }
        return types;
    }

    private static String typeOfUntrimmed(String cell) {
        return cell.equals(cell.strip()) ? typeOf(cell) : "string";
    }

    static String typeOf(String cell) {
        String v = cell.strip();
        if (BIGINT.matcher(v).matches()) {
            return "bigint";
        }
        if (DOUBLE.matcher(v).matches()) {
            return "double";
        }
        if (BOOLEAN.matcher(v).matches()) {
            return "boolean";
        }
        if (DATE.matcher(v).matches()) {
            return "date";
        }
        if (TIMESTAMP.matcher(v).matches()) {
            return "timestamp";
        }
        return "string";
    }

    private static String columnName(String cell, int index) {
        String name = cell.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("^_+|_+$", "");
        return name.isEmpty() ? "col" + index : name;
    }
}
