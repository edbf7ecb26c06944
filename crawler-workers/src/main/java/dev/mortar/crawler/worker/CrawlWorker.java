package dev.mortar.crawler.worker;

import dev.mortar.crawler.CrawlCounters;
import dev.mortar.crawler.CrawlReport;
import dev.mortar.crawler.CrawlTarget;
import dev.mortar.crawler.CrawlerDefinition;
import dev.mortar.crawler.Crawler;
import dev.mortar.catalog.hms.HmsCatalogWriter;
import dev.mortar.thrift.worker.CrawlInclude;
import dev.mortar.thrift.worker.CrawlProgress;
import dev.mortar.thrift.worker.CrawlTask;
import dev.mortar.thrift.worker.FileError;
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
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A crawler process apart from the server: leases crawl tasks over the worker protocol
 * ({@code CrawlTaskService} in thrift-idl), renews the lease with heartbeats that carry the crawl's
 * progress, runs the crawl writing through the server's HMS Thrift API, and completes the task with
 * its report. A heartbeat that answers {@code STOP_REQUESTED} stops the crawl between tables; one
 * that finds the lease lost abandons it (another worker has it). A worker that dies mid-task holds
 * nothing: its lease expires and another worker crawls the task again.
 */
public final class CrawlWorker implements AutoCloseable {
    private static final com.fasterxml.jackson.databind.ObjectMapper DEFINITION_JSON = new com.fasterxml.jackson.databind.ObjectMapper();
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

    private final Settings settings;
    private final Configuration hadoop;
    private final WorkerConnection connection;
    private final WorkerConnection heartbeats;
    private final ScheduledExecutorService heartbeatTimer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("crawl-heartbeat").daemon(true).factory());
    private final AtomicBoolean closing = new AtomicBoolean();

    public CrawlWorker(Settings settings, Configuration hadoop) {
        this.settings = settings;
        this.hadoop = hadoop;
        this.connection = new WorkerConnection(settings.serverHost(), settings.serverPort());
        this.heartbeats = new WorkerConnection(settings.serverHost(), settings.serverPort());
    }

    /** Leases and runs tasks until {@link #close()}; an unreachable server is asked again after the poll interval. */
    public void run() throws InterruptedException {
        LOG.info("Crawl worker {} leasing from {}:{} ({} s leases)", settings.workerId(), settings.serverHost(), settings.serverPort(), settings.leaseSeconds());
        while (!closing.get()) {
            boolean worked;
            try {
                worked = runOne();
            } catch (TException e) {
                LOG.warn("Crawl worker {}: server {}:{} unavailable: {}", settings.workerId(), settings.serverHost(), settings.serverPort(), e.toString());
                worked = false;
            }
            if (!worked && !closing.get()) {
                Thread.sleep(settings.pollInterval().toMillis());
            }
        }
    }

    /** Leases one task and runs it to its end; false when no task was waiting. */
    public boolean runOne() throws TException {
        var reply = connection.call(c -> c.leaseTask(settings.workerId(), settings.leaseSeconds()));
        if (!reply.isSetTask()) {
            return false;
        }
        runTask(reply.getTask());
        return true;
    }

    private void runTask(CrawlTask task) {
        LOG.info("Crawl worker {}: leased task {} (crawler {}, run {}, attempt {})", settings.workerId(), task.getTaskId(), task.getCrawlerName(),
                task.getCrawlId(), task.getAttempt());
        CrawlCounters counters = new CrawlCounters();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean lost = new AtomicBoolean();
        long interval = settings.heartbeatInterval().toMillis();
        var beating = heartbeatTimer.scheduleWithFixedDelay(() -> heartbeat(task, counters, stop, lost), interval, interval, TimeUnit.MILLISECONDS);
        CrawlReport report = null;
        String failure = null;
        String host = settings.metastoreHost().orElse(settings.serverHost());
        int port = settings.metastorePort().orElse(task.getMetastorePort());
        try (HmsCatalogWriter catalog = new HmsCatalogWriter(host, port)) {
            report = new Crawler(hadoop, catalog, counters).crawl(target(task), () -> stop.get() || lost.get() || closing.get());
        } catch (Exception e) {
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warn("Crawl worker {}: task {} failed", settings.workerId(), task.getTaskId(), e);
        } finally {
            beating.cancel(false);
        }
        if (lost.get() || closing.get() && !stop.get()) {
            // Another worker has the task (or will, when this lease expires): its run record is not ours to end.
            LOG.warn("Crawl worker {}: abandoned task {} ({})", settings.workerId(), task.getTaskId(), lost.get() ? "lease lost" : "worker stopping");
            return;
        }
        try {
            if (failure == null) {
                var wire = wireReport(report, stop.get());
                connection.call(c -> {
                    c.completeTask(task.getTaskId(), task.getLeaseToken(), wire);
                    return null;
                });
                LOG.info("Crawl worker {}: completed task {}: {} tables created, {} updated, {} partitions added, {} files read", settings.workerId(),
                        task.getTaskId(), report.tablesCreated().size(), report.tablesUpdated().size(), report.partitionsAdded(), report.filesRead());
            } else {
                var partial = new dev.mortar.thrift.worker.CrawlReport(List.of(), List.of(), 0, (int) counters.snapshot().filesSeen(), List.of(), false);
                String message = failure;
                connection.call(c -> {
                    c.failTask(task.getTaskId(), task.getLeaseToken(), message, partial);
                    return null;
                });
            }
        } catch (LeaseLostException | NoSuchTaskException e) {
            LOG.warn("Crawl worker {}: task {} could not be ended: {}", settings.workerId(), task.getTaskId(), e.getMessage());
        } catch (TException e) {
            LOG.warn("Crawl worker {}: task {} could not be ended, its lease will expire: {}", settings.workerId(), task.getTaskId(), e.toString());
        }
    }

    private void heartbeat(CrawlTask task, CrawlCounters counters, AtomicBoolean stop, AtomicBoolean lost) {
        CrawlCounters.Snapshot s = counters.snapshot();
        try {
            HeartbeatReply reply = heartbeats.call(c -> c.heartbeat(task.getTaskId(), task.getLeaseToken(),
                    new CrawlProgress(s.filesSeen(), s.bytesSeen(), (int) s.tablesFound())));
            if (reply.getStatus() == LeaseStatus.STOP_REQUESTED && stop.compareAndSet(false, true)) {
                LOG.info("Crawl worker {}: stop requested for task {}", settings.workerId(), task.getTaskId());
            }
        } catch (LeaseLostException | NoSuchTaskException e) {
            lost.set(true);
            LOG.warn("Crawl worker {}: lost the lease of task {}: {}", settings.workerId(), task.getTaskId(), e.getMessage());
        } catch (TException e) {
            // The lease runs on until it expires; the next heartbeat tries again.
            LOG.warn("Crawl worker {}: heartbeat of task {} failed: {}", settings.workerId(), task.getTaskId(), e.toString());
        }
    }

    /**
     * What the task covers: from the crawler's definition when the task carries it (its policy, Configuration and
     * SampleSize apply as in the server), else from the task's target alone. A worker has no folder state of earlier
     * runs, so a new-folders-only recrawl reads every folder here.
     */
    static CrawlTarget target(CrawlTask task) {
        if (task.isSetCrawlerDefinition()) {
            try {
                return CrawlerDefinition.target(task.getCrawlerName(), DEFINITION_JSON.readTree(task.getCrawlerDefinition()));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("The task's crawler definition is not JSON: " + e.getMessage(), e);
            }
        }
        var t = task.getTarget();
        List<CrawlTarget.Include> includes = t.getIncludes().stream().map((CrawlInclude i) -> new CrawlTarget.Include(i.getPath(), i.getExclusions())).toList();
        return new CrawlTarget(t.getDatabaseName(), t.getTablePrefix(), includes, t.isUpdateTables());
    }

    static dev.mortar.thrift.worker.CrawlReport wireReport(CrawlReport report, boolean stopped) {
        return new dev.mortar.thrift.worker.CrawlReport(report.tablesCreated(), report.tablesUpdated(), report.partitionsAdded(), report.filesRead(),
                report.errors().stream().map(e -> new FileError(e.path(), e.message())).toList(), stopped);
    }

    /** Stops leasing; a task in hand is abandoned between tables and its lease left to expire. */
    @Override
    public void close() {
        closing.set(true);
        heartbeatTimer.shutdownNow();
        connection.close();
        heartbeats.close();
    }
}
