package dev.mortar.metastore.readme;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the examples of every {@code docs/*.md} file as a reader would, in order, each file on a fresh server of its
 * own ({@code bin/mortar server} on free ports, data in a new folder, the reader's terminal in that folder): sh blocks
 * with bash (the real {@code bin/mortar}, the AWS CLI), the environment one exports kept for the next ones; Python
 * blocks in one python3 session per file (boto3), so that a later block uses what an earlier one defined, as in one
 * interpreter; SQL blocks over the SQL gateway with the Hive JDBC driver. Other languages are not run. The marks are
 * the README's ({@link ReadmeExamplesTest}): {@code <!-- readme-test: skip: why -->} before a block that cannot run
 * here, with the reason. A file needs nothing the README did: what its examples use, it makes in a block of its own.
 */
class DocsExamplesTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Duration BLOCK_TIMEOUT = Duration.ofMinutes(3);
    private static final String BLOCK_END = "@@docs-example-end@@";
    /** Runs each block it reads (a JSON line: code, name, environment) in one namespace, then prints BLOCK_END and ok or failed. */
    private static final String PYTHON_SESSION = """
            import json, os, sys, traceback
            namespace = {"__name__": "__main__"}
            for request in sys.stdin:
                block = json.loads(request)
                os.environ.clear()
                os.environ.update(block["env"])
                ok = True
                try:
                    exec(compile(block["code"], block["name"], "exec"), namespace)
                except SystemExit as e:
                    ok = e.code in (None, 0)
                except BaseException:
                    traceback.print_exc()
                    ok = False
                sys.stderr.flush()
                print("\\n%s %s" % (sys.argv[1], "ok" if ok else "failed"), flush=True)
            """;

    @TempDir
    Path work;

    static Stream<String> docs() throws IOException {
        try (Stream<Path> files = Files.list(REPO.resolve("docs"))) {
            return files.filter(f -> f.toString().endsWith(".md")).map(f -> "docs/" + f.getFileName()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("docs")
    void everyExampleRunsAsWritten(String doc) throws Exception {
        String markdown = Files.readString(REPO.resolve(doc));
        List<ReadmeBlock> blocks = ReadmeBlock.parse(doc, markdown);
        assertThat(blocks.stream().filter(b -> !b.mark().isEmpty()).count())
                .as(doc + ": every readme-test mark is on the line right before a fence")
                .isEqualTo(ReadmeBlock.ANY_MARK.matcher(markdown).results().count());
        for (ReadmeBlock block : blocks) {
            assertThat(block.background()).as(block + ": the test starts the server; a doc's block is not one").isFalse();
            if (block.skipped()) {
                assertThat(block.runnable()).as(block + " is skipped but would not run anyway").isTrue();
                assertThat(block.reason()).as(block + " is skipped: say why").isNotBlank();
            }
        }
        List<ReadmeBlock> toRun = blocks.stream().filter(b -> b.runnable() && !b.skipped()).toList();
        if (toRun.isEmpty()) {
            return;
        }
        Files.createSymbolicLink(work.resolve("bin"), REPO.resolve("bin"));
        Map<String, Integer> ports = new HashMap<>();
        for (String port : List.of("9083", "8910", "10000", "10001")) {
            ports.put(port, ReadmeExamplesTest.freePort());
        }
        Map<String, String> env = environment(ports);
        Process server = startServer(env);
        try (PythonSession python = new PythonSession()) {
            for (ReadmeBlock block : toRun) {
                String text = ReadmeExamplesTest.withPorts(block.text(), ports);
                switch (block.language()) {
                    case "sh" -> env = runShell(block, text, env);
                    case "python" -> python.run(block, text, env);
                    case "sql" -> ReadmeExamplesTest.runSql(block, text, ports.get("10000"));
                    default -> throw new IllegalStateException(block.language());
                }
            }
        } finally {
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
            assertThat(Files.readString(work.resolve("server.out"))).contains("Mortar stopped cleanly.");
        }
    }

    private Map<String, String> environment(Map<String, Integer> ports) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("MORTAR_") || k.startsWith("AWS_"));
        // a reader's own AWS configuration must not make an example work that would not work without it
        env.put("AWS_CONFIG_FILE", work.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-aws-credentials").toString());
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

    /** Starts {@code bin/mortar server} as the README's Start section does, and waits until it says it is up. */
    private Process startServer(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec bin/mortar server").directory(work.toFile())
                .redirectOutput(work.resolve("server.out").toFile()).redirectError(work.resolve("server.err").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!Files.readString(work.resolve("server.out")).contains("Mortar is up")) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                fail("The server did not come up:\n" + Files.readString(work.resolve("server.out")) + Files.readString(work.resolve("server.err")));
            }
            Thread.sleep(100);
        }
        return process;
    }

    /** Runs an sh block in bash and returns the environment it leaves, for the next blocks. */
    private Map<String, String> runShell(ReadmeBlock block, String text, Map<String, String> env) throws Exception {
        Path envFile = work.resolve("block.env");
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c", text + "\nenv -0 > '" + envFile + "'")
                .directory(work.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(BLOCK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(block + " did not end in " + BLOCK_TIMEOUT);
        }
        String output = new String(out, StandardCharsets.UTF_8);
        System.out.println(block + "\n" + output);
        assertThat(process.exitValue()).as(block + " failed:\n" + output).isZero();
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

    /** One python3 process for all Python blocks of a file, started at the first of them. */
    private final class PythonSession implements AutoCloseable {
        private final ObjectMapper json = new ObjectMapper();
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private Process process;
        private Writer requests;

        void run(ReadmeBlock block, String text, Map<String, String> env) throws Exception {
            if (process == null) {
                start(env);
            }
            requests.write(json.writeValueAsString(Map.of("code", text, "name", block.toString(), "env", env)) + "\n");
            requests.flush();
            List<String> output = new ArrayList<>();
            Instant deadline = Instant.now().plus(BLOCK_TIMEOUT);
            while (true) {
                String line = lines.poll(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
                if (line == null) {
                    fail(block + " did not end in " + BLOCK_TIMEOUT + ":\n" + String.join("\n", output));
                }
                if (line.startsWith(BLOCK_END)) {
                    System.out.println(block + "\n" + String.join("\n", output));
                    assertThat(line).as(block + " failed:\n" + String.join("\n", output)).isEqualTo(BLOCK_END + " ok");
                    return;
                }
                if (line.equals("\0eof")) {
                    fail(block + ": python3 ended:\n" + String.join("\n", output));
                }
                output.add(line);
            }
        }

        private void start(Map<String, String> env) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("python3", "-u", "-c", PYTHON_SESSION, BLOCK_END)
                    .directory(work.toFile()).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(env);
            process = pb.start();
            requests = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread.ofVirtual().start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("reading python3's output failed: " + e);
                }
                lines.add("\0eof");
            });
        }

        @Override
        public void close() throws Exception {
            if (process != null) {
                requests.close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
