package dev.mortar.etl.worker;

import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.CatalogWriter;
import dev.mortar.etl.Cancellation;
import dev.mortar.etl.Engine;
import dev.mortar.etl.JobCancelledException;
import dev.mortar.etl.JobException;
import dev.mortar.etl.JobRequest;
import dev.mortar.etl.JobScripts;
import dev.mortar.etl.JobTimeoutException;
import dev.mortar.etl.RunResult;
import dev.mortar.etl.SqlJobRunner;
import dev.mortar.etl.python.PythonRun;
import dev.mortar.etl.python.PythonShellRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Runs job runs leased from a {@link JobTaskService}, one at a time: the script read from its location, run as SQL on
 * the engine or as a Python shell script, while a heartbeat renews the lease every {@code heartbeat}, sends the run's
 * new log lines and hears a stop. A stop, the run's timeout or a lost lease cancels the run (the statement in flight,
 * or the script's processes), and nothing of it is committed; the run ends with its outcome. Before a SQL run commits
 * its output, the lease is renewed once more, so a run whose lease was lost never commits.
 */
public final class JobWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);
    /** Log lines kept in memory for one heartbeat; the rest is counted. */
    private static final int MAX_PENDING_LINES = 10_000;

    /**
     * What runs need from the process the worker lives in: the engine, the catalog a task reads and writes, the Hadoop
     * configuration scripts are read with, the Python, what Python scripts find in their environment over what the
     * server gives them, and where runs keep local files.
     */
    public record Environment(Engine engine, java.util.function.Function<JobTask, Catalog> catalog, java.util.function.Function<JobTask, CatalogWriter> writer,
                              org.apache.hadoop.conf.Configuration hadoop, String python, java.util.function.Function<JobTask, Map<String, String>> pythonEnvironment,
                              Path workDir) {}

    private final String workerId;
    private final int leaseSeconds;
    private final Duration heartbeat;
    private final JobTaskService service;
    private final Environment environment;
    private final PythonShellRunner python = new PythonShellRunner();
    private final ScheduledExecutorService beats;
    private final AtomicReference<Running> running = new AtomicReference<>();
    private volatile boolean closed;

    private record Running(JobTask task, Cancellation cancellation) {}

    public JobWorker(String workerId, int leaseSeconds, Duration heartbeat, JobTaskService service, Environment environment) {
        this.workerId = workerId;
        this.leaseSeconds = leaseSeconds;
        this.heartbeat = heartbeat;
        this.service = service;
        this.environment = environment;
        this.beats = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("job-heartbeat-" + workerId).daemon(true).factory());
    }

    public String workerId() {
        return workerId;
    }

    /** Whether the worker was shut down: it takes no more runs. */
    public boolean isShutDown() {
        return closed;
    }

    /** The run this worker holds, if any. */
    public Optional<JobTask> heldTask() {
        return Optional.ofNullable(running.get()).map(Running::task);
    }

    /** Stops the run {@code taskId} if this worker holds it (a stop asked in this process reaches it at once). */
    public void requestStop(String taskId) {
        Running r = running.get();
        if (r != null && r.task().taskId().equals(taskId)) {
            r.cancellation().cancel("Stopped by request (BatchStopJobRun)");
        }
    }

    /** Leases and runs one job run; false when none was waiting. */
    public boolean runOne() {
        if (closed) {
            return false;
        }
        Optional<JobTask> leased = service.lease(workerId, leaseSeconds);
        if (leased.isEmpty()) {
            return false;
        }
        run(leased.get());
        return true;
    }

    private void run(JobTask task) {
        Cancellation cancellation = new Cancellation();
        running.set(new Running(task, cancellation));
        List<String> pending = new ArrayList<>();
        List<String> tail = new ArrayList<>();
        java.util.function.Consumer<String> log = line -> {
            String stamped = Instant.now() + " " + line;
            synchronized (pending) {
                if (pending.size() < MAX_PENDING_LINES) {
                    pending.add(stamped);
                }
            }
        };
        AtomicReference<Boolean> leaseLost = new AtomicReference<>(false);
        Runnable beat = () -> {
            List<String> lines;
            synchronized (pending) {
                lines = List.copyOf(pending);
                pending.clear();
            }
            try {
                if (service.heartbeat(task.taskId(), task.token(), lines).stopRequested()) {
                    cancellation.cancel("Stopped by request (BatchStopJobRun)");
                }
            } catch (JobTaskService.LeaseLostException e) {
                leaseLost.set(true);
                cancellation.cancel("The worker lost its lease on the run: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("Job run {}: heartbeat failed: {}", task.runId(), e.toString());
                synchronized (pending) {
                    pending.addAll(0, lines);
                }
            }
        };
        ScheduledFuture<?> beating = beats.scheduleWithFixedDelay(beat, 0, heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> timeout = beats.schedule(() -> cancellation.cancel(timeoutMessage(task.timeout())), task.timeout().toMillis(), TimeUnit.MILLISECONDS);
        Path dir = environment.workDir().resolve(task.runId());
        JobOutcome outcome;
        try {
            log.accept("Run " + task.runId() + " of job " + task.jobName() + " (attempt " + task.attempt() + ") on " + workerId);
            outcome = execute(task, cancellation, log, dir, () -> {
                // the lease is renewed right before a commit; a lost lease cancels the run, so it never commits
                beat.run();
                cancellation.throwIfCancelled();
            });
        } catch (JobCancelledException e) {
            boolean timedOut = cancellation.reason().orElse("").equals(timeoutMessage(task.timeout()));
            // a run cut short by its worker's shutdown failed; one stopped on request or by its timeout says so
            JobOutcome.Ending ending = timedOut ? JobOutcome.Ending.TIMEOUT : closed ? JobOutcome.Ending.FAILED : JobOutcome.Ending.STOPPED;
            outcome = new JobOutcome(ending, Optional.of(e.getMessage()), Optional.empty(), Map.of(), List.of());
        } catch (JobTimeoutException e) {
            outcome = new JobOutcome(JobOutcome.Ending.TIMEOUT, Optional.of(e.getMessage()), Optional.empty(), Map.of(), List.of());
        } catch (JobException e) {
            outcome = new JobOutcome(JobOutcome.Ending.FAILED, Optional.of(e.getMessage()), Optional.empty(), Map.of(), List.of());
        } catch (RuntimeException e) {
            LOG.warn("Job run {} failed", task.runId(), e);
            outcome = new JobOutcome(JobOutcome.Ending.FAILED, Optional.of("The run failed in the worker: " + e), Optional.empty(), Map.of(), List.of());
        } finally {
            beating.cancel(false);
            timeout.cancel(false);
            running.set(null);
            delete(dir);
        }
        if (outcome.ending() != JobOutcome.Ending.SUCCEEDED) {
            log.accept("The run ended " + outcome.ending() + ": " + outcome.error().orElse(""));
        }
        synchronized (pending) {
            tail.addAll(pending);
            pending.clear();
        }
        if (leaseLost.get()) {
            LOG.warn("Job run {}: the lease was lost; the server ends the run", task.runId());
            return;
        }
        JobOutcome reported = new JobOutcome(outcome.ending(), outcome.error(), outcome.result(), outcome.filesRead(), tail);
        try {
            service.end(task.taskId(), task.token(), reported);
            LOG.info("Job run {} of {} {} on {}", task.runId(), task.jobName(), outcome.ending(), workerId);
        } catch (JobTaskService.LeaseLostException e) {
            LOG.warn("Job run {}: could not be ended, the lease was lost: {}", task.runId(), e.getMessage());
        }
    }

    private static String timeoutMessage(Duration timeout) {
        return "The run exceeded its timeout of " + timeout.toMinutes() + " minutes";
    }

    private JobOutcome execute(JobTask task, Cancellation cancellation, java.util.function.Consumer<String> log, Path dir, Runnable beforeCommit) {
        dev.mortar.etl.JobKind kind = JobScripts.kind(task.command(), task.scriptLocation());
        JobScripts scripts = new JobScripts(environment.hadoop());
        return switch (kind) {
            case SQL -> {
                String script = scripts.read(task.scriptLocation());
                JobRequest request = new JobRequest(task.runId(), script, task.arguments(), log).withAlreadyRead(task.alreadyRead().orElse(Map.of()))
                        .withBeforeCommit(beforeCommit);
                if (task.onlyRead().isPresent()) {
                    request = request.withOnlyRead(task.onlyRead().get());
                }
                RunResult result = new SqlJobRunner(environment.engine(), environment.catalog().apply(task), environment.writer().apply(task))
                        .run(request, cancellation);
                yield new JobOutcome(JobOutcome.Ending.SUCCEEDED, Optional.empty(), Optional.of(result), result.filesRead(), List.of());
            }
            case PYTHON_SHELL -> {
                Path script = scripts.copyTo(task.scriptLocation(), dir);
                Map<String, String> arguments = new LinkedHashMap<>(task.arguments());
                // what the service adds to every run's argv
                arguments.put("--JOB_ID", "j_" + sha(task.jobName()));
                arguments.put("--JOB_RUN_ID", task.runId());
                arguments.put("--JOB_NAME", task.jobName());
                arguments.putIfAbsent("--TempDir", dir.resolve("temp").toString());
                // what the server gives, with what this worker knows better (its own view of the server's address)
                Map<String, String> env = new LinkedHashMap<>(task.environment());
                env.putAll(environment.pythonEnvironment().apply(task));
                python.run(new PythonRun(environment.python(), script, PythonRun.argumentTokens(arguments), env, log, Optional.of(task.timeout())), cancellation);
                yield new JobOutcome(JobOutcome.Ending.SUCCEEDED, Optional.empty(), Optional.empty(), Map.of(), List.of());
            }
        };
    }

    private static String sha(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("Cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.debug("Cannot clean {}: {}", dir, e.toString());
        }
    }

    /** Cancels the run it holds (it ends FAILED with {@code why}) and takes no more; {@link #close} after the worker's thread ended. */
    public void shutDown(String why) {
        closed = true;
        Running r = running.get();
        if (r != null) {
            r.cancellation().cancel(why);
        }
    }

    @Override
    public void close() {
        shutDown("The worker stopped during the run");
        beats.shutdownNow();
        python.close();
    }
}
