package dev.mortar.metastore.readme;

import dev.mortar.testing.HiveJdbc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the README's examples as a newcomer would, in order, on a fresh server: its sh blocks with bash (the real
 * {@code bin/mortar}, the AWS CLI), its Python blocks with python3 (boto3), its SQL blocks over the SQL gateway
 * with the Hive JDBC driver. The environment one sh block exports is there for the next ones, as in one terminal.
 * A block preceded by {@code <!-- readme-test: skip: why -->} is not run; {@code <!-- readme-test: background: ... -->}
 * starts the block and waits until the server says it is up. The default ports in the blocks are replaced by free
 * ones, which the blocks' commands also find in {@code MORTAR_*_PORT}.
 */
class ReadmeExamplesTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Duration BLOCK_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path work;

    @Test
    void everyExampleRunsAsWritten() throws Exception {
        List<ReadmeBlock> blocks = ReadmeBlock.parse(Files.readString(REPO.resolve("README.md")));
        assertThat(blocks).filteredOn(b -> b.runnable() && !b.skipped()).hasSizeGreaterThan(4);
        Files.createSymbolicLink(work.resolve("bin"), REPO.resolve("bin"));
        Map<String, Integer> ports = new HashMap<>();
        for (String port : List.of("9083", "8910", "10000", "10001")) {
            ports.put(port, freePort());
        }
        Map<String, String> env = environment(ports);
        Process server = null;
        try {
            for (ReadmeBlock block : blocks) {
                if (!block.runnable() || block.skipped()) {
                    continue;
                }
                String text = withPorts(block.text(), ports);
                switch (block.language()) {
                    case "sh" -> {
                        if (block.background()) {
                            server = startServer(text, env);
                        } else {
                            env = runShell(block, text, env);
                        }
                    }
                    case "python" -> run(block, List.of("python3", "-"), text, env);
                    case "sql" -> runSql(block, text, ports.get("10000"));
                    default -> throw new IllegalStateException(block.language());
                }
            }
        } finally {
            if (server != null) {
                server.destroy();
                assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
                assertThat(Files.readString(work.resolve("server.out"))).contains("Mortar stopped cleanly.");
            }
        }
    }

    private Map<String, String> environment(Map<String, Integer> ports) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("MORTAR_") || k.startsWith("AWS_"));
        // bin/mortar runs this build's classes (the test classpath, without the Hive JDBC driver's standalone jar, a client)
        env.put("MORTAR_CLASSPATH", Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("hive-jdbc")).collect(Collectors.joining(File.pathSeparator)));
        env.put("MORTAR_JAVA_OPTS", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("MORTAR_THRIFT_PORT", String.valueOf(ports.get("9083")));
        env.put("MORTAR_HTTP_PORT", String.valueOf(ports.get("8910")));
        env.put("MORTAR_GATEWAY_PORT", String.valueOf(ports.get("10000")));
        env.put("MORTAR_GATEWAY_HTTP_PORT", String.valueOf(ports.get("10001")));
        env.put("MORTAR_BIND_HOST", "127.0.0.1");
        return env;
    }

    static String withPorts(String text, Map<String, Integer> ports) {
        String result = text;
        for (var e : ports.entrySet()) {
            result = result.replaceAll("(localhost|127\\.0\\.0\\.1):" + e.getKey() + "\\b", "$1:" + e.getValue());
        }
        return result;
    }

    private Process startServer(String text, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec " + text.strip()).directory(work.toFile())
                .redirectOutput(work.resolve("server.out").toFile()).redirectError(work.resolve("server.err").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!Files.readString(work.resolve("server.out")).contains("Mortar is up")) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                fail("The server did not come up:\n" + Files.readString(work.resolve("server.out")) + Files.readString(work.resolve("server.err")));
            }
            Thread.sleep(100);
        }
        return process;
    }

    /** Runs an sh block in bash and returns the environment it leaves, for the next blocks. */
    private Map<String, String> runShell(ReadmeBlock block, String text, Map<String, String> env) throws Exception {
        Path envFile = work.resolve("block.env");
        run(block, List.of("bash", "-e", "-o", "pipefail", "-c", text + "\nenv -0 > '" + envFile + "'"), "", env);
        Map<String, String> after = new HashMap<>();
        for (String entry : Files.readString(envFile).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                after.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        after.keySet().removeAll(List.of("PWD", "OLDPWD", "SHLVL", "_"));
        return after;
    }

    private void run(ReadmeBlock block, List<String> command, String stdin, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(BLOCK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(block + " did not end in " + BLOCK_TIMEOUT);
        }
        String output = new String(out, StandardCharsets.UTF_8);
        System.out.println(block + "\n" + output);
        assertThat(process.exitValue()).as(block + " failed:\n" + output).isZero();
    }

    static void runSql(ReadmeBlock block, String text, int gatewayPort) throws Exception {
        try (Connection connection = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + gatewayPort + "/default", "readme", "");
             Statement statement = connection.createStatement()) {
            for (String sql : text.split(";\\s*(\\n|$)")) {
                if (sql.isBlank()) {
                    continue;
                }
                if (statement.execute(sql.strip())) {
                    try (ResultSet rows = statement.getResultSet()) {
                        List<String> printed = new ArrayList<>();
                        int columns = rows.getMetaData().getColumnCount();
                        while (rows.next()) {
                            List<String> row = new ArrayList<>();
                            for (int i = 1; i <= columns; i++) {
                                row.add(rows.getString(i));
                            }
                            printed.add(String.join(" | ", row));
                        }
                        System.out.println(block + "\n" + String.join("\n", printed));
                        assertThat(printed).as(block + " returns rows").isNotEmpty();
                    }
                }
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
