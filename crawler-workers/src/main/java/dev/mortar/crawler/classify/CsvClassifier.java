package dev.mortar.crawler.classify;

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
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Delimited text. The delimiter is the candidate ({@code , | \t ; \u0001}) that splits every sampled row
 * into the same number (at least two) of columns, the most columns winning; at least two rows are needed.
 * The first row is a header when all its cells are strings while some column below has another type;
 * otherwise the columns are {@code col0, col1, ...}.
 */
public final class CsvClassifier implements Classifier {
    public static final String SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
    public static final String INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat";
    public static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
    private static final char[] DELIMITERS = {',', '|', '\t', ';', '\u0001'};
    private static final int SAMPLE_RECORDS = 1000;

    private static final Pattern BIGINT = Pattern.compile("[-+]?\\d{1,18}");
    private static final Pattern DOUBLE = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?");
    private static final Pattern BOOLEAN = Pattern.compile("(?i)true|false");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?");

    @Override
    public Optional<Classification> classify(SampledFile file) throws IOException {
        byte[] sample = file.content(SampledFile.TEXT_SAMPLE_BYTES);
        boolean truncated = sample.length == SampledFile.TEXT_SAMPLE_BYTES;
        String text = new String(sample, StandardCharsets.UTF_8);
        if (text.indexOf('\0') >= 0 || text.indexOf('\uFFFD') >= 0) {
            return Optional.empty(); // binary, not text
        }
        List<List<String>> best = null;
        char bestDelimiter = 0;
        for (char delimiter : DELIMITERS) {
            List<List<String>> rows = rows(text, delimiter, truncated);
            if (rows.size() < 2) {
                continue;
            }
            int width = rows.get(0).size();
            if (width < 2 || rows.stream().anyMatch(r -> r.size() != width)) {
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
        List<String> first = best.get(0);
        List<String> bodyTypes = types(best.subList(1, best.size()), first.size());
        boolean header = first.stream().allMatch(cell -> !cell.isBlank() && typeOf(cell).equals("string"))
                && bodyTypes.stream().anyMatch(t -> !t.equals("string"));
        List<String> types = header ? bodyTypes : types(best, first.size());
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            columns.add(new Column(header ? columnName(first.get(i), i) : "col" + i, types.get(i)));
        }
        Map<String, String> table = new HashMap<>(Map.of("classification", "csv", "typeOfData", "file", "delimiter", String.valueOf(bestDelimiter),
                "areColumnsQuoted", "false", "columnsOrdered", "true", "compressionType", file.gzip() ? "gzip" : "none"));
        if (header) {
            table.put("skip.header.line.count", "1");
        }
        return Optional.of(new Classification("csv", columns, SERDE, Map.of("field.delim", String.valueOf(bestDelimiter)), INPUT_FORMAT, OUTPUT_FORMAT, table));
    }

    private static List<List<String>> rows(String text, char delimiter, boolean truncated) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            for (CSVRecord record : parser) {
                rows.add(record.toList());
                if (rows.size() >= SAMPLE_RECORDS) {
                    break;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of(); // not parsable with this delimiter (an unbalanced quote)
        }
        if (truncated && rows.size() > 2 && rows.size() < SAMPLE_RECORDS) {
            rows.remove(rows.size() - 1); // the sample cut the last row
        }
        return rows;
    }

    private static List<String> types(List<List<String>> rows, int width) {
        List<String> types = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            String type = null;
            for (List<String> row : rows) {
                String cell = row.get(i);
                if (!cell.isEmpty()) {
                    type = HiveTypes.merge(type, typeOf(cell));
                }
            }
            types.add(type == null ? "string" : type);
        }
        return types;
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
