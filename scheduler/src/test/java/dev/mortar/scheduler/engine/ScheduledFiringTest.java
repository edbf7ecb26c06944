package dev.mortar.scheduler.engine;

import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.trigger.TriggerDefinition;
import dev.mortar.scheduler.trigger.TriggerRules;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which tick of a SCHEDULED trigger is due, on time, missed or caught up. */
class ScheduledFiringTest {
    private static final TriggerRules RULES = new TriggerRules(Duration.ofMinutes(1), () -> Instant.parse("2026-01-01T00:00:00Z"));

    static Trigger scheduled(String name, String cron, Action... actions) {
        return RULES.create(TriggerDefinition.scheduled(name, cron, actions), true);
    }

    private final TriggerEvaluator evaluator = new TriggerEvaluator(new CountingIds(), Duration.ofSeconds(60), false);
    private final Trigger every5 = scheduled("every5", "cron(0/5 * * * ? *)", Action.job("load", Map.of("--day", "today")));

    @Test
    void notDueUntilTheFirstTickAfterTheWatermark() {
        ScheduledTrigger scheduled = new ScheduledTrigger(every5, Instant.parse("2026-03-10T12:00:30Z"));
        assertThat(evaluator.decide(scheduled, Instant.parse("2026-03-10T12:04:59.999Z")))
                .isEqualTo(new ScheduleDecision.NotDue(Optional.of(Instant.parse("2026-03-10T12:05:00Z"))));
    }

    @Test
    void aTickFiresOnTimeWithTheWatermarkItClaims() {
        ScheduledTrigger scheduled = new ScheduledTrigger(every5, Instant.parse("2026-03-10T12:00:30Z"));
        ScheduleDecision decision = evaluator.decide(scheduled, Instant.parse("2026-03-10T12:05:00.200Z"));
        assertThat(decision).isEqualTo(new ScheduleDecision.Fire(new Firing("every5",
                new FiringCause.ScheduledTick(Instant.parse("2026-03-10T12:05:00Z"), Instant.parse("2026-03-10T12:00:30Z"), false),
                Chain.standalone("ch_1"), false, List.of(), List.of(Action.job("load", Map.of("--day", "today"))))));
    }

    @Test
    void aTickStillFiresWithinTheGrace() {
        ScheduledTrigger scheduled = new ScheduledTrigger(every5, Instant.parse("2026-03-10T12:00:30Z"));
        assertThat(evaluator.decide(scheduled, Instant.parse("2026-03-10T12:06:00Z")))
                .isInstanceOfSatisfying(ScheduleDecision.Fire.class, fire -> assertThat(fire.firing().cause())
                        .isEqualTo(new FiringCause.ScheduledTick(Instant.parse("2026-03-10T12:05:00Z"),
                                Instant.parse("2026-03-10T12:00:30Z"), false)));
        assertThat(evaluator.decide(scheduled, Instant.parse("2026-03-10T12:06:00.001Z")))
                .isInstanceOf(ScheduleDecision.Skip.class);
    }

    @Test
    void ticksMissedWhileNoSchedulerRanAreSkipped() {
        ScheduledTrigger scheduled = new ScheduledTrigger(every5, Instant.parse("2026-03-10T12:00:00Z"));
        assertThat(evaluator.decide(scheduled, Instant.parse("2026-03-10T13:02:30Z"))).isEqualTo(new ScheduleDecision.Skip(
                new SkippedTicks("every5", Instant.parse("2026-03-10T12:00:00Z"), Instant.parse("2026-03-10T13:00:00Z"))));
    }

    @Test
    void afterDowntimeOnlyTheLatestTickFiresWhenItIsOnTime() {
        ScheduledTrigger scheduled = new ScheduledTrigger(every5, Instant.parse("2026-03-10T12:00:00Z"));
        assertThat(evaluator.decide(scheduled, Instant.parse("2026-03-10T13:00:10Z")))
                .isInstanceOfSatisfying(ScheduleDecision.Fire.class, fire -> assertThat(fire.firing().cause())
                        .isEqualTo(new FiringCause.ScheduledTick(Instant.parse("2026-03-10T13:00:00Z"),
                                Instant.parse("2026-03-10T12:00:00Z"), false)));
    }

    @Test
    void catchUpRunsTheLatestMissedTickOnce() {
        TriggerEvaluator catchingUp = new TriggerEvaluator(new CountingIds(), Duration.ofSeconds(60), true);
        ScheduledTrigger scheduled = new ScheduledTrigger(every5, Instant.parse("2026-03-10T12:00:00Z"));
        assertThat(catchingUp.decide(scheduled, Instant.parse("2026-03-10T13:02:30Z")))
                .isInstanceOfSatisfying(ScheduleDecision.Fire.class, fire -> assertThat(fire.firing().cause())
                        .isEqualTo(new FiringCause.ScheduledTick(Instant.parse("2026-03-10T13:00:00Z"),
                                Instant.parse("2026-03-10T12:00:00Z"), true)));
    }

    @Test
    void aScheduleThatIsOverIsNeverDue() {
        Trigger once = scheduled("once", "cron(0 0 1 1 ? 2026)", Action.crawler("c"));
        assertThat(evaluator.decide(new ScheduledTrigger(once, Instant.parse("2026-01-01T00:00:00Z")), Instant.parse("2030-01-01T00:00:00Z")))
                .isEqualTo(new ScheduleDecision.NotDue(Optional.empty()));
    }

    @Test
    void aScheduledTriggerOfAWorkflowStartsAWorkflowRun() {
        Trigger start = RULES.create(TriggerDefinition.scheduled("nightly", "cron(0 2 * * ? *)", Action.job("extract")).inWorkflow("etl"), true);
        ScheduleDecision decision = evaluator.decide(new ScheduledTrigger(start, Instant.parse("2026-03-10T00:00:00Z")),
                Instant.parse("2026-03-10T02:00:00Z"));
        assertThat(decision).isInstanceOfSatisfying(ScheduleDecision.Fire.class, fire -> {
            assertThat(fire.firing().chain()).isEqualTo(Chain.workflowRun("etl", "wr_1"));
            assertThat(fire.firing().startsWorkflowRun()).isTrue();
        });
    }
}
