package dev.mortar.scheduler.engine;

import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.Condition;
import dev.mortar.scheduler.trigger.JobRunState;
import dev.mortar.scheduler.trigger.Logical;
import dev.mortar.scheduler.trigger.Predicate;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.trigger.TriggerDefinition;
import dev.mortar.scheduler.trigger.TriggerRules;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop on a fake clock: a year of ticks, two servers on one store, takeover, fencing, restarts and catch-up. */
class SchedulerLoopTest {
    private static final SchedulerSettings SETTINGS = SchedulerSettings.DEFAULTS;

    private final FakeClock clock = new FakeClock("2026-01-01T00:00:00Z");
    private final TriggerRules rules = new TriggerRules(Duration.ofMinutes(1), clock);
    private final InMemoryControlPlane plane = new InMemoryControlPlane(clock);
    private final List<String> events = new ArrayList<>();

    private SchedulerLoop loop(String holder, InstantSource clockOfServer, Sleeper sleeper, SchedulerSettings settings) {
        SchedulerListener listener = new SchedulerListener() {
            @Override
            public void leadershipChanged(boolean leader, LeaseGrant grant) {
                events.add(holder + (leader ? " leads " : " stops leading ") + grant.token().value());
            }
        };
        return new SchedulerLoop(holder, plane, plane, plane, new TriggerEvaluator(new CountingIds(), settings.misfireGrace(),
                settings.catchUp()), clockOfServer, sleeper, settings, listener);
    }

    private SchedulerLoop loop(String holder) {
        return loop(holder, clock, clock::advance, SETTINGS);
    }

    /** A loop that may sleep long: a lease of a day, so that it wakes only for ticks (the passes of a year are few). */
    private SchedulerLoop sleepyLoop(String holder) {
        return loop(holder, clock, clock::advance, new SchedulerSettings(Duration.ofDays(1), Duration.ofHours(8), Duration.ofDays(1), false, 100));
    }

    private void schedule(String name, String cron, Action... actions) {
        plane.put(rules.create(TriggerDefinition.scheduled(name, cron, actions), true));
    }

    /** Runs the loop, sleeping on the fake clock, until {@code until}. */
    private static void runUntil(SchedulerLoop loop, FakeClock clock, Instant until) {
        while (clock.instant().isBefore(until)) {
            Duration sleep = loop.runOnce().sleepFor();
            clock.advance(sleep.isZero() ? Duration.ofMillis(1) : sleep);
        }
    }

    @Test
    void aYearOfDailyTicksFiresEachOnceAndOnTime() {
        schedule("daily", "cron(30 6 * * ? *)", Action.job("report"));
        runUntil(sleepyLoop("a"), clock, Instant.parse("2027-01-01T00:00:00Z"));
        List<InMemoryControlPlane.Run> runs = plane.runsOf("report");
        assertThat(runs).hasSize(365);
        assertThat(runs.getFirst().startedAt()).isEqualTo(Instant.parse("2026-01-01T06:30:00Z"));
        assertThat(runs.getLast().startedAt()).isEqualTo(Instant.parse("2026-12-31T06:30:00Z"));
        assertThat(runs).allSatisfy(run -> assertThat(run.startedAt().getEpochSecond() % 86400).isEqualTo(6 * 3600 + 30 * 60));
        assertThat(runs.stream().map(run -> run.origin().orElseThrow().chain().id()).distinct()).hasSize(365);
    }

    @Test
    void aDayOfEveryMinuteFiresEachMinuteOnce() {
        schedule("minutely", "cron(* * * * ? *)", Action.job("poll"));
        runUntil(sleepyLoop("a"), clock, Instant.parse("2026-01-02T00:00:30Z"));
        List<InMemoryControlPlane.Run> runs = plane.runsOf("poll");
        assertThat(runs).hasSize(1440);
        for (int i = 0; i < runs.size(); i++) {
            assertThat(runs.get(i).startedAt()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z").plusSeconds(60L * i));
        }
    }

    @Test
    void theLoopSleepsUntilTheNextTick() {
        clock.set("2026-01-01T00:00:00.500Z");
        schedule("every5", "cron(0/5 * * * ? *)", Action.job("j"));
        SchedulerLoop loop = loop("a", clock, clock::advance, new SchedulerSettings(Duration.ofMinutes(30), Duration.ofMinutes(10),
                Duration.ofMinutes(30), false, 100));
        SchedulerLoop.Pass pass = loop.runOnce();
        assertThat(pass.leader()).isTrue();
        assertThat(pass.sleepFor()).isEqualTo(Duration.ofMinutes(5).minusMillis(500));
        clock.advance(pass.sleepFor());
        pass = loop.runOnce();
        assertThat(pass.scheduled()).singleElement().satisfies(fired -> {
            assertThat(fired.outcome()).isEqualTo(FireOutcome.FIRED);
            assertThat(fired.firing().cause()).isEqualTo(new FiringCause.ScheduledTick(Instant.parse("2026-01-01T00:05:00Z"),
                    Instant.parse("2026-01-01T00:00:00.500Z"), false));
        });
        assertThat(pass.sleepFor()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void twoServersOnOneStoreFireEachTickOnce() {
        schedule("every5", "cron(0/5 * * * ? *)", Action.job("j"));
        SchedulerLoop a = loop("a");
        SchedulerLoop b = loop("b");
        Instant until = Instant.parse("2026-01-01T02:00:30Z");
        while (clock.instant().isBefore(until)) {
            a.runOnce();
            b.runOnce();
            clock.advance(Duration.ofMillis(700));
        }
        assertThat(plane.runsOf("j")).hasSize(24);
        assertThat(plane.runsOf("j").stream().map(InMemoryControlPlane.Run::startedAt).distinct()).hasSize(24);
        assertThat(a.grant()).isPresent();
        assertThat(b.grant()).isEmpty();
        assertThat(events).containsExactly("a leads 1");
    }

    @Test
    void whenTheLeaderDiesAnotherTakesOverAndFiresWhatIsDue() {
        schedule("every5", "cron(0/5 * * * ? *)", Action.job("j"));
        SchedulerLoop a = loop("a");
        SchedulerLoop b = loop("b");
        while (clock.instant().isBefore(Instant.parse("2026-01-01T00:09:50Z"))) {
            a.runOnce();
            b.runOnce();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(plane.runsOf("j")).extracting(InMemoryControlPlane.Run::startedAt).containsExactly(Instant.parse("2026-01-01T00:05:00Z"));
        // a is killed (no more passes, no release); its lease runs out 30 s after its last renewal, at 00:09:40
        while (clock.instant().isBefore(Instant.parse("2026-01-01T00:16:00Z"))) {
            b.runOnce();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(events).containsExactly("a leads 1", "b leads 2");
        assertThat(plane.runsOf("j")).extracting(InMemoryControlPlane.Run::startedAt).containsExactly(
                Instant.parse("2026-01-01T00:05:00Z"), Instant.parse("2026-01-01T00:10:10Z"), Instant.parse("2026-01-01T00:15:00Z"));
    }

    @Test
    void aFormerLeaderWhoseClockLagsIsFencedOff() {
        schedule("minutely", "cron(* * * * ? *)", Action.job("j"));
        // a's clock is 40 s behind the store's: it still believes in its lease after the store gave it to b
        SchedulerLoop a = loop("a", clock.lagging(Duration.ofSeconds(40)), d -> { }, SETTINGS);
        clock.set("2026-01-01T00:00:55Z");
        assertThat(a.runOnce().leader()).isTrue();
        clock.set("2026-01-01T00:01:30Z");
        LeaseGrant b = plane.tryAcquire("b", Duration.ofSeconds(30)).orElseThrow();
        clock.set("2026-01-01T00:01:44Z");
        SchedulerLoop.Pass pass = a.runOnce();
        assertThat(pass.scheduled()).extracting(SchedulerLoop.Fired::outcome).containsExactly(FireOutcome.LEASE_LOST);
        assertThat(pass.leader()).isFalse();
        assertThat(plane.runsOf("j")).isEmpty();
        assertThat(plane.watermark("minutely")).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(b.token().value()).isEqualTo(2);
        assertThat(events).containsExactly("a leads 1", "a stops leading 1");
    }

    @Test
    void aStaleDecisionIsRefusedByTheFencingToken() {
        schedule("every5", "cron(0/5 * * * ? *)", Action.job("j"));
        LeaseGrant old = plane.tryAcquire("a", Duration.ofSeconds(30)).orElseThrow();
        clock.set("2026-01-01T00:05:00Z");
        ScheduleDecision decision = new TriggerEvaluator(new CountingIds(), Duration.ofMinutes(1), false)
                .decide(plane.activatedSchedules().getFirst(), clock.instant());
        plane.tryAcquire("b", Duration.ofSeconds(30)).orElseThrow();
        assertThat(plane.fire(((ScheduleDecision.Fire) decision).firing(), old.token())).isEqualTo(FireOutcome.LEASE_LOST);
        assertThat(plane.runsOf("j")).isEmpty();
        assertThat(plane.watermark("every5")).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void ticksMissedWhileNoSchedulerRanAreSkippedAndRecorded() {
        schedule("hourly", "cron(0 * * * ? *)", Action.job("j"));
        clock.set("2026-01-01T03:20:00Z");
        SchedulerLoop.Pass pass = loop("a").runOnce();
        assertThat(pass.scheduled()).isEmpty();
        assertThat(pass.skipped()).containsExactly(new SkippedTicks("hourly", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T03:00:00Z")));
        assertThat(plane.watermark("hourly")).isEqualTo(Instant.parse("2026-01-01T03:00:00Z"));
        assertThat(pass.sleepFor()).isEqualTo(Duration.ofSeconds(1));
        runUntil(loop("a2"), clock, Instant.parse("2026-01-01T05:30:00Z"));
        assertThat(plane.runsOf("j")).extracting(InMemoryControlPlane.Run::startedAt)
                .containsExactly(Instant.parse("2026-01-01T04:00:00Z"), Instant.parse("2026-01-01T05:00:00Z"));
    }

    @Test
    void withCatchUpTheLatestMissedTickRunsOnce() {
        schedule("hourly", "cron(0 * * * ? *)", Action.job("j"));
        clock.set("2026-01-01T03:20:00Z");
        SchedulerLoop loop = loop("a", clock, clock::advance, SETTINGS.withCatchUp(true));
        SchedulerLoop.Pass pass = loop.runOnce();
        assertThat(pass.scheduled()).singleElement().satisfies(fired -> assertThat(fired.firing().cause())
                .isEqualTo(new FiringCause.ScheduledTick(Instant.parse("2026-01-01T03:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"), true)));
        assertThat(loop.runOnce().scheduled()).isEmpty();
        assertThat(plane.runsOf("j")).hasSize(1);
    }

    @Test
    void aChainGoesOnAfterARestartMidChain() {
        schedule("nightly", "cron(0 2 * * ? *)", Action.job("extract"));
        plane.put(rules.create(TriggerDefinition.conditional("then-load",
                Predicate.of(Logical.AND, Condition.job("extract", JobRunState.SUCCEEDED)), Action.job("load")), true));
        SchedulerLoop first = loop("a");
        runUntil(first, clock, Instant.parse("2026-01-01T02:00:30Z"));
        assertThat(plane.runsOf("extract")).hasSize(1);
        // the leader dies; extract ends while no scheduler runs
        clock.set("2026-01-01T02:10:00Z");
        plane.end(plane.lastRunOf("extract").ref().runId(), JobRunState.SUCCEEDED);
        SchedulerLoop second = loop("b");
        SchedulerLoop.Pass pass = second.runOnce();
        assertThat(pass.runEndsEvaluated()).isEqualTo(1);
        assertThat(pass.conditional()).extracting(fired -> fired.firing().triggerName(), SchedulerLoop.Fired::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("then-load", FireOutcome.FIRED));
        assertThat(plane.lastRunOf("load").origin().orElseThrow().chain())
                .isEqualTo(plane.lastRunOf("extract").origin().orElseThrow().chain());
        assertThat(plane.pendingRunEnds(10)).isEmpty();
        assertThat(second.runOnce().conditional()).isEmpty();
        assertThat(plane.runsOf("load")).hasSize(1);
    }

    @Test
    void runStopsOnStopAndGivesTheLeaseUp() {
        schedule("every5", "cron(0/5 * * * ? *)", Action.job("j"));
        List<Duration> sleeps = new ArrayList<>();
        SchedulerLoop[] holder = new SchedulerLoop[1];
        holder[0] = loop("a", clock, duration -> {
            sleeps.add(duration);
            clock.advance(duration);
            if (clock.instant().isAfter(Instant.parse("2026-01-01T00:20:00Z"))) {
                holder[0].stop();
            }
        }, SETTINGS);
        holder[0].run();
        assertThat(plane.runsOf("j")).hasSize(4);
        assertThat(plane.leaseHolder()).isEmpty();
        assertThat(events).containsExactly("a leads 1", "a stops leading 1");
        assertThat(sleeps).allSatisfy(sleep -> assertThat(sleep).isLessThanOrEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void settingsRefuseAGraceShorterThanTheLease() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SchedulerSettings(Duration.ofSeconds(30), Duration.ofSeconds(1),
                        Duration.ofSeconds(10), false, 100))
                .hasMessage("Misfire grace PT10S must be at least the lease duration PT30S, or ticks due during a takeover would be skipped");
    }
}
