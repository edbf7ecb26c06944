package dev.mortar.metastore.control.schedule;

import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.scheduler.engine.Chain;
import dev.mortar.scheduler.engine.EndedRun;
import dev.mortar.scheduler.engine.FencingToken;
import dev.mortar.scheduler.engine.RunOrigin;
import dev.mortar.scheduler.engine.ScheduledTrigger;
import dev.mortar.scheduler.engine.SchedulerStore;
import dev.mortar.scheduler.trigger.CrawlState;
import dev.mortar.scheduler.trigger.JobRunState;
import dev.mortar.scheduler.trigger.RunTarget;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.workflow.NodeType;
import dev.mortar.scheduler.workflow.WorkflowGraph;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/** The engine's view of the control plane's store: schedules, conditional triggers, workflow run snapshots and ended runs. */
final class SchedulerStoreView implements SchedulerStore {
    private final CatalogDatabase database;
    private final InstantSource clock;

    SchedulerStoreView(CatalogDatabase database, InstantSource clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public List<ScheduledTrigger> activatedSchedules() {
        return database.inTransaction(c -> {
            List<ScheduledTrigger> schedules = new ArrayList<>();
            for (SchedulerTables.TriggerRow row : query(c, "SELECT " + SchedulerTables.TRIGGER_COLUMNS + " FROM c_triggers WHERE trigger_type = 'SCHEDULED' "
                    + "AND trigger_state = 'ACTIVATED' ORDER BY trigger_name", SchedulerTables::triggerRow)) {
                schedules.add(new ScheduledTrigger(row.trigger(), row.firedThrough().orElse(clock.instant())));
            }
            schedules.addAll(CrawlerSchedules.activated(c));
            return schedules;
        });
    }

    @Override
    public List<Trigger> conditionalTriggersWatching(RunTarget target) {
        return database.inTransaction(c -> query(c, "SELECT " + SchedulerTables.TRIGGER_COLUMNS + " FROM c_triggers WHERE trigger_type = 'CONDITIONAL' "
                + "AND trigger_state = 'ACTIVATED' AND workflow_name IS NULL ORDER BY trigger_name", SchedulerTables::triggerRow).stream()
                .map(SchedulerTables.TriggerRow::trigger)
                .filter(t -> t.predicate().isPresent() && t.predicate().get().watched().contains(target))
                .toList());
    }

    @Override
    public Optional<List<Trigger>> workflowRunTriggers(Chain chain) {
        return database.inTransaction(c -> SchedulerTables.workflowRun(c, chain.id(), false).map(WorkflowRunRecord::triggers));
    }

    @Override
    public Map<RunTarget, EndedRun> latestEndedRuns(Chain chain, Set<RunTarget> targets) {
        return database.inTransaction(c -> {
            Map<RunTarget, EndedRun> latest = new HashMap<>();
            collect(c, chain.id(), targets, latest);
            if (chain.isWorkflowRun()) {
                // a resumed run's kept nodes answer with their runs of the run it resumed (and so on back)
                Optional<WorkflowRunRecord> run = SchedulerTables.workflowRun(c, chain.id(), false);
                while (run.isPresent() && run.get().previousRunId().isPresent() && !run.get().keptNodes().isEmpty()) {
                    WorkflowGraph graph = WorkflowGraph.of(run.get().workflowName(), run.get().triggers());
                    Set<String> kept = run.get().keptNodes();
                    List<RunTarget> fromPrevious = targets.stream().filter(t -> !latest.containsKey(t))
                            .filter(t -> graph.node(t instanceof RunTarget.Job ? NodeType.JOB : NodeType.CRAWLER, t.name())
                                    .map(n -> kept.contains(n.uniqueId())).orElse(false))
                            .toList();
                    if (fromPrevious.isEmpty()) {
                        break;
                    }
                    String previous = run.get().previousRunId().get();
                    collect(c, previous, Set.copyOf(fromPrevious), latest);
                    run = SchedulerTables.workflowRun(c, previous, false);
                }
            }
            return latest;
        });
    }

    private static void collect(Connection c, String chainId, Set<RunTarget> targets, Map<RunTarget, EndedRun> latest) throws SQLException {
        for (EndedRun run : query(c, "SELECT " + END_COLUMNS + " FROM c_run_ends WHERE chain_id = ? ORDER BY ended_at", SchedulerStoreView::ended, chainId)) {
            if (targets.contains(run.target()) && !latest.containsKey(run.target()) || latest.containsKey(run.target())
                    && targets.contains(run.target()) && !latest.get(run.target()).endedAt().isAfter(run.endedAt())) {
                latest.put(run.target(), run);
            }
        }
    }

    @Override
    public boolean hasFired(String triggerName, Chain chain) {
        return database.inTransaction(c -> queryOne(c, "SELECT 1 FROM c_trigger_firings WHERE trigger_name = ? AND chain_id = ?", rs -> 1, triggerName,
                chain.id()).isPresent());
    }

    @Override
    public List<EndedRun> pendingRunEnds(int limit) {
        return database.inTransaction(c -> query(c, "SELECT " + END_COLUMNS + " FROM c_run_ends WHERE evaluated_at IS NULL ORDER BY ended_at, run_id LIMIT "
                + limit, SchedulerStoreView::ended));
    }

    @Override
    public boolean markEvaluated(EndedRun run, FencingToken token) {
        return database.inTransaction(c -> {
            if (!SchedulerTables.fenced(c, token)) {
                return false;
            }
            long now = clock.millis();
            update(c, "UPDATE c_run_ends SET evaluated_at = ? WHERE run_kind = ? AND run_id = ?", now,
                    run instanceof EndedRun.JobRunEnded ? RunEnds.Kind.JOB.name() : RunEnds.Kind.CRAWL.name(), run.runId());
            if (run.origin().isPresent() && run.origin().get().chain().isWorkflowRun()) {
                SchedulerTables.settle(c, run.origin().get().chain().id(), now);
            }
            return true;
        });
    }

    private static final String END_COLUMNS = "run_kind, run_id, target_name, run_state, ended_at, trigger_name, chain_id, workflow_name";

    private static EndedRun ended(ResultSet rs) throws SQLException {
        String workflow = rs.getString(8);
        Chain chain = new Chain(rs.getString(7), Optional.ofNullable(workflow));
        Optional<RunOrigin> origin = Optional.of(new RunOrigin(rs.getString(6), chain));
        Instant endedAt = Instant.ofEpochMilli(rs.getLong(5));
        if (RunEnds.Kind.valueOf(rs.getString(1)) == RunEnds.Kind.JOB) {
            return new EndedRun.JobRunEnded(rs.getString(3), rs.getString(2), JobRunState.valueOf(rs.getString(4)), endedAt, origin);
        }
        return new EndedRun.CrawlEnded(rs.getString(3), rs.getString(2), CrawlState.valueOf(rs.getString(4)), endedAt, origin);
    }
}
