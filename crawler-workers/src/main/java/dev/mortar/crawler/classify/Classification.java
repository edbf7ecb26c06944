package dev.mortar.crawler.classify;

import java.util.List;
import java.util.Map;

/**
 * What a classifier found in one file: the classification name the catalog records ({@code parquet},
 * {@code json}, {@code csv}), the columns, and how the catalog reads such files.
 */
public record Classification(
        String name,
        List<Column> columns,
        String serializationLibrary,
        Map<String, String> serdeParameters,
        String inputFormat,
        String outputFormat,
        Map<String, String> tableParameters) {

    public Classification {
        columns = List.copyOf(columns);
        serdeParameters = Map.copyOf(serdeParameters);
        tableParameters = Map.copyOf(tableParameters);
    }

    /** The same format with other columns. */
    public Classification withColumns(List<Column> newColumns) {
        Map<String, String> serde = serdeParameters;
        if (serde.containsKey(PATHS)) {
            serde = new java.util.HashMap<>(serde);
            serde.put(PATHS, String.join(",", newColumns.stream().map(Column::name).toList()));
        }
        return new Classification(name, newColumns, serializationLibrary, serde, inputFormat, outputFormat, tableParameters);
    }

    /** The JSON SerDe's list of the columns it reads, which follows the columns rather than the format. */
    static final String PATHS = "paths";

    private static Map<String, String> readSettings(Map<String, String> serde) {
        Map<String, String> settings = new java.util.HashMap<>(serde);
        settings.remove(PATHS);
        return settings;
    }

    /** Same format and reading settings: files that may share one table. */
    public boolean compatibleWith(Classification other) {
        return name.equals(other.name) && serializationLibrary.equals(other.serializationLibrary) && readSettings(serdeParameters).equals(readSettings(other.serdeParameters));
    }
}
