package dev.mortar.catalog.duckdb;

import java.util.List;
import java.util.stream.Collectors;

/** Quoting of identifiers and literals in the SQL that Mortar writes for DuckDB (the gateway, jobs). */
public final class SqlText {
    private SqlText() {}

    public static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    public static String list(List<String> values) {
        return values.stream().map(SqlText::literal).collect(Collectors.joining(", ", "[", "]"));
    }
}
