package dev.mortar.metastore.control.run;

import dev.mortar.metastore.control.ControlException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * The task queue every run goes through ({@code g_crawl_tasks}, {@code db/control/V0_1__crawler_tables.sql}, with its kind from the control
 * plane's {@code V1__jobs.sql}): crawls and job runs, wherever their workers
 * runs: a server's embedded workers and {@code mortar worker} processes lease from the same rows. A lease is
 * taken with an {@code UPDATE} conditional on the state and attempt that were read, so of two workers after one
 * task one wins; the attempt counter is the lease's fencing token (every later call names the lease token, which
 * a newer lease replaces). Heartbeats renew a lease; an expired lease is how a dead holder is found, never a
 * server's restart. Calls run inside the caller's transaction; time comes from the injected clock.
 */
public final class RunCoordinator {
    /** Tasks one lease call tries; when other workers won them all, the worker asks again later. */
    private static final int LEASE_CANDIDATES = 16;
    public static final int MAX_LEASE_SECONDS = 3600;

    public enum TaskState { PENDING, LEASED, DONE }

    /** What a task runs: a crawl, or a job run. Workers lease the kinds they run. */
    public enum TaskKind { CRAWL, JOB }

    /** A task row: its run, what it covers (the stored payload), its lease and the progress of its last heartbeat. */
    public record Task(String id, String subject, TaskState state, String payload, int attempt, Optional<String> owner, Optional<String> token,
                       int leaseSeconds, long expiresAt, Progress progress, boolean stopRequested, TaskKind kind) {
        public boolean expired(long now) {
            return state == TaskState.LEASED && expiresAt < now;
        }
    }

    public record Progress(long filesSeen, long bytesSeen, int tablesFound) {
        public static final Progress NONE = new Progress(0, 0, 0);
    }

    /** A lease taken: its token, fencing attempt and expiry. */
    public record Lease(String token, int attempt, long expiresAt) {}

    private static final String COLUMNS = "task_id, crawler_name, task_state, target, attempt, lease_owner, lease_token, lease_seconds, lease_expires_at, "
            + "files_seen, bytes_seen, tables_found, stop_requested, task_kind";

    private final InstantSource clock;

    public RunCoordinator(InstantSource clock) {
        this.clock = clock;
    }

    public long now() {
        return clock.millis();
    }

    private static Task row(ResultSet rs) throws SQLException {
        int seconds = rs.getInt(8);
        long expires = rs.getLong(9);
        return new Task(rs.getString(1), rs.getString(2), TaskState.valueOf(rs.getString(3)), rs.getString(4), rs.getInt(5), Optional.ofNullable(rs.getString(6)),
                Optional.ofNullable(rs.getString(7)), seconds, expires, new Progress(rs.getLong(10), rs.getLong(11), rs.getInt(12)), rs.getInt(13) != 0,
                TaskKind.valueOf(rs.getString(14)));
    }

    /** Queues the run {@code taskId} of {@code subject} with what it covers. */
    public void enqueue(Connection c, TaskKind kind, String taskId, String subject, String payload) throws SQLException {
        update(c, "INSERT INTO g_crawl_tasks (task_id, task_kind, crawler_name, task_state, target, attempt, files_seen, bytes_seen, tables_found, stop_requested, "
                + "created_at) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?)", taskId, kind.name(), subject, TaskState.PENDING.name(), payload, now());
    }

    /** The oldest waiting tasks of the kind and those whose lease expired, oldest first. */
    public List<Task> candidates(Connection c, TaskKind kind) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM g_crawl_tasks WHERE task_kind = ? AND (task_state = ? OR (task_state = ? AND lease_expires_at < ?)) "
                + "ORDER BY created_at, task_id LIMIT " + LEASE_CANDIDATES, RunCoordinator::row, kind.name(), TaskState.PENDING.name(), TaskState.LEASED.name(), now());
    }

    /** Leased tasks of the kind whose lease expired. */
    public List<Task> expired(Connection c, TaskKind kind) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM g_crawl_tasks WHERE task_kind = ? AND task_state = ? AND lease_expires_at < ? ORDER BY created_at, task_id LIMIT "
                + LEASE_CANDIDATES, RunCoordinator::row, kind.name(), TaskState.LEASED.name(), now());
    }

    /** The task {@code taskId}, if any. */
    public Optional<Task> task(Connection c, String taskId) throws SQLException {
        return queryOne(c, "SELECT " + COLUMNS + " FROM g_crawl_tasks WHERE task_id = ?", RunCoordinator::row, taskId);
    }

    /** Leases the task as it was read to {@code workerId}; empty when another worker changed it first. */
    public Optional<Lease> claim(Connection c, Task t, String workerId, int leaseSeconds) throws SQLException {
        String token = UUID.randomUUID().toString();
        long now = now();
        long expiresAt = now + leaseSeconds * 1000L;
        int leased = update(c, "UPDATE g_crawl_tasks SET task_state = ?, attempt = attempt + 1, lease_owner = ?, lease_token = ?, lease_seconds = ?, "
                        + "lease_expires_at = ?, heartbeat_at = ?, files_seen = 0, bytes_seen = 0, tables_found = 0 WHERE task_id = ? AND task_state = ? AND attempt = ?",
                TaskState.LEASED.name(), workerId, token, leaseSeconds, expiresAt, now, t.id(), t.state().name(), t.attempt());
        return leased == 1 ? Optional.of(new Lease(token, t.attempt() + 1, expiresAt)) : Optional.empty();
    }

    /** Ends the task as it was read; false when another caller changed it first. */
    public boolean close(Connection c, Task t) throws SQLException {
        return update(c, "UPDATE g_crawl_tasks SET task_state = ? WHERE task_id = ? AND task_state = ? AND attempt = ?",
                TaskState.DONE.name(), t.id(), t.state().name(), t.attempt()) == 1;
    }

    /** The task, held by this token with an unexpired lease, locked for the caller's transaction. */
    public Task requireLease(Connection c, TaskKind kind, String taskId, String token) throws SQLException {
        Task t = queryOne(c, "SELECT " + COLUMNS + " FROM g_crawl_tasks WHERE task_id = ? AND task_kind = ? FOR UPDATE", RunCoordinator::row, taskId, kind.name())
                .orElseThrow(() -> new ControlException.NotFound("No " + noun(kind).toLowerCase(java.util.Locale.ROOT) + " " + taskId));
        if (t.state() != TaskState.LEASED || !t.token().orElse("").equals(token)) {
            throw new ControlException.LeaseLost(noun(t.kind()) + " " + taskId + " is not leased with this token" + switch (t.state()) {
                case DONE -> " (the task has ended)";
                case LEASED -> " (it is leased to " + t.owner().orElse("?") + ")";
                case PENDING -> " (it is waiting for a worker)";
            });
        }
        long now = now();
        if (t.expiresAt() < now) {
            throw new ControlException.LeaseLost("The lease of " + noun(t.kind()).toLowerCase(java.util.Locale.ROOT) + " " + taskId + " expired " + (now - t.expiresAt()) + " ms ago; the task will be leased again");
        }
        return t;
    }

    private static String noun(TaskKind kind) {
        return switch (kind) {
            case CRAWL -> "Crawl task";
            case JOB -> "Job run task";
        };
    }

    /** Renews a held lease for the seconds it was taken for, recording the progress; the new expiry. */
    public long renew(Connection c, Task t, Optional<Progress> progress) throws SQLException {
        long now = now();
        long expiresAt = now + t.leaseSeconds() * 1000L;
        Progress p = progress.orElse(t.progress());
        update(c, "UPDATE g_crawl_tasks SET lease_expires_at = ?, heartbeat_at = ?, files_seen = ?, bytes_seen = ?, tables_found = ? WHERE task_id = ? AND lease_token = ?",
                expiresAt, now, p.filesSeen(), p.bytesSeen(), p.tablesFound(), t.id(), t.token().orElseThrow());
        return expiresAt;
    }

    /** Ends a held task. */
    public void done(Connection c, Task t) throws SQLException {
        update(c, "UPDATE g_crawl_tasks SET task_state = ? WHERE task_id = ? AND lease_token = ?", TaskState.DONE.name(), t.id(), t.token().orElseThrow());
    }

    /** The subject's task of the kind that has not ended, if any (a crawler has at most one). */
    public Optional<Task> open(Connection c, TaskKind kind, String subject) throws SQLException {
        return queryOne(c, "SELECT " + COLUMNS + " FROM g_crawl_tasks WHERE task_kind = ? AND crawler_name = ? AND task_state <> ?", RunCoordinator::row,
                kind.name(), subject, TaskState.DONE.name());
    }

    /** Marks the task to stop: its holder hears it at the next heartbeat. */
    public void requestStop(Connection c, Task t) throws SQLException {
        update(c, "UPDATE g_crawl_tasks SET stop_requested = 1 WHERE task_id = ?", t.id());
    }

    /** Ends a task no worker holds yet, as stopped; false when a worker leased it since it was read. */
    public boolean closeStopped(Connection c, Task t) throws SQLException {
        return update(c, "UPDATE g_crawl_tasks SET task_state = ?, stop_requested = 1 WHERE task_id = ? AND task_state = ? AND attempt = ?",
                TaskState.DONE.name(), t.id(), TaskState.PENDING.name(), t.attempt()) == 1;
    }
}
