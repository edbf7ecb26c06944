package dev.mortar.gateway.engine.duckdb;

import dev.mortar.catalog.duckdb.HiveDialect;
import dev.mortar.catalog.duckdb.SqlText;
import dev.mortar.catalog.duckdb.QueryAnalysis;
import dev.mortar.catalog.duckdb.TableDefinitionException;
import dev.mortar.catalog.duckdb.TableScan;
import dev.mortar.catalog.duckdb.UnreadableFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.gateway.GatewayException;
import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.CatalogException;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.TableName;
import dev.mortar.catalog.files.DataListingException;
import dev.mortar.catalog.files.TableData;
import dev.mortar.catalog.files.TableFiles;
import dev.mortar.catalog.files.UnsupportedLocationException;
import dev.mortar.gateway.engine.UnreadableTableException;
import dev.mortar.gateway.engine.FunctionInfo;
import dev.mortar.gateway.engine.PreparedQuery;
import dev.mortar.gateway.engine.QueryEngine;
import dev.mortar.gateway.engine.QueryRequest;
import dev.mortar.gateway.service.ResultColumn;
import org.duckdb.DuckDBDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs queries on embedded DuckDB. Each query gets its own in-memory DuckDB database: a schema per
 * catalog database it names, a view per catalog table it reads (over exactly the partitions and files
 * it needs) and per catalog view it expands. Then the database is locked down: no file outside those
 * tables can be read or written and no setting changed, so a query reads the catalog and nothing else.
 */
public final class DuckDbEngine implements QueryEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DuckDbEngine.class);
    private static final Pattern EXPLAIN = Pattern.compile("(?is)^explain(\\s+analyze)?\\s+(.*)$");
    private static final Set<String> DUCKDB_SCHEMAS = Set.of("information_schema", "pg_catalog", "main", "temp");
    private static final int MAX_VIEW_DEPTH = 32;
    private static final int FILES_LOGGED = 20;

    private final Catalog catalog;
    private final TableFiles tableFiles;
    private final String memoryLimit;
    private final int threads;
    private final Path tempDirectory;
    private final ObjectMapper json = new ObjectMapper();
    private final DuckDBDriver driver = new DuckDBDriver();

    public DuckDbEngine(Catalog catalog, String memoryLimit, int threads, Path tempDirectory) {
        this.catalog = catalog;
        this.tableFiles = new TableFiles(catalog);
        this.memoryLimit = memoryLimit;
        this.threads = threads;
        this.tempDirectory = tempDirectory;
    }

    @Override
    public String version() {
        try (Connection c = open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            return "DuckDB " + rs.getString(1);
        } catch (SQLException e) {
            return "DuckDB (version unknown)";
        }
    }

    @Override
    public List<FunctionInfo> functions() {
        List<FunctionInfo> functions = new ArrayList<>();
        String sql = "SELECT function_name, any_value(coalesce(description, '')), bool_or(function_type = 'table') "
                + "FROM duckdb_functions() WHERE NOT internal OR function_type <> 'pragma' GROUP BY function_name ORDER BY function_name";
        try (Connection c = open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                functions.add(new FunctionInfo(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            }
        } catch (SQLException e) {
            throw DuckDbErrors.map(e);
        }
        return functions;
    }

    /**
     * Parses the statement, resolves its catalog tables and views and prepares the DuckDB database
     * it runs in. The caller closes the result.
     */
    @Override
    public PreparedQuery prepare(QueryRequest request) {
        String statement = request.statement();
        String currentDatabase = request.currentDatabase();
        Consumer<String> log = request.log();
        String sql = HiveDialect.toDuckDb(HiveDialect.trimStatement(statement));
        if (sql.isEmpty()) {
            throw new GatewayException(GatewayException.SYNTAX_ERROR, "Empty statement");
        }
        Matcher explain = EXPLAIN.matcher(sql);
        String query = explain.matches() ? explain.group(2) : sql;
        Connection connection = open();
        try {
            Resolution resolution = new Resolution(connection);
            resolution.resolve(parse(connection, query), currentDatabase.toLowerCase(Locale.ROOT), 0);
            resolution.define(currentDatabase.toLowerCase(Locale.ROOT), log);
            lockDown(connection, resolution.files);
            return new PreparedQuery(connection, sql, this);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw DuckDbErrors.map(e);
        }
    }

    @Override
    public ResultColumn column(ResultSetMetaData meta, int index) throws SQLException {
        return ResultColumn.ofDuckDb(meta.getColumnLabel(index), meta.getColumnTypeName(index), meta.getPrecision(index), meta.getScale(index));
    }

    @Override
    public GatewayException error(SQLException e) {
        return DuckDbErrors.map(e);
    }

    @Override
    public void close() {
        // every query has its own DuckDB database, closed with the query: nothing is shared
    }

    private Connection open() {
        Properties properties = new Properties();
        // stream results chunk by chunk instead of materializing them
        properties.setProperty("jdbc_stream_results", "true");
        try {
            Connection connection = driver.connect("jdbc:duckdb:", properties);
            try (Statement s = connection.createStatement()) {
                s.execute("SET autoinstall_known_extensions = false");
                s.execute("SET memory_limit = " + SqlText.literal(memoryLimit));
                if (threads > 0) {
                    s.execute("SET threads = " + threads);
                }
                if (tempDirectory != null) {
                    Files.createDirectories(tempDirectory);
                    s.execute("SET temp_directory = " + SqlText.literal(tempDirectory.toString()));
                }
            }
            return connection;
        } catch (SQLException e) {
            throw new GatewayException(GatewayException.INTERNAL, "Cannot start DuckDB: " + DuckDbErrors.message(e), e);
        } catch (IOException e) {
            throw new GatewayException(GatewayException.IO_ERROR, "Cannot create DuckDB's temporary directory " + tempDirectory + ": " + e.getMessage(), e);
        }
    }

    private JsonNode parse(Connection connection, String query) throws SQLException {
        String serialized;
        try (PreparedStatement s = connection.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            s.setString(1, query);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                serialized = rs.getString(1);
            }
        }
        JsonNode tree;
        try {
            tree = json.readTree(serialized);
        } catch (IOException e) {
            throw new GatewayException(GatewayException.INTERNAL, "Cannot read DuckDB's parse tree: " + e.getMessage(), e);
        }
        if (tree.path("error").asBoolean(false)) {
            String type = tree.path("error_type").asText("");
            String message = tree.path("error_message").asText("");
            if (type.equals("parser")) {
                throw new GatewayException(GatewayException.SYNTAX_ERROR, "Parser Error: " + message);
            }
            if (message.contains("Only SELECT")) {
                throw new GatewayException(GatewayException.NOT_SUPPORTED,
                        "Only queries (SELECT, WITH, VALUES, EXPLAIN) run on the gateway; it does not change the catalog or its data");
            }
            throw new GatewayException(GatewayException.SYNTAX_ERROR, message);
        }
        JsonNode statements = tree.path("statements");
        if (statements.size() != 1) {
            throw new GatewayException(GatewayException.NOT_SUPPORTED, "One statement per call, not " + statements.size());
        }
        return statements.get(0);
    }

    private static void lockDown(Connection connection, Set<Path> files) throws SQLException {
        try (Statement s = connection.createStatement()) {
            if (!files.isEmpty()) {
                s.execute("SET allowed_paths = " + SqlText.list(files.stream().map(Path::toString).toList()));
            }
            s.execute("SET enable_external_access = false");
            s.execute("SET lock_configuration = true");
        }
    }

    /** The catalog objects one query needs, found by walking it and the views it expands. */
    private final class Resolution {
        private final Connection connection;
        private final Map<TableName, Optional<CatalogTable>> tables = new HashMap<>();
        private final Map<TableName, List<QueryAnalysis.TableRef>> uses = new LinkedHashMap<>();
        private final List<CatalogTable> views = new ArrayList<>();
        private final Set<String> schemas = new LinkedHashSet<>();
        private final Set<Path> files = new LinkedHashSet<>();

        Resolution(Connection connection) {
            this.connection = connection;
        }

        private Optional<CatalogTable> lookup(TableName name) {
            return tables.computeIfAbsent(name, n -> {
                try {
                    return catalog.table(n.database(), n.table());
                } catch (CatalogException e) {
                    throw new GatewayException(GatewayException.CATALOG_UNAVAILABLE, e.getMessage(), e);
                }
            });
        }

        private Optional<TableName> nameOf(QueryAnalysis.TableRef ref, String database) {
            if (!ref.catalog.isEmpty() || ref.table.isEmpty() || DUCKDB_SCHEMAS.contains(ref.schema)) {
                return Optional.empty();
            }
            return Optional.of(new TableName(ref.schema.isEmpty() ? database : ref.schema, ref.table));
        }

        void resolve(JsonNode statement, String database, int depth) throws SQLException {
            if (depth > MAX_VIEW_DEPTH) {
                throw new GatewayException(GatewayException.SYNTAX_ERROR, "Views nest deeper than " + MAX_VIEW_DEPTH + " levels (a cycle?)");
            }
            QueryAnalysis analysis = QueryAnalysis.of(statement);
            for (QueryAnalysis.TableRef ref : analysis.references()) {
                Optional<TableName> name = nameOf(ref, database);
                if (name.isEmpty()) {
                    continue;
                }
                Optional<CatalogTable> table = lookup(name.get());
                if (table.isEmpty()) {
                    if (!ref.schema.isEmpty()) {
                        boolean databaseExists;
                        try {
                            databaseExists = catalog.databaseExists(name.get().database());
                        } catch (CatalogException e) {
                            throw new GatewayException(GatewayException.CATALOG_UNAVAILABLE, e.getMessage(), e);
                        }
                        throw databaseExists
                                ? new GatewayException(GatewayException.TABLE_NOT_FOUND, "Table not found: " + name.get())
                                : new GatewayException(GatewayException.SCHEMA_NOT_FOUND, "Database not found: " + name.get().database()
                                        + " (in table reference " + name.get() + ")");
                    }
                    continue; // unqualified: a CTE, or DuckDB reports the missing table
                }
                schemas.add(name.get().database());
                if (table.get().isView()) {
                    if (views.stream().noneMatch(v -> v.name().equals(table.get().name()))) {
                        String text = HiveDialect.toDuckDb(HiveDialect.trimStatement(table.get().viewText().orElseThrow(() ->
                                new GatewayException(GatewayException.NOT_SUPPORTED, "View " + table.get().name() + " has no text in the catalog"))));
                        resolve(parse(connection, text), table.get().name().database(), depth + 1);
                        views.add(table.get());
                    }
                } else {
                    uses.computeIfAbsent(name.get(), n -> new ArrayList<>()).add(ref);
                }
            }
            analysis.derivePartitionFilters(ref -> nameOf(ref, database).flatMap(this::lookup).filter(t -> !t.isView()));
        }

        void define(String currentDatabase, Consumer<String> log) throws SQLException {
            schemas.add(currentDatabase);
            try (Statement s = connection.createStatement()) {
                for (String schema : schemas) {
                    s.execute("CREATE SCHEMA IF NOT EXISTS " + SqlText.identifier(schema));
                }
                for (Map.Entry<TableName, List<QueryAnalysis.TableRef>> entry : uses.entrySet()) {
                    CatalogTable table = tables.get(entry.getKey()).orElseThrow();
                    TableScan.Plan plan = scan(() -> TableScan.plan(data(table, QueryAnalysis.combined(entry.getValue()), log)));
                    files.addAll(plan.files());
                    logFiles(table, plan, log);
                    s.execute("CREATE VIEW " + qualified(table.name()) + " AS " + plan.sql());
                }
                // views after the tables they read, inner views first
                for (CatalogTable view : views) {
                    s.execute("SET search_path = " + SqlText.literal(SqlText.identifier(view.name().database())));
                    String text = HiveDialect.toDuckDb(HiveDialect.trimStatement(view.viewText().orElseThrow()));
                    try {
                        s.execute("CREATE VIEW " + qualified(view.name()) + " AS " + text);
                    } catch (SQLException e) {
                        throw new GatewayException(DuckDbErrors.map(e).sqlState(), "Cannot expand view " + view.name() + ": " + DuckDbErrors.message(e), e);
                    }
                }
                s.execute("SET search_path = " + SqlText.literal(SqlText.identifier(currentDatabase)));
            }
        }

        private TableData data(CatalogTable table, Optional<String> filter, Consumer<String> log) {
            scan(() -> TableScan.readableFormat(table));
            TableData data;
            try {
                data = tableFiles.resolve(table, filter);
            } catch (UnsupportedLocationException e) {
                throw new UnreadableTableException(
                        "Table " + table.name() + " is at " + e.location() + "; the embedded DuckDB engine reads file: locations only");
            } catch (DataListingException e) {
                throw new GatewayException(GatewayException.IO_ERROR, e.getMessage(), e);
            } catch (CatalogException e) {
                throw new GatewayException(GatewayException.CATALOG_UNAVAILABLE, e.getMessage(), e);
            }
            data.appliedFilter().ifPresent(f -> log.accept("Partition filter for " + table.name() + ": " + f + " -> " + data.partitionCount() + " partitions"));
            return data;
        }

        private void logFiles(CatalogTable table, TableScan.Plan plan, Consumer<String> log) {
            List<String> shown = plan.files().stream().limit(FILES_LOGGED).map(Path::toString).toList();
            String more = plan.files().size() > FILES_LOGGED ? " and " + (plan.files().size() - FILES_LOGGED) + " more" : "";
            log.accept("Reading " + table.name() + ": " + plan.files().size() + " files " + shown + more);
        }
    }

    /** A scan of the shared DuckDB reader, its refusals in the gateway's terms (an unreadable format may go to Trino). */
    private static <T> T scan(java.util.function.Supplier<T> planning) {
        try {
            return planning.get();
        } catch (UnreadableFormatException e) {
            throw new UnreadableTableException(e.getMessage().replace("which DuckDB cannot read", "which the embedded DuckDB engine cannot read")
                    .replace("a storage format Mortar does not know", "a storage format the gateway does not know"));
        } catch (TableDefinitionException e) {
            throw new GatewayException(e.kind() == TableDefinitionException.Kind.BAD_PROPERTY ? GatewayException.DATA_EXCEPTION : GatewayException.NOT_SUPPORTED,
                    e.getMessage(), e);
        }
    }

    private static String qualified(TableName name) {
        return SqlText.identifier(name.database()) + "." + SqlText.identifier(name.table());
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing a DuckDB connection: {}", e.getMessage());
        }
    }
}
