package dev.mortar.crawler.jdbc;

import dev.mortar.crawler.CrawlReport;
import dev.mortar.crawler.CrawlReport.FileError;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.CatalogWriter;
import dev.mortar.catalog.TableName;
import dev.mortar.crawler.classify.Classification;
import dev.mortar.catalog.Column;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * One crawl of a JDBC include path: every table and view the path names becomes one catalog table whose
 * columns are the source's columns, in order, with their Hive types ({@link JdbcTypes}), read through the
 * driver's {@link DatabaseMetaData}. Tables are named {@code <prefix><database>_<schema>_<table>} (without the
 * schema on stores that have none) and located at {@code <database>.<schema>.<table>}, as the service records
 * them; their parameters say which connection reads them ({@code connectionName}), the store's kind
 * ({@code classification} {@code mysql} or {@code postgresql}) and {@code typeOfData} {@code table} or {@code view}.
 */
public final class JdbcCrawler {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCrawler.class);
    private static final String[] TABLE_TYPES = {"TABLE", "VIEW", "PARTITIONED TABLE"};
    private static final int CONNECT_TIMEOUT_SECONDS = 30;

    private final CatalogWriter catalog;

    public JdbcCrawler(CatalogWriter catalog) {
        this.catalog = catalog;
    }

    /** A source object the include path names: its path segments and kind. */
    private record SourceTable(String database, String schema, String table, String type) {
        String path() {
            return schema == null ? database + "/" + table : database + "/" + schema + "/" + table;
        }

        String location() {
            return schema == null ? database + "." + table : database + "." + schema + "." + table;
        }
    }

    /**
     * Crawls one include path of {@code source} into {@code database}. Whatever cannot be read (the connection, a
     * table) is reported in the returned errors; {@code cancelled} is checked between tables.
     */
    public CrawlReport crawl(JdbcSource source, JdbcInclude include, String database, String tablePrefix, boolean updateTables, BooleanSupplier cancelled) {
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<FileError> errors = new ArrayList<>();
        String where = source.connectionName() + ":" + include.path();
        Properties credentials = new Properties();
        if (source.user() != null) {
            credentials.setProperty("user", source.user());
        }
        if (source.password() != null) {
            credentials.setProperty("password", source.password());
        }
        // An unreachable server fails the target after a while instead of holding the run forever.
        if (source.url().startsWith("jdbc:mysql:") && !source.url().contains("connectTimeout")) {
            credentials.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS * 1000));
        } else if (source.url().startsWith("jdbc:postgresql:") && !source.url().contains("connectTimeout")) {
            credentials.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        }
        try (Connection connection = DriverManager.getConnection(source.url(), credentials)) {
            DatabaseMetaData meta = connection.getMetaData();
            String classification = classification(meta.getDatabaseProductName());
            List<PathMatcher> exclusions = include.exclusions().stream()
                    .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
            List<SourceTable> tables = tables(connection, meta, include.path());
            catalog.ensureDatabase(database);
            for (SourceTable t : tables) {
                if (cancelled.getAsBoolean()) {
                    break;
                }
                if (exclusions.stream().anyMatch(m -> m.matches(java.nio.file.Path.of(t.path())))) {
                    continue;
                }
                try {
                    crawlTable(meta, source, t, classification, database, tablePrefix, updateTables, created, updated, errors);
                } catch (SQLException e) {
                    errors.add(new FileError(source.connectionName() + ":" + t.path(), "Cannot read table: " + e.getMessage()));
                } catch (RuntimeException e) {
                    // the catalog refused the table (a name too long, say): that table fails, not the crawl
                    errors.add(new FileError(source.connectionName() + ":" + t.path(), "Cannot write table: " + e.getMessage()));
                }
            }
        } catch (SQLException e) {
            errors.add(new FileError(where, "Cannot read through connection " + source.connectionName() + ": " + e.getMessage()));
        } catch (IllegalArgumentException e) {
            errors.add(new FileError(where, e.getMessage()));
        }
        return new CrawlReport(created, updated, 0, 0, errors);
    }

    static String classification(String productName) {
        String product = productName == null ? "jdbc" : productName.toLowerCase(Locale.ROOT);
        if (product.contains("mysql") || product.contains("mariadb")) {
            return "mysql";
        }
        if (product.contains("postgres")) {
            return "postgresql";
        }
        if (product.contains("microsoft sql server")) {
            return "sqlserver";
        }
        return product.replaceAll("[^a-z0-9]+", "");
    }

    /** The tables and views the include path names, in the order of the path's segments. */
    private static List<SourceTable> tables(Connection connection, DatabaseMetaData meta, String path) throws SQLException {
        List<String> segments = List.of(path.split("/", -1));
        boolean schemas = meta.supportsSchemasInTableDefinitions();
        int levels = schemas ? 3 : 2;
        if (path.isBlank() || segments.size() > levels || segments.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("Path " + path + " is not " + (schemas ? "database/schema/table" : "database/table")
                    + " (the schema and table may use % wildcards)");
        }
        String db = segments.get(0);
        String schemaPattern = schemas ? segment(segments, 1) : null;
        String tablePattern = segment(segments, levels - 1);
        String catalogName;
        if (schemas) {
            // A PostgreSQL connection reads the one database its URL names.
            String current = connection.getCatalog();
            if (current != null && !current.equals(db)) {
                throw new IllegalArgumentException("Path " + path + " names database " + db + " but the connection's URL opens database " + current);
            }
            catalogName = current;
        } else {
            catalogName = db;
        }
        List<SourceTable> tables = new ArrayList<>();
        try (ResultSet rs = meta.getTables(catalogName, schemaPattern, tablePattern, TABLE_TYPES)) {
            while (rs.next()) {
                tables.add(new SourceTable(db, schemas ? rs.getString("TABLE_SCHEM") : null, rs.getString("TABLE_NAME"), rs.getString("TABLE_TYPE")));
            }
        }
        if (tables.isEmpty() && !schemas && !databaseExists(meta, db)) {
            throw new IllegalArgumentException("Path " + path + " names database " + db + ", which does not exist or cannot be read");
        }
        return tables;
    }

    private static String segment(List<String> segments, int index) {
        return index < segments.size() ? segments.get(index) : "%";
    }

    private static boolean databaseExists(DatabaseMetaData meta, String db) throws SQLException {
        try (ResultSet rs = meta.getCatalogs()) {
            while (rs.next()) {
                if (db.equals(rs.getString(1))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void crawlTable(DatabaseMetaData meta, JdbcSource source, SourceTable t, String classification, String database, String tablePrefix,
                            boolean updateTables, List<String> created, List<String> updated, List<FileError> errors) throws SQLException {
        List<Column> columns = new ArrayList<>();
        String catalogName = t.schema() == null ? t.database() : meta.getConnection().getCatalog();
        try (ResultSet rs = meta.getColumns(catalogName, t.schema(), escape(meta, t.table()), "%")) {
            Map<Integer, Column> byPosition = new java.util.TreeMap<>();
            while (rs.next()) {
                if (!t.table().equals(rs.getString("TABLE_NAME"))) {
                    continue;
                }
                String type = JdbcTypes.hiveType(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"));
                byPosition.put(rs.getInt("ORDINAL_POSITION"), new Column(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), type));
            }
            columns.addAll(byPosition.values());
        }
        if (columns.isEmpty()) {
            errors.add(new FileError(source.connectionName() + ":" + t.path(), "Table has no columns the connection can read"));
            return;
        }
        String name = tablePrefix + tableName(t);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("classification", classification);
        parameters.put("connectionName", source.connectionName());
        parameters.put("typeOfData", t.type() != null && t.type().toUpperCase(Locale.ROOT).contains("VIEW") ? "view" : "table");
        parameters.put("compressionType", "none");
        Classification format = new Classification(classification, columns, null, Map.of(), null, null, parameters);
        CatalogTable wanted = CatalogTable.external(new TableName(database, name), t.location(), columns, List.of(), format.storageFormat(),
                format.tableParameters());
        Optional<CatalogTable> existing = catalog.table(database, name);
        if (existing.isEmpty()) {
            catalog.createTable(wanted);
            created.add(name);
            LOG.info("Crawler: created table {}.{} from {} ({} columns)", database, name, t.location(), columns.size());
        } else if (!sameColumns(existing.get().columns(), columns)) {
            if (updateTables) {
                catalog.updateTable(wanted);
                updated.add(name);
                LOG.info("Crawler: updated table {}.{} from {} to {} columns", database, name, t.location(), columns.size());
            } else {
                errors.add(new FileError(source.connectionName() + ":" + t.path(), "Table " + name + " would change to " + columns + "; not updated (UpdateBehavior LOG)"));
            }
        }
    }

    /** A table name as a metadata pattern: {@code _} and {@code %} in it are literal. */
    private static String escape(DatabaseMetaData meta, String name) throws SQLException {
        String escape = meta.getSearchStringEscape();
        if (escape == null || escape.isEmpty()) {
            return name;
        }
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    static String tableName(SourceTable t) {
        String raw = t.schema() == null ? t.database() + "_" + t.table() : t.database() + "_" + t.schema() + "_" + t.table();
        String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
        return name.isEmpty() ? "table" : name;
    }

    /** The same column names and types in the same order; comments added in the catalog are not a change. */
    private static boolean sameColumns(List<Column> catalog, List<Column> source) {
        if (catalog.size() != source.size()) {
            return false;
        }
        for (int i = 0; i < catalog.size(); i++) {
            if (!catalog.get(i).sameDefinition(source.get(i))) {
                return false;
            }
        }
        return true;
    }
}
