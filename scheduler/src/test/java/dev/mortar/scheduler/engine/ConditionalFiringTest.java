package dev.mortar.scheduler.engine;

import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.Condition;
import dev.mortar.scheduler.trigger.CrawlState;
import dev.mortar.scheduler.trigger.JobRunState;
import dev.mortar.scheduler.trigger.Logical;
import dev.mortar.scheduler.trigger.Predicate;
import dev.mortar.scheduler.trigger.RunTarget;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.trigger.TriggerDefinition;
import dev.mortar.scheduler.trigger.TriggerRules;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which conditional triggers fire when a run ends: chains, AND and ANY, once per chain, workflows and their snapshots. */
class ConditionalFiringTest {
    private final FakeClock clock = new FakeClock("2026-03-10T12:00:00Z");
    private final TriggerRules rules = new TriggerRules(Duration.ofMinutes(1), clock);
    private final InMemoryControlPlane plane = new InMemoryControlPlane(clock);
    private final TriggerEvaluator evaluator = new TriggerEvaluator(new CountingIds(), Duration.ofSeconds(60), false);
    private FencingToken token;

    @BeforeEach
    void lead() {
        token = plane.tryAcquire("test", Duration.ofHours(1)).orElseThrow().token();
    }

    private Trigger conditional(String name, Predicate predicate, Action... actions) {
        Trigger trigger = rules.create(TriggerDefinition.conditional(name, predicate, actions), true);
        plane.put(trigger);
        return trigger;
    }

    /** Fires an ON_DEMAND trigger that starts {@code jobs}; returns the firing. */
    private Firing startChain(String trigger, String... jobs) {
        Trigger onDemand = rules.create(TriggerDefinition.onDemand(trigger,
                java.util.Arrays.stream(jobs).map(Action::job).toArray(Action[]::new)), false);
        plane.put(onDemand);
        Firing firing = evaluator.onDemand(onDemand);
        assertThat(plane.fire(firing, token)).isEqualTo(FireOutcome.FIRED);
        return firing;
    }

    /** Ends the last run of {@code job}, evaluates it and fires what it decides; returns the firings. */
    private List<Firing> end(String job, JobRunState state) {
        clock.advance(Duration.ofSeconds(5));
        EndedRun ended = plane.end(plane.lastRunOf(job).ref().runId(), state);
        List<Firing> firings = evaluator.onRunEnded(ended, plane);
        firings.forEach(firing -> plane.fire(firing, token));
        plane.markEvaluated(ended, token);
        return firings;
    }

    @Test
    void aJobStartedByATriggerStartsItsDependent() {
        Firing start = startChain("go", "extract");
        conditional("then-load", Predicate.of(Logical.AND, Condition.job("extract", JobRunState.SUCCEEDED)),
                Action.job("load", Map.of("--mode", "full")));
        String extractRun = plane.lastRunOf("extract").ref().runId();

        List<Firing> firings = end("extract", JobRunState.SUCCEEDED);

        RunRef extract = new RunRef(RunTarget.job("extract"), extractRun);
        assertThat(firings).containsExactly(new Firing("then-load", new FiringCause.ConditionsMet(extract), start.chain(), false,
                List.of(extract), List.of(Action.job("load", Map.of("--mode", "full")))));
        InMemoryControlPlane.Run load = plane.lastRunOf("load");
        assertThat(load.origin()).contains(new RunOrigin("then-load", Chain.standalone("ch_1")));
        assertThat(load.predecessors()).containsExactly(extract);
        assertThat(load.arguments()).containsExactly(Map.entry("--mode", "full"));
    }

    @Test
    void aJobStartedOutsideAnyTriggerStartsNothing() {
        conditional("then-load", Predicate.of(Logical.AND, Condition.job("extract", JobRunState.SUCCEEDED)), Action.job("load"));
        plane.startManually(RunTarget.job("extract"));
        assertThat(end("extract", JobRunState.SUCCEEDED)).isEmpty();
        assertThat(plane.runsOf("load")).isEmpty();
    }

    @Test
    void aConditionOnAnotherStateDoesNotFire() {
        startChain("go", "extract");
        conditional("on-failure", Predicate.of(Logical.AND, Condition.job("extract", JobRunState.FAILED)), Action.job("alert"));
        assertThat(end("extract", JobRunState.SUCCEEDED)).isEmpty();
        startChain("go2", "extract");
        assertThat(end("extract", JobRunState.FAILED)).extracting(Firing::triggerName).containsExactly("on-failure");
    }

    @Test
    void andWaitsForTheLastConditionInTheChain() {
        Firing start = startChain("go", "a", "b");
        conditional("join", Predicate.of(Logical.AND, Condition.job("a", JobRunState.SUCCEEDED), Condition.job("b", JobRunState.SUCCEEDED)),
                Action.job("c"));
        RunRef a = plane.lastRunOf("a").ref();
        RunRef b = plane.lastRunOf("b").ref();

        assertThat(end("a", JobRunState.SUCCEEDED)).isEmpty();
        List<Firing> firings = end("b", JobRunState.SUCCEEDED);

        assertThat(firings).singleElement().satisfies(firing -> {
            assertThat(firing.chain()).isEqualTo(start.chain());
            assertThat(firing.predecessors()).containsExactly(a, b);
            assertThat(firing.cause()).isEqualTo(new FiringCause.ConditionsMet(b));
        });
        assertThat(plane.runsOf("c")).hasSize(1);
    }

    @Test
    void andDoesNotFireWhenAWatchedJobEndedOtherwise() {
        startChain("go", "a", "b");
        conditional("join", Predicate.of(Logical.AND, Condition.job("a", JobRunState.SUCCEEDED), Condition.job("b", JobRunState.SUCCEEDED)),
                Action.job("c"));
        end("a", JobRunState.FAILED);
        assertThat(end("b", JobRunState.SUCCEEDED)).isEmpty();
    }

    @Test
    void andDoesNotJoinRunsOfDifferentChains() {
        startChain("first", "a");
        startChain("second", "b");
        conditional("join", Predicate.of(Logical.AND, Condition.job("a", JobRunState.SUCCEEDED), Condition.job("b", JobRunState.SUCCEEDED)),
                Action.job("c"));
        assertThat(end("a", JobRunState.SUCCEEDED)).isEmpty();
        assertThat(end("b", JobRunState.SUCCEEDED)).isEmpty();
    }

    @Test
    void anyFiresOncePerChain() {
        startChain("go", "a", "b");
        conditional("either", Predicate.of(Logical.ANY, Condition.job("a", JobRunState.SUCCEEDED), Condition.job("b", JobRunState.SUCCEEDED)),
                Action.job("c"));
        assertThat(end("a", JobRunState.SUCCEEDED)).extracting(Firing::triggerName).containsExactly("either");
        assertThat(end("b", JobRunState.SUCCEEDED)).isEmpty();
        assertThat(plane.runsOf("c")).hasSize(1);

        startChain("again", "b");
        assertThat(end("b", JobRunState.SUCCEEDED)).extracting(Firing::triggerName).containsExactly("either");
        assertThat(plane.runsOf("c")).hasSize(2);
    }

    @Test
    void theSameEndEvaluatedTwiceStartsItsDependentOnce() {
        startChain("go", "extract");
        conditional("then-load", Predicate.of(Logical.AND, Condition.job("extract", JobRunState.SUCCEEDED)), Action.job("load"));
        EndedRun ended = plane.end(plane.lastRunOf("extract").ref().runId(), JobRunState.SUCCEEDED);
        // a server decides, fires, and dies before marking the end evaluated; the next leader decides again
        Firing first = evaluator.onRunEnded(ended, plane).getFirst();
        Firing second = evaluator.onRunEnded(ended, plane).getFirst();
        assertThat(plane.fire(first, token)).isEqualTo(FireOutcome.FIRED);
        assertThat(plane.fire(second, token)).isEqualTo(FireOutcome.CLAIMED_ELSEWHERE);
        assertThat(evaluator.onRunEnded(ended, plane)).isEmpty();
        assertThat(plane.runsOf("load")).hasSize(1);
    }

    @Test
    void aDeactivatedTriggerDoesNotFire() {
        startChain("go", "extract");
        Trigger trigger = conditional("then-load", Predicate.of(Logical.AND, Condition.job("extract", JobRunState.SUCCEEDED)), Action.job("load"));
        plane.put(rules.stop(trigger));
        assertThat(end("extract", JobRunState.SUCCEEDED)).isEmpty();
    }

    @Test
    void crawlsSatisfyCrawlerConditions() {
        Trigger crawl = rules.create(TriggerDefinition.onDemand("crawl", Action.crawler("raw")), false);
        plane.put(crawl);
        plane.fire(evaluator.onDemand(crawl), token);
        conditional("after-crawl", Predicate.of(Logical.AND, Condition.crawler("raw", CrawlState.SUCCEEDED)), Action.job("transform"));
        clock.advance(Duration.ofMinutes(1));
        EndedRun ended = plane.end(plane.lastRunOf("raw").ref().runId(), CrawlState.SUCCEEDED);
        assertThat(evaluator.onRunEnded(ended, plane)).singleElement()
                .satisfies(firing -> assertThat(firing.predecessors()).containsExactly(new RunRef(RunTarget.crawler("raw"), "cr_1")));
        EndedRun cancelled = new EndedRun.CrawlEnded("raw", "cr_1", CrawlState.CANCELLED, clock.instant(), ended.origin());
        assertThat(evaluator.onRunEnded(cancelled, plane)).isEmpty();
    }

    @Test
    void insideAWorkflowRunOnlyItsSnapshotFires() {
        Trigger start = rules.create(TriggerDefinition.onDemand("start", Action.job("a")).inWorkflow("flow"), false);
        Trigger inFlow = rules.create(TriggerDefinition.conditional("then-b",
                Predicate.of(Logical.AND, Condition.job("a", JobRunState.SUCCEEDED)), Action.job("b")).inWorkflow("flow"), true);
        plane.put(start);
        plane.put(inFlow);
        conditional("outside", Predicate.of(Logical.AND, Condition.job("a", JobRunState.SUCCEEDED)), Action.job("x"));

        Firing run = evaluator.onDemand(start);
        assertThat(run.startsWorkflowRun()).isTrue();
        assertThat(run.chain()).isEqualTo(Chain.workflowRun("flow", "wr_1"));
        plane.fire(run, token);
        assertThat(plane.workflowRuns().get("wr_1").snapshot()).extracting(Trigger::name).containsExactly("start", "then-b");
        // changed after the run started: the run keeps its snapshot
        plane.put(rules.update(inFlow, TriggerDefinition.conditional("then-b",
                Predicate.of(Logical.AND, Condition.job("a", JobRunState.SUCCEEDED)), Action.job("b2")).inWorkflow("flow")));

        List<Firing> firings = end("a", JobRunState.SUCCEEDED);
        assertThat(firings).extracting(Firing::triggerName).containsExactly("then-b");
        assertThat(firings.getFirst().actions()).containsExactly(Action.job("b"));
        assertThat(firings.getFirst().chain()).isEqualTo(Chain.workflowRun("flow", "wr_1"));
        assertThat(plane.runsOf("x")).isEmpty();
    }

    @Test
    void aWorkflowJobStartedOutsideTheWorkflowFiresNoWorkflowTrigger() {
        plane.put(rules.create(TriggerDefinition.conditional("then-b",
                Predicate.of(Logical.AND, Condition.job("a", JobRunState.SUCCEEDED)), Action.job("b")).inWorkflow("flow"), true));
        startChain("go", "a");
        assertThat(end("a", JobRunState.SUCCEEDED)).isEmpty();
    }

    @Test
    void startWorkflowRunFiresTheStartingTriggerInTheGivenRun() {
        Trigger start = rules.create(TriggerDefinition.onDemand("start", Action.job("a"), Action.crawler("c")).inWorkflow("flow"), false);
        assertThat(evaluator.workflowRunStarted(start, "wr_given")).isEqualTo(new Firing("start", new FiringCause.WorkflowRunStarted(),
                Chain.workflowRun("flow", "wr_given"), false, List.of(), List.of(Action.job("a"), Action.crawler("c"))));
    }

    @Test
    void anEndedRunMustHaveEnded() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EndedRun.JobRunEnded("a", "jr_1", JobRunState.RUNNING,
                        clock.instant(), Optional.empty()))
                .hasMessage("Job run jr_1 of a has not ended: RUNNING");
    }
}
