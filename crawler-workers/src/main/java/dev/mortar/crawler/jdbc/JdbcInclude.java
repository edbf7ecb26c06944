package dev.mortar.crawler.jdbc;

import java.util.List;

/**
 * One JDBC include path and its exclusions, as a crawler's {@code JdbcTargets} give them. The path names
 * {@code database/table} on stores without schemas (MySQL, MariaDB) and {@code database/schema/table} on stores
 * with them (PostgreSQL); the schema and table segments may use the SQL {@code LIKE} wildcards {@code %} and
 * {@code _}, and missing trailing segments mean {@code %}. Exclusions are Unix globs matched against each
 * object's full path ({@code database/schema/table}).
 */
public record JdbcInclude(String path, List<String> exclusions) {
    public JdbcInclude {
        exclusions = List.copyOf(exclusions);
    }
}
