package dev.mortar.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query gateway's benchmark: the same queries over the same generated Parquet and CSV files,
 * timed four ways — through the gateway (Hive JDBC driver) on DuckDB, on DuckDB's JDBC driver
 * directly, through the gateway on Trino, and on Trino's JDBC driver directly — so the figures show
 * what the gateway adds to each engine. Starts Mortar and a single-node Trino itself, stops them at
 * the end. Run through {@code bin/mortar-bench --gateway [--quick]}, which passes:
 *
 * <pre>
 * java -cp 'benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*' dev.mortar.benchmarks.GatewayBenchmark \
 *     --mortar-classpath 'metastore-server/target/metastore-server-0.1.0-SNAPSHOT.jar:metastore-server/target/lib/*' \
 *     --trino-home benchmarks/target/trino/trino-server-476 --hive-jdbc benchmarks/target/hive-jdbc/hive-jdbc-4.0.1-standalone.jar \
 *     --work benchmarks/target/gateway-run [--quick] [--duckdb-only] [--doc docs/BENCHMARKS.md --command 'the command line']
 * </pre>
 */
public final class GatewayBenchmark
{
    private static final String SECTION = "gateway-benchmark";
    private static final int DAYS = 30;
    private static final List<String> PATHS = List.of("gateway + DuckDB", "DuckDB JDBC", "gateway + Trino", "Trino JDBC");
    private static final Pattern MORTAR_UP = Pattern.compile("Mortar is up: HMS thrift://[^:]+:(\\d+), HTTP http://[^:]+:(\\d+), SQL jdbc:hive2://[^:]+:(\\d+)");

    /** One benchmark query, in SQL that DuckDB and Trino both run unchanged. */
    record Query(String name, String sql) {}

    private static final List<Query> QUERIES = List.of(
            new Query("scan + aggregate", "SELECT product, count(*) AS n, sum(quantity) AS units, sum(price * quantity) AS revenue "
                    + "FROM bench.sales GROUP BY product ORDER BY product"),
            new Query("filter on partition key", "SELECT count(*) AS n, sum(price) AS total FROM bench.sales WHERE day = '2024-01-15'"),
            new Query("join Parquet x CSV", "SELECT c.country, count(*) AS n, sum(s.price) AS total FROM bench.sales s "
                    + "JOIN bench.customers c ON s.customer_id = c.customer_id GROUP BY c.country ORDER BY c.country"),
            new Query("top-N", "SELECT sale_id, customer_id, price FROM bench.sales ORDER BY price DESC, sale_id LIMIT 10"),
            new Query("large result, fetched whole", "SELECT sale_id, customer_id, product, quantity, price, day FROM bench.sales "
                    + "WHERE day <= '2024-01-03'"));

    /** The concurrency run: this many small queries in all, from this many connections per path at once. */
    private static final int CONCURRENT_QUERIES = 100;
    private static final int CONCURRENT_CONNECTIONS = 8;
    private static final Query CONCURRENT_QUERY = QUERIES.get(1);
    /** Runs of {@link #CONCURRENT_QUERY} on each path before anything is measured. */
    private static final int JIT_WARM_UP_QUERIES = 300;

    /** One path's concurrency run: its wall time and each query's latency. */
    record Concurrent(long wallNanos, List<Long> latencies, String checksum) {
        double queriesPerSecond()
        {
            return latencies.size() / (wallNanos / 1e9);
        }

        long percentile(double p)
        {
            List<Long> sorted = latencies.stream().sorted().toList();
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
        }
    }

    /** Timings of one query on one path; the checksum says whether every path returned the same rows. */
    record Timing(long rows, String checksum, List<Long> nanos) {
        long median()
        {
            List<Long> sorted = nanos.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }
    }

    private final Path work;
    private final long salesRows;
    private final int customers;
    private final int runs;
    /** Unmeasured runs of each query on each path before its measured ones. */
    private final int warmUps;
    /** Only the two DuckDB paths (for iterating on the gateway): Trino registers the tables, then is stopped. */
    private final boolean duckDbOnly;
    private final List<Process> processes = new ArrayList<>();

    private GatewayBenchmark(boolean quick, boolean duckDbOnly, Path work)
    {
        this.work = work;
        this.duckDbOnly = duckDbOnly;
        this.salesRows = quick ? 300_000 : 3_000_000;
        this.customers = quick ? 10_000 : 100_000;
        this.runs = quick ? 15 : 21;
        this.warmUps = quick ? 3 : 5;
    }

    public static void main(String[] args)
            throws Exception
    {
        boolean quick = false;
        boolean duckDbOnly = false;
        String mortarClasspath = null;
        Path trinoHome = null;
        Path hiveJdbc = null;
        Path work = Path.of("benchmarks/target/gateway-run");
        Optional<Path> doc = Optional.empty();
        String command = "";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> quick = true;
                case "--duckdb-only" -> duckDbOnly = true;
                case "--mortar-classpath" -> mortarClasspath = value(args, ++i, arg);
                case "--trino-home" -> trinoHome = Path.of(value(args, ++i, arg));
                case "--hive-jdbc" -> hiveJdbc = Path.of(value(args, ++i, arg));
                case "--work" -> work = Path.of(value(args, ++i, arg));
                case "--doc" -> doc = Optional.of(Path.of(value(args, ++i, arg)));
                case "--command" -> command = value(args, ++i, arg);
                default -> throw new IllegalArgumentException("Unknown argument: " + arg);
            }
        }
        if (mortarClasspath == null || trinoHome == null || hiveJdbc == null) {
            throw new IllegalArgumentException("--mortar-classpath, --trino-home and --hive-jdbc are required (bin/mortar-bench --gateway passes them)");
        }
        if (duckDbOnly && doc.isPresent()) {
            throw new IllegalArgumentException("--duckdb-only does not write the report (it leaves out the Trino paths): add --no-doc");
        }
        GatewayBenchmark benchmark = new GatewayBenchmark(quick, duckDbOnly, work);
        try {
            benchmark.run(mortarClasspath, trinoHome, hiveJdbc, doc, command);
        }
        finally {
            benchmark.stopProcesses();
        }
    }

    private void run(String mortarClasspath, Path trinoHome, Path hiveJdbcJar, Optional<Path> doc, String command)
            throws Exception
    {
        ZonedDateTime started = ZonedDateTime.now();
        String loadBefore = Machine.loadAverage();
        // every run starts afresh: data, Mortar's catalog, Trino's folders
        deleteRecursively(work);
        Files.createDirectories(work.resolve("logs"));
        Path data = work.resolve("data");
        log("generating %,d sales rows (Parquet, %d day partitions) and %,d customers (CSV with a header) in %s", salesRows, DAYS, customers, data);
        long dataBytes = generate(data);

        int trinoPort = freePort();
        int[] mortarPorts = startMortar(mortarClasspath, trinoPort);
        log("Mortar up: thrift %d, gateway %d", mortarPorts[0], mortarPorts[2]);
        startTrino(trinoHome, trinoPort, mortarPorts[0]);
        Driver trinoDriver = new io.trino.jdbc.TrinoDriver();
        Properties trinoProperties = new Properties();
        trinoProperties.setProperty("user", "bench");
        String trinoUrl = "jdbc:trino://127.0.0.1:" + trinoPort + "/hive/bench";
        register(trinoDriver, trinoUrl, trinoProperties, data);
        if (duckDbOnly) {
            // the tables are in Mortar's catalog now; Trino would only take CPU from the paths measured
            stopTrino();
        }

        Driver hiveDriver = hiveDriver(hiveJdbcJar);
        String gatewayUrl = "jdbc:hive2://127.0.0.1:" + mortarPorts[2] + "/bench";
        Map<String, Map<String, Timing>> results = new LinkedHashMap<>();
        Map<String, Concurrent> concurrent = new LinkedHashMap<>();
        try (Connection gatewayDuckDb = hiveConnect(hiveDriver, gatewayUrl + "?mortar.gateway.engine=duckdb");
             Connection duckDb = duckDbDirect(data);
             Connection gatewayTrino = duckDbOnly ? null : hiveConnect(hiveDriver, gatewayUrl + "?mortar.gateway.engine=trino");
             Connection trino = duckDbOnly ? null : trinoDriver.connect(trinoUrl, trinoProperties)) {
            List<Connection> paths = duckDbOnly ? List.of(gatewayDuckDb, duckDb) : List.of(gatewayDuckDb, duckDb, gatewayTrino, trino);
            // A server runs for days: its code is compiled by the JIT long before a dashboard's queries come, as is the
            // DuckDB driver's in a long-lived client. Each path first runs the small query a few hundred times.
            for (Connection path : paths) {
                for (int i = 0; i < JIT_WARM_UP_QUERIES; i++) {
                    execute(path, CONCURRENT_QUERY.sql());
                }
            }
            for (Query query : QUERIES) {
                Map<String, Timing> byPath = new LinkedHashMap<>();
                List<List<Long>> nanos = new ArrayList<>();
                String[] checksums = new String[paths.size()];
                long[] rows = new long[paths.size()];
                for (int p = 0; p < paths.size(); p++) {
                    nanos.add(new ArrayList<>());
                    // warm-up: the first runs also load classes and fill caches; they are not counted
                    for (int w = 0; w < warmUps; w++) {
                        Result warm = execute(paths.get(p), query.sql());
                        checksums[p] = warm.checksum();
                        rows[p] = warm.rows();
                    }
                }
                // runs alternate between the paths, so that noise on the shared machine falls on all alike
                for (int r = 0; r < runs; r++) {
                    for (int i = 0; i < paths.size(); i++) {
                        int p = (i + r) % paths.size();
                        long t0 = System.nanoTime();
                        Result result = execute(paths.get(p), query.sql());
                        nanos.get(p).add(System.nanoTime() - t0);
                        if (!result.checksum().equals(checksums[p])) {
                            throw new IllegalStateException(PATHS.get(p) + " answered " + query.name() + " differently between runs");
                        }
                    }
                }
                for (int p = 0; p < paths.size(); p++) {
                    byPath.put(PATHS.get(p), new Timing(rows[p], checksums[p], nanos.get(p)));
                }
                results.put(query.name(), byPath);
                log("%-30s %s", query.name(), byPath.entrySet().stream()
                        .map(e -> "%s %s ms".formatted(e.getKey(), millis(e.getValue().median()))).toList());
            }
            List<java.util.concurrent.Callable<Connection>> openers = List.of(
                    () -> hiveConnect(hiveDriver, gatewayUrl + "?mortar.gateway.engine=duckdb"),
                    () -> ((org.duckdb.DuckDBConnection) duckDb).duplicate(),
                    () -> hiveConnect(hiveDriver, gatewayUrl + "?mortar.gateway.engine=trino"),
                    () -> trinoDriver.connect(trinoUrl, trinoProperties));
            for (int p = 0; p < paths.size(); p++) {
                Concurrent run = concurrent(openers.get(p));
                concurrent.put(PATHS.get(p), run);
                log("%d x %s from %d connections on %s: %.1f queries/s, p50 %s ms, p99 %s ms", CONCURRENT_QUERIES, CONCURRENT_QUERY.name(),
                        CONCURRENT_CONNECTIONS, PATHS.get(p), run.queriesPerSecond(), millis(run.percentile(0.5)), millis(run.percentile(0.99)));
            }
        }
        String loadAfter = Machine.loadAverage();
        String table = table(results) + "\n" + concurrentTable(concurrent);
        System.out.println(table);
        if (doc.isPresent()) {
            String section = section(started, loadBefore, loadAfter, command, dataBytes, table, results);
            BenchmarkSections.write(doc.get(), SECTION, section);
            log("wrote the gateway section of %s", doc.get());
        }
    }

    // --- data ------------------------------------------------------------------------------------

    /** Writes the files with DuckDB: sales as Parquet in day=... folders, customers as one CSV file with a header. */
    private long generate(Path data)
            throws SQLException, IOException
    {
        Files.createDirectories(data.resolve("customers"));
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new Properties()); Statement s = c.createStatement()) {
            s.execute("SET threads = 2");
            s.execute("COPY (SELECT range::BIGINT AS sale_id, (hash(range) % " + customers + ")::INTEGER + 1 AS customer_id, "
                    + "'product-' || lpad(((range * 7) % 50)::VARCHAR, 2, '0') AS product, ((range % 9) + 1)::INTEGER AS quantity, "
                    + "(((hash(range * 31) % 100000) + 1) / 100)::DECIMAL(10,2) AS price, "
                    + "strftime(DATE '2024-01-01' + (range % " + DAYS + ")::INTEGER, '%Y-%m-%d') AS day "
                    + "FROM range(" + salesRows + ")) TO '" + data.resolve("sales") + "' (FORMAT parquet, PARTITION_BY (day))");
            s.execute("COPY (SELECT range::INTEGER + 1 AS customer_id, 'customer ' || (range + 1) AS name, "
                    + "['DE', 'FR', 'PT', 'ES', 'IT', 'NL', 'PL', 'SE'][(range % 8)::INTEGER + 1] AS country, "
                    + "DATE '2020-01-01' + (range % 1500)::INTEGER AS signup FROM range(" + customers + ")) TO '"
                    + data.resolve("customers/customers.csv") + "' (HEADER, DELIMITER ',')");
        }
        try (var files = Files.walk(data)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteRecursively(Path dir)
            throws IOException
    {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Registers the files in Mortar's catalog through Trino's DDL (the hive catalog is Mortar). */
    private void register(Driver trinoDriver, String url, Properties properties, Path data)
            throws Exception
    {
        List<String> ddl = List.of(
                "CREATE SCHEMA hive.bench",
                "CREATE TABLE hive.bench.sales (sale_id bigint, customer_id integer, product varchar, quantity integer, price decimal(10,2), day varchar) "
                        + "WITH (format = 'PARQUET', partitioned_by = ARRAY['day'], external_location = '" + data.resolve("sales").toUri() + "')",
                "CALL hive.system.sync_partition_metadata('bench', 'sales', 'ADD')",
                "CREATE TABLE hive.bench.customers (customer_id integer, name varchar, country varchar, signup date) WITH (format = 'TEXTFILE', "
                        + "textfile_field_separator = ',', skip_header_line_count = 1, external_location = '" + data.resolve("customers").toUri() + "')");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (String sql : ddl) {
            while (true) {
                try (Connection c = trinoDriver.connect(url.replace("/hive/bench", ""), properties); Statement s = c.createStatement()) {
                    s.execute(sql);
                    break;
                }
                catch (SQLException e) {
                    // right after start-up Trino may still say "No nodes available to run query"
                    if (System.nanoTime() > deadline || !String.valueOf(e.getMessage()).contains("No nodes available")) {
                        throw new IllegalStateException("Trino failed: " + sql + ": " + e.getMessage(), e);
                    }
                    Thread.sleep(500);
                }
            }
        }
        log("registered bench.sales (%d partitions) and bench.customers", DAYS);
    }

    /** DuckDB over the same files, with the same table names as the catalog's. */
    private static Connection duckDbDirect(Path data)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("jdbc_stream_results", "true");
        Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", properties);
        try (Statement s = c.createStatement()) {
            s.execute("SET memory_limit = '2GB'");
            s.execute("CREATE SCHEMA bench");
            s.execute("CREATE VIEW bench.sales AS SELECT sale_id, customer_id, product, quantity, price, day FROM read_parquet('"
                    + data.resolve("sales") + "/*/*.parquet', hive_partitioning = true, hive_types = {'day': 'VARCHAR'})");
            s.execute("CREATE VIEW bench.customers AS SELECT * FROM read_csv('" + data.resolve("customers/customers.csv")
                    + "', header = true, columns = {'customer_id': 'INTEGER', 'name': 'VARCHAR', 'country': 'VARCHAR', 'signup': 'DATE'})");
        }
        return c;
    }

    // --- running queries ---------------------------------------------------------------------------

    record Result(long rows, String checksum) {}

    /** Runs the query and reads every row; the checksum adds up the rows' hashes, so it does not depend on order. */
    private static Result execute(Connection connection, String sql)
            throws SQLException
    {
        try (Statement s = connection.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                long rows = 0;
                long sum = 0;
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        row.append(normalized(rs.getString(i))).append('\u0001');
                    }
                    sum += row.toString().hashCode();
                    rows++;
                }
                return new Result(rows, rows + ":" + Long.toHexString(sum));
            }
        }
    }

    /**
     * {@link #CONCURRENT_QUERIES} runs of the small query from {@link #CONCURRENT_CONNECTIONS} connections at once, each
     * connection running its next query as soon as its last one is read, after one warm-up query per connection.
     */
    private static Concurrent concurrent(java.util.concurrent.Callable<Connection> opener)
            throws Exception
    {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < CONCURRENT_CONNECTIONS; i++) {
                connections.add(opener.call());
            }
            for (Connection c : connections) {
                execute(c, CONCURRENT_QUERY.sql());
            }
            java.util.concurrent.atomic.AtomicInteger remaining = new java.util.concurrent.atomic.AtomicInteger(CONCURRENT_QUERIES);
            List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.Set<String> checksums = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(CONCURRENT_CONNECTIONS);
            try {
                for (Connection c : connections) {
                    workers.add(pool.submit(() -> {
                        start.await();
                        while (remaining.getAndDecrement() > 0) {
                            long t0 = System.nanoTime();
                            Result result = execute(c, CONCURRENT_QUERY.sql());
                            latencies.add(System.nanoTime() - t0);
                            checksums.add(result.checksum());
                        }
                        return null;
                    }));
                }
                long t0 = System.nanoTime();
                start.countDown();
                for (java.util.concurrent.Future<?> worker : workers) {
                    worker.get();
                }
                long wall = System.nanoTime() - t0;
                if (checksums.size() != 1) {
                    throw new IllegalStateException("Concurrent runs answered differently: " + checksums);
                }
                return new Concurrent(wall, List.copyOf(latencies), checksums.iterator().next());
            }
            finally {
                pool.shutdownNow();
            }
        }
        finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    /** Numbers compare by value (DuckDB and Trino print 1.50 and 1.5, 10.0 and 10 alike). */
    private static String normalized(String value)
    {
        if (value == null) {
            return "NULL";
        }
        try {
            return new BigDecimal(value).stripTrailingZeros().toPlainString();
        }
        catch (NumberFormatException e) {
            return value;
        }
    }

    /** The Hive JDBC driver in a class loader of its own: its standalone jar carries copies of Thrift and Hive classes. */
    private static Driver hiveDriver(Path jar)
            throws Exception
    {
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        return (Driver) Class.forName("org.apache.hive.jdbc.HiveDriver", true, loader).getConstructor().newInstance();
    }

    private static Connection hiveConnect(Driver driver, String url)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "bench");
        properties.setProperty("password", "");
        return driver.connect(url, properties);
    }

    // --- servers -----------------------------------------------------------------------------------

    private int[] startMortar(String classpath, int trinoPort)
            throws Exception
    {
        Path logFile = work.resolve("logs/mortar.log");
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx1g", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
        // a flight recording of the server, to see where the gateway's time goes
        Optional.ofNullable(System.getenv("MORTAR_BENCH_GATEWAY_JFR")).filter(f -> !f.isBlank())
                .ifPresent(f -> cmd.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(f).toAbsolutePath()));
        cmd.addAll(List.of("-cp", classpath, "dev.mortar.metastore.cli.MortarCli", "server",
                "--thrift-port", "0", "--http-port", "0", "--bind", "127.0.0.1", "--data-dir", work.resolve("mortar-data").toString(),
                "--set", "mortar.gateway.port=0", "--set", "mortar.gateway.http.port=-1",
                "--set", "mortar.gateway.engine=duckdb", "--set", "mortar.gateway.trino.url=http://127.0.0.1:" + trinoPort,
                "--set", "mortar.gateway.trino.user=bench", "--set", "mortar.gateway.trino.catalog=hive"));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("MORTAR_"));
        Process process = start(builder);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = MORTAR_UP.matcher(Files.readString(logFile));
            if (m.find()) {
                return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Mortar exited; see " + logFile);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Mortar did not start within 2 minutes; see " + logFile);
    }

    /** A single-node Trino 476 with one catalog, hive, on Mortar; the same JVM flags as Trino's recommended jvm.config, with a 2 GiB heap. */
    private void startTrino(Path home, int port, int mortarThriftPort)
            throws Exception
    {
        Path etc = work.resolve("trino/etc");
        Path dataDir = work.resolve("trino/data");
        Files.createDirectories(etc.resolve("catalog"));
        Files.createDirectories(dataDir);
        Files.writeString(etc.resolve("config.properties"), String.join("\n",
                "coordinator=true", "node-scheduler.include-coordinator=true", "http-server.http.port=" + port,
                "discovery.uri=http://127.0.0.1:" + port, "node.environment=bench", "node.id=mortar-bench", "node.internal-address=127.0.0.1",
                "node.bind-ip=127.0.0.1", "query.max-memory=1GB", "query.max-memory-per-node=1GB",
                "catalog.config-dir=" + etc.resolve("catalog"), "plugin.dir=" + home.resolve("plugin"),
                "log.path=" + work.resolve("logs/trino-server.log"), ""));
        Files.writeString(etc.resolve("log.properties"), "io.trino=WARN\n");
        Files.writeString(etc.resolve("catalog/hive.properties"), String.join("\n",
                "connector.name=hive", "hive.metastore.uri=thrift://127.0.0.1:" + mortarThriftPort, "fs.hadoop.enabled=true", ""));
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx2G", "-XX:+UseG1GC", "-XX:G1HeapRegionSize=32M", "-XX:+ExplicitGCInvokesConcurrent",
                "-XX:+ExitOnOutOfMemoryError", "-XX:-OmitStackTraceInFastThrow", "-XX:ReservedCodeCacheSize=256M",
                "-XX:PerMethodRecompilationCutoff=10000", "-XX:PerBytecodeRecompilationCutoff=10000", "-Djdk.attach.allowAttachSelf=true",
                "-Djdk.nio.maxCachedBufferSize=2000000", "-Dfile.encoding=UTF-8", "-XX:+EnableDynamicAgentLoading",
                "-Dconfig=" + etc.resolve("config.properties"), "-Dlog.levels-file=" + etc.resolve("log.properties"),
                "-Djava.io.tmpdir=" + work.resolve("trino"), "-cp", home.resolve("lib") + "/*", "io.trino.server.TrinoServer"));
        Path logFile = work.resolve("logs/trino.out");
        Process process = start(new ProcessBuilder(cmd).directory(dataDir.toFile()).redirectErrorStream(true).redirectOutput(logFile.toFile()));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest info = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/info")).timeout(Duration.ofSeconds(5)).build();
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Trino exited; see " + logFile);
            }
            try {
                if (http.send(info, HttpResponse.BodyHandlers.ofString()).body().contains("\"starting\":false")) {
                    log("Trino up on port %d in %d s", port, Duration.ofNanos(System.nanoTime() - t0).toSeconds());
                    return;
                }
            }
            catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Trino did not start within 4 minutes; see " + logFile);
    }

    private void stopTrino()
    {
        Process trino = processes.getLast();
        trino.destroy();
        try {
            if (!trino.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                trino.destroyForcibly();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            trino.destroyForcibly();
        }
        log("stopped Trino (--duckdb-only)");
    }

    private Process start(ProcessBuilder builder)
            throws IOException
    {
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private void stopProcesses()
    {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static String javaBin()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- report ------------------------------------------------------------------------------------

    private String table(Map<String, Map<String, Timing>> results)
    {
        StringBuilder out = new StringBuilder();
        out.append("| query | rows | ");
        PATHS.forEach(p -> out.append(p).append(" | "));
        out.append("gateway overhead, DuckDB | gateway overhead, Trino | same answer |\n|---|---:|");
        PATHS.forEach(p -> out.append("---:|"));
        out.append("---:|---:|---|\n");
        for (Map.Entry<String, Map<String, Timing>> entry : results.entrySet()) {
            Map<String, Timing> byPath = entry.getValue();
            List<Timing> timings = PATHS.stream().map(byPath::get).toList();
            List<Timing> measured = timings.stream().filter(java.util.Objects::nonNull).toList();
            boolean same = measured.stream().map(Timing::checksum).distinct().count() == 1;
            out.append("| ").append(entry.getKey()).append(" | ").append("%,d".formatted(timings.getFirst().rows())).append(" | ");
            timings.forEach(t -> out.append(t == null ? "–" : millis(t.median()) + " ms").append(" | "));
            out.append(overhead(timings.get(0), timings.get(1))).append(" | ").append(overhead(timings.get(2), timings.get(3))).append(" | ")
                    .append(same ? "yes" : "**no**: " + measured.stream().map(Timing::checksum).toList()).append(" |\n");
        }
        return out.toString();
    }

    private static String concurrentTable(Map<String, Concurrent> runs)
    {
        if (runs.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("%d × *%s* from %d connections at once:\n\n".formatted(CONCURRENT_QUERIES, CONCURRENT_QUERY.name(), CONCURRENT_CONNECTIONS));
        out.append("| path | queries/s | p50 | p99 | same answer |\n|---|---:|---:|---:|---|\n");
        String first = runs.values().iterator().next().checksum();
        for (Map.Entry<String, Concurrent> e : runs.entrySet()) {
            Concurrent run = e.getValue();
            out.append("| ").append(e.getKey()).append(" | ").append("%.1f".formatted(run.queriesPerSecond())).append(" | ")
                    .append(millis(run.percentile(0.5))).append(" ms | ").append(millis(run.percentile(0.99))).append(" ms | ")
                    .append(run.checksum().equals(first) ? "yes" : "**no**").append(" |\n");
        }
        return out.toString();
    }

    private static String overhead(Timing gateway, Timing direct)
    {
        if (gateway == null || direct == null) {
            return "–";
        }
        long diff = gateway.median() - direct.median();
        return "%+.0f ms (x%.2f)".formatted(diff / 1e6, (double) gateway.median() / direct.median());
    }

    private static String millis(long nanos)
    {
        return String.format(Locale.ROOT, "%,.0f", nanos / 1e6);
    }

    private String section(ZonedDateTime started, String loadBefore, String loadAfter, String command, long dataBytes, String table,
            Map<String, Map<String, Timing>> results)
    {
        StringBuilder out = new StringBuilder();
        out.append("## Query gateway: DuckDB and Trino, through the gateway and directly\n\n");
        out.append("<!-- Written by bin/mortar-bench --gateway (dev.mortar.benchmarks.GatewayBenchmark). Run it again rather than editing the figures. -->\n\n");
        out.append("| | |\n|---|---|\n");
        out.append("| date | ").append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"))).append(" |\n");
        out.append("| machine | ").append(Machine.cores()).append(" cores (").append(Machine.cpuModel()).append("), ")
                .append(Machine.memory()).append(" memory, Linux ").append(Machine.kernel()).append(" |\n");
        out.append("| load average (1 min) | ").append(loadBefore).append(" before, ").append(loadAfter).append(" after")
                .append(busy(loadBefore, loadAfter) ? " (above the core count: other work shared the CPU, so absolute figures are high; "
                        + "the paths alternated run by run and shared the same noise, so they still compare)" : "")
                .append(" |\n");
        out.append("| command | `").append(command.isEmpty() ? "(not given)" : command).append("` |\n");
        out.append("| data | `bench.sales`: %,d rows, Parquet, %d partitions (`day`), columns sale_id bigint, customer_id int, product string (50 values), quantity int, price decimal(10,2); `bench.customers`: %,d rows, CSV with a header (LazySimpleSerDe, `skip.header.line.count=1`); %.1f MiB of files |\n"
                .formatted(salesRows, DAYS, customers, dataBytes / 1024.0 / 1024.0));
        out.append("| runs | median of %d runs per query and path, after %d warm-up runs of it (and, first, %d runs of the partition-key filter on each path, so that both JVMs' code is compiled as in a long-running server); the runs alternate between the paths |\n".formatted(runs, warmUps, JIT_WARM_UP_QUERIES));
        out.append("| servers | Mortar (`-Xmx1g`; the gateway's DuckDB with its defaults: 2GB memory, one thread per core) and a single-node Trino 476 (`-Xmx2G`, "
                + "catalog `hive` on Mortar), JDK ").append(Runtime.version()).append(", 127.0.0.1 |\n\n");
        out.append("Times are milliseconds from executing the statement to having read its last row (fetch size 10,000). ")
                .append("**gateway + DuckDB**: Hive JDBC driver 4.0.1 → Mortar's gateway (session `mortar.gateway.engine=duckdb`) → embedded DuckDB; ")
                .append("**DuckDB JDBC**: DuckDB's JDBC driver in the benchmark's JVM over the same files (`read_parquet` with hive partitioning, `read_csv`); ")
                .append("**gateway + Trino**: Hive JDBC → the gateway (`mortar.gateway.engine=trino`) → Trino; **Trino JDBC**: Trino's JDBC driver → Trino. ")
                .append("Overhead is the gateway's median minus the direct median (and their ratio). ")
                .append("*same answer*: the rows of all four paths have the same order-independent checksum (numbers compared by value).\n\n");
        out.append(table).append('\n');
        out.append("Queries:\n\n");
        for (Query q : QUERIES) {
            out.append("- ").append(q.name()).append(": `").append(q.sql()).append("`\n");
        }
        return out.toString();
    }

    private static boolean busy(String loadBefore, String loadAfter)
    {
        try {
            return Math.max(Double.parseDouble(loadBefore), Double.parseDouble(loadAfter)) > Machine.cores();
        }
        catch (NumberFormatException e) {
            return false;
        }
    }

    private static void log(String format, Object... args)
    {
        System.err.printf("[gateway-bench] " + format + "%n", args);
    }

    private static String value(String[] args, int index, String flag)
    {
        if (index >= args.length) {
            throw new IllegalArgumentException("Missing value after " + flag);
        }
        return args[index];
    }
}
