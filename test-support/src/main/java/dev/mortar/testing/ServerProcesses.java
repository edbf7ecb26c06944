package dev.mortar.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JUnit extension for tests with real server processes: {@code @RegisterExtension final ServerProcesses servers =
 * new ServerProcesses();}, then {@link #start}. After each test every server still running is ended with SIGKILL,
 * and what each server printed (and, for the running ones, their threads) is written to
 * {@code target/server-processes/<test>/} for a failure's reader.
 */
public final class ServerProcesses implements AfterEachCallback {
    private final List<String> jvmOptions;
    private final List<ServerProcess> started = new ArrayList<>();

    /** Servers with a modest heap and the serial collector, as tests on small machines want. */
    public ServerProcesses() {
        this(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"));
    }

    public ServerProcesses(List<String> jvmOptions) {
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** A server named {@code name} on {@code dataDir} with these settings (a store from {@link TestStores}, say). */
    public ServerProcess start(String name, Path dataDir, Map<String, String> settings) throws Exception {
        ServerProcess server = ServerProcess.start(name, dataDir, settings, jvmOptions);
        started.add(server);
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "server-processes", context.getRequiredTestClass().getSimpleName() + "-"
                + context.getRequiredTestMethod().getName() + "-" + System.nanoTime()));
        for (ServerProcess s : started) {
            if (s.isAlive()) {
                Files.writeString(logs.resolve(s.name() + "-" + s.pid() + ".threads"), s.threads());
                s.kill();
            }
            Files.write(logs.resolve(s.name() + "-" + s.pid() + ".log"), s.output());
        }
        started.clear();
    }
}
