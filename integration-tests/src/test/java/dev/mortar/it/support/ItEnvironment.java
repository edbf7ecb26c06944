package dev.mortar.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the build put what the tests run: Mortar's classpath, the engine programs, Trino, the
 * JDKs. Set by failsafe (see the pom); each accessor fails with the reason when a piece is missing.
 */
public final class ItEnvironment {
    private ItEnvironment() {}

    /** The JDK running the tests (JDK 25 on these machines): Mortar and Trino run on it. */
    public static Path modernJavaHome() {
        Path home = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() < 24) {
            throw new IllegalStateException("Run the integration tests with JDK 24+ (Trino 476 needs it); this is " + Runtime.version() + " at " + home);
        }
        return home;
    }

    /** JDK 17 for the Hive 2.3 client, Spark 4.0.1 and Iceberg with Hadoop 3.4 (they fail on JDK 25: Subject.getSubject). */
    public static Path java17Home() {
        Path home = Path.of(property("it.java17.home"));
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            throw new IllegalStateException("No JDK 17 at " + home + "; pass -Djava17.home=<path> to Maven");
        }
        return home;
    }

    public static List<Path> mortarClasspath() {
        return jars(Path.of(property("it.mortar.lib")), "Mortar's classpath (run the package phase: mvn verify)");
    }

    /** The program jar and the classpath of engines/{@code name}, built by the invoker plugin. */
    public static List<Path> engineClasspath(String name) {
        Path target = Path.of(property("it.engines"), name, "target");
        List<Path> lib = jars(target.resolve("lib"), "the " + name + " engine (built in pre-integration-test: mvn verify)");
        Path program = target.resolve("engine.jar");
        return program.toFile().exists() ? Stream.concat(Stream.of(program), lib.stream()).toList() : lib;
    }

    public static Path engineLib(String name) {
        return Path.of(property("it.engines"), name, "target", "lib");
    }

    public static Path trinoHome() {
        Path home = Path.of(property("it.trino.home"));
        if (!Files.isDirectory(home.resolve("lib")) || !Files.isDirectory(home.resolve("plugin/hive"))) {
            throw new IllegalStateException("Trino is not unpacked at " + home + " (pre-integration-test unpacks it: mvn verify)");
        }
        return home;
    }

    /** A fresh directory for one test class's files and logs. */
    public static Path workDir(String name) {
        Path dir = Path.of(property("it.work"), name);
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> jars(Path dir, String what) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException("No jars in " + dir + " for " + what);
            }
            return jars;
        } catch (IOException e) {
            throw new IllegalStateException("Missing " + dir + " for " + what, e);
        }
    }

    private static String property(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("System property " + key + " is not set: run the tests through Maven (mvn verify), which sets it");
        }
        return value;
    }
}
