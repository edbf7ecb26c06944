package dev.mortar.metastore.control.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.mortar.scheduler.engine.FencingToken;
import dev.mortar.scheduler.trigger.CrawlState;
import dev.mortar.scheduler.trigger.JobRunState;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.trigger.TriggerState;
import dev.mortar.scheduler.workflow.WorkflowRunStatistics;
import dev.mortar.scheduler.workflow.WorkflowRunStatus;
import dev.mortar.scheduler.workflow.WorkflowRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/** The scheduler's rows, read and changed in the caller's transaction: shared by the services, the store view and the launcher. */
final class SchedulerTables {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerTables.class);
    static final ObjectMapper JSON = new ObjectMapper();
    /** The one leader lease of the scheduler. */
    static final String LEASE = "scheduler";
    private static final String RUN_COLUMNS = "run_id, workflow_name, run_status, started_at, completed_at, previous_run_id, properties, triggers, kept_nodes, error_message";

    private SchedulerTables() {
    }

    /** Whether {@code token} is the leader lease's current one; locks the lease row until the commit, so a takeover waits for this transaction. */
    static boolean fenced(Connection c, FencingToken token) throws SQLException {
        Optional<Long> current = queryOne(c, "SELECT token FROM c_leases WHERE lease_name = ? FOR UPDATE", rs -> rs.getLong(1), LEASE);
        return current.isPresent() && current.get() == token.value();
    }

    // ---- triggers

    /** A stored trigger: its document with the row's state, and the watermark of a SCHEDULED one. */
    record TriggerRow(Trigger trigger, Optional<Instant> firedThrough) {}

    static TriggerRow triggerRow(ResultSet rs) throws SQLException {
        Trigger t = TriggerDocument.read(rs.getString(1)).withState(TriggerState.valueOf(rs.getString(2)));
        long fired = rs.getLong(3);
        return new TriggerRow(t, rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(fired)));
    }

    static final String TRIGGER_COLUMNS = "definition, trigger_state, fired_through";

    static Optional<TriggerRow> trigger(Connection c, String name, boolean lock) throws SQLException {
        return queryOne(c, "SELECT " + TRIGGER_COLUMNS + " FROM c_triggers WHERE trigger_name = ?" + (lock ? " FOR UPDATE" : ""), SchedulerTables::triggerRow, name);
    }

    static List<Trigger> triggersOfWorkflow(Connection c, String workflow) throws SQLException {
        return query(c, "SELECT " + TRIGGER_COLUMNS + " FROM c_triggers WHERE workflow_name = ? ORDER BY trigger_name", SchedulerTables::triggerRow, workflow)
                .stream().map(TriggerRow::trigger).toList();
    }

    // ---- workflow runs

    static Optional<WorkflowRunRecord> workflowRun(Connection c, String runId, boolean lock) throws SQLException {
        return queryOne(c, "SELECT " + RUN_COLUMNS + " FROM c_workflow_runs WHERE run_id = ?" + (lock ? " FOR UPDATE" : ""), SchedulerTables::run, runId);
    }

    static List<WorkflowRunRecord> workflowRuns(Connection c, String workflow, int limit, Optional<String> after) throws SQLException {
        if (after.isPresent()) {
            Optional<WorkflowRunRecord> from = workflowRun(c, after.get(), false);
            if (from.isEmpty()) {
                return List.of();
            }
            long started = from.get().started().toEpochMilli();
            return query(c, "SELECT " + RUN_COLUMNS + " FROM c_workflow_runs WHERE workflow_name = ? AND (started_at < ? OR (started_at = ? AND run_id < ?)) "
                    + "ORDER BY started_at DESC, run_id DESC LIMIT " + limit, SchedulerTables::run, workflow, started, started, after.get());
        }
        return query(c, "SELECT " + RUN_COLUMNS + " FROM c_workflow_runs WHERE workflow_name = ? ORDER BY started_at DESC, run_id DESC LIMIT " + limit,
                SchedulerTables::run, workflow);
    }

    private static WorkflowRunRecord run(ResultSet rs) throws SQLException {
        long completed = rs.getLong(5);
        Optional<Instant> completedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(completed));
        String kept = rs.getString(9);
        return new WorkflowRunRecord(rs.getString(1), rs.getString(2), WorkflowRunStatus.valueOf(rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4)),
                completedAt, Optional.ofNullable(rs.getString(6)), readMap(rs.getString(7)), TriggerDocument.readAll(rs.getString(8)),
                kept == null ? java.util.Set.of() : new LinkedHashSet<>(readList(kept)), Optional.ofNullable(rs.getString(10)));
    }

    static void insertWorkflowRun(Connection c, String runId, String workflow, WorkflowRunStatus status, long now, Optional<String> previous,
                                  Map<String, String> properties, List<Trigger> snapshot, List<String> kept, Optional<String> error) throws SQLException {
        update(c, "INSERT INTO c_workflow_runs (" + RUN_COLUMNS + ", modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runId, workflow, status.name(), now,
                status == WorkflowRunStatus.RUNNING ? null : now, previous.orElse(null), writeMap(properties), TriggerDocument.writeAll(snapshot),
                kept.isEmpty() ? null : writeList(kept), error.orElse(null), now);
    }

    /** How many runs of the workflow are on (RUNNING or STOPPING). */
    static int activeRuns(Connection c, String workflow) throws SQLException {
        return queryOne(c, "SELECT COUNT(*) FROM c_workflow_runs WHERE workflow_name = ? AND run_status IN (?, ?)", rs -> rs.getInt(1), workflow,
                WorkflowRunStatus.RUNNING.name(), WorkflowRunStatus.STOPPING.name()).orElse(0);
    }

    /** The current state of every job run and crawl that the workflow run started, in the service's names. */
    static List<Enum<?>> actionStates(Connection c, String runId) throws SQLException {
        List<Enum<?>> states = new ArrayList<>();
        states.addAll(query(c, "SELECT run_state FROM c_job_runs WHERE chain_id = ?", rs -> JobRunState.valueOf(rs.getString(1)), runId));
        states.addAll(query(c, "SELECT crawl_state FROM g_crawls WHERE chain_id = ?", rs -> crawlState(rs.getString(1)), runId));
        return states;
    }

    static CrawlState crawlState(String stored) {
        return switch (stored) {
            case "RUNNING" -> CrawlState.RUNNING;
            case "COMPLETED" -> CrawlState.SUCCEEDED;
            case "STOPPED" -> CrawlState.CANCELLED;
            default -> CrawlState.FAILED;
        };
    }

    /**
     * Moves a RUNNING workflow run to COMPLETED (a STOPPING one to STOPPED) once none of its runs is unfinished and no
     * ended run of it waits to be evaluated; in the caller's transaction.
     */
    static void settle(Connection c, String runId, long now) throws SQLException {
        Optional<WorkflowRunRecord> run = workflowRun(c, runId, true);
        if (run.isEmpty() || (run.get().status() != WorkflowRunStatus.RUNNING && run.get().status() != WorkflowRunStatus.STOPPING)) {
            return;
        }
        WorkflowRunStatistics statistics = WorkflowRunStatistics.of(actionStates(c, runId));
        boolean pending = queryOne(c, "SELECT COUNT(*) FROM c_run_ends WHERE chain_id = ? AND evaluated_at IS NULL", rs -> rs.getInt(1), runId).orElse(0) > 0;
        WorkflowRunStatus next = WorkflowRuns.statusAfter(run.get().status(), statistics, pending);
        if (next != run.get().status()) {
            update(c, "UPDATE c_workflow_runs SET run_status = ?, completed_at = ?, modified_at = ? WHERE run_id = ?", next.name(), now, now, runId);
            LOG.info("Workflow {}: run {} {} ({} actions: {} succeeded, {} failed, {} errored, {} stopped, {} timed out)", run.get().workflowName(), runId,
                    next, statistics.totalActions(), statistics.succeededActions(), statistics.failedActions(), statistics.erroredActions(),
                    statistics.stoppedActions(), statistics.timeoutActions());
        }
    }

    // ---- JSON helpers

    static String writeMap(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(map));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> readMap(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<java.util.LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored properties are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String writeList(List<String> list) {
        try {
            return JSON.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> readList(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored list is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
