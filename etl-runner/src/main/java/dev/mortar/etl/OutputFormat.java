package dev.mortar.etl;

import dev.mortar.catalog.StorageFormat;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The formats a job writes, with the Hive storage descriptor each is recorded with in the catalog. */
public enum OutputFormat {
    PARQUET(StorageFormat.of("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", Map.of("serialization.format", "1"),
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"),
            "parquet", ".parquet"),
    /** Hive's text format with {@code ,} between fields and {@code \N} for NULL. */
    TEXTFILE(StorageFormat.of("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", Map.of("field.delim", ",", "serialization.format", ","),
            "org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"),
            "csv", ".csv"),
    /** One JSON object a line, as Hive's JsonSerDe reads it. */
    JSONFILE(StorageFormat.of("org.apache.hive.hcatalog.data.JsonSerDe", Map.of(),
            "org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"),
            "json", ".json");

    private final StorageFormat storage;
    private final String classification;
    private final String extension;

    OutputFormat(StorageFormat storage, String classification, String extension) {
        this.storage = storage;
        this.classification = classification;
        this.extension = extension;
    }

    public StorageFormat storage() {
        return storage;
    }

    /** The table parameter {@code classification}, as crawlers set it. */
    public String classification() {
        return classification;
    }

    public String extension() {
        return extension;
    }

    /** The format a {@code STORED AS} name means, or empty for one a job cannot write (ORC, AVRO, ...). */
    public static Optional<OutputFormat> named(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "PARQUET" -> Optional.of(PARQUET);
            case "TEXTFILE", "CSV" -> Optional.of(TEXTFILE);
            case "JSONFILE", "JSON" -> Optional.of(JSONFILE);
            default -> Optional.empty();
        };
    }
}
