package dev.mortar.metastore.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/mortar server} as a person runs it, in real processes: its folder, its refusals, its one-line errors. */
class ServerStartupTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path work;

    private record Result(int exitCode, String out, String err) {}

    private ProcessBuilder mortar(String... args) {
        List<String> command = new ArrayList<>(List.of(REPO.resolve("bin/mortar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MORTAR_"));
        pb.environment().put("MORTAR_CLASSPATH", Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("hive-jdbc")).collect(Collectors.joining(File.pathSeparator)));
        pb.environment().put("MORTAR_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb;
    }

    private Result run(String... args) throws Exception {
        Process p = mortar(args).redirectOutput(work.resolve("out").toFile()).redirectError(work.resolve("err").toFile()).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), Files.readString(work.resolve("out")), Files.readString(work.resolve("err")));
    }

    private static final String[] EPHEMERAL = {"server", "--bind", "127.0.0.1", "--thrift-port", "0", "--gateway-port", "0", "--gateway-http-port", "0"};

    private static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** The lines of stderr that are not log lines (the server logs to stderr as it starts). */
    private static List<String> messages(String err) {
        return err.lines().filter(l -> !l.matches("^\\d{4}-\\d\\d-\\d\\dT.*")).toList();
    }

    @Test
    void aMissingConfigFileIsRefused() throws Exception {
        Result r = run("server", "--config", "/nonexistent.properties");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(messages(r.err())).containsExactly("Error: No such configuration file: /nonexistent.properties");
    }

    @Test
    void everyWrongSettingIsNamedAtOnce() throws Exception {
        Result r = run("server", "--set", "mortar.gateway.duckdb.memory.limit=lots", "--set", "mortar.gateway.engine=spark",
                "--set", "mortar.thrift.port=99999", "--set", "mortar.no.such=1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(messages(r.err())).hasSize(1);
        assertThat(r.err()).contains("Invalid settings (4)", "mortar.gateway.duckdb.memory.limit must be a size such as 512MB, 2GB or 50%, not 'lots'",
                "mortar.gateway.engine must be one of duckdb, trino, auto, not 'spark'", "mortar.thrift.port must be between 0 and 65535, not 99999",
                "mortar.no.such is not a setting").doesNotContain("Exception", "\tat ");
        assertThat(work.resolve("var")).doesNotExist();
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Result r = run(with(EPHEMERAL, "--http-port", String.valueOf(taken.getLocalPort())));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(messages(r.err())).containsExactly("Error: The HTTP port " + taken.getLocalPort()
                    + " (mortar.http.port) is in use by another process: stop it, or choose another port with --http-port");
            Result verbose = run(with(EPHEMERAL, "--http-port", String.valueOf(taken.getLocalPort()), "--verbose"));
            assertThat(verbose.err()).contains("java.net.BindException");
        }
    }

    @Test
    void relativePathsAreTheCallersAndASecondServerOnTheDataDirectoryIsRefused() throws Exception {
        Process first = mortar(with(EPHEMERAL, "--http-port", "0", "--data-dir", "./myvar")).redirectOutput(work.resolve("first.out").toFile())
                .redirectError(work.resolve("first.err").toFile()).start();
        try {
            Instant deadline = Instant.now().plusSeconds(120);
            while (!Files.readString(work.resolve("first.out")).contains("Mortar is up") && first.isAlive() && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(work.resolve("first.out"))).as(Files.readString(work.resolve("first.err"))).contains("Mortar is up");
            assertThat(work.resolve("myvar/catalog.mv.db")).exists();
            assertThat(work.resolve("myvar/logs/mortar.log")).exists();

            Result second = run(with(EPHEMERAL, "--http-port", "0", "--data-dir", "myvar"));
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(messages(second.err())).containsExactly("Error: Another Mortar server (process " + first.toHandle().descendants()
                    .map(ProcessHandle::pid).findFirst().orElse(first.pid()) + ") is using the data directory " + work.resolve("myvar").toRealPath()
                    + ": stop it, or give this one another --data-dir");
        } finally {
            first.destroy();
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(work.resolve("first.out"), StandardCharsets.UTF_8)).endsWith("Mortar stopped cleanly.\n");
    }
}
