package dev.mortar.metastore.control.job;

import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.job.JobBookmarks.ReadFile;
import dev.mortar.metastore.control.job.JobRunRecord.Predecessor;
import dev.mortar.metastore.control.job.JobRunRecord.RunOrigin;
import dev.mortar.metastore.control.schedule.RunEnds;
import dev.mortar.metastore.control.job.JobRunRecord.RunFigures;
import dev.mortar.metastore.control.job.JobRunRecord.RunSettings;
import dev.mortar.metastore.control.run.RunCoordinator;
import dev.mortar.metastore.control.run.RunCoordinator.Task;
import dev.mortar.metastore.control.run.RunCoordinator.TaskKind;
import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.scheduler.trigger.JobArguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * Job runs ({@code c_job_runs}), each a task on the run queue. StartJobRun merges the arguments as the service does
 * (the job's non-overridable ones over the run's over the job's defaults) and queues the run STARTING, or WAITING when
 * the job's concurrent runs are taken and it queues, or refuses it. A worker's lease makes it RUNNING; the worker ends
 * it SUCCEEDED, FAILED, TIMEOUT or STOPPED; a stop reaches its holder through the task's stop flag. A job task is
 * leased once only: a holder whose lease expired has its run FAILED (never run a second time under the same id, so
 * its output is never committed twice), and a FAILED run is retried as a new run while the job's MaxRetries allow.
 * When a run ends, the job's oldest WAITING runs take the free slots. Every state change is one transaction and one
 * log line.
 */
public final class JobRuns {
    private static final Logger LOG = LoggerFactory.getLogger(JobRuns.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The service caps a run's arguments at 260 KB. */
    private static final int MAX_ARGUMENT_BYTES = 260 * 1024;
    /** A run's stored log stops growing here; the rest is counted. */
    private static final int MAX_LOG_CHARS = 4 * 1024 * 1024;
    private static final String COLUMNS = "run_id, job_name, attempt, previous_run_id, trigger_name, run_state, started_at, modified_at, completed_at, "
            + "running_since, settings, error_message, figures, bookmark_run, chain_id, workflow_name";

    /** What StartJobRun (or a trigger) asks for: arguments and the run's overrides of the job's settings. */
    public record StartRequest(Map<String, String> arguments, Optional<String> retryOf, Optional<Integer> timeoutMinutes, Optional<String> workerType,
                               Optional<Integer> numberOfWorkers, Optional<Double> maxCapacity, Optional<String> securityConfiguration,
                               Optional<Integer> notifyDelayAfter, Optional<String> executionClass, Optional<Boolean> queuing,
                               Optional<String> triggerName, List<Predecessor> predecessors, Optional<RunOrigin> origin) {
        public StartRequest {
            arguments = Map.copyOf(arguments);
            predecessors = List.copyOf(predecessors);
        }

        public static StartRequest of(Map<String, String> arguments) {
            return new StartRequest(arguments, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty());
        }

        /** The same request, made by a trigger: the run records its origin (TriggerName and chain). */
        public StartRequest startedBy(RunOrigin newOrigin, List<Predecessor> newPredecessors) {
            return new StartRequest(arguments, retryOf, timeoutMinutes, workerType, numberOfWorkers, maxCapacity, securityConfiguration, notifyDelayAfter,
                    executionClass, queuing, Optional.of(newOrigin.triggerName()), newPredecessors, Optional.of(newOrigin));
        }
    }

    /** A job run leased to a worker, with what it needs: the job, the run, and the files its bookmark has seen (when on). */
    public record LeasedRun(String taskId, String token, JobRecord job, JobRunRecord run, long expiresAt, Optional<JobBookmarks.Selection> bookmark) {}

    public record Heartbeat(boolean stopRequested, long expiresAt) {}

    /** How a worker ended a run it held. */
    public enum Ending { SUCCEEDED, FAILED, TIMEOUT, STOPPED }

    /** A worker's report of a run: how it ended, why, what it did, and what it read (for the bookmark). */
    public record Outcome(Ending ending, Optional<String> error, Optional<RunFigures> figures, Set<ReadFile> filesRead, List<String> log) {
        public Outcome {
            filesRead = Set.copyOf(filesRead);
            log = List.copyOf(log);
        }
    }

    /** BatchStopJobRun's answer for one run: stopped (or stopping), or why not. */
    public record StopResult(String runId, Optional<String> errorCode, Optional<String> errorMessage) {}

    /** Told after commits, in this process. */
    public interface Listener {
        default void enqueued(String taskId) {}

        default void stopRequested(String taskId) {}

        /** A run may have ended (committed): the scheduler looks at once for what it satisfies. */
        default void ended() {}
    }

    /** Set when this thread's transaction ended a run, so that the scheduler hears of it once the transaction is over. */
    private static final ThreadLocal<Boolean> ENDED = new ThreadLocal<>();

    private final CatalogDatabase database;
    private final RunCoordinator queue;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile JobMetrics metrics = JobMetrics.NONE;

    public JobRuns(CatalogDatabase database, RunCoordinator queue) {
        this.database = database;
        this.queue = queue;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void countWith(JobMetrics metrics) {
        this.metrics = metrics;
    }

    private <T> T tx(CatalogDatabase.TransactionBody<T, RuntimeException> body) {
        return database.inTransaction(body);
    }

    // ---- start

    /** Starts a run of the job; its run id. */
    public String start(String jobName, StartRequest request) {
        List<String> enqueued = new ArrayList<>();
        JobRunRecord started = tx(c -> startIn(c, jobName, request, true, enqueued));
        LOG.info("Job {}: run {} {}{}", jobName, started.id(), started.state(), started.attempt() > 0 ? " (attempt " + started.attempt() + ")" : "");
        metrics.started(jobName);
        notifyEnqueued(enqueued);
        return started.id();
    }

    /**
     * Starts a run in the caller's transaction, for a trigger: when the job's concurrent runs are all taken and it does
     * not queue, the run is recorded FAILED rather than refused, as the service records it. The caller calls
     * {@link #enqueued} with {@code enqueued} after its commit.
     */
    public JobRunRecord startForTrigger(Connection c, String jobName, StartRequest request, List<String> enqueued) throws SQLException {
        JobRunRecord started = startIn(c, jobName, request, false, enqueued);
        LOG.info("Job {}: run {} {} (trigger {})", jobName, started.id(), started.state(), request.triggerName().orElse("?"));
        metrics.started(jobName);
        return started;
    }

    /** Tells this process's workers of runs queued in a transaction that has committed. */
    public void enqueued(List<String> taskIds) {
        notifyEnqueued(taskIds);
    }

    /**
     * Records, in the caller's transaction, a run in ERROR for a job that a trigger was to start and could not: it does
     * not exist (any more), as the service records it, or it refused the arguments. Its end goes to the scheduler like
     * any other.
     */
    public String recordError(Connection c, String jobName, RunOrigin origin, Map<String, String> arguments, String error) throws SQLException {
        long now = queue.now();
        String id = newRunId();
        RunSettings settings = new RunSettings(arguments, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, "", "SCRIPT", List.of());
        update(c, "INSERT INTO c_job_runs (run_id, job_name, attempt, previous_run_id, trigger_name, run_state, started_at, modified_at, completed_at, settings, "
                        + "error_message, log_text, chain_id, workflow_name) VALUES (?, ?, 0, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, jobName, origin.triggerName(), JobRunState.ERROR.name(), now, now, now, JobDocument.write(settings), error,
                logLine(now, "Run " + id + ": ERROR: " + error), origin.chainId(), origin.workflowName().orElse(null));
        RunEnds.record(c, RunEnds.Kind.JOB, id, jobName, JobRunState.ERROR.name(), now, origin);
        ENDED.set(Boolean.TRUE);
        LOG.warn("Job {}: run {} ERROR: {}", jobName, id, error);
        return id;
    }

    private JobRunRecord startIn(Connection c, String jobName, StartRequest request, boolean refuse, List<String> enqueued) throws SQLException {
        {
            JobRecord job = Jobs.job(c, jobName, true).orElseThrow(() -> Jobs.notFound(jobName));
            JobDefinition d = job.definition();
            int attempt = 0;
            Optional<String> previous = Optional.empty();
            String id = newRunId();
            Map<String, String> requested = request.arguments();
            if (request.retryOf().isPresent()) {
                JobRunRecord retried = run(c, jobName, request.retryOf().get(), false)
                        .orElseThrow(() -> new ControlException.NotFound("Job run " + request.retryOf().get() + " of job " + jobName + " not found"));
                if (!retried.state().ended()) {
                    throw new ControlException.InvalidInput("Job run " + retried.id() + " is " + retried.state() + "; only an ended run can be retried");
                }
                attempt = retried.attempt() + 1;
                previous = Optional.of(retried.id());
                id = retryId(retried.id(), attempt);
                if (requested.isEmpty()) {
                    requested = retried.settings().arguments();
                }
            }
            Map<String, String> arguments = merge(d, requested);
            if (request.origin().flatMap(RunOrigin::workflowName).isPresent()) {
                // every job run of a workflow run gets these two, which nothing overrides
                arguments = new LinkedHashMap<>(arguments);
                arguments.put(JobArguments.WORKFLOW_NAME, request.origin().get().workflowName().get());
                arguments.put(JobArguments.WORKFLOW_RUN_ID, request.origin().get().chainId());
            }
            JobBookmarks.option(arguments);
            JobBookmarks.range(c, jobName, arguments);
            RunSettings settings = new RunSettings(arguments, request.timeoutMinutes().orElse(d.effectiveTimeoutMinutes()),
                    request.workerType().or(d::workerType), request.numberOfWorkers().or(d::numberOfWorkers),
                    request.workerType().isPresent() ? request.maxCapacity() : request.maxCapacity().or(d::maxCapacity),
                    request.securityConfiguration().or(d::securityConfiguration), request.notifyDelayAfter().or(d::notifyDelayAfter),
                    request.executionClass().or(d::executionClass), request.queuing().orElse(d.queuing()), d.effectiveGlueVersion(),
                    d.effectiveJobMode(), request.predecessors());
            return insert(c, job, id, attempt, previous, request.triggerName(), request.origin(), settings, refuse, enqueued);
        }
    }

    /** The arguments of a run: the job's non-overridable ones over the run's over the job's defaults. */
    static Map<String, String> merge(JobDefinition job, Map<String, String> run) {
        Map<String, String> merged = new LinkedHashMap<>(job.defaultArguments());
        run.forEach((k, v) -> {
            if (!job.nonOverridableArguments().containsKey(k)) {
                merged.put(k, v);
            }
        });
        merged.putAll(job.nonOverridableArguments());
        long bytes = merged.entrySet().stream().mapToLong(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length
                + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
        if (bytes > MAX_ARGUMENT_BYTES) {
            throw new ControlException.InvalidInput("The run's arguments are " + bytes + " bytes; at most " + MAX_ARGUMENT_BYTES + " are allowed");
        }
        return merged;
    }

    /**
     * Inserts a run as STARTING with its task when the job has a free slot, as WAITING when it queues, and otherwise
     * refuses it ({@code refuse}) or records it FAILED (a retry that found no slot).
     */
    private JobRunRecord insert(Connection c, JobRecord job, String id, int attempt, Optional<String> previous, Optional<String> trigger,
                                Optional<RunOrigin> origin, RunSettings settings, boolean refuse, List<String> enqueued) throws SQLException {
        long now = queue.now();
        int active = activeRuns(c, job.name());
        int max = job.definition().effectiveMaxConcurrentRuns();
        JobRunState state;
        String error = null;
        if (active < max) {
            state = JobRunState.STARTING;
        } else if (settings.queuing()) {
            state = JobRunState.WAITING;
        } else if (refuse) {
            throw new ControlException.Conflict(ControlException.Conflict.Reason.CONCURRENT_RUNS, "Concurrent runs exceeded for " + job.name() + ": " + active
                    + " of its MaxConcurrentRuns " + max + " are in progress");
        } else {
            state = JobRunState.FAILED;
            error = "Concurrent runs exceeded for " + job.name() + " (MaxConcurrentRuns " + max + ")";
        }
        update(c, "INSERT INTO c_job_runs (run_id, job_name, attempt, previous_run_id, trigger_name, run_state, started_at, modified_at, completed_at, settings, "
                        + "error_message, log_text, chain_id, workflow_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, job.name(), attempt, previous.orElse(null), trigger.orElse(null), state.name(), now, now, state.ended() ? now : null,
                JobDocument.write(settings), error, logLine(now, "Run " + id + " of job " + job.name() + ": " + state
                        + (state == JobRunState.WAITING ? " (its " + max + " concurrent runs are taken; it starts when one ends)" : "")),
                origin.map(RunOrigin::chainId).orElse(null), origin.flatMap(RunOrigin::workflowName).orElse(null));
        if (state.ended() && origin.isPresent()) {
            RunEnds.record(c, RunEnds.Kind.JOB, id, job.name(), state.name(), now, origin.get());
            ENDED.set(Boolean.TRUE);
        }
        if (state == JobRunState.STARTING) {
            queue.enqueue(c, TaskKind.JOB, id, job.name(), id);
            enqueued.add(id);
        }
        return run(c, job.name(), id, false).orElseThrow();
    }

    private static int activeRuns(Connection c, String job) throws SQLException {
        return queryOne(c, "SELECT COUNT(*) FROM c_job_runs WHERE job_name = ? AND run_state IN (?, ?, ?)", rs -> rs.getInt(1), job,
                JobRunState.STARTING.name(), JobRunState.RUNNING.name(), JobRunState.STOPPING.name()).orElse(0);
    }

    /** Starts the job's oldest WAITING runs while it has free slots, in the caller's transaction. */
    private void promoteWaiting(Connection c, String jobName, List<String> enqueued) throws SQLException {
        Optional<JobRecord> job = Jobs.job(c, jobName, true);
        if (job.isEmpty()) {
            return;
        }
        int free = job.get().definition().effectiveMaxConcurrentRuns() - activeRuns(c, jobName);
        if (free <= 0) {
            return;
        }
        List<String> waiting = query(c, "SELECT run_id FROM c_job_runs WHERE job_name = ? AND run_state = ? ORDER BY started_at, run_id",
                rs -> rs.getString(1), jobName, JobRunState.WAITING.name());
        for (String id : waiting.subList(0, Math.min(free, waiting.size()))) {
            setState(c, id, JobRunState.STARTING, "a concurrent run slot is free");
            queue.enqueue(c, TaskKind.JOB, id, jobName, id);
            enqueued.add(id);
            LOG.info("Job {}: run {} STARTING (it was WAITING)", jobName, id);
        }
    }

    // ---- stop

    /** Asks each run to stop: one that no worker holds yet ends STOPPED at once, a held one goes STOPPING until its worker ends it. */
    public List<StopResult> stop(String jobName, List<String> runIds) {
        List<StopResult> results = new ArrayList<>();
        List<String> held = new ArrayList<>();
        List<String> enqueued = new ArrayList<>();
        for (String runId : runIds) {
            StopResult result = tx(c -> {
                if (Jobs.job(c, jobName, false).isEmpty()) {
                    throw Jobs.notFound(jobName);
                }
                Optional<JobRunRecord> found = run(c, jobName, runId, true);
                if (found.isEmpty()) {
                    return new StopResult(runId, Optional.of("EntityNotFoundException"), Optional.of("Job run " + runId + " of job " + jobName + " not found"));
                }
                JobRunRecord run = found.get();
                switch (run.state()) {
                    case WAITING -> {
                        finish(c, run, JobRunState.STOPPED, Optional.empty(), Optional.empty(), List.of("Stopped before it started"), enqueued);
                        return new StopResult(runId, Optional.empty(), Optional.empty());
                    }
                    case STOPPING -> {
                        return new StopResult(runId, Optional.empty(), Optional.empty());
                    }
                    case STARTING, RUNNING -> {
                        Optional<Task> task = queue.task(c, runId);
                        if (task.isPresent() && task.get().state() == RunCoordinator.TaskState.PENDING && queue.closeStopped(c, task.get())) {
                            finish(c, run, JobRunState.STOPPED, Optional.empty(), Optional.empty(), List.of("Stopped before a worker took it"), enqueued);
                            return new StopResult(runId, Optional.empty(), Optional.empty());
                        }
                        setState(c, runId, JobRunState.STOPPING, "stop requested");
                        // an SQLException (a deadlock with the worker's heartbeat) goes up as is, so the transaction is retried
                        if (task.isPresent()) {
                            queue.requestStop(c, task.get());
                        }
                        held.add(runId);
                        return new StopResult(runId, Optional.empty(), Optional.empty());
                    }
                    default -> {
                        return new StopResult(runId, Optional.of("InvalidInputException"), Optional.of("Job run " + runId + " of job " + jobName + " is "
                                + run.state() + " and cannot be stopped"));
                    }
                }
            });
            results.add(result);
            if (result.errorCode().isEmpty()) {
                LOG.info("Job {}: stop of run {} requested", jobName, runId);
            }
        }
        held.forEach(id -> listeners.forEach(l -> l.stopRequested(id)));
        notifyEnqueued(enqueued);
        return results;
    }

    // ---- the worker side

    /** The oldest waiting job run, leased to {@code workerId} and made RUNNING; empty when none waits. */
    public Optional<LeasedRun> lease(String workerId, int leaseSeconds) {
        if (workerId == null || workerId.isBlank() || workerId.length() > 255) {
            throw new ControlException.InvalidInput("Worker id must be 1 to 255 characters");
        }
        if (leaseSeconds < 1 || leaseSeconds > RunCoordinator.MAX_LEASE_SECONDS) {
            throw new ControlException.InvalidInput("Lease seconds must be between 1 and " + RunCoordinator.MAX_LEASE_SECONDS + ", not " + leaseSeconds);
        }
        List<String> enqueued = new ArrayList<>();
        Optional<LeasedRun> leased = tx(c -> {
            for (Task t : queue.candidates(c, TaskKind.JOB)) {
                if (t.state() == RunCoordinator.TaskState.LEASED) {
                    // a job run is never run twice under one id: its holder's lease expired, so it ends here
                    endExpired(c, t, enqueued);
                    continue;
                }
                Optional<RunCoordinator.Lease> lease = queue.claim(c, t, workerId, leaseSeconds);
                if (lease.isEmpty()) {
                    continue;
                }
                JobRunRecord run = run(c, t.subject(), t.id(), true).orElseThrow();
                Optional<JobRecord> job = Jobs.job(c, t.subject(), false);
                if (job.isEmpty()) {
                    queue.done(c, queue.requireLease(c, TaskKind.JOB, t.id(), lease.get().token()));
                    finish(c, run, JobRunState.ERROR, Optional.of("Job " + t.subject() + " no longer exists"), Optional.empty(), List.of(), enqueued);
                    continue;
                }
                long now = queue.now();
                update(c, "UPDATE c_job_runs SET run_state = ?, running_since = ?, modified_at = ?, log_text = " + appended() + " WHERE run_id = ?",
                        JobRunState.RUNNING.name(), now, now, logLine(now, "RUNNING on " + workerId), t.id());
                Optional<JobBookmarks.Selection> bookmark;
                try {
                    bookmark = JobBookmarks.selection(c, t.subject(), run.settings().arguments());
                } catch (ControlException e) {
                    // a range whose runs are gone since the run started (a bookmark reset): the run fails as it starts
                    queue.done(c, queue.requireLease(c, TaskKind.JOB, t.id(), lease.get().token()));
                    finish(c, run, JobRunState.FAILED, Optional.of(e.getMessage()), Optional.empty(), List.of(), enqueued);
                    continue;
                }
                LOG.info("Job {}: run {} RUNNING on {}", t.subject(), t.id(), workerId);
                return Optional.of(new LeasedRun(t.id(), lease.get().token(), job.get(), run(c, t.subject(), t.id(), false).orElseThrow(), lease.get().expiresAt(),
                        bookmark));
            }
            return Optional.<LeasedRun>empty();
        });
        notifyEnqueued(enqueued);
        return leased;
    }

    /** Renews a held lease and appends the run's new log lines; whether a stop was asked. */
    public Heartbeat heartbeat(String taskId, String token, List<String> logLines) {
        return tx(c -> {
            Task t = queue.requireLease(c, TaskKind.JOB, taskId, token);
            long expiresAt = queue.renew(c, t, Optional.empty());
            appendLog(c, taskId, logLines);
            return new Heartbeat(t.stopRequested(), expiresAt);
        });
    }

    /** Ends the held run with the worker's outcome; a SUCCEEDED run with bookmarks on records what it read in the same transaction. */
    public void end(String taskId, String token, Outcome outcome) {
        List<String> enqueued = new ArrayList<>();
        JobRunRecord ended = tx(c -> {
            Task t = queue.requireLease(c, TaskKind.JOB, taskId, token);
            queue.done(c, t);
            JobRunRecord run = run(c, t.subject(), taskId, true).orElseThrow();
            JobRunState state = switch (outcome.ending()) {
                case SUCCEEDED -> JobRunState.SUCCEEDED;
                case FAILED -> t.stopRequested() ? JobRunState.STOPPED : JobRunState.FAILED;
                case TIMEOUT -> JobRunState.TIMEOUT;
                case STOPPED -> JobRunState.STOPPED;
            };
            appendLog(c, taskId, outcome.log());
            if (state == JobRunState.SUCCEEDED && JobBookmarks.option(run.settings().arguments()) == JobBookmarks.Option.ENABLE) {
                long bookmarkRun = JobBookmarks.advance(c, run.jobName(), run.id(), run.attempt(), outcome.filesRead(), queue.now());
                update(c, "UPDATE c_job_runs SET bookmark_run = ? WHERE run_id = ?", bookmarkRun, run.id());
            }
            return finish(c, run, state, state == JobRunState.SUCCEEDED ? Optional.empty() : outcome.error().or(() -> Optional.of(state + " in the worker")),
                    outcome.figures(), List.of(), enqueued);
        });
        LOG.info("Job {}: run {} {}{}", ended.jobName(), ended.id(), ended.state(), ended.error().map(e -> ": " + e).orElse(""));
        notifyEnqueued(enqueued);
    }

    /** Ends runs whose holder's lease expired; the number ended. */
    public int expireLeases() {
        List<String> enqueued = new ArrayList<>();
        int ended = tx(c -> {
            int n = 0;
            for (Task t : queue.expired(c, TaskKind.JOB)) {
                n += endExpired(c, t, enqueued) ? 1 : 0;
            }
            return n;
        });
        notifyEnqueued(enqueued);
        return ended;
    }

    private boolean endExpired(Connection c, Task t, List<String> enqueued) throws SQLException {
        if (!queue.close(c, t)) {
            return false;
        }
        Optional<JobRunRecord> run = run(c, t.subject(), t.id(), true);
        if (run.isEmpty() || run.get().state().ended()) {
            return false;
        }
        JobRunState state = t.stopRequested() ? JobRunState.STOPPED : JobRunState.FAILED;
        Optional<String> error = t.stopRequested() ? Optional.empty()
                : Optional.of("The worker " + t.owner().orElse("?") + " that ran this run stopped answering (its lease expired); nothing of the run was committed by it afterwards");
        finish(c, run.get(), state, error, Optional.empty(), List.of(), enqueued);
        LOG.warn("Job {}: the lease of {} on run {} expired; run {}", t.subject(), t.owner().orElse("?"), t.id(), state);
        return true;
    }

    /**
     * Ends a run in the caller's transaction: its state, error and figures; a FAILED run is retried as a new run while
     * the job's MaxRetries allow; the job's WAITING runs take the slot.
     */
    private JobRunRecord finish(Connection c, JobRunRecord run, JobRunState state, Optional<String> error, Optional<RunFigures> figures, List<String> log,
                                List<String> enqueued) throws SQLException {
        long now = queue.now();
        ENDED.set(Boolean.TRUE);
        update(c, "UPDATE c_job_runs SET run_state = ?, modified_at = ?, completed_at = ?, error_message = ?, figures = ?, log_text = " + appended()
                        + " WHERE run_id = ?", state.name(), now, now, error.orElse(null), figures.map(JobDocument::write).orElse(null),
                logLines(now, log, state + error.map(e -> ": " + e).orElse("")), run.id());
        JobRunRecord ended = run(c, run.jobName(), run.id(), false).orElseThrow();
        metrics.ended(state, ended.executionSeconds(Instant.ofEpochMilli(now)), figures.map(RunFigures::rowsWritten).orElse(0L));
        boolean retried = false;
        if (state == JobRunState.FAILED) {
            Optional<JobRecord> job = Jobs.job(c, run.jobName(), true);
            if (job.isPresent() && run.attempt() < job.get().definition().effectiveMaxRetries()) {
                int attempt = run.attempt() + 1;
                JobRunRecord retry = insert(c, job.get(), retryId(run.id(), attempt), attempt, Optional.of(run.id()), run.triggerName(), run.origin(),
                        run.settings(), false, enqueued);
                retried = true;
                LOG.info("Job {}: run {} failed; retried as {} (attempt {} of {})", run.jobName(), run.id(), retry.id(), attempt,
                        job.get().definition().effectiveMaxRetries());
            }
        }
        if (!retried && run.origin().isPresent()) {
            // ended for good: the scheduler judges the conditions that watch this job
            RunEnds.record(c, RunEnds.Kind.JOB, run.id(), run.jobName(), state.name(), now, run.origin().get());
        }
        promoteWaiting(c, run.jobName(), enqueued);
        return ended;
    }

    // ---- reads

    public JobRunRecord run(String jobName, String runId) {
        return tx(c -> {
            if (Jobs.job(c, jobName, false).isEmpty()) {
                throw Jobs.notFound(jobName);
            }
            return run(c, jobName, runId, false).orElseThrow(() -> new ControlException.NotFound("Job run " + runId + " of job " + jobName + " not found"));
        });
    }

    /** Up to {@code limit} runs of the job, newest first, after the run {@code after} (a run id of an earlier page). */
    public List<JobRunRecord> runs(String jobName, Optional<String> after, int limit) {
        return tx(c -> {
            if (Jobs.job(c, jobName, false).isEmpty()) {
                throw Jobs.notFound(jobName);
            }
            if (after.isPresent()) {
                JobRunRecord from = run(c, jobName, after.get(), false)
                        .orElseThrow(() -> new ControlException.InvalidInput("Invalid NextToken: run " + after.get() + " of job " + jobName + " is gone"));
                return query(c, "SELECT " + COLUMNS + " FROM c_job_runs WHERE job_name = ? AND (started_at < ? OR (started_at = ? AND run_id < ?)) "
                        + "ORDER BY started_at DESC, run_id DESC LIMIT " + limit, JobRuns::row, jobName, from.started().toEpochMilli(),
                        from.started().toEpochMilli(), from.id());
            }
            return query(c, "SELECT " + COLUMNS + " FROM c_job_runs WHERE job_name = ? ORDER BY started_at DESC, run_id DESC LIMIT " + limit,
                    JobRuns::row, jobName);
        });
    }

    /** The run's log so far. */
    public String log(String jobName, String runId) {
        return tx(c -> {
            run(c, jobName, runId, false).orElseThrow(() -> new ControlException.NotFound("Job run " + runId + " of job " + jobName + " not found"));
            return queryOne(c, "SELECT log_text FROM c_job_runs WHERE run_id = ?", rs -> Optional.ofNullable(rs.getString(1)).orElse(""), runId).orElse("");
        });
    }

    /** The runs that are not ended, of every job (for the worker's own checks and the CLI). */
    public List<JobRunRecord> active() {
        return tx(c -> query(c, "SELECT " + COLUMNS + " FROM c_job_runs WHERE run_state IN (?, ?, ?, ?) ORDER BY started_at", JobRuns::row,
                JobRunState.STARTING.name(), JobRunState.RUNNING.name(), JobRunState.STOPPING.name(), JobRunState.WAITING.name()));
    }

    static Optional<JobRunRecord> run(Connection c, String jobName, String runId, boolean lock) throws SQLException {
        return queryOne(c, "SELECT " + COLUMNS + " FROM c_job_runs WHERE run_id = ? AND job_name = ?" + (lock ? " FOR UPDATE" : ""), JobRuns::row, runId, jobName);
    }

    private static JobRunRecord row(ResultSet rs) throws SQLException {
        Optional<String> trigger = Optional.ofNullable(rs.getString(5));
        Optional<String> chain = Optional.ofNullable(rs.getString(15));
        Optional<String> workflow = Optional.ofNullable(rs.getString(16));
        return new JobRunRecord(rs.getString(1), rs.getString(2), rs.getInt(3), Optional.ofNullable(rs.getString(4)), trigger,
                JobRunState.valueOf(rs.getString(6)), Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)), instant(rs, 9), instant(rs, 10),
                JobDocument.readSettings(rs.getString(11)), Optional.ofNullable(rs.getString(12)), Optional.ofNullable(rs.getString(13)).map(JobDocument::readFigures),
                Optional.ofNullable(rs.getObject(14)).map(v -> ((Number) v).longValue()),
                chain.map(id -> new RunOrigin(trigger.orElse(""), id, workflow)));
    }

    /** The job runs of a chain (a workflow run's), oldest first. */
    public static List<JobRunRecord> runsOfChain(Connection c, String chainId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM c_job_runs WHERE chain_id = ? ORDER BY started_at, run_id", JobRuns::row, chainId);
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    // ---- helpers

    private void setState(Connection c, String runId, JobRunState state, String why) throws SQLException {
        long now = queue.now();
        update(c, "UPDATE c_job_runs SET run_state = ?, modified_at = ?, log_text = " + appended() + " WHERE run_id = ?", state.name(), now,
                logLine(now, state + ": " + why), runId);
    }

    /** Appends lines to the run's log while it is under the cap. */
    private void appendLog(Connection c, String runId, List<String> lines) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        int length = queryOne(c, "SELECT CHAR_LENGTH(log_text) FROM c_job_runs WHERE run_id = ?", rs -> rs.getInt(1), runId).orElse(0);
        if (length >= MAX_LOG_CHARS) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        if (length + text.length() > MAX_LOG_CHARS) {
            text.setLength(Math.max(0, MAX_LOG_CHARS - length));
            text.append("\n[the log is cut here: it reached ").append(MAX_LOG_CHARS).append(" characters]\n");
        }
        update(c, "UPDATE c_job_runs SET log_text = " + appended() + " WHERE run_id = ?", text.toString(), runId);
    }

    private static String appended() {
        return "CONCAT(COALESCE(log_text, ''), ?)";
    }

    private static String logLine(long now, String line) {
        return Instant.ofEpochMilli(now) + " " + line + "\n";
    }

    private static String logLines(long now, List<String> lines, String last) {
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(logLine(now, l)));
        return text.append(logLine(now, last)).toString();
    }

    private void notifyEnqueued(List<String> ids) {
        ids.forEach(id -> listeners.forEach(l -> l.enqueued(id)));
        if (Boolean.TRUE.equals(ENDED.get())) {
            ENDED.remove();
            listeners.forEach(Listener::ended);
        }
    }

    private static String newRunId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "jr_" + HexFormat.of().formatHex(bytes);
    }

    /** A retry's id: the first run's id with {@code _attempt_N}. */
    private static String retryId(String previous, int attempt) {
        int at = previous.indexOf("_attempt_");
        return (at < 0 ? previous : previous.substring(0, at)) + "_attempt_" + attempt;
    }
}
