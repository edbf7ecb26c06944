package dev.mortar.gateway.engine.duckdb;

import java.util.List;
import java.util.stream.Collectors;

/** Quoting of identifiers and literals in the SQL the gateway writes for DuckDB. */
final class SqlText {
    private SqlText() {}

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String list(List<String> values) {
        return values.stream().map(SqlText::literal).collect(Collectors.joining(", ", "[", "]"));
    }
}
