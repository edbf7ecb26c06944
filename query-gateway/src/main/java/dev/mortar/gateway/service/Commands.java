package dev.mortar.gateway.service;

import dev.mortar.gateway.GatewayException;
import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.Column;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.duckdb.HiveDialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The session statements Hive clients send besides queries (beeline and BI tools issue them on their
 * own): USE, SET, SHOW DATABASES/SCHEMAS, SHOW TABLES, DESCRIBE. They are answered from the session
 * and the catalog; everything else is a query for the engine.
 */
final class Commands {
    private static final Pattern USE = Pattern.compile("(?is)use\\s+[`\"]?([\\w]+)[`\"]?");
    private static final Pattern SET = Pattern.compile("(?is)set(?:\\s+([^=\\s]+)\\s*(?:=\\s*(.*))?)?");
    private static final Pattern SHOW_DATABASES = Pattern.compile("(?is)show\\s+(?:databases|schemas)(?:\\s+like\\s+'([^']*)')?");
    private static final Pattern SHOW_TABLES = Pattern.compile("(?is)show\\s+tables(?:\\s+(?:in|from)\\s+[`\"]?(\\w+)[`\"]?)?(?:\\s+(?:like\\s+)?'([^']*)')?");
    private static final Pattern DESCRIBE = Pattern.compile("(?is)(?:describe|desc)(?:\\s+(?:formatted|extended))?\\s+(?:table\\s+)?[`\"]?(\\w+)[`\"]?(?:\\s*\\.\\s*[`\"]?(\\w+)[`\"]?)?");

    private Commands() {}

    /** The command's result, or empty when the statement is a query. */
    static Optional<MetadataResults.Result> run(String statement, Session session, Catalog catalog) {
        String sql = HiveDialect.trimStatement(statement);
        Matcher m;
        if ((m = USE.matcher(sql)).matches()) {
            String database = m.group(1).toLowerCase(Locale.ROOT);
            if (!catalog.databaseExists(database)) {
                throw new GatewayException(GatewayException.SCHEMA_NOT_FOUND, "Database not found: " + database);
            }
            session.useDatabase(database);
            return Optional.of(new MetadataResults.Result(List.of(), List.of()));
        }
        if ((m = SET.matcher(sql)).matches()) {
            if (m.group(1) == null) {
                Map<String, String> sorted = new TreeMap<>(session.configuration());
                List<Object[]> rows = new ArrayList<>();
                sorted.forEach((k, v) -> rows.add(new Object[] {k + "=" + v}));
                return Optional.of(new MetadataResults.Result(List.of(ResultColumn.string("set")), rows));
            }
            String key = m.group(1).strip();
            if (m.group(2) == null) {
                String value = session.configuration().get(key);
                return Optional.of(new MetadataResults.Result(List.of(ResultColumn.string("set")),
                        List.<Object[]>of(new Object[] {key + (value == null ? " is undefined" : "=" + value)})));
            }
            session.configuration().put(key, m.group(2).strip());
            return Optional.of(new MetadataResults.Result(List.of(), List.of()));
        }
        if ((m = SHOW_DATABASES.matcher(sql)).matches()) {
            var pattern = MetadataResults.pattern(m.group(1));
            List<Object[]> rows = catalog.databases().stream().filter(d -> pattern.matcher(d).matches()).map(d -> new Object[] {d}).toList();
            return Optional.of(new MetadataResults.Result(List.of(ResultColumn.string("database_name")), rows));
        }
        if ((m = SHOW_TABLES.matcher(sql)).matches()) {
            String database = m.group(1) == null ? session.currentDatabase() : m.group(1).toLowerCase(Locale.ROOT);
            if (!catalog.databaseExists(database)) {
                throw new GatewayException(GatewayException.SCHEMA_NOT_FOUND, "Database not found: " + database);
            }
            var pattern = MetadataResults.pattern(m.group(2));
            List<Object[]> rows = catalog.tableNames(database).stream().filter(t -> pattern.matcher(t).matches()).map(t -> new Object[] {t}).toList();
            return Optional.of(new MetadataResults.Result(List.of(ResultColumn.string("tab_name")), rows));
        }
        if ((m = DESCRIBE.matcher(sql)).matches()) {
            String database = m.group(2) == null ? session.currentDatabase() : m.group(1).toLowerCase(Locale.ROOT);
            String table = (m.group(2) == null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT);
            CatalogTable t = catalog.table(database, table)
                    .orElseThrow(() -> new GatewayException(GatewayException.TABLE_NOT_FOUND, "Table not found: " + database + "." + table));
            List<Object[]> rows = new ArrayList<>();
            for (Column c : t.allColumns()) {
                rows.add(new Object[] {c.name(), c.type(), c.comment().orElse("")});
            }
            return Optional.of(new MetadataResults.Result(List.of(ResultColumn.string("col_name"), ResultColumn.string("data_type"), ResultColumn.string("comment")), rows));
        }
        return Optional.empty();
    }
}
