package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.crawler.CrawlReport;
import dev.mortar.crawler.CrawlTarget;
import dev.mortar.metastore.store.CatalogDatabase.TransactionBody;
import dev.mortar.thrift.worker.CrawlInclude;
import dev.mortar.thrift.worker.CrawlProgress;
import dev.mortar.thrift.worker.CrawlTask;
import dev.mortar.thrift.worker.CrawlTaskService;
import dev.mortar.thrift.worker.HeartbeatReply;
import dev.mortar.thrift.worker.InvalidRequestException;
import dev.mortar.thrift.worker.LeaseLostException;
import dev.mortar.thrift.worker.LeaseReply;
import dev.mortar.thrift.worker.LeaseStatus;
import dev.mortar.thrift.worker.NoSuchTaskException;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntSupplier;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * Crawl runs handed to separate worker processes, and the worker protocol's service
 * ({@code CrawlTaskService} of thrift-idl) over them. With {@code mortar.crawler.workers=external},
 * StartCrawler queues a task ({@code g_crawl_tasks}, {@code V6__crawl_tasks.sql}) in its own transaction
 * instead of crawling in the server. A worker leases the oldest waiting task, or one whose lease
 * expired, with a conditional {@code UPDATE} in one transaction, so two workers never hold one task;
 * its heartbeats renew the lease and record the crawl's progress (GetCrawler's {@code MortarProgress});
 * its completion ends the run record. StopCrawler reaches the worker through the next heartbeat's answer.
 * A lease that expired {@code mortar.crawler.task.max.attempts} times fails the run.
 */
public final class CrawlTaskQueue implements CrawlTaskService.Iface {
    private static final Logger LOG = LoggerFactory.getLogger(CrawlTaskQueue.class);
    static final String PENDING = "PENDING";
    static final String LEASED = "LEASED";
    static final String DONE = "DONE";
    private static final int MAX_LEASE_SECONDS = 3600;
    /** Tasks one lease call tries; when other workers won them all, the worker asks again later. */
    private static final int LEASE_CANDIDATES = 16;

    private final GlueContext ctx;
    private final boolean external;
    private final int maxAttempts;
    private final IntSupplier metastorePort;

    CrawlTaskQueue(GlueContext ctx, String workers, int maxAttempts, IntSupplier metastorePort) {
        this.ctx = ctx;
        this.external = switch (workers) {
            case "in-process" -> false;
            case "external" -> true;
            default -> throw new IllegalArgumentException("Setting mortar.crawler.workers must be in-process or external, not '" + workers + "'");
        };
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("Setting mortar.crawler.task.max.attempts must be at least 1, not " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.metastorePort = metastorePort;
    }

    /** Whether StartCrawler queues tasks for worker processes rather than crawling in this server. */
    boolean external() {
        return external;
    }

    private record TaskRow(String id, String crawler, String state, String target, int attempt, String owner, String token, Integer leaseSeconds,
                           Long expiresAt, long filesSeen, long bytesSeen, int tablesFound, boolean stopRequested) {}

    private static final String COLUMNS = "task_id, crawler_name, task_state, target, attempt, lease_owner, lease_token, lease_seconds, lease_expires_at, "
            + "files_seen, bytes_seen, tables_found, stop_requested";

    private static TaskRow row(java.sql.ResultSet rs) throws SQLException {
        int seconds = rs.getInt(8);
        Integer leaseSeconds = rs.wasNull() ? null : seconds;
        long expires = rs.getLong(9);
        Long expiresAt = rs.wasNull() ? null : expires;
        return new TaskRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5), rs.getString(6), rs.getString(7),
                leaseSeconds, expiresAt, rs.getLong(10), rs.getLong(11), rs.getInt(12), rs.getInt(13) != 0);
    }

    // ---- the Glue side: queue, stop, progress (each inside the calling operation's transaction)

    /** Queues the run {@code crawlId} of the crawler for a worker. */
    void enqueue(Connection c, String crawlId, String crawler, CrawlTarget target, ObjectNode definition) throws SQLException {
        ObjectNode json = HiveShapes.JSON.createObjectNode().put("DatabaseName", target.database()).put("TablePrefix", target.tablePrefix())
                .put("UpdateTables", target.policy().updateBehavior() == dev.mortar.crawler.CrawlPolicy.UpdateBehavior.UPDATE_IN_DATABASE);
        json.set("Definition", definition);
        ArrayNode includes = json.putArray("Includes");
        for (CrawlTarget.Include include : target.includes()) {
            ObjectNode i = includes.addObject().put("Path", include.path());
            include.exclusions().forEach(i.putArray("Exclusions")::add);
        }
        update(c, "INSERT INTO g_crawl_tasks (task_id, crawler_name, task_state, target, attempt, files_seen, bytes_seen, tables_found, stop_requested, created_at) "
                + "VALUES (?, ?, ?, ?, 0, 0, 0, 0, 0, ?)", crawlId, crawler, PENDING, json.toString(), System.currentTimeMillis());
    }

    /**
     * Asks the crawler's worker to stop (answered to its next heartbeat); a task no worker holds yet ends at
     * once as STOPPED. Returns whether the crawler had a task.
     */
    boolean requestStop(Connection c, String crawler) throws SQLException {
        Optional<TaskRow> task = openTask(c, crawler);
        if (task.isEmpty()) {
            return false;
        }
        if (task.get().state().equals(PENDING)) {
            update(c, "UPDATE g_crawl_tasks SET task_state = ?, stop_requested = 1 WHERE task_id = ?", DONE, task.get().id());
            CrawlerOperations.finishRun(c, crawler, task.get().id(), "STOPPED", new CrawlReport(List.of(), List.of(), 0, 0, List.of()), null);
        } else {
            update(c, "UPDATE g_crawl_tasks SET stop_requested = 1 WHERE task_id = ?", task.get().id());
        }
        return true;
    }

    private static Optional<TaskRow> openTask(Connection c, String crawler) throws SQLException {
        return queryOne(c, "SELECT " + COLUMNS + " FROM g_crawl_tasks WHERE crawler_name = ? AND task_state <> ?", CrawlTaskQueue::row, crawler, DONE);
    }

    /** The progress of the crawler's task at its latest heartbeat, as GetCrawler's {@code MortarProgress} member. */
    Optional<ObjectNode> progress(Connection c, String crawler) throws SQLException {
        return openTask(c, crawler).map(t -> {
            ObjectNode p = HiveShapes.JSON.createObjectNode().put("CrawlId", t.id()).put("FilesSeen", t.filesSeen()).put("BytesSeen", t.bytesSeen())
                    .put("TablesFound", t.tablesFound()).put("Attempt", t.attempt());
            if (t.state().equals(LEASED)) {
                p.put("Worker", t.owner());
            }
            return p;
        });
    }

    // ---- the worker protocol

    private <T> T tx(TransactionBody<T, TException> body) throws TException {
        return ctx.store.database().inTransaction(body);
    }

    @Override
    public LeaseReply leaseTask(String workerId, int leaseSeconds) throws TException {
        if (workerId == null || workerId.isBlank() || workerId.length() > 255) {
            throw new InvalidRequestException("Worker id must be 1 to 255 characters");
        }
        if (leaseSeconds < 1 || leaseSeconds > MAX_LEASE_SECONDS) {
            throw new InvalidRequestException("Lease seconds must be between 1 and " + MAX_LEASE_SECONDS + ", not " + leaseSeconds);
        }
        return tx(c -> {
            long now = System.currentTimeMillis();
            List<TaskRow> candidates = query(c, "SELECT " + COLUMNS + " FROM g_crawl_tasks WHERE task_state = ? OR (task_state = ? AND lease_expires_at < ?) "
                    + "ORDER BY created_at, task_id LIMIT " + LEASE_CANDIDATES, CrawlTaskQueue::row, PENDING, LEASED, now);
            for (TaskRow t : candidates) {
                boolean expired = t.state().equals(LEASED);
                // Conditional on what was read: of two workers after the same task, one updates the row and the other none.
                String condition = "task_id = ? AND task_state = ? AND attempt = ?";
                if (expired && (t.attempt() >= maxAttempts || t.stopRequested())) {
                    if (update(c, "UPDATE g_crawl_tasks SET task_state = ? WHERE " + condition, DONE, t.id(), t.state(), t.attempt()) == 1) {
                        String error = t.stopRequested() ? null : "Crawl abandoned: the lease of worker " + t.owner() + " expired on attempt " + t.attempt()
                                + " of " + maxAttempts;
                        CrawlerOperations.finishRun(c, t.crawler(), t.id(), t.stopRequested() ? "STOPPED" : "FAILED",
                                new CrawlReport(List.of(), List.of(), 0, (int) t.filesSeen(), List.of()), error);
                        LOG.warn("Crawl task {} of crawler {}: lease of {} expired; run ended {}", t.id(), t.crawler(), t.owner(), t.stopRequested() ? "STOPPED" : "FAILED");
                    }
                    continue;
                }
                String token = UUID.randomUUID().toString();
                long expiresAt = now + leaseSeconds * 1000L;
                int leased = update(c, "UPDATE g_crawl_tasks SET task_state = ?, attempt = attempt + 1, lease_owner = ?, lease_token = ?, lease_seconds = ?, "
                                + "lease_expires_at = ?, heartbeat_at = ?, files_seen = 0, bytes_seen = 0, tables_found = 0 WHERE " + condition,
                        LEASED, workerId, token, leaseSeconds, expiresAt, now, t.id(), t.state(), t.attempt());
                if (leased == 1) {
                    if (expired) {
                        LOG.warn("Crawl task {} of crawler {}: lease of {} expired; leased again to {} (attempt {})", t.id(), t.crawler(), t.owner(), workerId, t.attempt() + 1);
                    } else {
                        LOG.info("Crawl task {} of crawler {} leased to {}", t.id(), t.crawler(), workerId);
                    }
                    JsonNode stored = parse(t.target());
                    CrawlTask task = new CrawlTask(t.id(), token, t.crawler(), t.id(), t.attempt() + 1, expiresAt, wireTarget(stored), metastorePort.getAsInt());
                    if (stored.has("Definition")) {
                        task.setCrawlerDefinition(stored.get("Definition").toString());
                    }
                    return new LeaseReply().setTask(task);
                }
            }
            return new LeaseReply();
        });
    }

    private static JsonNode parse(String json) {
        try {
            return HiveShapes.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("Stored crawl target is not JSON: " + e.getMessage(), e);
        }
    }

    private static dev.mortar.thrift.worker.CrawlTarget wireTarget(JsonNode t) {
        List<CrawlInclude> includes = new ArrayList<>();
        for (JsonNode i : t.path("Includes")) {
            List<String> exclusions = new ArrayList<>();
            i.path("Exclusions").forEach(e -> exclusions.add(e.asText()));
            includes.add(new CrawlInclude(i.path("Path").asText(), exclusions));
        }
        return new dev.mortar.thrift.worker.CrawlTarget(t.path("DatabaseName").asText(), t.path("TablePrefix").asText(""), includes,
                t.path("UpdateTables").asBoolean(true));
    }

    /** The task, held by this token with an unexpired lease, or the protocol's error. */
    private static TaskRow requireLease(Connection c, String taskId, String token, long now) throws SQLException, TException {
        TaskRow t = queryOne(c, "SELECT " + COLUMNS + " FROM g_crawl_tasks WHERE task_id = ? FOR UPDATE", CrawlTaskQueue::row, taskId)
                .orElseThrow(() -> new NoSuchTaskException("No crawl task " + taskId));
        if (!t.state().equals(LEASED) || !t.token().equals(token)) {
            throw new LeaseLostException("Crawl task " + taskId + " is not leased with this token"
                    + (t.state().equals(DONE) ? " (the task has ended)" : t.state().equals(LEASED) ? " (it is leased to " + t.owner() + ")" : " (it is waiting for a worker)"));
        }
        if (t.expiresAt() < now) {
            throw new LeaseLostException("The lease of crawl task " + taskId + " expired " + (now - t.expiresAt()) + " ms ago; the task will be leased again");
        }
        return t;
    }

    @Override
    public HeartbeatReply heartbeat(String taskId, String leaseToken, CrawlProgress progress) throws TException {
        return tx(c -> {
            long now = System.currentTimeMillis();
            TaskRow t = requireLease(c, taskId, leaseToken, now);
            long expiresAt = now + t.leaseSeconds() * 1000L;
            update(c, "UPDATE g_crawl_tasks SET lease_expires_at = ?, heartbeat_at = ?, files_seen = ?, bytes_seen = ?, tables_found = ? "
                            + "WHERE task_id = ? AND lease_token = ?", expiresAt, now, progress == null ? t.filesSeen() : progress.getFilesSeen(),
                    progress == null ? t.bytesSeen() : progress.getBytesSeen(), progress == null ? t.tablesFound() : progress.getTablesFound(), taskId, leaseToken);
            return new HeartbeatReply(t.stopRequested() ? LeaseStatus.STOP_REQUESTED : LeaseStatus.EXTENDED, expiresAt);
        });
    }

    @Override
    public void completeTask(String taskId, String leaseToken, dev.mortar.thrift.worker.CrawlReport report) throws TException {
        end(taskId, leaseToken, report, null);
    }

    @Override
    public void failTask(String taskId, String leaseToken, String errorMessage, dev.mortar.thrift.worker.CrawlReport report) throws TException {
        end(taskId, leaseToken, report, errorMessage == null || errorMessage.isBlank() ? "Crawl failed in worker" : errorMessage);
    }

    private void end(String taskId, String leaseToken, dev.mortar.thrift.worker.CrawlReport wire, String error) throws TException {
        CrawlReport report = wire == null ? new CrawlReport(List.of(), List.of(), 0, 0, List.of())
                : new CrawlReport(orEmpty(wire.getTablesCreated()), orEmpty(wire.getTablesUpdated()), wire.getPartitionsAdded(), wire.getFilesRead(),
                wire.getErrors() == null ? List.of() : wire.getErrors().stream().map(e -> new CrawlReport.FileError(e.getPath(), e.getMessage())).toList());
        String state = error != null ? "FAILED" : wire != null && wire.isStopped() ? "STOPPED" : "COMPLETED";
        TaskRow t = tx(c -> {
            TaskRow held = requireLease(c, taskId, leaseToken, System.currentTimeMillis());
            update(c, "UPDATE g_crawl_tasks SET task_state = ? WHERE task_id = ? AND lease_token = ?", DONE, taskId, leaseToken);
            CrawlerOperations.finishRun(c, held.crawler(), taskId, state, report, error);
            return held;
        });
        LOG.info("Crawl task {} of crawler {} {} by {} (attempt {}): {} tables created, {} updated, {} partitions added, {} files read, {} errors",
                taskId, t.crawler(), state, t.owner(), t.attempt(), report.tablesCreated().size(), report.tablesUpdated().size(), report.partitionsAdded(),
                report.filesRead(), report.errors().size());
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
