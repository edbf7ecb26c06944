package dev.mortar.metastore.control.schedule;

import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.scheduler.engine.FencingToken;
import dev.mortar.scheduler.engine.FireOutcome;
import dev.mortar.scheduler.engine.Firing;
import dev.mortar.scheduler.engine.FiringCause;
import dev.mortar.scheduler.engine.RunLauncher;
import dev.mortar.scheduler.engine.SkippedTicks;
import dev.mortar.scheduler.workflow.WorkflowRunStatus;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

import static dev.mortar.metastore.store.CatalogStore.update;

/** The scheduler's firings made runs: each one transaction, fenced by the leader lease's token and claimed once by its cause. */
final class StoreRunLauncher implements RunLauncher {
    private final CatalogDatabase database;
    private final InstantSource clock;
    private final RunStarter starter;

    StoreRunLauncher(CatalogDatabase database, InstantSource clock, RunStarter starter) {
        this.database = database;
        this.clock = clock;
        this.starter = starter;
    }

    @Override
    public FireOutcome fire(Firing firing, FencingToken token) {
        RunStarter.Started started = starter.started();
        FireOutcome outcome = database.inTransaction(c -> {
            if (!SchedulerTables.fenced(c, token)) {
                return FireOutcome.LEASE_LOST;
            }
            long now = clock.millis();
            if (CrawlerSchedules.isCrawlerSchedule(firing.triggerName())) {
                FiringCause.ScheduledTick tick = (FiringCause.ScheduledTick) firing.cause();
                String crawler = CrawlerSchedules.crawlerOf(firing.triggerName());
                if (!CrawlerSchedules.claim(c, crawler, tick.expectedFiredThrough(), tick.tick())) {
                    return FireOutcome.CLAIMED_ELSEWHERE;
                }
                starter.startCrawl(c, crawler, Optional.empty(), started);
                return FireOutcome.FIRED;
            }
            if (!claim(c, firing, now)) {
                return FireOutcome.CLAIMED_ELSEWHERE;
            }
            if (firing.startsWorkflowRun()
                    && !starter.createWorkflowRun(c, firing.chain().workflowName().orElseThrow(), firing.chain().id(), Map.of(), now)) {
                return FireOutcome.FIRED;
            }
            starter.startActions(c, firing, started);
            if (firing.chain().isWorkflowRun()) {
                SchedulerTables.settle(c, firing.chain().id(), now);
            }
            return FireOutcome.FIRED;
        });
        started.tell();
        return outcome;
    }

    private static boolean claim(Connection c, Firing firing, long now) throws SQLException {
        return switch (firing.cause()) {
            case FiringCause.ScheduledTick tick -> update(c, "UPDATE c_triggers SET fired_through = ? WHERE trigger_name = ? AND fired_through = ? "
                    + "AND trigger_state = 'ACTIVATED'", tick.tick().toEpochMilli(), firing.triggerName(), tick.expectedFiredThrough().toEpochMilli()) == 1;
            case FiringCause.ConditionsMet ignored -> {
                if (firing.chain().isWorkflowRun()) {
                    Optional<WorkflowRunRecord> run = SchedulerTables.workflowRun(c, firing.chain().id(), true);
                    if (run.isEmpty() || run.get().status() != WorkflowRunStatus.RUNNING) {
                        // a stopped (or deleted) workflow run starts nothing new
                        yield false;
                    }
                }
                // the lease row is locked by the fence, so no other firing races this check and insert
                if (dev.mortar.metastore.store.CatalogStore.queryOne(c, "SELECT 1 FROM c_trigger_firings WHERE trigger_name = ? AND chain_id = ?", rs -> 1,
                        firing.triggerName(), firing.chain().id()).isPresent()) {
                    yield false;
                }
                update(c, "INSERT INTO c_trigger_firings (trigger_name, chain_id, fired_at) VALUES (?, ?, ?)", firing.triggerName(), firing.chain().id(), now);
                yield true;
            }
            case FiringCause.OnDemand ignored -> true;
            case FiringCause.WorkflowRunStarted ignored -> true;
        };
    }

    @Override
    public FireOutcome skip(SkippedTicks skipped, FencingToken token) {
        return database.inTransaction(c -> {
            if (!SchedulerTables.fenced(c, token)) {
                return FireOutcome.LEASE_LOST;
            }
            boolean claimed;
            if (CrawlerSchedules.isCrawlerSchedule(skipped.triggerName())) {
                claimed = CrawlerSchedules.claim(c, CrawlerSchedules.crawlerOf(skipped.triggerName()), skipped.expectedFiredThrough(), skipped.latestMissed());
            } else {
                claimed = update(c, "UPDATE c_triggers SET fired_through = ? WHERE trigger_name = ? AND fired_through = ? AND trigger_state = 'ACTIVATED'",
                        skipped.latestMissed().toEpochMilli(), skipped.triggerName(), skipped.expectedFiredThrough().toEpochMilli()) == 1;
            }
            return claimed ? FireOutcome.FIRED : FireOutcome.CLAIMED_ELSEWHERE;
        });
    }
}
