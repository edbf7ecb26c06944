package dev.mortar.metastore.control.crawl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.crawler.CrawlAssignment;
import dev.mortar.crawler.CrawlLog;
import dev.mortar.crawler.CrawlReport;
import dev.mortar.crawler.CrawlTarget;
import dev.mortar.crawler.classify.Classifiers;
import dev.mortar.crawler.classify.CustomClassifier;
import dev.mortar.crawler.jdbc.JdbcInclude;
import dev.mortar.crawler.jdbc.JdbcSource;
import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.connection.ConnectionDefinition;
import dev.mortar.metastore.control.connection.ConnectionRecord;
import dev.mortar.metastore.control.connection.Connections;
import dev.mortar.metastore.control.run.RunCoordinator;
import dev.mortar.metastore.control.run.RunCoordinator.Progress;
import dev.mortar.metastore.control.run.RunCoordinator.Task;
import dev.mortar.metastore.control.job.JobRunRecord.RunOrigin;
import dev.mortar.metastore.control.schedule.RunEnds;
import dev.mortar.metastore.store.CatalogDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * Crawl runs: starting one (the crawler RUNNING, a run record, a task on the queue, in one transaction), stopping
 * one from any server (the task's stop flag, heard by its holder at the next heartbeat, or at once by a holder in
 * this process), handing its task to a worker with everything the run needs ({@link CrawlAssignment}: target and
 * policy, custom classifiers, JDBC targets with their connections, the last run's folder state), and ending it
 * with the worker's report and decision log. A holder that died is found by its expired lease: its task is leased
 * again until {@code maxAttempts} leases expired, then the run fails. Each state change is one log line.
 */
public final class CrawlRuns {
    private static final Logger LOG = LoggerFactory.getLogger(CrawlRuns.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The summary names why at most this many tables were formed; the log has them all. */
    private static final int SUMMARY_TABLES = 100;

    /** A crawl task leased to a worker, with what its run needs. */
    public record LeasedCrawl(String taskId, String token, String crawler, String crawlId, int attempt, long expiresAt, CrawlAssignment assignment) {}

    public record Heartbeat(boolean stopRequested, long expiresAt) {}

    /** The progress of a crawler's open run at its latest heartbeat. */
    public record RunProgress(String crawlId, Progress progress, int attempt, Optional<String> worker) {}

    /** Told after commits, in this process: a task was queued, or the holder of a task was asked to stop. */
    public interface Listener {
        default void enqueued(String taskId) {}

        default void stopRequested(String taskId) {}

        /** A run may have ended (committed): the scheduler looks at once for what it satisfies. */
        default void ended() {}
    }

    private final CatalogDatabase database;
    private final RunCoordinator queue;
    private final int maxAttempts;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile CrawlMetrics metrics = CrawlMetrics.NONE;

    /** Where the runs that end here are counted. */
    public void countWith(CrawlMetrics metrics) {
        this.metrics = metrics;
    }

    public CrawlRuns(CatalogDatabase database, RunCoordinator queue, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("Setting mortar.crawler.task.max.attempts must be at least 1, not " + maxAttempts);
        }
        this.database = database;
        this.queue = queue;
        this.maxAttempts = maxAttempts;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    private <T> T tx(CatalogDatabase.TransactionBody<T, RuntimeException> body) {
        return database.inTransaction(body);
    }

    private record CrawlerRow(String definition, CrawlerState state) {}

    private static Optional<CrawlerRow> crawler(Connection c, String name, boolean lock) throws SQLException {
        return queryOne(c, "SELECT definition, crawler_state FROM g_crawlers WHERE crawler_name = ?" + (lock ? " FOR UPDATE" : ""),
                rs -> new CrawlerRow(rs.getString(1), CrawlerState.valueOf(rs.getString(2))), name);
    }

    private static ControlException notFound(String name) {
        return new ControlException.NotFound("Crawler entry with name " + name + " does not exist");
    }

    // ---- start and stop

    /** Starts a run of the crawler; its crawl id. */
    public String start(String name) {
        String crawlId = tx(c -> startIn(c, name, Optional.empty()));
        LOG.info("Crawler {}: run {} started, queued for a worker", name, crawlId);
        enqueued(List.of(crawlId));
        return crawlId;
    }

    /**
     * Starts a run in the caller's transaction for a trigger or a crawler's schedule ({@code origin} empty for a schedule,
     * which begins no chain); the caller calls {@link #enqueued} after its commit. A crawler that is running already
     * refuses it (Conflict RUNNING), having changed nothing.
     */
    public String startForTrigger(Connection c, String name, Optional<RunOrigin> origin) throws SQLException {
        String crawlId = startIn(c, name, origin);
        LOG.info("Crawler {}: run {} started by {}", name, crawlId, origin.map(o -> "trigger " + o.triggerName()).orElse("its schedule"));
        return crawlId;
    }

    /** Tells this process's workers of crawl tasks queued in a transaction that has committed. */
    public void enqueued(List<String> crawlIds) {
        crawlIds.forEach(id -> listeners.forEach(l -> l.enqueued(id)));
    }

    private String startIn(Connection c, String name, Optional<RunOrigin> origin) throws SQLException {
        String crawlId = UUID.randomUUID().toString();
        CrawlerRow row = crawler(c, name, false).orElseThrow(() -> notFound(name));
        // The conditional UPDATE is what makes a second start lose, in this server or another.
        if (update(c, "UPDATE g_crawlers SET crawler_state = ? WHERE crawler_name = ? AND crawler_state = ?", CrawlerState.RUNNING.name(), name,
                CrawlerState.READY.name()) != 1) {
            throw new ControlException.Conflict(ControlException.Conflict.Reason.RUNNING, "Crawler with name " + name + " has already started");
        }
        update(c, "INSERT INTO g_crawls (crawl_id, crawler_name, crawl_state, started_at, tables_created, tables_updated, partitions_added, files_read, "
                        + "trigger_name, chain_id, workflow_name) VALUES (?, ?, ?, ?, 0, 0, 0, 0, ?, ?, ?)", crawlId, name, CrawlRunState.RUNNING.name(), queue.now(),
                origin.map(RunOrigin::triggerName).orElse(null), origin.map(RunOrigin::chainId).orElse(null),
                origin.flatMap(RunOrigin::workflowName).orElse(null));
        ObjectNode payload = JSON.createObjectNode();
        payload.set("Definition", parse(row.definition()));
        queue.enqueue(c, RunCoordinator.TaskKind.CRAWL, crawlId, name, payload.toString());
        return crawlId;
    }

    /** The service's name of a crawl's state, as LastCrawl and a condition's CrawlState name it. */
    public static String serviceState(CrawlRunState state) {
        return switch (state) {
            case RUNNING -> "RUNNING";
            case COMPLETED -> "SUCCEEDED";
            case STOPPED -> "CANCELLED";
            case FAILED -> "FAILED";
        };
    }

    /** Asks the crawler's run to stop; a run no worker holds yet ends at once as STOPPED. */
    public void stop(String name) {
        Optional<String> held = tx(c -> {
            CrawlerRow row = crawler(c, name, true).orElseThrow(() -> notFound(name));
            switch (row.state()) {
                case READY -> throw new ControlException.Conflict(ControlException.Conflict.Reason.NOT_RUNNING, "Crawler with name " + name + " is not running");
                case STOPPING -> throw new ControlException.Conflict(ControlException.Conflict.Reason.STOPPING, "Crawler with name " + name + " is already stopping");
                case RUNNING -> { }
            }
            update(c, "UPDATE g_crawlers SET crawler_state = ? WHERE crawler_name = ?", CrawlerState.STOPPING.name(), name);
            Optional<Task> task = queue.open(c, RunCoordinator.TaskKind.CRAWL, name);
            if (task.isEmpty()) {
                return Optional.<String>empty();
            }
            // a waiting task ends here, unless a worker leased it meanwhile: then its holder is asked, as any holder is
            if (task.get().state() == RunCoordinator.TaskState.PENDING && queue.closeStopped(c, task.get())) {
                finish(c, name, task.get().id(), CrawlRunState.STOPPED, emptyReport(0), null, new CrawlLog());
                return Optional.<String>empty();
            }
            queue.requestStop(c, task.get());
            return Optional.of(task.get().id());
        });
        LOG.info("Crawler {}: stop requested", name);
        listeners.forEach(Listener::ended);
        held.ifPresent(taskId -> listeners.forEach(l -> l.stopRequested(taskId)));
    }

    // ---- the worker side

    /** The oldest waiting task (or one whose lease expired), leased to {@code workerId}; empty when none waits. */
    public Optional<LeasedCrawl> lease(String workerId, int leaseSeconds) {
        if (workerId == null || workerId.isBlank() || workerId.length() > 255) {
            throw new ControlException.InvalidInput("Worker id must be 1 to 255 characters");
        }
        if (leaseSeconds < 1 || leaseSeconds > RunCoordinator.MAX_LEASE_SECONDS) {
            throw new ControlException.InvalidInput("Lease seconds must be between 1 and " + RunCoordinator.MAX_LEASE_SECONDS + ", not " + leaseSeconds);
        }
        return tx(c -> {
            for (Task t : queue.candidates(c, RunCoordinator.TaskKind.CRAWL)) {
                boolean expired = t.state() == RunCoordinator.TaskState.LEASED;
                if (expired && (t.attempt() >= maxAttempts || t.stopRequested())) {
                    endExpired(c, t);
                    continue;
                }
                Optional<RunCoordinator.Lease> lease = queue.claim(c, t, workerId, leaseSeconds);
                if (lease.isEmpty()) {
                    continue;
                }
                if (expired) {
                    LOG.warn("Crawler {}: the lease of {} on run {} expired; leased again to {} (attempt {})", t.subject(), t.owner().orElse("?"), t.id(), workerId,
                            lease.get().attempt());
                } else {
                    LOG.info("Crawler {}: run {} leased to {}", t.subject(), t.id(), workerId);
                }
                try {
                    CrawlAssignment assignment = assignment(c, t.subject(), parse(t.payload()).path("Definition"));
                    return Optional.of(new LeasedCrawl(t.id(), lease.get().token(), t.subject(), t.id(), lease.get().attempt(), lease.get().expiresAt(), assignment));
                } catch (ControlException | IllegalArgumentException e) {
                    // the run cannot start as defined (a classifier gone, no DatabaseName): it fails, as it would have in the worker
                    update(c, "UPDATE g_crawl_tasks SET task_state = ? WHERE task_id = ?", RunCoordinator.TaskState.DONE.name(), t.id());
                    CrawlLog log = new CrawlLog();
                    log.add(CrawlLog.Kind.ERROR, "crawl", "the run failed: " + e.getMessage());
                    finish(c, t.subject(), t.id(), CrawlRunState.FAILED, emptyReport(0), e.getMessage(), log);
                    LOG.warn("Crawler {}: run {} FAILED before it started: {}", t.subject(), t.id(), e.getMessage());
                }
            }
            return Optional.empty();
        });
    }

    /** Ends runs whose holder's lease expired for the last time (or that were asked to stop); the number ended. */
    public int expireLeases() {
        int ended = tx(c -> {
            int n = 0;
            for (Task t : queue.expired(c, RunCoordinator.TaskKind.CRAWL)) {
                if (t.attempt() >= maxAttempts || t.stopRequested()) {
                    n += endExpired(c, t) ? 1 : 0;
                }
            }
            return n;
        });
        if (ended > 0) {
            listeners.forEach(Listener::ended);
        }
        return ended;
    }

    private boolean endExpired(Connection c, Task t) throws SQLException {
        if (!queue.close(c, t)) {
            return false;
        }
        CrawlRunState state = t.stopRequested() ? CrawlRunState.STOPPED : CrawlRunState.FAILED;
        String error = t.stopRequested() ? null : "Crawl abandoned: the lease of worker " + t.owner().orElse("?") + " expired on attempt " + t.attempt()
                + " of " + maxAttempts;
        finish(c, t.subject(), t.id(), state, emptyReport((int) t.progress().filesSeen()), error, new CrawlLog());
        LOG.warn("Crawler {}: the lease of {} on run {} expired; run {}", t.subject(), t.owner().orElse("?"), t.id(), state);
        return true;
    }

    public Heartbeat heartbeat(String taskId, String token, Optional<Progress> progress) {
        return tx(c -> {
            Task t = queue.requireLease(c, RunCoordinator.TaskKind.CRAWL, taskId, token);
            long expiresAt = queue.renew(c, t, progress);
            return new Heartbeat(t.stopRequested(), expiresAt);
        });
    }

    /** Ends the held task and its run as COMPLETED, or STOPPED when the crawl ended early, with the worker's report and log. */
    public void complete(String taskId, String token, CrawlReport report, boolean stopped) {
        end(taskId, token, stopped ? CrawlRunState.STOPPED : CrawlRunState.COMPLETED, report, null);
    }

    /** Ends the held task and its run as FAILED with the error and what was done before it. */
    public void fail(String taskId, String token, String error, CrawlReport report) {
        end(taskId, token, CrawlRunState.FAILED, report, error == null || error.isBlank() ? "Crawl failed in worker" : error);
    }

    private void end(String taskId, String token, CrawlRunState state, CrawlReport report, String error) {
        record Ended(Task task, CrawlRunState state) {}
        Ended e = tx(c -> {
            Task held = queue.requireLease(c, RunCoordinator.TaskKind.CRAWL, taskId, token);
            queue.done(c, held);
            // a stop asked while the run finished anyway still ends it as stopped, as the caller asked
            CrawlRunState ended = state == CrawlRunState.COMPLETED && held.stopRequested() ? CrawlRunState.STOPPED : state;
            CrawlLog log = report.log();
            if (error != null && log.entries().stream().noneMatch(entry -> entry.kind() == CrawlLog.Kind.ERROR && entry.subject().equals("crawl"))) {
                log.add(CrawlLog.Kind.ERROR, "crawl", "the run failed: " + error);
            }
            finish(c, held.subject(), taskId, ended, report, error, log);
            return new Ended(held, ended);
        });
        listeners.forEach(Listener::ended);
        Task t = e.task();
        LOG.info("Crawler {}: run {} {} by {} (attempt {}): {} tables created, {} updated, {} deleted, {} partitions added, {} files read of {} seen, {} errors",
                t.subject(), taskId, e.state(), t.owner().orElse("?"), t.attempt(), report.tablesCreated().size(), report.tablesUpdated().size(),
                report.tablesDeleted().size(), report.partitionsAdded(), report.filesRead(), report.filesSeen(), report.errors().size());
    }

    /** The progress of the crawler's open run, from the latest heartbeat of its holder. */
    public Optional<RunProgress> progress(Connection c, String crawler) throws SQLException {
        return queue.open(c, RunCoordinator.TaskKind.CRAWL, crawler).map(t -> new RunProgress(t.id(), t.progress(), t.attempt(),
                t.state() == RunCoordinator.TaskState.LEASED ? t.owner() : Optional.empty()));
    }

    /** A run's state and, once it has ended, its decision log. */
    public record RunLog(CrawlRunState state, Optional<CrawlLog> log) {}

    /** The state and decision log of the crawler's run {@code crawlId}. */
    public RunLog runLog(String crawler, String crawlId) {
        return tx(c -> {
            if (crawler(c, crawler, false).isEmpty()) {
                throw notFound(crawler);
            }
            CrawlRunState state = queryOne(c, "SELECT crawl_state FROM g_crawls WHERE crawl_id = ? AND crawler_name = ?",
                    rs -> CrawlRunState.valueOf(rs.getString(1)), crawlId, crawler)
                    .orElseThrow(() -> new ControlException.NotFound("Crawler " + crawler + " has no run " + crawlId));
            return new RunLog(state, CrawlFolderStore.log(c, crawler, crawlId));
        });
    }

    /** Removes what the crawler's runs left (folder state, logs), in the caller's transaction. */
    public static void deleteState(Connection c, String crawler) throws SQLException {
        CrawlFolderStore.delete(c, crawler);
    }

    // ---- what a run needs

    private static CrawlAssignment assignment(Connection c, String crawler, JsonNode document) throws SQLException {
        CrawlerDefinition definition = CrawlerDocument.read(document);
        CrawlTarget target = definition.target(crawler);
        List<CustomClassifier> classifiers = new ArrayList<>();
        for (String name : definition.classifiers()) {
            classifiers.add(CustomClassifiers.classifier(c, name, false).map(r -> r.spec().custom(name))
                    .orElseThrow(() -> new ControlException.NotFound("Classifier " + name + " named in the crawler's Classifiers does not exist")));
        }
        try {
            Classifiers.forCrawler(classifiers);
        } catch (CustomClassifier.UnsupportedClassifierException e) {
            throw new ControlException.InvalidInput(e.getMessage());
        }
        List<CrawlAssignment.JdbcTarget> jdbc = new ArrayList<>();
        for (CrawlerDefinition.JdbcTarget t : definition.jdbcTargets()) {
            String connection = t.connectionName();
            JdbcInclude include = new JdbcInclude(t.path(), t.exclusions());
            Optional<ConnectionDefinition> stored = Connections.connection(c, connection, false).map(ConnectionRecord::definition);
            String error = null;
            JdbcSource source = null;
            if (stored.isEmpty()) {
                error = "Connection not found: " + connection;
            } else if (!"JDBC".equals(stored.get().type())) {
                error = "Connection " + connection + " is of type " + stored.get().type() + ", not JDBC";
            } else if (!stored.get().properties().containsKey("JDBC_CONNECTION_URL")) {
                error = "Connection " + connection + " has no JDBC_CONNECTION_URL; crawlers read only through one (SECRET_ID and HOST/PORT are not supported)";
            } else {
                var p = stored.get().properties();
                source = new JdbcSource(connection, p.get("JDBC_CONNECTION_URL"), p.get("USERNAME"), p.get("PASSWORD"));
            }
            jdbc.add(new CrawlAssignment.JdbcTarget(connection, include, Optional.ofNullable(source), Optional.ofNullable(error)));
        }
        return new CrawlAssignment(target, classifiers, jdbc, CrawlFolderStore.load(c, crawler));
    }

    // ---- the end of a run

    private static CrawlReport emptyReport(int filesRead) {
        return new CrawlReport(List.of(), List.of(), 0, filesRead, List.of());
    }

    /**
     * Ends the run record with its state, counts, summary and error, keeps its decision log and, when it finished,
     * the folder state for the next run, and makes the crawler READY again.
     */
    private void finish(Connection c, String crawler, String crawlId, CrawlRunState state, CrawlReport report, String error, CrawlLog log) throws SQLException {
        long started = queryOne(c, "SELECT started_at FROM g_crawls WHERE crawl_id = ?", rs -> rs.getLong(1), crawlId).orElse(queue.now());
        metrics.ended(state, Math.max(0, queue.now() - started) / 1000.0, report);
        update(c, "UPDATE g_crawls SET crawl_state = ?, ended_at = ?, tables_created = ?, tables_updated = ?, partitions_added = ?, files_read = ?, "
                        + "summary = ?, error_message = ? WHERE crawl_id = ?",
                state.name(), queue.now(), report.tablesCreated().size(), report.tablesUpdated().size(),
                report.partitionsAdded(), report.filesRead(), summary(report, log).toString(), error, crawlId);
        if (report.state().isPresent()) {
            CrawlFolderStore.save(c, crawler, report.state().get());
        }
        CrawlFolderStore.saveLog(c, crawler, crawlId, log);
        update(c, "UPDATE g_crawlers SET crawler_state = ? WHERE crawler_name = ?", CrawlerState.READY.name(), crawler);
        Optional<RunOrigin> origin = queryOne(c, "SELECT trigger_name, chain_id, workflow_name FROM g_crawls WHERE crawl_id = ? AND chain_id IS NOT NULL",
                rs -> new RunOrigin(rs.getString(1), rs.getString(2), Optional.ofNullable(rs.getString(3))), crawlId);
        if (origin.isPresent()) {
            RunEnds.record(c, RunEnds.Kind.CRAWL, crawlId, crawler, serviceState(state), queue.now(), origin.get());
        }
    }

    /**
     * The run summary as ListCrawls reports it (a JSON document in a string): counts, the tables by what happened
     * to them, the errors per file, and what the decision log holds (its entries per kind; the entries themselves
     * are at {@code GET /crawlers/{name}/runs/{crawlId}/log}).
     */
    static ObjectNode summary(CrawlReport report, CrawlLog log) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode table = s.putObject("TABLE");
        table.putObject("ADD").put("Count", report.tablesCreated().size());
        table.putObject("UPDATE").put("Count", report.tablesUpdated().size());
        table.putObject("DELETE").put("Count", report.tablesDeleted().size());
        ObjectNode partition = s.putObject("PARTITION");
        partition.putObject("ADD").put("Count", report.partitionsAdded());
        partition.putObject("DELETE").put("Count", report.partitionsDeleted());
        ObjectNode file = s.putObject("FILE");
        file.putObject("SEEN").put("Count", report.filesSeen());
        file.putObject("READ").put("Count", report.filesRead());
        s.putObject("BYTES").putObject("READ").put("Count", report.bytesRead());
        ArrayNode created = s.putArray("TablesCreated");
        report.tablesCreated().forEach(created::add);
        ArrayNode updated = s.putArray("TablesUpdated");
        report.tablesUpdated().forEach(updated::add);
        ArrayNode deleted = s.putArray("TablesDeleted");
        report.tablesDeleted().forEach(deleted::add);
        ArrayNode errors = s.putArray("Errors");
        report.errors().forEach(e -> errors.addObject().put("Path", e.path()).put("Message", e.message()));
        ObjectNode decisions = s.putObject("DecisionLog").put("Entries", log.entries().size());
        ObjectNode kinds = decisions.putObject("Kinds");
        log.counts().forEach((k, n) -> kinds.put(k.name(), n));
        ArrayNode tables = decisions.putArray("Tables");
        List<CrawlLog.Entry> formed = log.entries().stream().filter(e -> e.kind() == CrawlLog.Kind.TABLE).toList();
        formed.stream().limit(SUMMARY_TABLES).forEach(e -> tables.add(e.subject() + ": " + e.message()));
        if (formed.size() > SUMMARY_TABLES) {
            decisions.put("TablesNotListed", formed.size() - SUMMARY_TABLES);
        }
        return s;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("A stored crawler document is not JSON: " + e.getMessage(), e);
        }
    }
}
