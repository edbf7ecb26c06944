package dev.mortar.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM (Mortar or an engine) with its own JDK, heap and classpath. Its stdout and stderr go
 * to files under the test's work directory. Closing it stops the process and its descendants; a
 * shutdown hook does the same if the test JVM exits first, so no test leaves a process behind.
 */
public final class EngineProcess implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Thread shutdownHook;

    private EngineProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.shutdownHook = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder java(String name, Path javaHome) {
        return new Builder(name, javaHome);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path stdoutFile() {
        return stdout;
    }

    public Path stderrFile() {
        return stderr;
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /** Waits for the process to exit by itself; past the timeout it is stopped and the test fails. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop();
                throw new AssertionError(name + " did not finish within " + timeout + "; stopped it.\n" + logTail(60));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new AssertionError("Interrupted while waiting for " + name, e);
        }
    }

    /** The last lines of stdout and stderr, for failure messages. */
    public String logTail(int lines) {
        return "--- " + stdout + " (last " + lines + " lines)\n" + tail(read(stdout), lines)
                + "\n--- " + stderr + " (last " + lines + " lines)\n" + tail(read(stderr), lines);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }

    private void stop() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n", -1);
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    public static final class Builder {
        private final String name;
        private final Path javaHome;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> removedEnvPrefixes = new ArrayList<>();
        private String classpath;
        private String mainClass;
        private Path workDir;
        private Path logDir;

        private Builder(String name, Path javaHome) {
            this.name = name;
            this.javaHome = javaHome;
        }

        public Builder jvmArgs(String... values) {
            jvmArgs.addAll(List.of(values));
            return this;
        }

        public Builder jvmArgs(List<String> values) {
            jvmArgs.addAll(values);
            return this;
        }

        public Builder systemProperty(String key, String value) {
            jvmArgs.add("-D" + key + "=" + value);
            return this;
        }

        public Builder classpath(List<Path> entries) {
            this.classpath = String.join(java.io.File.pathSeparator, entries.stream().map(Path::toString).toList());
            return this;
        }

        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        public Builder mainClass(String mainClass) {
            this.mainClass = mainClass;
            return this;
        }

        public Builder args(String... values) {
            args.addAll(List.of(values));
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Drops inherited environment variables with this prefix (a developer's own settings must not leak in). */
        public Builder withoutEnvironmentPrefix(String prefix) {
            removedEnvPrefixes.add(prefix);
            return this;
        }

        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** Where {@code <name>.out} and {@code <name>.err} are written. */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        public EngineProcess start() {
            List<String> command = new ArrayList<>();
            command.add(javaHome.resolve("bin/java").toString());
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(classpath);
            command.add(mainClass);
            command.addAll(args);
            try {
                Files.createDirectories(logDir);
                Path out = logDir.resolve(name + ".out");
                Path err = logDir.resolve(name + ".err");
                Files.writeString(logDir.resolve(name + ".cmd"), String.join(" \\\n  ", command) + "\n", StandardCharsets.UTF_8);
                ProcessBuilder pb = new ProcessBuilder(command)
                        .directory((workDir != null ? workDir : logDir).toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                pb.environment().keySet().removeIf(key -> removedEnvPrefixes.stream().anyMatch(key::startsWith));
                pb.environment().put("JAVA_HOME", javaHome.toString());
                pb.environment().putAll(env);
                return new EngineProcess(name, pb.start(), out, err);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start " + name + ": " + command, e);
            }
        }
    }
}
