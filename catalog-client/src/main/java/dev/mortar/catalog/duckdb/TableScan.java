package dev.mortar.catalog.duckdb;

import dev.mortar.catalog.Column;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.files.DataFolder;
import dev.mortar.catalog.files.TableData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The DuckDB query that reads one catalog table, resolved to its data folders by the catalog client: one
 * branch per partition (or one for an unpartitioned table) over that folder's data files, in the table's format with its SerDe properties, the catalog's
 * column types, and partition values as constant columns. DuckDB drops a branch whose constant
 * partition values fail the query's predicate without opening its files.
 */
public final class TableScan {
    public static final String HIVE_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    public enum Format { PARQUET, TEXT, OPENCSV, JSON, ORC, AVRO, UNKNOWN }

    /** @param missingLocations the table's or its partitions' locations that do not exist: their rows are not there */
    public record Plan(String sql, List<Path> files, List<String> missingLocations) {}

    private TableScan() {}

    public static Format format(CatalogTable table) {
        String serde = table.format().serializationLibrary().orElse("").toLowerCase(Locale.ROOT);
        String input = table.format().inputFormat().orElse("").toLowerCase(Locale.ROOT);
        String classification = table.parameters().getOrDefault("classification", "").toLowerCase(Locale.ROOT);
        if (serde.contains("parquet") || input.contains("parquet") || classification.equals("parquet")) {
            return Format.PARQUET;
        }
        if (serde.contains("orc") || input.contains("orc")) {
            return Format.ORC;
        }
        if (serde.contains("avro") || input.contains("avro")) {
            return Format.AVRO;
        }
        if (serde.contains("json") || classification.equals("json")) {
            return Format.JSON;
        }
        if (serde.contains("opencsv")) {
            return Format.OPENCSV;
        }
        if (serde.contains("lazysimpleserde") || input.contains("textinputformat") || classification.equals("csv")) {
            return Format.TEXT;
        }
        return Format.UNKNOWN;
    }

    /** The table's format, when the embedded engine can read it; checked before its files are listed. */
    public static Format readableFormat(CatalogTable table) {
        Format format = format(table);
        switch (format) {
            case ORC, AVRO -> throw new UnreadableFormatException(
                    "Table " + table.name() + " is stored as " + format + ", which DuckDB cannot read");
            case UNKNOWN -> throw new UnreadableFormatException(
                    "Table " + table.name() + " has a storage format Mortar does not know (SerDe "
                            + table.format().serializationLibrary().orElse("none") + ", input format " + table.format().inputFormat().orElse("none") + ")");
            default -> { }
        }
        return format;
    }

    public static Plan plan(TableData data) {
        CatalogTable table = data.table();
        Format format = readableFormat(table);
        List<String> branches = new ArrayList<>();
        for (DataFolder folder : data.folders()) {
            branches.add(branch(table, format, folder.files(), folder.partitionValues()));
        }
        if (branches.isEmpty()) {
            String empty = table.allColumns().stream()
                    .map(c -> "CAST(NULL AS " + duckType(table, c) + ") AS " + SqlText.identifier(c.name()))
                    .collect(Collectors.joining(", ", "SELECT ", " WHERE false"));
            return new Plan(empty, List.of(), data.missingLocations());
        }
        return new Plan(String.join("\nUNION ALL\n", branches), data.files(), data.missingLocations());
    }

    /**
     * Like {@link #plan}, but a partitioned Parquet table whose data files all lie in folders named {@code key=value}
     * for exactly the partition values the catalog gives, with no other folder name holding {@code =}, is read by one
     * {@code read_parquet} over all its files, the partition values parsed from those folder names by DuckDB
     * ({@code hive_partitioning}, typed as the catalog types the keys). That is one scan instead of a branch per
     * partition, which DuckDB runs faster over many partitions, with the same values: the names checked are the
     * catalog's values. Any other table is planned as {@link #plan} does.
     */
    public static Plan planCombined(TableData data) {
        CatalogTable table = data.table();
        Format format = readableFormat(table);
        List<Column> keys = table.partitionKeys();
        if (format != Format.PARQUET || keys.isEmpty() || data.folders().size() < 2
                || !data.folders().stream().allMatch(folder -> namedByValues(keys, folder))) {
            return plan(data);
        }
        List<String> projection = new ArrayList<>();
        for (Column column : table.columns()) {
            String name = SqlText.identifier(column.name());
            projection.add("CAST(" + name + " AS " + duckType(table, column) + ") AS " + name);
        }
        for (Column key : keys) {
            String name = SqlText.identifier(key.name());
            projection.add("CAST(" + name + " AS " + duckType(table, key) + ") AS " + name);
        }
        String keyTypes = keys.stream()
                .map(k -> SqlText.literal(k.name()) + ": " + SqlText.literal(duckType(table, k)))
                .collect(Collectors.joining(", ", "{", "}"));
        String fileList = SqlText.list(data.files().stream().map(Path::toString).toList());
        String sql = "SELECT " + String.join(", ", projection) + " FROM read_parquet(" + fileList
                + ", union_by_name = true, hive_partitioning = true, hive_types = " + keyTypes + ")";
        return new Plan(sql, data.files(), data.missingLocations());
    }

    /** Whether the folders of every file of {@code folder} say exactly its partition values as key=value, in key order. */
    private static boolean namedByValues(List<Column> keys, DataFolder folder) {
        if (folder.partitionValues().size() != keys.size()) {
            return false;
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String value = folder.partitionValues().get(i);
            // DuckDB might decode an escaped name (%3A) or split on another =: such values keep a branch of their own
            if (value == null || value.isEmpty() || value.equalsIgnoreCase("null") || value.contains("%") || value.contains("=") || value.contains("/")) {
                return false;
            }
            expected.add(keys.get(i).name() + "=" + value);
        }
        for (Path file : folder.files()) {
            List<String> named = new ArrayList<>();
            Path parent = file.getParent();
            if (parent == null) {
                return false;
            }
            for (Path part : parent) {
                if (part.toString().contains("=")) {
                    named.add(part.toString());
                }
            }
            if (!named.equals(expected)) {
                return false;
            }
        }
        return true;
    }

    private static String branch(CatalogTable table, Format format, List<Path> files, List<String> partitionValues) {
        List<String> projection = new ArrayList<>();
        for (Column column : table.columns()) {
            String name = SqlText.identifier(column.name());
            projection.add(format == Format.PARQUET
                    ? "CAST(" + name + " AS " + duckType(table, column) + ") AS " + name
                    : name);
        }
        List<Column> keys = table.partitionKeys();
        for (int i = 0; i < keys.size(); i++) {
            String value = i < partitionValues.size() ? partitionValues.get(i) : null;
            String literal = value == null || value.equals(HIVE_DEFAULT_PARTITION) ? "NULL" : SqlText.literal(value);
            projection.add("CAST(" + literal + " AS " + duckType(table, keys.get(i)) + ") AS " + SqlText.identifier(keys.get(i).name()));
        }
        String fileList = SqlText.list(files.stream().map(Path::toString).toList());
        String reader = switch (format) {
            case PARQUET -> "read_parquet(" + fileList + ", union_by_name = true)";
            case JSON -> "read_json(" + fileList + ", format = 'newline_delimited', columns = " + columnStruct(table) + ")";
            case TEXT, OPENCSV -> "read_csv(" + fileList + ", " + csvOptions(table, format) + ")";
            default -> throw new IllegalStateException(format.name());
        };
        return "SELECT " + String.join(", ", projection) + " FROM " + reader;
    }

    private static String columnStruct(CatalogTable table) {
        return table.columns().stream()
                .map(c -> SqlText.literal(c.name()) + ": " + SqlText.literal(duckType(table, c)))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String csvOptions(CatalogTable table, Format format) {
        // Hive merges table properties under the SerDe's (Trino's CREATE TABLE writes field.delim and
        // serialization.null.format as table properties), so both are read, the SerDe's winning
        Map<String, String> serde = new java.util.HashMap<>(table.parameters());
        serde.putAll(table.format().serdeParameters());
        List<String> options = new ArrayList<>();
        options.add("columns = " + columnStruct(table));
        options.add("auto_detect = false");
        options.add("header = false");
        char delimiter = format == Format.OPENCSV
                ? character(first(serde, "separatorChar", "field.delim").orElse(","))
                : character(first(serde, "field.delim", "separatorChar", "serialization.format").orElse("1"));
        options.add("delim = " + SqlText.literal(String.valueOf(delimiter)));
        Optional<String> quote = first(serde, "quote", "quoteChar", "quote.delim");
        if (format == Format.OPENCSV || quote.isPresent()) {
            char q = character(quote.orElse("\""));
            options.add("quote = " + SqlText.literal(String.valueOf(q)));
            Optional<String> escape = first(serde, "escapeChar", "escape.delim", "escape");
            options.add("escape = " + SqlText.literal(String.valueOf(escape.map(TableScan::character).orElse(format == Format.OPENCSV ? '\\' : q))));
        } else {
            // Hive's LazySimpleSerDe has no quoting: a quote character is data
            options.add("quote = ''");
            first(serde, "escape.delim").ifPresent(e -> options.add("escape = " + SqlText.literal(String.valueOf(character(e)))));
        }
        String nullFormat = first(serde, "serialization.null.format").orElse(format == Format.TEXT ? "\\N" : null);
        if (nullFormat != null) {
            options.add("nullstr = " + SqlText.literal(nullFormat));
        }
        int skip = headerLines(table);
        if (skip > 0) {
            options.add("skip = " + skip);
        }
        return String.join(", ", options);
    }

    private static int headerLines(CatalogTable table) {
        String value = table.parameters().getOrDefault("skip.header.line.count",
                table.format().serdeParameters().getOrDefault("skip.header.line.count", "0"));
        try {
            return Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            throw new TableDefinitionException(TableDefinitionException.Kind.BAD_PROPERTY,
                    "Table " + table.name() + ": skip.header.line.count is not a number: '" + value + "'");
        }
    }

    private static Optional<String> first(Map<String, String> map, String... keys) {
        for (String key : keys) {
            String value = map.get(key);
            if (value != null && !value.isEmpty()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** A SerDe delimiter: one character, a backslash escape, or (as Hive reads it) a byte given as a number. */
    public static char character(String value) {
        if (value.length() == 1 && !Character.isDigit(value.charAt(0))) {
            return value.charAt(0);
        }
        switch (value) {
            case "\\t": return '\t';
            case "\\n": return '\n';
            case "\\001", "\\u0001": return '\u0001';
            default: break;
        }
        try {
            return (char) Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return value.charAt(0);
        }
    }

    public static String duckType(CatalogTable table, Column column) {
        try {
            return DuckDbTypes.toDuckDb(column.type());
        } catch (IllegalArgumentException e) {
            throw new TableDefinitionException(TableDefinitionException.Kind.UNKNOWN_TYPE,
                    "Table " + table.name() + ", column " + column.name() + ": " + e.getMessage());
        }
    }
}
