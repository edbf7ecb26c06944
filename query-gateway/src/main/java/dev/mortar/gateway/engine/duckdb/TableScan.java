package dev.mortar.gateway.engine.duckdb;

import dev.mortar.gateway.GatewayException;
import dev.mortar.gateway.catalog.CatalogColumn;
import dev.mortar.gateway.catalog.CatalogPartition;
import dev.mortar.gateway.catalog.CatalogTable;
import dev.mortar.gateway.engine.UnreadableTableException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The DuckDB query that reads one catalog table: one branch per partition (or one for an unpartitioned
 * table) over that folder's data files, in the table's format with its SerDe properties, the catalog's
 * column types, and partition values as constant columns. DuckDB drops a branch whose constant
 * partition values fail the query's predicate without opening its files.
 */
final class TableScan {
    static final String HIVE_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    enum Format { PARQUET, TEXT, OPENCSV, JSON, ORC, AVRO, UNKNOWN }

    /** @param missingLocations the table's or its partitions' locations that do not exist: their rows are not there */
    record Plan(String sql, List<Path> files, List<String> missingLocations) {}

    private TableScan() {}

    static Format format(CatalogTable table) {
        String serde = table.serde().orElse("").toLowerCase(Locale.ROOT);
        String input = table.inputFormat().orElse("").toLowerCase(Locale.ROOT);
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

    /** @param partitions the partitions to read; ignored for an unpartitioned table */
    static Plan plan(CatalogTable table, List<CatalogPartition> partitions) {
        Format format = format(table);
        switch (format) {
            case ORC, AVRO -> throw new UnreadableTableException(
                    "Table " + table.name() + " is stored as " + format + ", which the embedded DuckDB engine cannot read");
            case UNKNOWN -> throw new UnreadableTableException(
                    "Table " + table.name() + " has a storage format the gateway does not know (SerDe "
                            + table.serde().orElse("none") + ", input format " + table.inputFormat().orElse("none") + ")");
            default -> { }
        }
        List<String> branches = new ArrayList<>();
        List<Path> allFiles = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (table.isPartitioned()) {
            for (CatalogPartition partition : partitions) {
                if (partition.location() == null) {
                    continue;
                }
                if (!exists(table, partition.location())) {
                    missing.add(partition.location());
                    continue;
                }
                List<Path> files = dataFiles(table, partition.location());
                if (files.isEmpty()) {
                    continue;
                }
                allFiles.addAll(files);
                branches.add(branch(table, format, files, partition.values()));
            }
        } else if (table.location().isPresent() && !exists(table, table.location().get())) {
            missing.add(table.location().get());
        } else if (table.location().isPresent()) {
            List<Path> files = dataFiles(table, table.location().get());
            if (!files.isEmpty()) {
                allFiles.addAll(files);
                branches.add(branch(table, format, files, List.of()));
            }
        }
        if (branches.isEmpty()) {
            String empty = table.allColumns().stream()
                    .map(c -> "CAST(NULL AS " + duckType(table, c) + ") AS " + SqlText.identifier(c.name()))
                    .collect(Collectors.joining(", ", "SELECT ", " WHERE false"));
            return new Plan(empty, List.of(), missing);
        }
        return new Plan(String.join("\nUNION ALL\n", branches), allFiles, missing);
    }

    private static String branch(CatalogTable table, Format format, List<Path> files, List<String> partitionValues) {
        List<String> projection = new ArrayList<>();
        for (CatalogColumn column : table.columns()) {
            String name = SqlText.identifier(column.name());
            projection.add(format == Format.PARQUET
                    ? "CAST(" + name + " AS " + duckType(table, column) + ") AS " + name
                    : name);
        }
        List<CatalogColumn> keys = table.partitionKeys();
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
        serde.putAll(table.serdeParameters());
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
                table.serdeParameters().getOrDefault("skip.header.line.count", "0"));
        try {
            return Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            throw new GatewayException(GatewayException.DATA_EXCEPTION,
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
    static char character(String value) {
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

    static String duckType(CatalogTable table, CatalogColumn column) {
        try {
            return HiveTypes.toDuckDb(column.hiveType());
        } catch (IllegalArgumentException e) {
            throw new GatewayException(GatewayException.NOT_SUPPORTED,
                    "Table " + table.name() + ", column " + column.name() + ": " + e.getMessage());
        }
    }

    private static boolean exists(CatalogTable table, String location) {
        return Files.exists(localPath(table, location));
    }

    /** Data files under a location, recursively, leaving out hidden and bookkeeping files (names starting with . or _). */
    static List<Path> dataFiles(CatalogTable table, String location) {
        Path root = localPath(table, location);
        if (!Files.isDirectory(root)) {
            return Files.isRegularFile(root) ? List.of(root) : List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> visible(root.relativize(p)))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new GatewayException(GatewayException.IO_ERROR, "Cannot list the files of table " + table.name() + " at " + location + ": " + e.getMessage(), e);
        }
    }

    private static boolean visible(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.startsWith(".") || name.startsWith("_")) {
                return false;
            }
        }
        return true;
    }

    static Path localPath(CatalogTable table, String location) {
        if (location.startsWith("/")) {
            return Path.of(location);
        }
        URI uri = URI.create(location);
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            return Path.of(URI.create("file://" + uri.getRawPath()));
        }
        throw new UnreadableTableException(
                "Table " + table.name() + " is at " + location + "; the embedded DuckDB engine reads file: locations only");
    }
}
