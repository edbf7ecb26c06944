package dev.mortar.it.support;

import io.trino.jdbc.TrinoResultSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A single-node Trino 476 (coordinator that also runs tasks) on JDK 25 with a 2 GiB heap, bound
 * to 127.0.0.1, with catalogs {@code hive} and {@code iceberg} on a Mortar server and {@code tpch}.
 * Queries go through the Trino JDBC driver, over HTTP, as any client's would.
 */
public final class Trino implements AutoCloseable {
    /** JVM flags of Trino's recommended jvm.config, with a bounded heap. */
    private static final List<String> JVM_CONFIG = List.of(
            "-Xmx2G",
            "-XX:+UseG1GC",
            "-XX:G1HeapRegionSize=32M",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:-OmitStackTraceInFastThrow",
            "-XX:ReservedCodeCacheSize=256M",
            "-XX:PerMethodRecompilationCutoff=10000",
            "-XX:PerBytecodeRecompilationCutoff=10000",
            "-Djdk.attach.allowAttachSelf=true",
            "-Djdk.nio.maxCachedBufferSize=2000000",
            "-Dfile.encoding=UTF-8",
            "-XX:+EnableDynamicAgentLoading");

    /** One query's rows (every value as the JDBC driver's string form; null for SQL NULL) and how many rows Trino read. */
    public record Result(List<List<String>> rows, long processedRows) {
        public List<String> column(int index) {
            return rows.stream().map(r -> r.get(index)).toList();
        }

        public String text() {
            StringBuilder b = new StringBuilder();
            rows.forEach(r -> b.append(String.join("\t", r.stream().map(String::valueOf).toList())).append('\n'));
            return b.toString();
        }
    }

    private final EngineProcess process;
    private final int port;

    private Trino(EngineProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The catalogs, as written to etc/catalog (also listed in docs/ENGINES.md). */
    public static Map<String, Map<String, String>> catalogs(MortarServer mortar) {
        Map<String, Map<String, String>> catalogs = new LinkedHashMap<>();
        Map<String, String> hive = new LinkedHashMap<>();
        hive.put("connector.name", "hive");
        hive.put("hive.metastore.uri", mortar.thriftUri());
        // The legacy Hadoop file system reads file: locations; the native local one lists them as local:// and skips every file
        hive.put("fs.hadoop.enabled", "true");
        catalogs.put("hive", hive);
        Map<String, String> iceberg = new LinkedHashMap<>();
        iceberg.put("connector.name", "iceberg");
        iceberg.put("iceberg.catalog.type", "hive_metastore");
        iceberg.put("hive.metastore.uri", mortar.thriftUri());
        iceberg.put("fs.hadoop.enabled", "true");
        catalogs.put("iceberg", iceberg);
        // The same catalog through Mortar's Glue-compatible API, as Trino reads AWS Glue
        Map<String, String> glue = new LinkedHashMap<>();
        glue.put("connector.name", "hive");
        glue.put("hive.metastore", "glue");
        glue.put("hive.metastore.glue.region", "us-east-1");
        glue.put("hive.metastore.glue.endpoint-url", "http://127.0.0.1:" + mortar.httpPort());
        glue.put("hive.metastore.glue.aws-access-key", "AKIDMORTARIT");
        glue.put("hive.metastore.glue.aws-secret-key", "mortar-it-secret");
        glue.put("fs.hadoop.enabled", "true");
        catalogs.put("glue", glue);
        catalogs.put("tpch", Map.of("connector.name", "tpch"));
        return catalogs;
    }

    public static Trino start(MortarServer mortar, Path workDir) {
        return start(mortar, workDir, freePort(), Map.of());
    }

    /** A Trino on a port chosen beforehand (a free one from {@link #freePort()}), for servers that must know it first. */
    public static Trino start(MortarServer mortar, Path workDir, int port) {
        return start(mortar, workDir, port, Map.of());
    }

    /** Trino with more catalogs than {@link #catalogs}: name to properties. */
    public static Trino start(MortarServer mortar, Path workDir, Map<String, Map<String, String>> moreCatalogs) {
        return start(mortar, workDir, freePort(), moreCatalogs);
    }

    /** Trino on this port, with more catalogs than {@link #catalogs}. */
    public static Trino start(MortarServer mortar, Path workDir, int port, Map<String, Map<String, String>> moreCatalogs) {
        Path home = ItEnvironment.trinoHome();
        Path etc = workDir.resolve("trino/etc");
        Path data = workDir.resolve("trino/data");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("coordinator", "true");
        config.put("node-scheduler.include-coordinator", "true");
        config.put("http-server.http.port", String.valueOf(port));
        config.put("discovery.uri", "http://127.0.0.1:" + port);
        config.put("node.environment", "it");
        config.put("node.id", "mortar-it");
        config.put("node.internal-address", "127.0.0.1");
        config.put("node.bind-ip", "127.0.0.1");
        config.put("query.max-memory", "1GB");
        config.put("query.max-memory-per-node", "1GB");
        config.put("catalog.config-dir", etc.resolve("catalog").toString());
        config.put("plugin.dir", home.resolve("plugin").toString());
        config.put("log.path", workDir.resolve("logs/trino-server.log").toString());
        try {
            Files.createDirectories(etc.resolve("catalog"));
            Files.createDirectories(data);
            write(etc.resolve("config.properties"), config);
            write(etc.resolve("log.properties"), Map.of("io.trino", "INFO"));
            Map<String, Map<String, String>> all = new LinkedHashMap<>(catalogs(mortar));
            all.putAll(moreCatalogs);
            for (Map.Entry<String, Map<String, String>> c : all.entrySet()) {
                write(etc.resolve("catalog/" + c.getKey() + ".properties"), c.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EngineProcess process = EngineProcess.java("trino", ItEnvironment.modernJavaHome())
                .jvmArgs(JVM_CONFIG)
                .systemProperty("config", etc.resolve("config.properties").toString())
                .systemProperty("log.levels-file", etc.resolve("log.properties").toString())
                .systemProperty("java.io.tmpdir", workDir.resolve("trino").toString())
                .classpath(home.resolve("lib") + "/*")
                .mainClass("io.trino.server.TrinoServer")
                // Trino's launcher runs the server in its data directory (var/ is created there)
                .workDir(data)
                .logDir(workDir.resolve("logs"))
                .start();
        Trino trino = new Trino(process, port);
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest info = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/info")).timeout(Duration.ofSeconds(5)).build();
            Await.until("Trino reports it has started", Duration.ofMinutes(4), process,
                    () -> http.send(info, HttpResponse.BodyHandlers.ofString()).body().contains("\"starting\":false"));
            // Right after start-up, scans can fail with "No nodes available to run query" until the node announces itself.
            Await.until("Trino runs a table scan", Duration.ofMinutes(2), process,
                    () -> trino.query("SELECT count(*) FROM tpch.tiny.region").rows().equals(List.of(List.of("5"))));
            return trino;
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }

    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "mortar-it");
        return DriverManager.getConnection("jdbc:trino://127.0.0.1:" + port, properties);
    }

    /**
     * Runs a statement and returns its rows; for a statement without rows (DDL, INSERT) one row
     * with the update count. A failure carries Trino's message.
     */
    public Result query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            if (!s.execute(sql)) {
                return new Result(List.of(List.of(String.valueOf(s.getLargeUpdateCount()))), 0);
            }
            try (ResultSet rs = s.getResultSet()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<List<String>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
                return new Result(rows, rs.unwrap(TrinoResultSet.class).getStats().getProcessedRows());
            }
        } catch (SQLException e) {
            throw new TrinoQueryException(sql, e);
        }
    }

    public String logTail() {
        return process.logTail(80);
    }

    @Override
    public void close() {
        process.close();
    }

    /** A failed statement, with the statement and Trino's error. */
    public static final class TrinoQueryException extends RuntimeException {
        TrinoQueryException(String sql, SQLException e) {
            super("Trino failed: " + sql + "\n  -> " + e.getMessage() + (e.getCause() != null ? "\n  cause: " + e.getCause() : ""), e);
        }
    }

    private static void write(Path file, Map<String, String> properties) throws IOException {
        StringBuilder b = new StringBuilder();
        properties.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, b.toString());
    }

    public int port() {
        return port;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
