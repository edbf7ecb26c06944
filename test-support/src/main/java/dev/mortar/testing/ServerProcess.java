package dev.mortar.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code mortar server} process on this JVM's class path and JDK, on ephemeral ports, with its own data
 * directory and the given settings; what it printed is kept. Started through {@link ServerProcesses}, which ends
 * it after the test.
 */
public final class ServerProcess {
    private static final Pattern UP = Pattern.compile("Mortar is up: HMS thrift://localhost:(\\d+), HTTP http://localhost:(\\d+).*");
    /** The server's command line entry point (metastore-server's CLI), named so that this module depends on nothing of Mortar's. */
    static final String MAIN = "dev.mortar.metastore.cli.MortarCli";

    private final String name;
    private final Process process;
    private final List<String> output;
    private final int thriftPort;
    private final int httpPort;

    private ServerProcess(String name, Process process, List<String> output, int thriftPort, int httpPort) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.thriftPort = thriftPort;
        this.httpPort = httpPort;
    }

    static ServerProcess start(String name, Path dataDir, Map<String, String> settings, List<String> jvmOptions) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN, "server", "--data-dir", dataDir.toString(), "--bind", "127.0.0.1",
                "--thrift-port", "0", "--http-port", "0", "--gateway-port", "0", "--gateway-http-port", "0"));
        settings.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon(true).name("output-" + name).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        Matcher up;
        try {
            up = Await.until("server " + name + " to start", Duration.ofMinutes(2), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("Server " + name + " exited with " + process.exitValue() + ":\n" + String.join("\n", output));
                }
                return output.stream().map(UP::matcher).filter(Matcher::matches).findFirst();
            });
        } catch (AssertionError e) {
            if (!process.isAlive()) {
                throw e;
            }
            // still starting after the limit: say where it stands, with what it printed and where its threads are
            AssertionError slow = new AssertionError(e.getMessage() + "; it printed:\n" + String.join("\n", output) + "\n--- its threads:\n"
                    + threadDump(process.pid()));
            process.destroyForcibly();
            throw slow;
        }
        return new ServerProcess(name, process, output, Integer.parseInt(up.group(1)), Integer.parseInt(up.group(2)));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public int thriftPort() {
        return thriftPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether a line it printed contains {@code text}. */
    public boolean printed(String text) {
        return output.stream().anyMatch(l -> l.contains(text));
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    /** SIGKILL, as a crash: nothing of the server runs after it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM: the server stops cleanly; its exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    /** The threads of the running process ({@code jcmd Thread.print}). */
    String threads() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process dump = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true).start();
        String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        dump.waitFor();
        return text;
    }

    /** The threads of a running JVM, as {@code jcmd PID Thread.print} prints them. */
    private static String threadDump(long pid) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process dump = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "Thread.print").redirectErrorStream(true).start();
            String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dump.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            return text;
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }
}
