package dev.mortar.metastore.control.schedule;

import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.ControlPlane;
import dev.mortar.metastore.control.job.JobDefinition;
import dev.mortar.metastore.control.job.JobRunRecord;
import dev.mortar.metastore.control.job.JobRunState;
import dev.mortar.metastore.control.job.JobRuns;
import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.scheduler.engine.SchedulerLoop;
import dev.mortar.scheduler.engine.SchedulerSettings;
import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.Condition;
import dev.mortar.scheduler.trigger.Logical;
import dev.mortar.scheduler.trigger.Predicate;
import dev.mortar.scheduler.trigger.TriggerDefinition;
import dev.mortar.scheduler.trigger.TriggerState;
import dev.mortar.scheduler.workflow.WorkflowRunStatistics;
import dev.mortar.scheduler.workflow.WorkflowRunStatus;
import dev.mortar.testing.TestClock;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scheduler over the control plane's store, the same on every store: scheduled ticks fire once each (across two
 * servers and a takeover), missed ticks are skipped or caught up, conditional chains, workflow runs with their status,
 * statistics, stop and resume, deleted jobs, crawler schedules. Time is a clock the test moves; runs are ended through
 * the worker calls, so nothing waits.
 */
abstract class SchedulerContract {
    abstract String kind();

    @TempDir
    Path dir;
    CatalogDatabase database;
    TestClock clock;
    ControlPlane control;

    @BeforeEach
    void open() throws Exception {
        Map<String, String> store = TestStores.fresh(kind(), dir);
        database = new CatalogDatabase(store.get("mortar.store.url"), store.getOrDefault("mortar.store.user", ""), store.getOrDefault("mortar.store.password", ""), 4);
        clock = new TestClock(Instant.parse("2026-03-01T00:00:30Z"));
        control = server(false);
        for (String job : List.of("a", "b", "c")) {
            control.jobs().create(job, job(), Map.of());
        }
    }

    ControlPlane server(boolean catchUp) {
        SchedulerSettings engine = new SchedulerSettings(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(60), catchUp, 100);
        return ControlPlane.create(database, clock, 2, new Scheduling.Options(Duration.ofMinutes(1), engine));
    }

    @AfterEach
    void close() {
        database.close();
    }

    static JobDefinition job() {
        return new JobDefinition("role", new JobDefinition.Command("glueetl", "s3://scripts/x.sql", Optional.empty(), Optional.empty()), Optional.empty(),
                Optional.empty(), Optional.of(5), Map.of("--day", "default"), Map.of("--fixed", "1"), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
    }

    List<JobRunRecord> runs(String job) {
        return control.jobRuns().runs(job, Optional.empty(), 1000);
    }

    /** Ends every open run of {@code job} as a worker would, in {@code state}. */
    void endRuns(String job, JobRuns.Ending ending) {
        while (true) {
            Optional<JobRuns.LeasedRun> leased = control.jobRuns().lease("w", 30);
            if (leased.isEmpty()) {
                return;
            }
            JobRuns.Ending how = leased.get().job().name().equals(job) ? ending : JobRuns.Ending.SUCCEEDED;
            control.jobRuns().end(leased.get().taskId(), leased.get().token(),
                    new JobRuns.Outcome(how, how == JobRuns.Ending.SUCCEEDED ? Optional.empty() : Optional.of("it failed"), Optional.empty(), Set.of(), List.of()));
        }
    }

    SchedulerLoop.Pass pass() {
        return control.scheduling().runOnce("server-1");
    }

    @Test
    void everyTickFiresOnceAndATakeoverFiresWhatFellDue() {
        Scheduling scheduling = control.scheduling();
        scheduling.triggers().create(TriggerDefinition.scheduled("every5", "cron(0/5 * * * ? *)", Action.job("a", Map.of("--day", "tick"))), true, Map.of());
        assertThat(scheduling.triggers().get("every5").state()).isEqualTo(TriggerState.ACTIVATED);
        // 00:00:30: the next tick is 00:05
        assertThat(pass().scheduled()).isEmpty();
        ControlPlane second = server(false);
        for (int tick = 1; tick <= 3; tick++) {
            clock.advance(Duration.ofMinutes(5));
            pass();
            pass();
            assertThat(second.scheduling().runOnce("server-2").leader()).isFalse();
            assertThat(runs("a")).hasSize(tick);
        }
        JobRunRecord run = runs("a").getFirst();
        assertThat(run.triggerName()).contains("every5");
        assertThat(run.settings().arguments()).containsEntry("--day", "tick").containsEntry("--fixed", "1");

        // server-1 stops without giving up its lease (a kill): server-2 takes over after the lease and fires the tick due meanwhile
        clock.advance(Duration.ofSeconds(35));
        clock.advance(Duration.ofMinutes(4));
        SchedulerLoop.Pass takeover = second.scheduling().runOnce("server-2");
        assertThat(takeover.leader()).isTrue();
        assertThat(runs("a")).hasSize(4);
        // the former leader's token is refused: it fires nothing, and knows it no longer leads
        SchedulerLoop.Pass stale = pass();
        assertThat(stale.leader()).isFalse();
        assertThat(runs("a")).hasSize(4);
        assertThat(scheduling.leader().orElseThrow().holder()).isEqualTo("server-2");
    }

    @Test
    void ticksMissedWhileNoSchedulerRanAreSkippedOrTheLatestCaughtUp() {
        control.scheduling().triggers().create(TriggerDefinition.scheduled("hourly", "cron(0 * * * ? *)", Action.job("a")), true, Map.of());
        // 05:10:30: the ticks through 05:00 were missed (the latest, 10 minutes ago, is older than the misfire grace)
        clock.advance(Duration.ofHours(5).plusMinutes(10));
        SchedulerLoop.Pass pass = pass();
        assertThat(pass.skipped()).hasSize(1);
        assertThat(runs("a")).isEmpty();
        clock.advance(Duration.ofMinutes(50));
        pass();
        assertThat(runs("a")).hasSize(1);

        ControlPlane catchingUp = server(true);
        catchingUp.scheduling().triggers().create(TriggerDefinition.scheduled("hourly-b", "cron(30 * * * ? *)", Action.job("b")), true, Map.of());
        clock.advance(Duration.ofHours(5));
        catchingUp.scheduling().runOnce("server-3");
        assertThat(runs("b")).hasSize(1);
    }

    @Test
    void aConditionalChainDescendsFromATriggerOnly() {
        Triggers triggers = control.scheduling().triggers();
        triggers.create(TriggerDefinition.onDemand("start", Action.job("a")), false, Map.of());
        triggers.create(TriggerDefinition.conditional("then", Predicate.of(Logical.AND, Condition.job("a", dev.mortar.scheduler.trigger.JobRunState.SUCCEEDED)),
                Action.job("b", Map.of("--day", "chained"))), true, Map.of());
        // a run of a started directly satisfies nothing
        control.jobRuns().start("a", JobRuns.StartRequest.of(Map.of()));
        endRuns("a", JobRuns.Ending.SUCCEEDED);
        pass();
        assertThat(runs("b")).isEmpty();

        triggers.start("start");
        JobRunRecord first = runs("a").stream().filter(r -> r.triggerName().isPresent()).findFirst().orElseThrow();
        assertThat(first.triggerName()).contains("start");
        endRuns("a", JobRuns.Ending.SUCCEEDED);
        SchedulerLoop.Pass pass = pass();
        assertThat(pass.conditional()).hasSize(1);
        pass();
        assertThat(runs("b")).hasSize(1);
        JobRunRecord chained = runs("b").getFirst();
        assertThat(chained.triggerName()).contains("then");
        assertThat(chained.settings().predecessors()).containsExactly(new JobRunRecord.Predecessor("a", first.id()));
        assertThat(chained.settings().arguments()).containsEntry("--day", "chained");
        assertThat(chained.origin().orElseThrow().chainId()).isEqualTo(first.origin().orElseThrow().chainId());

        // FAILED does not meet SUCCEEDED
        triggers.start("start");
        endRuns("a", JobRuns.Ending.FAILED);
        pass();
        assertThat(runs("b")).hasSize(1);
    }

    @Test
    void workflowRunsCompleteWithTheirGraphAndResume() {
        Scheduling scheduling = control.scheduling();
        scheduling.workflows().create("etl", new WorkflowDefinition(Optional.of("nightly"), Map.of("day", "2026-03-01"), Optional.of(1)), Map.of());
        scheduling.triggers().create(TriggerDefinition.onDemand("etl-start", Action.job("a")).inWorkflow("etl"), false, Map.of());
        scheduling.triggers().create(TriggerDefinition.conditional("etl-after-a",
                Predicate.of(Logical.ANY, Condition.job("a", dev.mortar.scheduler.trigger.JobRunState.FAILED),
                        Condition.job("a", dev.mortar.scheduler.trigger.JobRunState.SUCCEEDED)), Action.job("b")).inWorkflow("etl"), true, Map.of());
        String runId = scheduling.workflows().startRun("etl", Map.of("extra", "1"));
        assertThat(runId).startsWith("wr_").hasSize(67);
        assertThatThrownBy(() -> scheduling.workflows().startRun("etl", Map.of()))
                .isInstanceOf(ControlException.Conflict.class).hasMessageContaining("Concurrent runs exceeded for workflow: etl.");
        JobRunRecord a = runs("a").getFirst();
        assertThat(a.settings().arguments()).containsEntry("--WORKFLOW_NAME", "etl").containsEntry("--WORKFLOW_RUN_ID", runId);
        assertThat(scheduling.workflows().runProperties("etl", runId)).containsEntry("day", "2026-03-01").containsEntry("extra", "1");

        endRuns("a", JobRuns.Ending.FAILED);
        pass();
        assertThat(scheduling.workflows().run("etl", runId).status()).isEqualTo(WorkflowRunStatus.RUNNING);
        endRuns("b", JobRuns.Ending.SUCCEEDED);
        pass();
        WorkflowRunRecord done = scheduling.workflows().run("etl", runId);
        assertThat(done.status()).isEqualTo(WorkflowRunStatus.COMPLETED);
        WorkflowRunStatistics statistics = scheduling.workflows().statistics(runId);
        assertThat(statistics.totalActions()).isEqualTo(2);
        assertThat(statistics.failedActions()).isEqualTo(1);
        assertThat(statistics.succeededActions()).isEqualTo(1);
        Workflows.RunGraph graph = scheduling.workflows().runGraph(done);
        assertThat(graph.graph().nodes()).hasSize(4);

        // resume from a: a and b run again in a new run
        String aNode = graph.graph().node(dev.mortar.scheduler.workflow.NodeType.JOB, "a").orElseThrow().uniqueId();
        Workflows.Resumed resumed = scheduling.workflows().resumeRun("etl", runId, List.of(aNode));
        assertThat(resumed.nodeIds()).containsExactly(aNode);
        assertThat(scheduling.workflows().run("etl", resumed.runId()).previousRunId()).contains(runId);
        endRuns("a", JobRuns.Ending.SUCCEEDED);
        pass();
        endRuns("b", JobRuns.Ending.SUCCEEDED);
        pass();
        assertThat(scheduling.workflows().run("etl", resumed.runId()).status()).isEqualTo(WorkflowRunStatus.COMPLETED);
        assertThat(runs("b")).hasSize(2);

        // a running run can be stopped; a completed one cannot
        assertThatThrownBy(() -> scheduling.workflows().stopRun("etl", runId)).isInstanceOf(ControlException.Conflict.class);
        String third = scheduling.workflows().startRun("etl", Map.of());
        scheduling.workflows().stopRun("etl", third);
        assertThat(scheduling.workflows().run("etl", third).status()).isEqualTo(WorkflowRunStatus.STOPPED);
        pass();
        assertThat(runs("b")).hasSize(2);
    }

    @Test
    void aTriggerThatStartsADeletedJobMakesARunInError() {
        Triggers triggers = control.scheduling().triggers();
        control.jobs().create("gone", job(), Map.of());
        triggers.create(TriggerDefinition.onDemand("go", Action.job("gone")), false, Map.of());
        triggers.create(TriggerDefinition.conditional("after-gone",
                Predicate.of(Logical.AND, Condition.job("gone", dev.mortar.scheduler.trigger.JobRunState.FAILED)), Action.job("c")), true, Map.of());
        control.jobs().delete("gone");
        triggers.start("go");
        List<String> ends = database.inTransaction(c -> dev.mortar.metastore.store.CatalogStore.query(c,
                "SELECT run_state FROM c_job_runs WHERE job_name = 'gone'", rs -> rs.getString(1)));
        assertThat(ends).containsExactly(JobRunState.ERROR.name());
        // ERROR meets no condition
        pass();
        assertThat(runs("c")).isEmpty();
    }

    @Test
    void badTriggersAreRefusedAndChangeNothing() {
        Triggers triggers = control.scheduling().triggers();
        assertThatThrownBy(() -> triggers.create(TriggerDefinition.scheduled("bad", "cron(0 * * * * *)", Action.job("a")), false, Map.of()))
                .isInstanceOf(ControlException.InvalidInput.class).hasMessageContaining("?");
        assertThatThrownBy(() -> triggers.create(TriggerDefinition.onDemand("od", Action.job("a")), true, Map.of()))
                .isInstanceOf(ControlException.InvalidInput.class);
        assertThat(triggers.all()).isEmpty();
        triggers.create(TriggerDefinition.onDemand("od", Action.job("a")), false, Map.of());
        assertThatThrownBy(() -> triggers.create(TriggerDefinition.onDemand("od", Action.job("b")), false, Map.of()))
                .isInstanceOf(ControlException.AlreadyExists.class);
        assertThatThrownBy(() -> triggers.stop("od")).isInstanceOf(ControlException.InvalidInput.class)
                .hasMessageContaining("The operation is not allowed when trigger is in state: CREATED");
        assertThatThrownBy(() -> triggers.create(TriggerDefinition.onDemand("wf", Action.job("a")).inWorkflow("nowhere"), false, Map.of()))
                .isInstanceOf(ControlException.NotFound.class);
        triggers.delete("missing");
    }

    @Test
    void aCrawlerScheduleStartsCrawlsOnItsTicks() {
        control.crawlers().create("nightly", new dev.mortar.metastore.control.crawl.CrawlerDefinition("role", Optional.of("db"), Optional.empty(),
                List.of(new dev.mortar.metastore.control.crawl.CrawlerDefinition.S3Target(dir.toString(), List.of(), Optional.empty(), java.util.OptionalInt.empty(),
                        Optional.empty(), Optional.empty())), List.of(), Optional.of("cron(0 2 * * ? *)"), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        CrawlerSchedules schedules = control.scheduling().crawlerSchedules();
        database.inTransaction(c -> {
            schedules.scheduleChanged(c, "nightly", Optional.of("cron(0 2 * * ? *)"));
            return null;
        });
        assertThat(schedules.state("nightly")).contains(CrawlerSchedules.State.SCHEDULED);
        assertThatThrownBy(() -> schedules.start("nightly")).isInstanceOf(ControlException.Conflict.class);
        clock.advance(Duration.ofHours(2));
        pass();
        assertThat(control.crawlers().runs("nightly")).hasSize(1);
        schedules.stop("nightly");
        clock.advance(Duration.ofDays(1));
        pass();
        assertThat(control.crawlers().runs("nightly")).hasSize(1);
    }
}
