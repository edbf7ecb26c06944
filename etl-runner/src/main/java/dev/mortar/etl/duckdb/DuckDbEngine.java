package dev.mortar.etl.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.CatalogException;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.Column;
import dev.mortar.catalog.TableName;
import dev.mortar.catalog.duckdb.HiveDialect;
import dev.mortar.catalog.duckdb.QueryAnalysis;
import dev.mortar.catalog.duckdb.SqlText;
import dev.mortar.catalog.duckdb.TableDefinitionException;
import dev.mortar.catalog.duckdb.TableScan;
import dev.mortar.catalog.duckdb.UnreadableFormatException;
import dev.mortar.catalog.files.DataFolder;
import dev.mortar.catalog.files.TableData;
import dev.mortar.catalog.files.TableFiles;
import dev.mortar.catalog.files.UnsupportedLocationException;
import dev.mortar.etl.Engine;
import dev.mortar.etl.EngineSession;
import dev.mortar.etl.FileMark;
import dev.mortar.etl.JobException;
import dev.mortar.etl.OutputFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Embedded DuckDB, one in-memory database per run. Before each query, every catalog table it names is defined as a
 * view over exactly the partitions and files the query needs: DuckDB parses the query ({@code json_serialize_sql}),
 * the catalog client's {@link QueryAnalysis} derives partition filters from it, {@link TableFiles} resolves them, and
 * {@link TableScan} writes the scan, as the gateway reads tables. Hive's backtick quoting is read as DuckDB's.
 * Files a job bookmark says were read before are left out of the scans (a table with none left reads no rows), and
 * the files each scan included are recorded for the next bookmark. {@link EngineSession#interrupt} cancels the
 * statement in flight through JDBC's {@link Statement#cancel}, which interrupts DuckDB's query.
 */
public final class DuckDbEngine implements Engine {
    private final String memoryLimit;
    private final int threads;

    public DuckDbEngine() {
        this("2GB", 0);
    }

    /** @param threads 0 for DuckDB's default (one per core) */
    public DuckDbEngine(String memoryLimit, int threads) {
        this.memoryLimit = memoryLimit;
        this.threads = threads;
    }

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public EngineSession open(Catalog catalog, Consumer<String> log, dev.mortar.etl.FileSelection selection) {
        try {
            Connection connection = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = connection.createStatement()) {
                s.execute("SET autoinstall_known_extensions = false");
                s.execute("SET memory_limit = " + SqlText.literal(memoryLimit));
                if (threads > 0) {
                    s.execute("SET threads = " + threads);
                }
                // each query's operator tree is kept (not printed) so that the rows its file scans produced are counted
                s.execute("PRAGMA enable_profiling = 'no_output'");
                s.execute("SET custom_profiling_settings = " + SqlText.literal("{\"OPERATOR_CARDINALITY\": \"true\", \"OPERATOR_TYPE\": \"true\", \"OPERATOR_NAME\": \"true\"}"));
            }
            return new Session(connection, catalog, log, selection);
        } catch (SQLException e) {
            throw new JobException("Cannot start DuckDB: " + e.getMessage(), e);
        }
    }

    private static final class Session implements EngineSession {
        private static final Set<String> DUCKDB_SCHEMAS = Set.of("information_schema", "pg_catalog", "main", "temp");
        private final Connection connection;
        private final Catalog catalog;
        private final TableFiles tableFiles;
        private final Consumer<String> log;
        private final ObjectMapper json = new ObjectMapper();
        private final Set<Path> filesSeen = new HashSet<>();
        private final Set<String> schemas = new HashSet<>();
        /** The scans defined so far, by table and partition filter: the catalog does not change under a run (its writes are staged). */
        private final Map<String, TableScan.Plan> plans = new HashMap<>();
        private final Map<TableName, String> defined = new HashMap<>();
        private final dev.mortar.etl.FileSelection selection;
        private final Map<Path, FileMark> marks = new HashMap<>();
        private final Map<String, Set<FileMark>> filesRead = new LinkedHashMap<>();
        private long bytesRead;
        private long rowsRead;
        /** Set by {@link #interrupt} (from another thread): no statement starts after it. */
        private volatile boolean interrupted;
        private volatile boolean closed;
        /** The statement in flight, which {@link #interrupt} cancels. */
        private volatile Statement running;

        Session(Connection connection, Catalog catalog, Consumer<String> log, dev.mortar.etl.FileSelection selection) {
            this.connection = connection;
            this.catalog = catalog;
            this.tableFiles = new TableFiles(catalog);
            this.log = log;
            this.selection = selection;
        }

        @FunctionalInterface
        private interface SqlOpen<S extends Statement> {
            S open() throws SQLException;
        }

        @FunctionalInterface
        private interface SqlWork<S extends Statement, T> {
            T apply(S statement) throws SQLException;
        }

        /** Runs {@code work} on a statement that {@link #interrupt} can cancel; after an interrupt, fails at once. */
        private <S extends Statement, T> T sql(SqlOpen<S> open, SqlWork<S, T> work) {
            checkNotInterrupted();
            try (S statement = open.open()) {
                running = statement;
                try {
                    // checked again once the statement is visible to interrupt(): one of the two sees the other
                    checkNotInterrupted();
                    return work.apply(statement);
                } finally {
                    running = null;
                }
            } catch (SQLException e) {
                throw new JobException(message(e), e);
            }
        }

        private <T> T sql(SqlWork<Statement, T> work) {
            return sql(connection::createStatement, work);
        }

        private void checkNotInterrupted() {
            if (interrupted) {
                throw new JobException("The run's statements were interrupted");
            }
        }

        @Override
        public void interrupt() {
            interrupted = true;
            // Statement.cancel() only interrupts a statement DuckDB is executing; one that is just starting is cancelled
            // again until it ends, so that a cancel landing between "started" and "executing" is not lost.
            Thread.ofVirtual().name("duckdb-interrupt").start(() -> {
                while (!closed) {
                    Statement statement = running;
                    if (statement == null) {
                        return;
                    }
                    try {
                        statement.cancel();
                    } catch (SQLException | RuntimeException e) {
                        // the statement ended meanwhile
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }

        @Override
        public List<Column> describe(String query) {
            String sql = prepare(query);
            return sql(s -> {
                List<Column> columns = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("DESCRIBE " + sql)) {
                    while (rs.next()) {
                        columns.add(new Column(rs.getString("column_name").toLowerCase(Locale.ROOT), DuckDbHiveTypes.toHive(rs.getString("column_type"))));
                    }
                }
                return columns;
            });
        }

        @Override
        public long count(String query) {
            String sql = prepare(query);
            return sql(s -> {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (" + sql + "\n)")) {
                    rs.next();
                    long rows = rs.getLong(1);
                    countScannedRows();
                    return rows;
                }
            });
        }

        @Override
        public Written write(String query, List<Column> columns, List<Column> partitionKeys, OutputFormat format, char delimiter,
                             Path directory, String filePrefix) {
            String sql = prepare(query);
            List<Column> all = Stream.concat(columns.stream(), partitionKeys.stream()).toList();
            String aliases = all.stream().map(c -> SqlText.identifier(c.name())).collect(Collectors.joining(", "));
            String projection = all.stream().map(c -> "CAST(" + SqlText.identifier(c.name()) + " AS " + duckType(c) + ") AS " + SqlText.identifier(c.name()))
                    .collect(Collectors.joining(", "));
            String select = "SELECT " + projection + " FROM (" + sql + "\n) AS q(" + aliases + ")";
            List<String> options = new ArrayList<>();
            switch (format) {
                case PARQUET -> options.add("FORMAT parquet");
                case JSONFILE -> options.add("FORMAT json");
                case TEXTFILE -> {
                    options.add("FORMAT csv");
                    options.add("HEADER false");
                    options.add("DELIMITER " + SqlText.literal(String.valueOf(delimiter)));
                    options.add("NULLSTR " + SqlText.literal("\\N"));
                }
            }
            String target;
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new JobException("Cannot create " + directory + ": " + e.getMessage(), e);
            }
            if (partitionKeys.isEmpty()) {
                target = directory.resolve(filePrefix + "0" + format.extension()).toString();
            } else {
                target = directory.toString();
                options.add("PARTITION_BY (" + partitionKeys.stream().map(c -> SqlText.identifier(c.name())).collect(Collectors.joining(", ")) + ")");
                options.add("FILENAME_PATTERN " + SqlText.literal(filePrefix + "{i}"));
                options.add("FILE_EXTENSION " + SqlText.literal(format.extension().substring(1)));
                options.add("OVERWRITE_OR_IGNORE true");
            }
            String copy = "COPY (" + select + ") TO " + SqlText.literal(target) + " (" + String.join(", ", options) + ")";
            long rows = sql(s -> {
                s.execute(copy);
                long written;
                try (ResultSet rs = s.getResultSet()) {
                    written = rs != null && rs.next() ? rs.getLong(1) : s.getUpdateCount();
                }
                countScannedRows();
                return written;
            });
            try (Stream<Path> files = Files.walk(directory)) {
                return new Written(rows, files.filter(Files::isRegularFile).sorted().toList());
            } catch (IOException | UncheckedIOException e) {
                throw new JobException("Cannot list what was written to " + directory + ": " + e.getMessage(), e);
            }
        }

        private static String duckType(Column column) {
            try {
                return dev.mortar.catalog.duckdb.DuckDbTypes.toDuckDb(column.type());
            } catch (IllegalArgumentException e) {
                throw new JobException("Column " + column.name() + ": " + e.getMessage(), e);
            }
        }

        /** The query in DuckDB's terms, with a view defined for each catalog table it reads. */
        private String prepare(String query) {
            String sql = HiveDialect.toDuckDb(HiveDialect.trimStatement(query));
            JsonNode statement = parse(sql);
            QueryAnalysis analysis = QueryAnalysis.of(statement);
            Map<TableName, Optional<CatalogTable>> tables = new HashMap<>();
            Map<TableName, List<QueryAnalysis.TableRef>> uses = new LinkedHashMap<>();
            for (QueryAnalysis.TableRef ref : analysis.references()) {
                Optional<TableName> name = nameOf(ref);
                if (name.isEmpty()) {
                    continue;
                }
                Optional<CatalogTable> table = tables.computeIfAbsent(name.get(), this::lookup);
                if (table.isEmpty()) {
                    throw new JobException(catalog.databaseExists(name.get().database())
                            ? "Table not found: " + name.get() : "Database not found: " + name.get().database() + " (in table reference " + name.get() + ")");
                }
                if (table.get().isView()) {
                    throw new JobException("Table " + name.get() + " is a view; jobs read tables (views are not expanded yet)");
                }
                uses.computeIfAbsent(name.get(), n -> new ArrayList<>()).add(ref);
            }
            analysis.derivePartitionFilters(ref -> nameOf(ref).flatMap(n -> tables.getOrDefault(n, Optional.empty())));
            sql(s -> {
                for (Map.Entry<TableName, List<QueryAnalysis.TableRef>> use : uses.entrySet()) {
                    CatalogTable table = tables.get(use.getKey()).orElseThrow();
                    Optional<String> filter = QueryAnalysis.combined(use.getValue());
                    String key = table.name() + "\u0000" + filter.orElse("");
                    TableScan.Plan known = plans.get(key);
                    TableScan.Plan plan = known != null ? known : plan(table, filter);
                    plans.put(key, plan);
                    if (plan.sql().equals(defined.get(table.name()))) {
                        continue;
                    }
                    defined.put(table.name(), plan.sql());
                    if (schemas.add(table.name().database())) {
                        s.execute("CREATE SCHEMA IF NOT EXISTS " + SqlText.identifier(table.name().database()));
                    }
                    s.execute("CREATE OR REPLACE VIEW " + SqlText.identifier(table.name().database()) + "." + SqlText.identifier(table.name().table())
                            + " AS " + plan.sql());
                    Set<FileMark> read = filesRead.computeIfAbsent(table.name().toString(), n -> new LinkedHashSet<>());
                    for (Path file : plan.files()) {
                        if (filesSeen.add(file)) {
                            bytesRead += size(file);
                        }
                        read.add(mark(table, file));
                    }
                    log.accept("Reading " + table.name() + ": " + plan.files().size() + " files");
                }
                return null;
            });
            return sql;
        }

        private TableScan.Plan plan(CatalogTable table, Optional<String> filter) {
            try {
                TableScan.readableFormat(table);
                TableData data = tableFiles.resolve(table, filter);
                data.appliedFilter().ifPresent(f -> log.accept("Partition filter for " + table.name() + ": " + f + " -> " + data.partitionCount() + " partitions"));
                return TableScan.plan(unread(data));
            } catch (UnreadableFormatException | TableDefinitionException e) {
                throw new JobException(e.getMessage(), e);
            } catch (UnsupportedLocationException e) {
                throw new JobException("Table " + table.name() + " is at " + e.location() + "; the DuckDB engine reads file: locations only", e);
            } catch (CatalogException e) {
                throw new JobException("The catalog: " + e.getMessage(), e);
            }
        }

        /** The table's data without the files the bookmark says were read before (or, for a bookmark range, with only its files). */
        private TableData unread(TableData data) {
            String table = data.table().name().toString();
            if (!selection.filters(table)) {
                return data;
            }
            List<DataFolder> folders = new ArrayList<>();
            int all = 0;
            int left = 0;
            for (DataFolder folder : data.folders()) {
                List<Path> files = new ArrayList<>();
                for (Path file : folder.files()) {
                    all++;
                    if (selection.reads(table, mark(data.table(), file))) {
                        files.add(file);
                    }
                }
                left += files.size();
                if (!files.isEmpty()) {
                    folders.add(new DataFolder(folder.partitionValues(), folder.location(), files));
                }
            }
            log.accept(selection.only().isPresent()
                    ? "Bookmark range for " + data.table().name() + ": " + left + " of " + all + " files read by the runs of the range, " + left + " to read"
                    : "Bookmark for " + data.table().name() + ": " + (all - left) + " of " + all + " files read before, " + left + " to read");
            return new TableData(data.table(), folders, data.appliedFilter(), data.partitionCount(), data.missingLocations());
        }

        /** The file's mark, taken once per run: a file is the same file for every statement of a run. */
        private FileMark mark(CatalogTable table, Path file) {
            FileMark known = marks.get(file);
            if (known != null) {
                return known;
            }
            try {
                FileMark mark = FileMark.of(file);
                marks.put(file, mark);
                return mark;
            } catch (IOException e) {
                throw new JobException("Cannot read the size and time of " + file + " of table " + table.name() + ": " + e.getMessage(), e);
            }
        }

        private Optional<CatalogTable> lookup(TableName name) {
            try {
                return catalog.table(name.database(), name.table());
            } catch (CatalogException e) {
                throw new JobException("The catalog: " + e.getMessage(), e);
            }
        }

        private static Optional<TableName> nameOf(QueryAnalysis.TableRef ref) {
            if (!ref.catalog.isEmpty() || ref.schema.isEmpty() || ref.table.isEmpty() || DUCKDB_SCHEMAS.contains(ref.schema)) {
                return Optional.empty(); // unqualified: a CTE or a name DuckDB resolves itself
            }
            return Optional.of(new TableName(ref.schema, ref.table));
        }

        private JsonNode parse(String sql) {
            String serialized = sql(() -> connection.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)"), (PreparedStatement s) -> {
                s.setString(1, sql);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            JsonNode tree;
            try {
                tree = json.readTree(serialized);
            } catch (IOException e) {
                throw new JobException("Cannot parse the query: " + e.getMessage(), e);
            }
            if (tree.path("error").asBoolean(false)) {
                throw new JobException(tree.path("error_message").asText("DuckDB cannot parse the query"));
            }
            JsonNode statements = tree.path("statements");
            if (statements.size() != 1) {
                throw new JobException("One query per statement, not " + statements.size());
            }
            return statements.get(0);
        }

        /** Adds the rows the last query's file scans produced (after the filters DuckDB pushes into a scan). */
        private void countScannedRows() throws SQLException {
            String profile = connection.unwrap(org.duckdb.DuckDBConnection.class).getProfilingInformation(org.duckdb.ProfilerPrintFormat.JSON);
            try {
                rowsRead += scanned(json.readTree(profile));
            } catch (IOException e) {
                log.accept("DuckDB's profile could not be read; rows read are not counted for this statement: " + e.getMessage());
            }
        }

        private static long scanned(JsonNode node) {
            long rows = 0;
            String name = node.path("operator_name").asText("");
            if (node.path("operator_type").asText("").equals("TABLE_SCAN")
                    && (name.startsWith("READ_") || name.contains("PARQUET") || name.contains("CSV") || name.contains("JSON"))) {
                rows += node.path("operator_cardinality").asLong(0);
            }
            for (JsonNode child : node.path("children")) {
                rows += scanned(child);
            }
            return rows;
        }

        private static long size(Path file) {
            try {
                return Files.size(file);
            } catch (IOException e) {
                return 0;
            }
        }

        private static String message(SQLException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            // DuckDB's JDBC driver reports a failed pending query first and the cause (binder, parser, IO error) after it
            String prefix = "Invalid Input Error: Attempting to execute an unsuccessful or closed pending query result";
            if (m.startsWith(prefix)) {
                m = m.substring(prefix.length()).strip();
                if (m.startsWith("Error: ")) {
                    m = m.substring("Error: ".length());
                }
            }
            return m.isEmpty() ? e.toString() : String.join(" ", m.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        }

        @Override
        public long rowsRead() {
            return rowsRead;
        }

        @Override
        public Map<String, Set<FileMark>> filesRead() {
            Map<String, Set<FileMark>> copy = new LinkedHashMap<>();
            filesRead.forEach((table, files) -> copy.put(table, Set.copyOf(files)));
            return copy;
        }

        @Override
        public long bytesRead() {
            return bytesRead;
        }

        @Override
        public void close() {
            closed = true;
            try {
                connection.close();
            } catch (SQLException e) {
                // the run is over either way
            }
        }
    }
}
