package dev.mortar.scheduler.trigger;

import dev.mortar.scheduler.cron.GlueSchedule;
import dev.mortar.scheduler.cron.InvalidScheduleException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CreateTrigger, UpdateTrigger, StartTrigger and StopTrigger as the service accepts and refuses them. */
class TriggerRulesTest {
    private final TriggerRules rules = new TriggerRules(Duration.ofMinutes(1), () -> Instant.parse("2026-01-01T00:00:00Z"));
    private final Predicate extractSucceeded = Predicate.of(Logical.AND, Condition.job("extract", JobRunState.SUCCEEDED));

    private static TriggerDefinition definition(TriggerType type, Optional<String> schedule, Optional<Predicate> predicate, List<Action> actions) {
        return new TriggerDefinition("t", type, Optional.empty(), Optional.empty(), schedule, predicate, actions, Optional.empty());
    }

    @Test
    void createsAScheduledTrigger() {
        Trigger trigger = rules.create(TriggerDefinition.scheduled("nightly", "cron(15 12 * * ? *)",
                Action.job("load", Map.of("--day", "today")), Action.crawler("raw")), false);
        assertThat(trigger).isEqualTo(new Trigger("nightly", TriggerType.SCHEDULED, TriggerState.CREATED, Optional.empty(), Optional.empty(),
                Optional.of(GlueSchedule.parse("cron(15 12 * * ? *)")), Optional.empty(),
                List.of(Action.job("load", Map.of("--day", "today")), Action.crawler("raw")), Optional.empty()));
        assertThat(trigger.definition()).isEqualTo(TriggerDefinition.scheduled("nightly", "cron(15 12 * * ? *)",
                Action.job("load", Map.of("--day", "today")), Action.crawler("raw")));
    }

    @Test
    void startOnCreationActivates() {
        assertThat(rules.create(TriggerDefinition.conditional("c", extractSucceeded, Action.job("load")), true).state())
                .isEqualTo(TriggerState.ACTIVATED);
        assertThatThrownBy(() -> rules.create(TriggerDefinition.onDemand("o", Action.job("load")), true))
                .isInstanceOf(InvalidTriggerException.class)
                .hasMessage("StartOnCreation is only for SCHEDULED and CONDITIONAL triggers, not ON_DEMAND");
    }

    @Test
    void aScheduledTriggerNeedsAValidScheduleNotTooFrequent() {
        assertThatThrownBy(() -> rules.create(definition(TriggerType.SCHEDULED, Optional.empty(), Optional.empty(), List.of(Action.job("j"))), false))
                .isInstanceOf(InvalidTriggerException.class).hasMessage("Schedule is required for SCHEDULED trigger t");
        assertThatThrownBy(() -> rules.create(TriggerDefinition.scheduled("t", "cron(0 0 ? * MON#1 *)", Action.job("j")), false))
                .isInstanceOf(InvalidScheduleException.class).hasMessage("Day-of-week: '#' is not allowed here (allowed: , - * ? / L)");
        TriggerRules asTheService = new TriggerRules(Duration.ofMinutes(5), () -> Instant.parse("2026-01-01T00:00:00Z"));
        assertThatThrownBy(() -> asTheService.create(TriggerDefinition.scheduled("t", "cron(0/2 * * * ? *)", Action.job("j")), false))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessage("Schedule cron(0/2 * * * ? *) fires at 2026-01-01T00:00:00Z and again at 2026-01-01T00:02:00Z, 2 minutes apart; "
                        + "schedules may fire at most every 5 minutes");
        assertThat(asTheService.create(TriggerDefinition.scheduled("t", "cron(0/5 * * * ? *)", Action.job("j")), false).schedule())
                .contains(GlueSchedule.parse("cron(0/5 * * * ? *)"));
    }

    @Test
    void onlyAScheduledTriggerHasASchedule() {
        assertThatThrownBy(() -> rules.create(definition(TriggerType.ON_DEMAND, Optional.of("cron(0 0 * * ? *)"), Optional.empty(),
                List.of(Action.job("j"))), false))
                .hasMessage("Schedule is only for SCHEDULED triggers; t is ON_DEMAND");
    }

    @Test
    void aConditionalTriggerNeedsAPredicate() {
        assertThatThrownBy(() -> rules.create(definition(TriggerType.CONDITIONAL, Optional.empty(), Optional.empty(), List.of(Action.job("j"))), false))
                .hasMessage("Predicate cannot be null or empty");
        assertThatThrownBy(() -> rules.create(definition(TriggerType.CONDITIONAL, Optional.empty(),
                Optional.of(new Predicate(Optional.of(Logical.AND), List.of())), List.of(Action.job("j"))), false))
                .hasMessage("Predicate cannot be null or empty");
        assertThatThrownBy(() -> rules.create(definition(TriggerType.SCHEDULED, Optional.of("cron(0 0 * * ? *)"), Optional.of(extractSucceeded),
                List.of(Action.job("j"))), false))
                .hasMessage("Predicate is only for CONDITIONAL triggers; t is SCHEDULED");
    }

    @Test
    void conditionsAreChecked() {
        assertThatThrownBy(() -> conditional(new Predicate(Optional.empty(), List.of(Condition.job("a", JobRunState.SUCCEEDED),
                Condition.job("b", JobRunState.SUCCEEDED)))))
                .hasMessage("Predicate of trigger t has 2 conditions and needs Logical (AND or ANY)");
        assertThat(conditional(new Predicate(Optional.empty(), List.of(Condition.job("a", JobRunState.SUCCEEDED)))).predicate().orElseThrow()
                .logicalOrDefault()).isEqualTo(Logical.AND);
        assertThatThrownBy(() -> conditional(Predicate.of(Logical.AND,
                new Condition.JobCondition(Optional.empty(), "a", Optional.of(JobRunState.SUCCEEDED)))))
                .hasMessage("Logical operator cannot be null or empty");
        assertThatThrownBy(() -> conditional(Predicate.of(Logical.AND,
                new Condition.JobCondition(Optional.of(LogicalOperator.EQUALS), "a", Optional.empty()))))
                .hasMessage("Condition on job a needs a State (SUCCEEDED, STOPPED, FAILED or TIMEOUT)");
        assertThatThrownBy(() -> conditional(Predicate.of(Logical.AND, Condition.job("a", JobRunState.RUNNING))))
                .hasMessage("Condition on job a watches State RUNNING; it can watch SUCCEEDED, STOPPED, FAILED or TIMEOUT");
        assertThatThrownBy(() -> conditional(Predicate.of(Logical.ANY, Condition.job("a", JobRunState.ERROR))))
                .hasMessage("Condition on job a watches State ERROR; it can watch SUCCEEDED, STOPPED, FAILED or TIMEOUT");
        assertThatThrownBy(() -> conditional(Predicate.of(Logical.AND, Condition.crawler("c", CrawlState.RUNNING))))
                .hasMessage("Condition on crawler c watches CrawlState RUNNING; it can watch SUCCEEDED, FAILED or CANCELLED");
        assertThatThrownBy(() -> conditional(Predicate.of(Logical.AND,
                new Condition.CrawlerCondition(Optional.of(LogicalOperator.EQUALS), "c", Optional.empty()))))
                .hasMessage("Condition on crawler c needs a CrawlState (SUCCEEDED, FAILED or CANCELLED)");
        for (JobRunState state : JobRunState.WATCHABLE) {
            assertThat(conditional(Predicate.of(Logical.AND, Condition.job("a", state))).type()).isEqualTo(TriggerType.CONDITIONAL);
        }
        for (CrawlState state : CrawlState.WATCHABLE) {
            assertThat(conditional(Predicate.of(Logical.AND, Condition.crawler("c", state))).type()).isEqualTo(TriggerType.CONDITIONAL);
        }
    }

    @Test
    void atMost500Conditions() {
        List<Condition> conditions = IntStream.range(0, 500).<Condition>mapToObj(i -> Condition.job("j" + i, JobRunState.SUCCEEDED)).toList();
        assertThat(conditional(new Predicate(Optional.of(Logical.ANY), conditions)).predicate().orElseThrow().conditions()).hasSize(500);
        List<Condition> tooMany = IntStream.range(0, 501).<Condition>mapToObj(i -> Condition.job("j" + i, JobRunState.SUCCEEDED)).toList();
        assertThatThrownBy(() -> conditional(new Predicate(Optional.of(Logical.ANY), tooMany)))
                .hasMessage("Predicate of trigger t has 501 conditions; at most 500");
    }

    @Test
    void aConditionalTriggerCannotStartWhatItWatches() {
        assertThatThrownBy(() -> rules.create(TriggerDefinition.conditional("loop", Predicate.of(Logical.ANY,
                Condition.job("a", JobRunState.FAILED), Condition.crawler("c", CrawlState.FAILED)), Action.job("b"), Action.job("a"),
                Action.crawler("c")), false))
                .hasMessage("Trigger loop both watches and starts job a, crawler c; a conditional trigger cannot start what its predicate watches");
    }

    @Test
    void actionsAreChecked() {
        assertThatThrownBy(() -> rules.create(TriggerDefinition.onDemand("t"), false)).hasMessage("Actions of trigger t cannot be empty");
        assertThatThrownBy(() -> rules.create(TriggerDefinition.onDemand("t", Action.crawler("a"), Action.crawler("b"), Action.crawler("c")), false))
                .hasMessage("Trigger t starts 3 crawlers; at most 2");
        assertThat(rules.create(TriggerDefinition.onDemand("t", Action.crawler("a"), Action.crawler("b")), false).actions()).hasSize(2);
        Action[] jobs = IntStream.range(0, 51).mapToObj(i -> Action.job("j" + i)).toArray(Action[]::new);
        assertThatThrownBy(() -> rules.create(TriggerDefinition.onDemand("t", jobs), false)).hasMessage("Trigger t starts 51 jobs; at most 50");
        assertThatThrownBy(() -> rules.create(TriggerDefinition.onDemand("t",
                new Action.JobAction("j", Map.of(), OptionalInt.of(0), Optional.empty(), OptionalInt.empty())), false))
                .hasMessage("Action on job j has Timeout 0; at least 1 minute");
        assertThatThrownBy(() -> rules.create(TriggerDefinition.onDemand("t",
                new Action.JobAction("j", Map.of(), OptionalInt.empty(), Optional.empty(), OptionalInt.of(0))), false))
                .hasMessage("Action on job j has NotifyDelayAfter 0; at least 1 minute");
    }

    @Test
    void namesAreOneLineOfAtMost255Characters() {
        assertThatThrownBy(() -> rules.create(TriggerDefinition.onDemand("", Action.job("j")), false))
                .hasMessage("Trigger name must be 1 to 255 characters; it has 0");
        assertThatThrownBy(() -> rules.create(TriggerDefinition.onDemand("x".repeat(256), Action.job("j")), false))
                .hasMessage("Trigger name must be 1 to 255 characters; it has 256");
        assertThat(rules.create(TriggerDefinition.onDemand("x".repeat(255), Action.job("j")), false).name()).hasSize(255);
        assertThatThrownBy(() -> rules.create(TriggerDefinition.onDemand("two\nlines", Action.job("j")), false))
                .hasMessage("Trigger name 'two?lines' has a control character at 3; names are one line of text");
        assertThatThrownBy(() -> rules.create(TriggerDefinition.onDemand("t", Action.job("")), false))
                .hasMessage("Job name in an action must be 1 to 255 characters; it has 0");
        assertThatThrownBy(() -> rules.create(TriggerDefinition.onDemand("t", Action.job("j")).inWorkflow("w\u0000"), false))
                .hasMessage("Workflow name 'w?' has a control character at 1; names are one line of text");
        assertThatThrownBy(() -> rules.create(new TriggerDefinition("t", TriggerType.ON_DEMAND, Optional.empty(), Optional.of("d".repeat(2049)),
                Optional.empty(), Optional.empty(), List.of(Action.job("j")), Optional.empty()), false))
                .hasMessage("Description of trigger t has 2049 characters; at most 2048");
    }

    @Test
    void eventTriggersBatch() {
        TriggerDefinition event = new TriggerDefinition("e", TriggerType.EVENT, Optional.of("flow"), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(Action.job("j")), Optional.of(new EventBatchingCondition(100, OptionalInt.of(900))));
        assertThat(rules.create(event, false).state()).isEqualTo(TriggerState.CREATED);
        assertThatThrownBy(() -> rules.create(new TriggerDefinition("e", TriggerType.EVENT, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(Action.job("j")), Optional.of(new EventBatchingCondition(0, OptionalInt.empty()))), false))
                .hasMessage("EventBatchingCondition.BatchSize is 0; it must be from 1 to 100");
        assertThatThrownBy(() -> rules.create(new TriggerDefinition("e", TriggerType.EVENT, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(Action.job("j")), Optional.of(new EventBatchingCondition(5, OptionalInt.of(901)))), false))
                .hasMessage("EventBatchingCondition.BatchWindow is 901; it must be from 1 to 900 seconds");
        assertThatThrownBy(() -> rules.create(new TriggerDefinition("e", TriggerType.ON_DEMAND, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(Action.job("j")), Optional.of(new EventBatchingCondition(5, OptionalInt.empty()))), false))
                .hasMessage("EventBatchingCondition is only for EVENT triggers; e is ON_DEMAND");
        assertThatThrownBy(() -> rules.start(rules.create(event, false)))
                .hasMessage("Trigger Type EVENT cannot be started (Mortar has no event source yet; EVENT triggers are stored and listed only)");
        assertThatThrownBy(() -> rules.create(event, true))
                .hasMessage("StartOnCreation is only for SCHEDULED and CONDITIONAL triggers, not EVENT");
    }

    @Test
    void startAndStop() {
        Trigger scheduled = rules.create(TriggerDefinition.scheduled("s", "cron(0 0 * * ? *)", Action.job("j")), false);
        Trigger activated = rules.start(scheduled);
        assertThat(activated.state()).isEqualTo(TriggerState.ACTIVATED);
        assertThat(rules.stop(activated).state()).isEqualTo(TriggerState.DEACTIVATED);
        assertThat(rules.start(rules.stop(activated)).state()).isEqualTo(TriggerState.ACTIVATED);
        assertThatThrownBy(() -> rules.stop(scheduled)).isInstanceOf(InvalidTriggerException.class)
                .hasMessage("The operation is not allowed when trigger is in state: CREATED");
        assertThatThrownBy(() -> rules.stop(rules.stop(activated)))
                .hasMessage("The operation is not allowed when trigger is in state: DEACTIVATED");
        Trigger onDemand = rules.create(TriggerDefinition.onDemand("o", Action.job("j")), false);
        assertThat(rules.start(onDemand)).isEqualTo(onDemand);
        assertThatThrownBy(() -> rules.stop(onDemand)).hasMessage("The operation is not allowed when trigger is in state: CREATED");
    }

    @Test
    void anUpdateReplacesTheDefinitionAndKeepsNameTypeWorkflowAndState() {
        Trigger activated = rules.create(TriggerDefinition.scheduled("s", "cron(0 0 * * ? *)", Action.job("j")), true);
        Trigger updated = rules.update(activated, TriggerDefinition.scheduled("s", "cron(0 6 * * ? *)", Action.crawler("c")));
        assertThat(updated).isEqualTo(new Trigger("s", TriggerType.SCHEDULED, TriggerState.ACTIVATED, Optional.empty(), Optional.empty(),
                Optional.of(GlueSchedule.parse("cron(0 6 * * ? *)")), Optional.empty(), List.of(Action.crawler("c")), Optional.empty()));
        assertThatThrownBy(() -> rules.update(activated, TriggerDefinition.onDemand("s", Action.job("j"))))
                .hasMessage("Type of trigger s cannot change from SCHEDULED to ON_DEMAND");
        assertThatThrownBy(() -> rules.update(activated, TriggerDefinition.scheduled("s2", "cron(0 6 * * ? *)", Action.job("j"))))
                .hasMessage("Trigger s cannot be renamed to s2");
        assertThatThrownBy(() -> rules.update(activated, TriggerDefinition.scheduled("s", "cron(0 6 * * ? *)", Action.job("j")).inWorkflow("w")))
                .hasMessage("Workflow of trigger s cannot change");
        assertThatThrownBy(() -> rules.update(activated, new TriggerDefinition("s", TriggerType.SCHEDULED, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(Action.job("j")), Optional.empty())))
                .hasMessage("Schedule is required for SCHEDULED trigger s");
    }

    @Test
    void aWorkflowHasOneStartingTrigger() {
        Trigger start = rules.create(TriggerDefinition.onDemand("start", Action.job("a")).inWorkflow("flow"), false);
        Trigger next = rules.create(TriggerDefinition.conditional("next", extractSucceeded, Action.job("b")).inWorkflow("flow"), true);
        Trigger second = rules.create(TriggerDefinition.scheduled("nightly", "cron(0 0 * * ? *)", Action.job("a")).inWorkflow("flow"), false);
        rules.checkInWorkflow(next, List.of(start));
        rules.checkInWorkflow(start, List.of(start, next));
        rules.checkInWorkflow(second, Collections.emptyList());
        assertThatThrownBy(() -> rules.checkInWorkflow(second, List.of(start, next)))
                .hasMessage("Workflow flow already has the starting trigger start; a workflow has one starting trigger (ON_DEMAND, SCHEDULED or EVENT)");
    }

    private Trigger conditional(Predicate predicate) {
        return rules.create(TriggerDefinition.conditional("t", predicate, Action.job("load")), false);
    }
}
