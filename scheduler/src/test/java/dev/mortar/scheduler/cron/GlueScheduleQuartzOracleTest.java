package dev.mortar.scheduler.cron;

import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quartz's {@link CronExpression} as an independent oracle, over generated schedules of what both dialects share:
 * Quartz has seconds first and years up to 2099 only. They part on {@code LW} (Quartz fires on the last day of the
 * month even when it is a weekend day; the service and cron-utils mean the last weekday), so {@code LW} is tested by
 * hand in {@link GlueScheduleTest}, and on {@code nW} past day 28, which Quartz rolls into the next month.
 */
class GlueScheduleQuartzOracleTest {
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    private static final long SPAN_SECONDS = 10L * 365 * 24 * 3600;

    @Test
    void nextTicksAgreeWithQuartz() throws ParseException {
        Random random = new Random(20261207L);
        List<String> disagreements = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < 2000; i++) {
            String[] fields = generate(random);
            String glue = "cron(" + String.join(" ", fields) + ")";
            GlueSchedule schedule = GlueSchedule.parse(glue);
            CronExpression quartz;
            try {
                quartz = new CronExpression("0 " + String.join(" ", fields));
            } catch (ParseException e) {
                throw new AssertionError("Quartz refuses " + glue + ": " + e.getMessage(), e);
            }
            quartz.setTimeZone(TimeZone.getTimeZone("UTC"));
            Instant at = FROM.plusSeconds((long) (random.nextDouble() * SPAN_SECONDS));
            for (int tick = 0; tick < 4; tick++) {
                Optional<Instant> ours = schedule.nextAfter(at);
                Date theirs = quartz.getNextValidTimeAfter(Date.from(at));
                Optional<Instant> expected = Optional.ofNullable(theirs).map(Date::toInstant);
                compared++;
                if (!ours.equals(expected)) {
                    disagreements.add(glue + " after " + at + ": ours " + ours.orElse(null) + ", Quartz " + expected.orElse(null));
                    break;
                }
                if (ours.isEmpty()) {
                    break;
                }
                at = ours.get();
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(compared).isGreaterThan(6000);
    }

    @Test
    void nextTicksAgreeWithAPlainDayByDayReading() {
        Random random = new Random(42L);
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            String[] fields = generate(random, false);
            String glue = "cron(" + String.join(" ", fields) + ")";
            GlueSchedule schedule = GlueSchedule.parse(glue);
            ReferenceSchedule reference = new ReferenceSchedule(fields);
            Instant at = FROM.plusSeconds((long) (random.nextDouble() * SPAN_SECONDS));
            for (int tick = 0; tick < 4; tick++) {
                Optional<Instant> ours = schedule.nextAfter(at);
                Optional<Instant> expected = reference.nextAfter(at);
                if (!ours.equals(expected)) {
                    disagreements.add(glue + " after " + at + ": ours " + ours.orElse(null) + ", reference " + expected.orElse(null));
                    break;
                }
                if (ours.isEmpty()) {
                    break;
                }
                at = ours.get();
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void lastAtOrBeforeIsTheTickBeforeTheNext() {
        Random random = new Random(7L);
        for (int i = 0; i < 600; i++) {
            GlueSchedule schedule = GlueSchedule.parse("cron(" + String.join(" ", generate(random, false)) + ")");
            Instant at = FROM.plusSeconds((long) (random.nextDouble() * SPAN_SECONDS));
            Optional<Instant> last = schedule.lastAtOrBefore(at);
            if (last.isPresent()) {
                assertThat(last.get()).as("%s at %s", schedule, at).isBeforeOrEqualTo(at);
                assertThat(schedule.firesAt(last.get())).as("%s at %s", schedule, at).isTrue();
                assertThat(schedule.nextAfter(last.get())).as("%s at %s", schedule, at)
                        .satisfiesAnyOf(next -> assertThat(next).isEmpty(), next -> assertThat(next.get()).isAfter(at));
            } else {
                Optional<Instant> first = schedule.nextAfter(Instant.parse("1969-12-31T23:59:00Z"));
                assertThat(first).as("%s at %s", schedule, at)
                        .satisfiesAnyOf(f -> assertThat(f).isEmpty(), f -> assertThat(f.get()).isAfter(at));
            }
        }
    }

    static String[] generate(Random random) {
        return generate(random, true);
    }

    /**
     * A schedule of random fields. For Quartz ({@code quartz}): no {@code W} (Quartz loses the time of day on a W
     * day and skips to the next month after its first tick there), no {@code LW}, and no increment after a name
     * (Quartz drops the {@code /2} of {@code NOV-DEC/2}).
     */
    static String[] generate(Random random, boolean quartz) {
        String[] months = quartz ? null : MONTHS;
        String[] days = quartz ? null : DAYS;
        String minutes = plain(random, 0, 59, null);
        String hours = plain(random, 0, 23, null);
        String month = random.nextInt(3) == 0 ? "*" : plain(random, 1, 12, months);
        String year = switch (random.nextInt(5)) {
            case 0 -> Integer.toString(2025 + random.nextInt(12));
            case 1 -> (2025 + random.nextInt(5)) + "-" + (2030 + random.nextInt(10));
            case 2 -> (2024 + random.nextInt(4)) + "/" + (1 + random.nextInt(3));
            default -> "*";
        };
        String dayOfMonth;
        String dayOfWeek;
        if (random.nextBoolean()) {
            dayOfWeek = "?";
            dayOfMonth = switch (random.nextInt(quartz ? 5 : 7)) {
                case 0 -> "L";
                case 1 -> "*";
                case 5 -> (1 + random.nextInt(31)) + "W";
                case 6 -> "LW";
                default -> plain(random, 1, 31, null);
            };
        } else {
            dayOfMonth = "?";
            dayOfWeek = switch (random.nextInt(6)) {
                case 0 -> "L";
                case 1 -> (1 + random.nextInt(7)) + "L";
                case 2 -> "*";
                case 3 -> random.nextBoolean() ? DAYS[random.nextInt(7)] : DAYS[random.nextInt(7)] + "L";
                default -> plain(random, 1, 7, days);
            };
        }
        return new String[] {minutes, hours, dayOfMonth, month, dayOfWeek, year};
    }

    /** A field of {@code , - * /} only, sometimes with names. */
    private static String plain(Random random, int min, int max, String[] names) {
        int span = max - min + 1;
        return switch (random.nextInt(7)) {
            case 0 -> "*";
            case 1 -> "*/" + (1 + random.nextInt(Math.max(1, span / 2)));
            case 2 -> value(random, min, max, names, min + random.nextInt(span)) + "/" + (1 + random.nextInt(Math.max(1, span / 2)));
            case 3 -> range(random, min, max, names);
            case 4 -> range(random, min, max, names) + "/" + (1 + random.nextInt(Math.max(1, span / 3)));
            case 5 -> value(random, min, max, names, min + random.nextInt(span)) + ","
                    + range(random, min, max, names) + "," + value(random, min, max, names, min + random.nextInt(span));
            default -> value(random, min, max, names, min + random.nextInt(span));
        };
    }

    private static String range(Random random, int min, int max, String[] names) {
        int from = min + random.nextInt(max - min + 1);
        int to = from + random.nextInt(max - from + 1);
        // Quartz takes no range that mixes a name and a number (SUN-6)
        boolean named = names != null && random.nextBoolean();
        return named ? names[from - min] + "-" + names[to - min] : from + "-" + to;
    }

    private static String value(Random random, int min, int max, String[] names, int value) {
        return names != null && random.nextBoolean() ? names[value - min] : Integer.toString(value);
    }
}
