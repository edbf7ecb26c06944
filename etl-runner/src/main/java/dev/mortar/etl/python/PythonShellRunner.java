package dev.mortar.etl.python;

import dev.mortar.etl.Cancellation;
import dev.mortar.etl.JobCancelledException;
import dev.mortar.etl.JobException;
import dev.mortar.etl.JobTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Runs Python shell jobs: a local script in its own process, with Mortar's {@code awsglue} package on its
 * {@code PYTHONPATH} (so {@code from awsglue.utils import getResolvedOptions} works as on the managed service). Output
 * lines stream to the run's log sink as they come, tagged {@code stdout: } or {@code stderr: }. A stop or a timeout
 * ends the script's whole process tree: each process is asked to end (SIGTERM), and those still running after
 * {@link #STOP_GRACE} are killed.
 */
public final class PythonShellRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PythonShellRunner.class);

    /** The files of Mortar's {@code awsglue} package, as resources of this module. */
    static final List<String> AWSGLUE_FILES = List.of("awsglue/__init__.py", "awsglue/utils.py");

    /** How long the processes of a stopped script have to end before they are killed. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(3);

    /** How many output lines a result keeps (all of them go to the log sink). */
    public static final int KEPT_LINES = 10_000;

    /** How long output is still read after the script ended, from processes it left behind. */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);

    private final Object lock = new Object();
    private Path libraries;

    /** Where Mortar's {@code awsglue} package is, extracted on first use into a temporary folder this runner owns. */
    public Path libraries() {
        synchronized (lock) {
            if (libraries == null) {
                libraries = extractLibraries();
            }
            return libraries;
        }
    }

    private static Path extractLibraries() {
        try {
            Path dir = Files.createTempDirectory("mortar-python-");
            for (String name : AWSGLUE_FILES) {
                Path target = dir.resolve(name);
                Files.createDirectories(target.getParent());
                try (InputStream in = PythonShellRunner.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        throw new IllegalStateException("Resource " + name + " is missing from the etl-runner jar");
                    }
                    Files.copy(in, target);
                }
            }
            LOG.info("Extracted Mortar's awsglue package for Python shell jobs to {}", dir);
            return dir;
        } catch (IOException e) {
            throw new JobException("Cannot extract Mortar's awsglue package for Python shell jobs: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the script to its end. Exit code 0 is a {@link PythonResult}; any other a {@link PythonScriptException}
     * naming the script's last error line; a stop a {@link JobCancelledException}; a timeout a
     * {@link JobTimeoutException}. The script's process tree is gone when this returns.
     */
    public PythonResult run(PythonRun run, Cancellation cancellation) {
        Path script = run.script().toAbsolutePath();
        String name = script.getFileName().toString();
        if (!Files.isRegularFile(script)) {
            throw new JobException("Script " + script + " does not exist");
        }
        cancellation.throwIfCancelled();
        Instant started = Instant.now();
        Process process = start(run, script, name);
        Output output = new Output(run);
        Thread stdout = output.follow(process.getInputStream(), "stdout: ");
        Thread stderr = output.follow(process.getErrorStream(), "stderr: ");
        AtomicBoolean stopping = new AtomicBoolean();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        boolean timedOut = false;
        try (Cancellation.Registration stop = cancellation.onCancel(() -> {
            stopping.set(true);
            // the stopping thread only asks: the tree is ended on a thread of its own, and this run waits for it
            Thread.ofVirtual().name("python-stop-" + process.pid()).start(() -> {
                try {
                    stopTree(process);
                } finally {
                    stopped.complete(null);
                }
            });
        })) {
            if (run.timeout().isPresent()) {
                if (!process.waitFor(run.timeout().get().toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut = !stopping.get();
                    if (timedOut) {
                        stopTree(process);
                    }
                }
            }
            process.waitFor();
        } catch (InterruptedException e) {
            stopTree(process);
            Thread.currentThread().interrupt();
            throw new JobCancelledException("the thread running script " + name + " was interrupted", e);
        }
        if (stopping.get()) {
            await(stopped);
        }
        output.drain(stdout, stderr);
        Duration took = Duration.between(started, Instant.now());
        int exit = process.exitValue();
        if (stopping.get()) {
            String reason = cancellation.reason().orElse("stopped");
            run.logSink().accept("Script " + name + " stopped after " + took.toMillis() + " ms: " + reason);
            throw new JobCancelledException(reason);
        }
        if (timedOut) {
            String message = "Script " + name + " ran longer than its timeout of " + describe(run.timeout().get()) + " and was stopped";
            run.logSink().accept(message);
            throw new JobTimeoutException(message, run.timeout().get());
        }
        if (exit != 0) {
            PythonScriptException failed = new PythonScriptException(name, exit, output.errorLine());
            run.logSink().accept("Script " + name + " failed: " + failed.getMessage());
            throw failed;
        }
        run.logSink().accept("Script " + name + " ended with exit code 0 after " + took.toMillis() + " ms");
        return new PythonResult(exit, took, output.count(), output.kept());
    }

    private Process start(PythonRun run, Path script, String name) {
        List<String> command = new ArrayList<>();
        command.add(run.python());
        command.add("-u"); // unbuffered: lines reach the log as the script prints them
        command.add(script.toString());
        command.addAll(run.args());
        ProcessBuilder builder = new ProcessBuilder(command).directory(script.getParent().toFile());
        Map<String, String> environment = builder.environment();
        environment.putAll(run.environment());
        String path = environment.get("PYTHONPATH");
        environment.put("PYTHONPATH", libraries() + (path == null || path.isEmpty() ? "" : File.pathSeparator + path));
        environment.putIfAbsent("PYTHONUNBUFFERED", "1");
        environment.putIfAbsent("PYTHONIOENCODING", "utf-8");
        try {
            Process process = builder.start();
            process.getOutputStream().close(); // a script that reads stdin reads nothing
            run.logSink().accept("Script " + name + " started: " + run.python() + " " + script + " (process " + process.pid() + ")");
            return process;
        } catch (IOException e) {
            throw new JobException("Cannot start " + run.python() + " for script " + name + ": " + e.getMessage(), e);
        }
    }

    /** Asks every process of the tree to end, then kills those still running after the grace period. */
    static void stopTree(Process process) {
        // children first taken, while the parent still holds them: once it is gone they belong to init
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        CompletableFuture<?>[] exits = tree.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
        try {
            CompletableFuture.allOf(exits).get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("Processes of script (pid {}) still running after being killed: {}", process.pid(),
                    tree.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CompletableFuture<Void> stopped) {
        try {
            stopped.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String describe(Duration timeout) {
        long seconds = timeout.toSeconds();
        return seconds % 60 == 0 && seconds > 0 ? (seconds / 60) + " min" : timeout.toMillis() + " ms";
    }

    /** A script's output: streamed to the sink, the last lines kept, the last error line remembered. */
    private static final class Output {
        private final PythonRun run;
        private final Deque<String> kept = new ArrayDeque<>();
        private long count;
        private String lastStderr;
        private String lastStdout;

        Output(PythonRun run) {
            this.run = run;
        }

        Thread follow(InputStream stream, String tag) {
            return Thread.ofVirtual().name("python-" + tag.substring(0, 6)).start(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        add(tag, line);
                    }
                } catch (IOException | UncheckedIOException e) {
                    // the stream was closed under the reader: the process is gone
                }
            });
        }

        private void add(String tag, String line) {
            String tagged = tag + line;
            synchronized (this) {
                count++;
                kept.addLast(tagged);
                if (kept.size() > KEPT_LINES) {
                    kept.removeFirst();
                }
                if (!line.isBlank()) {
                    if (tag.startsWith("stderr")) {
                        lastStderr = line.strip();
                    } else {
                        lastStdout = line.strip();
                    }
                }
            }
            run.logSink().accept(tagged);
        }

        /** Waits for the readers to reach the end of the output (a process the script left running may hold it open). */
        void drain(Thread... readers) {
            long deadline = System.nanoTime() + OUTPUT_DRAIN.toNanos();
            boolean followed = true;
            for (Thread reader : readers) {
                try {
                    long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                    followed &= reader.join(Duration.ofMillis(left));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!followed) {
                run.logSink().accept("Output of processes the script left running is not followed further");
            }
        }

        synchronized long count() {
            return count;
        }

        synchronized List<String> kept() {
            return List.copyOf(kept);
        }

        synchronized Optional<String> errorLine() {
            return Optional.ofNullable(lastStderr != null ? lastStderr : lastStdout);
        }
    }

    /** Deletes the extracted {@code awsglue} package. */
    @Override
    public void close() {
        synchronized (lock) {
            if (libraries == null) {
                return;
            }
            try (Stream<Path> paths = Files.walk(libraries)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("Cannot delete {}: {}", libraries, e.getMessage());
            }
            libraries = null;
        }
    }
}
