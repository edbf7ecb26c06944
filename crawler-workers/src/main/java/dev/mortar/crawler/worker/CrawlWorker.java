package dev.mortar.crawler.worker;

import dev.mortar.crawler.CrawlAssignment;
import dev.mortar.crawler.CrawlCounters;
import dev.mortar.crawler.CrawlExecution;
import dev.mortar.crawler.CrawlLog;
import dev.mortar.crawler.CrawlReport;
import dev.mortar.catalog.hms.HmsCatalogWriter;
import dev.mortar.thrift.worker.CrawlProgress;
import dev.mortar.thrift.worker.CrawlTask;
import dev.mortar.thrift.worker.HeartbeatReply;
import dev.mortar.thrift.worker.LeaseLostException;
import dev.mortar.thrift.worker.LeaseStatus;
import dev.mortar.thrift.worker.NoSuchTaskException;
import org.apache.hadoop.conf.Configuration;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A crawl worker: leases crawl tasks from the task service ({@code CrawlTaskService} in thrift-idl), renews the
 * lease with heartbeats that carry the crawl's progress, runs the task's {@link CrawlAssignment} (custom
 * classifiers, JDBC targets and the last run's folder state included) writing through the metastore's HMS API,
 * and completes the task with its report and decision log. A heartbeat that answers {@code STOP_REQUESTED} stops
 * the crawl between files and tables; one that finds the lease lost abandons it (another holder has it). A worker
 * that dies mid-task holds nothing: its lease expires and the run is leased again or failed by the server's policy.
 * The same worker runs in a {@code mortar worker} process (over the worker port) and inside the server (bound
 * directly to its task service).
 */
public final class CrawlWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CrawlWorker.class);

    /**
     * Where the server is, who this worker is, for how long it leases, how often it asks when there is
     * nothing to do, and where the metastore is (empty: the server's host and the port the task names).
     */
    public record Settings(String serverHost, int serverPort, String workerId, int leaseSeconds, Duration heartbeatInterval,
                           Duration pollInterval, Optional<String> metastoreHost, Optional<Integer> metastorePort) {
        public Settings {
            if (workerId.isBlank()) {
                throw new IllegalArgumentException("Worker id must not be empty");
            }
            if (leaseSeconds < 1) {
                throw new IllegalArgumentException("Lease seconds must be at least 1, not " + leaseSeconds);
            }
        }
    }

    /** How a worker opens the catalog for one task. */
    @FunctionalInterface
    public interface CatalogAccess {
        HmsCatalogWriter open(CrawlTask task);
    }

    private final String workerId;
    private final int leaseSeconds;
    private final Duration heartbeatInterval;
    private final Duration pollInterval;
    private final Configuration hadoop;
    private final TaskService tasks;
    private final TaskService heartbeats;
    private final CatalogAccess catalogs;
    private final ScheduledExecutorService heartbeatTimer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("crawl-heartbeat").daemon(true).factory());
    private final AtomicBoolean closing = new AtomicBoolean();
    /** The task in hand, with its stop flag. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    private record Held(CrawlTask task, AtomicBoolean stop) {}

    /** A worker in its own process, reaching the server over the worker port. */
    public CrawlWorker(Settings settings, Configuration hadoop) {
        this(settings.workerId(), settings.leaseSeconds(), settings.heartbeatInterval(), settings.pollInterval(),
                new WorkerConnection(settings.serverHost(), settings.serverPort()), new WorkerConnection(settings.serverHost(), settings.serverPort()),
                task -> new HmsCatalogWriter(settings.metastoreHost().orElse(settings.serverHost()), settings.metastorePort().orElse(task.getMetastorePort())),
                hadoop);
    }

    /** A worker over any binding of the task service and the catalog. */
    public CrawlWorker(String workerId, int leaseSeconds, Duration heartbeatInterval, Duration pollInterval, TaskService tasks, TaskService heartbeats,
                       CatalogAccess catalogs, Configuration hadoop) {
        if (workerId.isBlank()) {
            throw new IllegalArgumentException("Worker id must not be empty");
        }
        if (leaseSeconds < 1) {
            throw new IllegalArgumentException("Lease seconds must be at least 1, not " + leaseSeconds);
        }
        this.workerId = workerId;
        this.leaseSeconds = leaseSeconds;
        this.heartbeatInterval = heartbeatInterval;
        this.pollInterval = pollInterval;
        this.tasks = tasks;
        this.heartbeats = heartbeats;
        this.catalogs = catalogs;
        this.hadoop = hadoop;
    }

    public String workerId() {
        return workerId;
    }

    /** Leases and runs tasks until {@link #close()}; an unreachable server is asked again after the poll interval. */
    public void run() throws InterruptedException {
        LOG.info("Crawl worker {} leasing ({} s leases)", workerId, leaseSeconds);
        while (!closing.get()) {
            boolean worked;
            try {
                worked = runOne();
            } catch (TException e) {
                LOG.warn("Crawl worker {}: task service unavailable: {}", workerId, e.toString());
                worked = false;
            } catch (RuntimeException e) {
                LOG.warn("Crawl worker {}: lease failed", workerId, e);
                worked = false;
            }
            if (!worked && !closing.get()) {
                Thread.sleep(pollInterval.toMillis());
            }
        }
    }

    /** Leases one task and runs it to its end; false when no task was waiting. */
    public boolean runOne() throws TException {
        if (closing.get()) {
            return false;
        }
        var reply = tasks.call(c -> c.leaseTask(workerId, leaseSeconds));
        if (!reply.isSetTask()) {
            return false;
        }
        runTask(reply.getTask());
        return true;
    }

    /** Asks the run of this task, when this worker holds it, to stop between files and tables (as a heartbeat's STOP_REQUESTED does). */
    public void requestStop(String taskId) {
        Held h = held.get(taskId);
        if (h != null && h.stop().compareAndSet(false, true)) {
            LOG.info("Crawl worker {}: stop requested for task {}", workerId, taskId);
        }
    }

    /** The task this worker holds, if any. */
    public Optional<CrawlTask> heldTask() {
        return held.values().stream().map(Held::task).findFirst();
    }

    private void runTask(CrawlTask task) {
        LOG.info("Crawl worker {}: leased task {} (crawler {}, run {}, attempt {})", workerId, task.getTaskId(), task.getCrawlerName(),
                task.getCrawlId(), task.getAttempt());
        CrawlCounters counters = new CrawlCounters();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean lost = new AtomicBoolean();
        held.put(task.getTaskId(), new Held(task, stop));
        // a stop asked between the lease and now reached no one: the first heartbeat, at once, hears it
        heartbeat(task, counters, stop, lost);
        long interval = heartbeatInterval.toMillis();
        var beating = heartbeatTimer.scheduleWithFixedDelay(() -> heartbeat(task, counters, stop, lost), interval, interval, TimeUnit.MILLISECONDS);
        CrawlReport report = null;
        String failure = null;
        CrawlLog log = new CrawlLog();
        try (HmsCatalogWriter catalog = catalogs.open(task)) {
            CrawlAssignment assignment = TaskCodec.assignment(task);
            report = new CrawlExecution(hadoop, catalog, counters).run(assignment, () -> stop.get() || lost.get() || closing.get(), log);
        } catch (Exception e) {
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.add(CrawlLog.Kind.ERROR, "crawl", "the run failed: " + failure);
            LOG.warn("Crawl worker {}: task {} failed", workerId, task.getTaskId(), e);
        } finally {
            beating.cancel(false);
            held.remove(task.getTaskId());
        }
        if (lost.get() || closing.get() && !stop.get()) {
            // Another holder has the task (or will, when this lease expires): its run record is not ours to end.
            LOG.warn("Crawl worker {}: abandoned task {} ({})", workerId, task.getTaskId(), lost.get() ? "lease lost" : "worker stopping");
            return;
        }
        try {
            if (failure == null) {
                var wire = TaskCodec.report(report, stop.get() || report.state().isEmpty());
                tasks.call(c -> {
                    c.completeTask(task.getTaskId(), task.getLeaseToken(), wire);
                    return null;
                });
                LOG.info("Crawl worker {}: completed task {}: {} tables created, {} updated, {} partitions added, {} files read", workerId,
                        task.getTaskId(), report.tablesCreated().size(), report.tablesUpdated().size(), report.partitionsAdded(), report.filesRead());
            } else {
                CrawlCounters.Snapshot seen = counters.snapshot();
                var partial = new dev.mortar.thrift.worker.CrawlReport(List.of(), List.of(), 0, (int) seen.filesSeen(), List.of(), false);
                partial.setFilesSeen((int) seen.filesSeen());
                partial.setDecisionLog(TaskCodec.entries(log));
                String message = failure;
                tasks.call(c -> {
                    c.failTask(task.getTaskId(), task.getLeaseToken(), message, partial);
                    return null;
                });
            }
        } catch (LeaseLostException | NoSuchTaskException e) {
            LOG.warn("Crawl worker {}: task {} could not be ended: {}", workerId, task.getTaskId(), e.getMessage());
        } catch (TException e) {
            LOG.warn("Crawl worker {}: task {} could not be ended, its lease will expire: {}", workerId, task.getTaskId(), e.toString());
        }
    }

    private void heartbeat(CrawlTask task, CrawlCounters counters, AtomicBoolean stop, AtomicBoolean lost) {
        CrawlCounters.Snapshot s = counters.snapshot();
        try {
            HeartbeatReply reply = heartbeats.call(c -> c.heartbeat(task.getTaskId(), task.getLeaseToken(),
                    new CrawlProgress(s.filesSeen(), s.bytesSeen(), (int) s.tablesFound())));
            if (reply.getStatus() == LeaseStatus.STOP_REQUESTED && stop.compareAndSet(false, true)) {
                LOG.info("Crawl worker {}: stop requested for task {}", workerId, task.getTaskId());
            }
        } catch (LeaseLostException | NoSuchTaskException e) {
            lost.set(true);
            LOG.warn("Crawl worker {}: lost the lease of task {}: {}", workerId, task.getTaskId(), e.getMessage());
        } catch (TException | RuntimeException e) {
            // The lease runs on until it expires; the next heartbeat tries again.
            LOG.warn("Crawl worker {}: heartbeat of task {} failed: {}", workerId, task.getTaskId(), e.toString());
        }
    }

    /** Stops leasing; a task in hand is abandoned between files and tables and its lease left to expire. */
    @Override
    public void close() {
        closing.set(true);
        heartbeatTimer.shutdownNow();
        tasks.close();
        heartbeats.close();
    }
}
