package dev.mortar.catalog.duckdb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Hive's type strings (as the catalog stores them) in DuckDB's terms. */
public final class DuckDbTypes {
    private DuckDbTypes() {}

    /** @throws IllegalArgumentException for a type that is malformed or unknown */
    public static String toDuckDb(String hiveType) {
        String type = hiveType.trim().toLowerCase(Locale.ROOT);
        if (type.startsWith("array<") && type.endsWith(">")) {
            return toDuckDb(inner(type, "array<")) + "[]";
        }
        if (type.startsWith("map<") && type.endsWith(">")) {
            List<String> parts = splitTopLevel(inner(type, "map<"));
            if (parts.size() != 2) {
                throw new IllegalArgumentException("Malformed map type: " + hiveType);
            }
            return "MAP(" + toDuckDb(parts.get(0)) + ", " + toDuckDb(parts.get(1)) + ")";
        }
        if (type.startsWith("struct<") && type.endsWith(">")) {
            List<String> fields = new ArrayList<>();
            for (String field : splitTopLevel(inner(type, "struct<"))) {
                int colon = field.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("Malformed struct type: " + hiveType);
                }
                fields.add(SqlText.identifier(field.substring(0, colon).trim()) + " " + toDuckDb(field.substring(colon + 1)));
            }
            return "STRUCT(" + String.join(", ", fields) + ")";
        }
        if (type.startsWith("uniontype<")) {
            return "VARCHAR";
        }
        if (type.startsWith("decimal")) {
            String params = type.substring("decimal".length()).trim();
            return params.isEmpty() ? "DECIMAL(10,0)" : "DECIMAL" + params.replace(" ", "");
        }
        if (type.startsWith("varchar") || type.startsWith("char") || type.equals("string")) {
            return "VARCHAR";
        }
        return switch (type) {
            case "tinyint" -> "TINYINT";
            case "smallint" -> "SMALLINT";
            case "int", "integer" -> "INTEGER";
            case "bigint" -> "BIGINT";
            case "float" -> "FLOAT";
            case "double", "double precision" -> "DOUBLE";
            case "boolean" -> "BOOLEAN";
            case "binary" -> "BLOB";
            case "date" -> "DATE";
            case "timestamp" -> "TIMESTAMP";
            case "timestamp with local time zone" -> "TIMESTAMPTZ";
            case "interval_year_month", "interval_day_time" -> "INTERVAL";
            case "void" -> "VARCHAR";
            default -> throw new IllegalArgumentException("Unknown Hive type: " + hiveType);
        };
    }

    private static String inner(String type, String prefix) {
        return type.substring(prefix.length(), type.length() - 1);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<' || c == '(') {
                depth++;
            } else if (c == '>' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        parts.add(s.substring(start).trim());
        return parts;
    }
}
