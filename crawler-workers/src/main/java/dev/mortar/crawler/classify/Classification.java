package dev.mortar.crawler.classify;

import dev.mortar.catalog.Column;
import dev.mortar.catalog.StorageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a classifier found in one file: the classification name the catalog records ({@code parquet},
 * {@code json}, {@code csv}, or a custom classifier's own name), the columns, how the catalog reads such files,
 * and a short human explanation of the decision (which classifier matched and why).
 */
public record Classification(
        String name,
        List<Column> columns,
        String serializationLibrary,
        Map<String, String> serdeParameters,
        String inputFormat,
        String outputFormat,
        Map<String, String> tableParameters,
        String explanation) {

    public Classification {
        columns = List.copyOf(columns);
        serdeParameters = Map.copyOf(serdeParameters);
        tableParameters = Map.copyOf(tableParameters);
        explanation = explanation == null ? "" : explanation;
    }

    /** How the catalog reads files of this classification. */
    public StorageFormat storageFormat() {
        return StorageFormat.of(serializationLibrary, serdeParameters, inputFormat, outputFormat);
    }

    /** A classification without an explanation. */
    public Classification(String name, List<Column> columns, String serializationLibrary, Map<String, String> serdeParameters,
                          String inputFormat, String outputFormat, Map<String, String> tableParameters) {
        this(name, columns, serializationLibrary, serdeParameters, inputFormat, outputFormat, tableParameters, "");
    }

    /** The JSON SerDe's list of the columns it reads, which follows the columns rather than the format. */
    static final String PATHS = "paths";
    /** The Avro writer schema of one file; another file's columns may differ (schema evolution). */
    static final String AVRO_SCHEMA = "avro.schema.literal";

    /**
     * The same format with other columns. An Avro schema literal that no longer describes the columns is dropped,
     * so that the SerDe derives the schema from the columns, as Hive's AvroSerDe does without a literal.
     */
    public Classification withColumns(List<Column> newColumns) {
        Map<String, String> serde = serdeParameters;
        Map<String, String> table = tableParameters;
        if (serde.containsKey(PATHS)) {
            serde = new HashMap<>(serde);
            serde.put(PATHS, String.join(",", newColumns.stream().map(Column::name).toList()));
        }
        if (!sameDefinitions(newColumns, columns) && (serde.containsKey(AVRO_SCHEMA) || table.containsKey(AVRO_SCHEMA))) {
            serde = new HashMap<>(serde);
            serde.remove(AVRO_SCHEMA);
            table = new HashMap<>(table);
            table.remove(AVRO_SCHEMA);
        }
        return new Classification(name, newColumns, serializationLibrary, serde, inputFormat, outputFormat, table, explanation);
    }

    /** Same names and types in the same order: comments a catalog keeps on columns do not change a schema. */
    private static boolean sameDefinitions(List<Column> a, List<Column> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).sameDefinition(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The same classification with another explanation. */
    public Classification withExplanation(String newExplanation) {
        return new Classification(name, columns, serializationLibrary, serdeParameters, inputFormat, outputFormat, tableParameters, newExplanation);
    }

    /**
     * The reading settings that must agree for files to share a table. The two CSV SerDes agree when their delimiters
     * do: a table with quoted fields in some files only is read with {@code OpenCSVSerde} (see {@link #mergedWith}).
     */
    private static Map<String, String> readSettings(String serde, Map<String, String> params) {
        if (CSV_SERDES.contains(serde)) {
            return Map.of("delimiter", params.getOrDefault("field.delim", params.getOrDefault("separatorChar", "")));
        }
        Map<String, String> settings = new HashMap<>(params);
        settings.remove(PATHS);
        settings.remove(AVRO_SCHEMA);
        return settings;
    }

    private static final java.util.Set<String> CSV_SERDES = java.util.Set.of(CsvClassifier.SERDE, CsvClassifier.OPEN_CSV_SERDE);

    private boolean sameSerde(Classification other) {
        return serializationLibrary.equals(other.serializationLibrary)
                || CSV_SERDES.contains(serializationLibrary) && CSV_SERDES.contains(other.serializationLibrary);
    }

    /** Same format and reading settings: files that may share one table. */
    public boolean compatibleWith(Classification other) {
        return name.equals(other.name) && sameSerde(other)
                && readSettings(serializationLibrary, serdeParameters).equals(readSettings(other.serializationLibrary, other.serdeParameters));
    }

    /**
     * The format of a table holding files of this and a {@link #compatibleWith compatible} classification: the merged
     * columns, and {@code OpenCSVSerde} when either file has quoted fields.
     */
    public Classification mergedWith(Classification other) {
        List<Column> merged = HiveTypes.mergeColumns(columns, other.columns);
        boolean quotedOther = other.serializationLibrary.equals(CsvClassifier.OPEN_CSV_SERDE) && serializationLibrary.equals(CsvClassifier.SERDE);
        return (quotedOther ? other : this).withColumns(merged);
    }
}
