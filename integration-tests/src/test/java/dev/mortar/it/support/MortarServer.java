package dev.mortar.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Mortar server started from the built metastore-server artifacts in its own JDK 25 process,
 * on ephemeral ports, with its data directory (H2 store and {@code file:} warehouse) under the
 * test's work directory.
 */
public final class MortarServer implements AutoCloseable {
    private static final Pattern UP = Pattern.compile("Mortar is up: HMS thrift://[^:]+:(\\d+), HTTP http://[^:]+:(\\d+)");
    private static final Pattern METRIC = Pattern.compile("^(mortar_hms_call_duration_seconds_count|mortar_hms_call_errors_total)\\{method=\"([^\"]+)\"} ([0-9.eE+]+)$");

    private final EngineProcess process;
    private final Path dataDir;
    private final int thriftPort;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MortarServer(EngineProcess process, Path dataDir, int thriftPort, int httpPort) {
        this.process = process;
        this.dataDir = dataDir;
        this.thriftPort = thriftPort;
        this.httpPort = httpPort;
    }

    public static MortarServer start(Path workDir) {
        return start(workDir, Map.of());
    }

    /** A server with these settings (passed as {@code --set key=value}) on top of the defaults. */
    public static MortarServer start(Path workDir, Map<String, String> settings) {
        Path dataDir = workDir.resolve("mortar-data");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("server", "--thrift-port", "0", "--http-port", "0", "--bind", "127.0.0.1",
                "--set", "mortar.gateway.port=0", "--set", "mortar.gateway.http.port=0", "--data-dir", dataDir.toString()));
        settings.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        EngineProcess process = EngineProcess.java("mortar", ItEnvironment.modernJavaHome())
                .jvmArgs("-Xmx512m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED")
                .classpath(ItEnvironment.mortarClasspath())
                .mainClass("dev.mortar.metastore.cli.MortarCli")
                .args(args.toArray(String[]::new))
                .withoutEnvironmentPrefix("MORTAR_")
                .workDir(workDir)
                .logDir(workDir.resolve("logs"))
                .start();
        try {
            int[] ports = new int[2];
            Await.until("Mortar prints that it is up", Duration.ofMinutes(2), process, () -> {
                Matcher m = UP.matcher(process.stdout());
                if (m.find()) {
                    ports[0] = Integer.parseInt(m.group(1));
                    ports[1] = Integer.parseInt(m.group(2));
                    return true;
                }
                return false;
            });
            MortarServer server = new MortarServer(process, dataDir, ports[0], ports[1]);
            Await.until("Mortar /health is UP", Duration.ofSeconds(30), process, () -> server.get("/health").contains("\"UP\""));
            return server;
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }

    public String thriftUri() {
        return "thrift://127.0.0.1:" + thriftPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int thriftPort() {
        return thriftPort;
    }

    /** The warehouse root, {@code <data-dir>/warehouse}: Mortar's default for database locations. */
    public Path warehouse() {
        return dataDir.resolve("warehouse");
    }

    public String warehouseUri() {
        return "file:" + warehouse();
    }

    public Path logFile() {
        return process.stderrFile();
    }

    /** Thrift calls served so far, by method name (from /metrics). */
    public Map<String, Long> calls() {
        return metric("mortar_hms_call_duration_seconds_count");
    }

    /** Thrift calls that ended in an exception, by method name (from /metrics). */
    public Map<String, Long> errors() {
        return metric("mortar_hms_call_errors_total");
    }

    /** ERROR and WARN lines Mortar logged, for the test report. */
    public String problemsLogged() {
        return process.stderr().lines().filter(l -> l.contains(" ERROR ") || l.contains(" WARN ")).reduce("", (a, b) -> a + b + "\n");
    }

    private Map<String, Long> metric(String name) {
        Map<String, Long> values = new TreeMap<>();
        for (String line : get("/metrics").split("\n")) {
            Matcher m = METRIC.matcher(line);
            if (m.matches() && m.group(1).equals(name)) {
                values.put(m.group(2), (long) Double.parseDouble(m.group(3)));
            }
        }
        return values;
    }

    private String get(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(10)).build();
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes Mortar's error counts and logged problems next to its log, and returns them as text. */
    public String report(Path workDir) {
        String text = "Mortar call errors by method: " + errors() + "\nMortar calls by method: " + calls()
                + "\nMortar WARN/ERROR log lines:\n" + problemsLogged();
        try {
            Files.writeString(workDir.resolve("logs/mortar-report.txt"), text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return text;
    }

    @Override
    public void close() {
        process.close();
    }
}
