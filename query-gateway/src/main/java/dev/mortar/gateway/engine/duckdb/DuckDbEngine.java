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
import dev.mortar.catalog.files.FolderListings;
import dev.mortar.catalog.files.TableData;
import dev.mortar.catalog.files.TableFiles;
import dev.mortar.catalog.files.UnsupportedLocationException;
import dev.mortar.gateway.engine.UnreadableTableException;
import dev.mortar.gateway.engine.FunctionInfo;
import dev.mortar.gateway.engine.PreparedQuery;
import dev.mortar.gateway.engine.QueryEngine;
import dev.mortar.gateway.engine.QueryRequest;
import dev.mortar.gateway.service.ResultColumn;
import org.duckdb.DuckDBConnection;
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
 * Runs queries on embedded DuckDB. Each query runs in an in-memory DuckDB database defined for it: a schema per
 * catalog database it names, a view per catalog table it reads (over exactly the partitions and files it needs) and
 * per catalog view it expands. The database is locked down: no file outside those tables can be read or written and
 * no setting changed, so a query reads the catalog and nothing else. The definition is resolved afresh for every
 * statement; a database with exactly that definition is kept open for the next query that resolves to it
 * ({@link WarmDatabases}), since starting one costs more than a small query.
 */
public final class DuckDbEngine implements QueryEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DuckDbEngine.class);
    private static final Pattern EXPLAIN = Pattern.compile("(?is)^explain(\\s+analyze)?\\s+(.*)$");
    private static final Set<String> DUCKDB_SCHEMAS = Set.of("information_schema", "pg_catalog", "main", "temp");
    private static final int MAX_VIEW_DEPTH = 32;
    private static final int FILES_LOGGED = 20;
    /** Open databases kept for reuse; each holds its own DuckDB threads, and memory only while a query runs. */
    private static final int WARM_DATABASES = 16;
    private static final int PARSED_STATEMENTS = 512;

    private final CatalogCache catalog;
    private final String memoryLimit;
    private final int threads;
    private final Path tempDirectory;
    private final ObjectMapper json = new ObjectMapper();
    private final DuckDBDriver driver = new DuckDBDriver();
    private final WarmDatabases databases;
    /** Tables' folder listings, used again while their folders are unchanged. */
    private final FolderListings listings = FolderListings.kept();
    private DuckDBConnection parser; // guarded by this; parses statements, reads no file
    /** Parse trees by statement text, least recently used dropped first; the trees are only read. */
    private final Map<String, JsonNode> parsed = java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true /* accessOrder */) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
            return size() > PARSED_STATEMENTS;
        }
    });

    public DuckDbEngine(Catalog catalog, String memoryLimit, int threads, Path tempDirectory) {
        this.catalog = new CatalogCache(catalog);
        this.memoryLimit = memoryLimit;
        this.threads = threads;
        this.tempDirectory = tempDirectory;
        this.databases = new WarmDatabases(this::open, WARM_DATABASES);
    }

    @Override
    public String version() {
        try (Connection c = parser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
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
        try (Connection c = parser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
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
        String database = currentDatabase.toLowerCase(Locale.ROOT);
        long started = System.nanoTime();
        long resolved;
        long listed;
        String listings;
        WarmDatabases.Definition definition;
        CatalogCache.Snapshot reading;
        try {
            reading = catalog.snapshot();
        } catch (CatalogException e) {
            throw new GatewayException(GatewayException.CATALOG_UNAVAILABLE, e.getMessage(), e);
        }
        try (Parsing parsing = new Parsing()) {
            Resolution resolution = new Resolution(parsing, reading);
            resolution.resolve(parse(parsing, query), database, 0);
            resolved = System.nanoTime();
            definition = resolution.define(database, log);
            listed = System.nanoTime();
            listings = resolution.tableFiles.listingsNote();
        } catch (SQLException e) {
            throw DuckDbErrors.map(e);
        }
        WarmDatabases.Lease lease = databases.connect(definition);
        Connection connection = lease.connection();
        try {
            lease.searchPath(SqlText.identifier(database));
            long ready = System.nanoTime();
            log.accept(String.format(Locale.ROOT, "Prepared in %.1f ms: parse and catalog %.1f ms, partitions and files %.1f ms%s, %s %.1f ms; %s",
                    (ready - started) / 1e6, (resolved - started) / 1e6, (listed - resolved) / 1e6, listings,
                    lease.reused() ? "open database reused" : "new database", (ready - listed) / 1e6, catalogReads(reading)));
            return new PreparedQuery(connection, sql, this, lease::release);
        } catch (SQLException e) {
            lease.release(false);
            throw DuckDbErrors.map(e);
        }
    }

    private static String catalogReads(CatalogCache.Snapshot reading) {
        if (reading.version().isEmpty()) {
            return reading.reads() + " catalog reads (the catalog has no change version: nothing kept)";
        }
        return String.format(Locale.ROOT, "%d of %d catalog reads kept from earlier statements (catalog version %d)",
                reading.keptReads(), reading.reads(), reading.version().getAsLong());
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
        databases.close();
        synchronized (this) {
            if (parser != null) {
                closeQuietly(parser);
                parser = null;
            }
        }
    }

    /** A connection to the database that parses statements: it has no tables and may read no file. */
    private synchronized Connection parser() {
        try {
            if (parser == null) {
                DuckDBConnection opened = open();
                try (Statement s = opened.createStatement()) {
                    s.execute("SET enable_external_access = false");
                    s.execute("SET lock_configuration = true");
                } catch (SQLException e) {
                    closeQuietly(opened);
                    throw e;
                }
                parser = opened;
            }
            return parser.duplicate();
        } catch (SQLException e) {
            throw new GatewayException(GatewayException.INTERNAL, "Cannot start DuckDB: " + DuckDbErrors.message(e), e);
        }
    }

    private DuckDBConnection open() {
        Properties properties = new Properties();
        // stream results chunk by chunk instead of materializing them
        properties.setProperty("jdbc_stream_results", "true");
        try {
            DuckDBConnection connection = (DuckDBConnection) driver.connect("jdbc:duckdb:", properties);
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

    /** A connection to the parsing database, opened on first use: a statement whose parse trees are all known needs none. */
    private final class Parsing implements AutoCloseable {
        private Connection connection;

        Connection get() {
            if (connection == null) {
                connection = parser();
            }
            return connection;
        }

        @Override
        public void close() {
            if (connection != null) {
                closeQuietly(connection);
            }
        }
    }

    /** DuckDB's parse tree of one statement; a tree depends on the text alone, so trees are kept by text. */
    private JsonNode parse(Parsing parsing, String query) throws SQLException {
        JsonNode known = parsed.get(query);
        if (known != null) {
            return known;
        }
        JsonNode statement = parseNow(parsing.get(), query);
        parsed.put(query, statement);
        return statement;
    }

    private JsonNode parseNow(Connection connection, String query) throws SQLException {
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

    /** The catalog objects one query needs, found by walking it and the views it expands. */
    private final class Resolution {
        private final Parsing connection;
        private final Catalog catalog;
        private final TableFiles tableFiles;
        private final Map<TableName, Optional<CatalogTable>> tables = new HashMap<>();
        private final Map<TableName, List<QueryAnalysis.TableRef>> uses = new LinkedHashMap<>();
        private final List<CatalogTable> views = new ArrayList<>();
        private final Set<String> schemas = new LinkedHashSet<>();
        private final Set<Path> files = new LinkedHashSet<>();

        Resolution(Parsing connection, Catalog catalog) {
            this.connection = connection;
            this.catalog = catalog;
            this.tableFiles = new TableFiles(catalog, listings);
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

        /** The database the query runs in: its schemas, its tables' views over their files, its catalog views. */
        WarmDatabases.Definition define(String currentDatabase, Consumer<String> log) {
            schemas.add(currentDatabase);
            List<WarmDatabases.Ddl> statements = new ArrayList<>();
            for (String schema : schemas) {
                statements.add(new WarmDatabases.Ddl("CREATE SCHEMA IF NOT EXISTS " + SqlText.identifier(schema), Optional.empty()));
            }
            for (Map.Entry<TableName, List<QueryAnalysis.TableRef>> entry : uses.entrySet()) {
                CatalogTable table = tables.get(entry.getKey()).orElseThrow();
                TableScan.Plan plan = scan(() -> TableScan.planCombined(data(table, QueryAnalysis.combined(entry.getValue()), log)));
                files.addAll(plan.files());
                logFiles(table, plan, log);
                statements.add(new WarmDatabases.Ddl("CREATE VIEW " + qualified(table.name()) + " AS " + plan.sql(), Optional.empty()));
            }
            // views after the tables they read, inner views first
            for (CatalogTable view : views) {
                statements.add(new WarmDatabases.Ddl("SET search_path = " + SqlText.literal(SqlText.identifier(view.name().database())), Optional.empty()));
                String text = HiveDialect.toDuckDb(HiveDialect.trimStatement(view.viewText().orElseThrow()));
                statements.add(new WarmDatabases.Ddl("CREATE VIEW " + qualified(view.name()) + " AS " + text, Optional.of(view.name().toString())));
            }
            return new WarmDatabases.Definition(statements, files.stream().map(Path::toString).toList());
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
            if (!plan.missingLocations().isEmpty()) {
                // a table whose files are gone answers with fewer rows (or none): say so, on the statement and in the log
                List<String> gone = plan.missingLocations().stream().limit(FILES_LOGGED).toList();
                String others = plan.missingLocations().size() > FILES_LOGGED ? " and " + (plan.missingLocations().size() - FILES_LOGGED) + " more" : "";
                String warning = "WARNING: " + plan.missingLocations().size() + " location" + (plan.missingLocations().size() == 1 ? "" : "s") + " of "
                        + table.name() + " do" + (plan.missingLocations().size() == 1 ? "es" : "") + " not exist, so their rows are missing from the result: "
                        + String.join(", ", gone) + others;
                log.accept(warning);
                LOG.warn("Query over {}: {}", table.name(), warning.substring("WARNING: ".length()));
            }
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
