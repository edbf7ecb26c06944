package dev.mortar.etl.duckdb;

import java.util.Locale;

/** DuckDB's result types as the Hive types a job's new table records in the catalog. */
final class DuckDbHiveTypes {
    private DuckDbHiveTypes() {}

    static String toHive(String duckType) {
        String t = duckType.trim().toUpperCase(Locale.ROOT);
        if (t.startsWith("DECIMAL")) {
            return t.toLowerCase(Locale.ROOT).replace(" ", "");
        }
        if (t.endsWith("[]")) {
            return "array<" + toHive(t.substring(0, t.length() - 2)) + ">";
        }
        return switch (t) {
            case "BOOLEAN" -> "boolean";
            case "TINYINT", "UTINYINT" -> "tinyint";
            case "SMALLINT", "USMALLINT" -> "smallint";
            case "INTEGER", "UINTEGER" -> "int";
            case "BIGINT", "UBIGINT", "HUGEINT" -> "bigint";
            case "FLOAT" -> "float";
            case "DOUBLE" -> "double";
            case "DATE" -> "date";
            case "TIMESTAMP", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_S" -> "timestamp";
            case "TIMESTAMP WITH TIME ZONE" -> "timestamp";
            case "BLOB" -> "binary";
            default -> "string"; // VARCHAR, UUID, INTERVAL, nested types DuckDB describes in its own syntax
        };
    }
}
