package dev.mortar.scheduler.cron;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When schedules fire: the documentation's examples and the edge cases of L, W, LW, leap years and years, in UTC. */
class GlueScheduleTest {

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            cron(15 12 * * ? *)            | 2026-03-10T12:14:59Z | 2026-03-10T12:15:00Z
            cron(15 12 * * ? *)            | 2026-03-10T12:15:00Z | 2026-03-11T12:15:00Z
            cron(0 10 * * ? *)             | 2026-12-31T10:00:00Z | 2027-01-01T10:00:00Z
            cron(0 18 ? * MON-FRI *)       | 2026-03-13T18:00:00Z | 2026-03-16T18:00:00Z
            cron(0 18 ? * 2-6 *)           | 2026-03-10T17:59:00Z | 2026-03-10T18:00:00Z
            cron(0 8 1 * ? *)              | 2026-01-31T09:00:00Z | 2026-02-01T08:00:00Z
            cron(0/15 * * * ? *)           | 2026-03-10T10:07:00Z | 2026-03-10T10:15:00Z
            cron(0/15 * * * ? *)           | 2026-03-10T10:45:00Z | 2026-03-10T11:00:00Z
            cron(1/10 * * * ? *)           | 2026-03-10T10:51:00Z | 2026-03-10T11:01:00Z
            cron(*/20 * * * ? *)           | 2026-03-10T10:41:00Z | 2026-03-10T11:00:00Z
            cron(0/10 * ? * MON-FRI *)     | 2026-03-13T23:50:00Z | 2026-03-16T00:00:00Z
            cron(0/5 8-17 ? * MON-FRI *)   | 2026-03-13T17:55:00Z | 2026-03-16T08:00:00Z
            cron(0/5 8-17 ? * MON-FRI *)   | 2026-03-16T12:32:10Z | 2026-03-16T12:35:00Z
            cron(0 0 L * ? *)              | 2024-02-01T00:00:00Z | 2024-02-29T00:00:00Z
            cron(0 0 L * ? *)              | 2026-02-01T00:00:00Z | 2026-02-28T00:00:00Z
            cron(0 0 L * ? *)              | 2026-04-30T00:00:00Z | 2026-05-31T00:00:00Z
            cron(0 9 15W * ? *)            | 2026-02-01T00:00:00Z | 2026-02-16T09:00:00Z
            cron(0 9 15W * ? *)            | 2026-08-01T00:00:00Z | 2026-08-14T09:00:00Z
            cron(0 9 15W * ? *)            | 2026-01-01T00:00:00Z | 2026-01-15T09:00:00Z
            cron(0 9 1W * ? *)             | 2026-07-31T00:00:00Z | 2026-08-03T09:00:00Z
            cron(0 9 31W * ? *)            | 2026-05-01T00:00:00Z | 2026-05-29T09:00:00Z
            cron(0 9 31W * ? *)            | 2026-04-01T00:00:00Z | 2026-05-29T09:00:00Z
            cron(58 12-17 18W SEP ? 2033)  | 2033-09-19T12:58:00Z | 2033-09-19T13:58:00Z
            cron(5/18 8-20 28W * ? *)      | 2029-05-22T11:38:42Z | 2029-05-28T08:05:00Z
            cron(0 9 LW * ? *)             | 2026-05-01T00:00:00Z | 2026-05-29T09:00:00Z
            cron(0 9 LW * ? *)             | 2026-01-01T00:00:00Z | 2026-01-30T09:00:00Z
            cron(0 9 LW * ? *)             | 2026-02-01T00:00:00Z | 2026-02-27T09:00:00Z
            cron(0 9 LW * ? *)             | 2026-03-01T00:00:00Z | 2026-03-31T09:00:00Z
            cron(0 9 LW * ? *)             | 2025-11-01T00:00:00Z | 2025-11-28T09:00:00Z
            cron(0 9 LW * ? *)             | 2026-05-29T09:00:00Z | 2026-06-30T09:00:00Z
            cron(0 12 ? * L *)             | 2026-03-10T00:00:00Z | 2026-03-14T12:00:00Z
            cron(0 12 ? * 6L *)            | 2026-03-01T00:00:00Z | 2026-03-27T12:00:00Z
            cron(0 12 ? * FRIL *)          | 2026-03-27T12:00:00Z | 2026-04-24T12:00:00Z
            cron(0 0 29 2 ? *)             | 2025-03-01T00:00:00Z | 2028-02-29T00:00:00Z
            cron(0 0 31 * ? *)             | 2026-03-31T00:00:00Z | 2026-05-31T00:00:00Z
            cron(0 0 1 JAN,JUL ? *)        | 2026-01-01T00:00:00Z | 2026-07-01T00:00:00Z
            cron(30 6 ? NOV-DEC SUN *)     | 2026-01-01T00:00:00Z | 2026-11-01T06:30:00Z
            cron(0 0 1 1 ? 2030)           | 2026-06-01T00:00:00Z | 2030-01-01T00:00:00Z
            cron(0 0 1 1 ? 2199)           | 2026-06-01T00:00:00Z | 2199-01-01T00:00:00Z
            cron(59 23 31 DEC ? 2030-2199/50) | 2026-01-01T00:00:00Z | 2030-12-31T23:59:00Z
            cron(59 23 31 DEC ? 2030-2199/50) | 2030-12-31T23:59:00Z | 2080-12-31T23:59:00Z
            cron(0 0 ? * 1 1970)           | 1969-12-31T00:00:00Z | 1970-01-04T00:00:00Z
            """)
    void nextAfter(String expression, Instant after, Instant expected) {
        assertThat(GlueSchedule.parse(expression).nextAfter(after)).contains(expected);
    }

    @Test
    void aScheduleWhoseYearsArePastNeverFiresAgain() {
        GlueSchedule schedule = GlueSchedule.parse("cron(0 0 1 1 ? 2030)");
        assertThat(schedule.nextAfter(Instant.parse("2030-01-01T00:00:00Z"))).isEmpty();
        assertThat(GlueSchedule.parse("cron(0 9 30W FEB ? *)").nextAfter(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
        assertThat(GlueSchedule.parse("cron(0 0 30 2 ? *)").nextAfter(Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
        assertThat(GlueSchedule.parse("cron(0 0 31 12 ? 2199)").nextAfter(Instant.parse("2199-12-31T00:00:00Z")))
                .isEmpty();
        assertThat(GlueSchedule.parse("cron(0 0 31 DEC ? 2199)").nextAfter(Instant.parse("2199-12-30T23:59:59Z")))
                .contains(Instant.parse("2199-12-31T00:00:00Z"));
    }

    @Test
    void everyMinuteForAWholeDayIs1440Ticks() {
        GlueSchedule schedule = GlueSchedule.parse("cron(* * * * ? *)");
        List<Instant> ticks = ticks(schedule, Instant.parse("2026-02-28T23:59:00Z"), Instant.parse("2026-03-01T23:59:00Z"));
        assertThat(ticks).hasSize(1440);
        assertThat(ticks.getFirst()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(ticks.getLast()).isEqualTo(Instant.parse("2026-03-01T23:59:00Z"));
    }

    @Test
    void aYearOfLastWeekdaysOfTheMonth() {
        assertThat(ticks(GlueSchedule.parse("cron(0 17 LW * ? 2026)"), Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"))).containsExactly(
                Instant.parse("2026-01-30T17:00:00Z"), Instant.parse("2026-02-27T17:00:00Z"),
                Instant.parse("2026-03-31T17:00:00Z"), Instant.parse("2026-04-30T17:00:00Z"),
                Instant.parse("2026-05-29T17:00:00Z"), Instant.parse("2026-06-30T17:00:00Z"),
                Instant.parse("2026-07-31T17:00:00Z"), Instant.parse("2026-08-31T17:00:00Z"),
                Instant.parse("2026-09-30T17:00:00Z"), Instant.parse("2026-10-30T17:00:00Z"),
                Instant.parse("2026-11-30T17:00:00Z"), Instant.parse("2026-12-31T17:00:00Z"));
    }

    @ParameterizedTest(name = "{0} at or before {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            cron(15 12 * * ? *)          | 2026-03-10T12:15:00Z | 2026-03-10T12:15:00Z
            cron(15 12 * * ? *)          | 2026-03-10T12:14:59Z | 2026-03-09T12:15:00Z
            cron(15 12 * * ? *)          | 2026-03-10T12:15:59Z | 2026-03-10T12:15:00Z
            cron(0/5 8-17 ? * MON-FRI *) | 2026-03-16T07:59:00Z | 2026-03-13T17:55:00Z
            cron(0 9 LW * ? *)           | 2026-06-01T00:00:00Z | 2026-05-29T09:00:00Z
            cron(0 0 29 2 ? *)           | 2028-02-28T00:00:00Z | 2024-02-29T00:00:00Z
            cron(0 0 1 1 ? 2030)         | 2150-01-01T00:00:00Z | 2030-01-01T00:00:00Z
            cron(* * * * ? *)            | 1970-01-01T00:00:00Z | 1970-01-01T00:00:00Z
            """)
    void lastAtOrBefore(String expression, Instant at, Instant expected) {
        assertThat(GlueSchedule.parse(expression).lastAtOrBefore(at)).contains(expected);
    }

    @Test
    void instantsBeyondTheSyntaxYearsAreAnswered() {
        GlueSchedule schedule = GlueSchedule.parse("cron(0 0 ? * 1 *)");
        assertThat(schedule.nextAfter(Instant.MAX)).isEmpty();
        assertThat(schedule.nextAfter(Instant.MIN)).contains(Instant.parse("1970-01-04T00:00:00Z"));
        assertThat(schedule.lastAtOrBefore(Instant.MAX)).contains(Instant.parse("2199-12-29T00:00:00Z"));
        assertThat(schedule.lastAtOrBefore(Instant.MIN)).isEmpty();
    }

    @Test
    void noTickBeforeTheFirst() {
        assertThat(GlueSchedule.parse("cron(0 0 1 1 ? 2030)").lastAtOrBefore(Instant.parse("2029-12-31T23:59:59Z"))).isEmpty();
        assertThat(GlueSchedule.parse("cron(* * * * ? *)").lastAtOrBefore(Instant.parse("1969-12-31T23:59:59Z"))).isEmpty();
    }

    @Test
    void firesAtOnlyOnWholeMinutesOfTheSchedule() {
        GlueSchedule schedule = GlueSchedule.parse("cron(0/15 * * * ? *)");
        assertThat(schedule.firesAt(Instant.parse("2026-03-10T10:15:00Z"))).isTrue();
        assertThat(schedule.firesAt(Instant.parse("2026-03-10T10:15:01Z"))).isFalse();
        assertThat(schedule.firesAt(Instant.parse("2026-03-10T10:16:00Z"))).isFalse();
    }

    @Test
    void keepsTheExpressionAsWrittenAndNormalizesNames() {
        GlueSchedule schedule = GlueSchedule.parse("  cron(0/10 * ? * mon-FRI *) ");
        assertThat(schedule.expression()).isEqualTo("cron(0/10 * ? * mon-FRI *)");
        assertThat(schedule.toString()).isEqualTo("cron(0/10 * ? * mon-FRI *)");
        assertThat(schedule.normalizedFields()).isEqualTo("0/10 * ? * 2-6 *");
        assertThat(GlueSchedule.parse("cron(0 0 ? JAN-MAR,DEC L *)").normalizedFields()).isEqualTo("0 0 ? 1-3,12 7 *");
        assertThat(schedule).isEqualTo(GlueSchedule.parse("cron(0/10 * ? * mon-FRI *)"));
    }

    @ParameterizedTest(name = "{0}: {1} minutes")
    @CsvSource(delimiter = '|', textBlock = """
            cron(* * * * ? *)             | 1
            cron(0/5 8-17 ? * MON-FRI *)  | 5
            cron(0/15 * * * ? *)          | 15
            cron(0,7,50 * * * ? *)        | 7
            cron(0,59 0,23 * * ? *)       | 1
            cron(10 0,23 * * ? *)         | 60
            cron(0 12 * * ? *)            | 1440
            cron(0 12 ? * MON,TUE *)      | 1440
            cron(0 0 L * ? *)             | 40320
            cron(0 9 LW * ? *)            | 40320
            """)
    void minimumInterval(String expression, long minutes) {
        GlueSchedule schedule = GlueSchedule.parse(expression);
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        Optional<GlueSchedule.TickGap> gap = schedule.minimumIntervalWithin(from, from.plus(Duration.ofDays(4 * 366)));
        assertThat(gap).isPresent();
        assertThat(gap.get().duration()).isEqualTo(Duration.ofMinutes(minutes));
        assertThat(schedule.nextAfter(gap.get().earlier())).contains(gap.get().later());
    }

    @Test
    void minimumIntervalLooksOnlyWithinTheWindow() {
        GlueSchedule schedule = GlueSchedule.parse("cron(0,1 0 * * ? *)");
        Instant midnight = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(schedule.minimumIntervalWithin(midnight.plusSeconds(30), midnight.plus(Duration.ofDays(1))))
                .contains(new GlueSchedule.TickGap(midnight.plusSeconds(60), midnight.plus(Duration.ofDays(1))));
        assertThat(schedule.minimumIntervalWithin(midnight, midnight.plusSeconds(59))).isEmpty();
        assertThat(GlueSchedule.parse("cron(0 0 1 1 ? 2030)").minimumIntervalWithin(midnight, midnight.plus(Duration.ofDays(36500))))
                .isEmpty();
    }

    @Test
    void checksTheMinimumInterval() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        GlueSchedule.parse("cron(0/5 * * * ? *)").requireMinimumInterval(Duration.ofMinutes(5), now);
        GlueSchedule.parse("cron(0 0 1 1 ? 2030)").requireMinimumInterval(Duration.ofMinutes(5), now);
        GlueSchedule.parse("cron(* * * * ? *)").requireMinimumInterval(Duration.ofMinutes(1), now);
        assertThatThrownBy(
                        () -> GlueSchedule.parse("cron(0,4 * * * ? 2030)").requireMinimumInterval(Duration.ofMinutes(5), now))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessage("Schedule cron(0,4 * * * ? 2030) fires at 2030-01-01T00:00:00Z and again at 2030-01-01T00:04:00Z, "
                        + "4 minutes apart; schedules may fire at most every 5 minutes");
        assertThatThrownBy(
                        () -> GlueSchedule.parse("cron(0,59 0,23 ? * SAT,SUN *)").requireMinimumInterval(Duration.ofMinutes(5), now))
                .hasMessage("Schedule cron(0,59 0,23 ? * SAT,SUN *) fires at 2026-01-03T23:59:00Z and again at 2026-01-04T00:00:00Z, "
                        + "1 minute apart; schedules may fire at most every 5 minutes")
                .satisfies(e -> assertThat(((InvalidScheduleException) e).field()).isEmpty());
    }

    static List<Instant> ticks(GlueSchedule schedule, Instant after, Instant until) {
        List<Instant> ticks = new ArrayList<>();
        Optional<Instant> next = schedule.nextAfter(after);
        while (next.isPresent() && !next.get().isAfter(until)) {
            ticks.add(next.get());
            next = schedule.nextAfter(next.get());
        }
        return ticks;
    }
}
