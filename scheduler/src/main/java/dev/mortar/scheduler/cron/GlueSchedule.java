package dev.mortar.scheduler.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronConstraintsFactory;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule in the service's syntax, {@code cron(Minutes Hours Day-of-month Month Day-of-week Year)}, always in UTC.
 * Ticks fall on whole minutes. Immutable; equal when the expressions are equal as written.
 *
 * <p>The fields, their values and special characters are the service's: {@code , - * /} everywhere, {@code ?} in
 * exactly one of the two day fields, {@code L}, {@code W} and {@code LW} in Day-of-month (last day, nearest weekday,
 * last weekday), {@code L} in Day-of-week (alone: Saturday, the last day of the week; {@code nL}: the last day n of
 * the month), names JAN-DEC and SUN-SAT (1 = SUN), years 1970-2199. Not taken: {@code #}, ranges that run backwards,
 * {@code L} or {@code W} inside lists or ranges, seconds, nicknames such as {@code @daily}, and {@code rate(...)}.
 */
public final class GlueSchedule {
    private static final Pattern WRAPPED = Pattern.compile("cron\\((.*)\\)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final CronDefinition DEFINITION = CronDefinitionBuilder.defineCron()
            .withMinutes().withValidRange(0, 59).withStrictRange().and()
            .withHours().withValidRange(0, 23).withStrictRange().and()
            .withDayOfMonth().withValidRange(1, 31).supportsL().supportsW().supportsLW().supportsQuestionMark().withStrictRange().and()
            .withMonth().withValidRange(1, 12).withStrictRange().and()
            .withDayOfWeek().withValidRange(1, 7).withMondayDoWValue(2).supportsL().supportsQuestionMark().withStrictRange().and()
            .withYear().withValidRange(1970, 2199).withStrictRange().and()
            .withCronValidation(CronConstraintsFactory.ensureEitherDayOfWeekOrDayOfMonth())
            .instance();
    private static final CronParser PARSER = new CronParser(DEFINITION);
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    /** The first instant after every tick the syntax can express (its last year is 2199). */
    private static final Instant AFTER_LAST = Instant.parse("2200-01-01T00:00:00Z");

    private final String expression;
    private final String fields;
    private final ExecutionTime executionTime;
    private final int[] minutesOfDay;
    private final BitSet years;
    /** Day n of {@code nW}, which cron-utils gets wrong at month ends; 0 when Day-of-month has no W. */
    private final int nearestWeekdayTo;

    private GlueSchedule(String expression, String fields, ExecutionTime executionTime, int[] minutesOfDay, BitSet years,
                         int nearestWeekdayTo) {
        this.expression = expression;
        this.fields = fields;
        this.executionTime = executionTime;
        this.minutesOfDay = minutesOfDay;
        this.years = years;
        this.nearestWeekdayTo = nearestWeekdayTo;
    }

    /**
     * Parses {@code cron(...)} as the service defines it.
     *
     * @throws InvalidScheduleException naming the field at fault, e.g. {@code "Day-of-week: '#' is not allowed here (allowed: , - * ? / L)"}
     */
    public static GlueSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidScheduleException("Schedule must not be empty; expected cron(Minutes Hours Day-of-month Month Day-of-week Year)");
        }
        Matcher wrapped = WRAPPED.matcher(expression.strip());
        if (!wrapped.matches()) {
            throw new InvalidScheduleException("Schedule '" + expression + "' is not cron(Minutes Hours Day-of-month Month Day-of-week Year)");
        }
        String inner = wrapped.group(1).strip();
        String[] parts = inner.isEmpty() ? new String[0] : inner.split("\\s+");
        if (parts.length != CronField.values().length) {
            throw new InvalidScheduleException("Schedule '" + expression + "' has " + parts.length
                    + " fields; expected 6: Minutes Hours Day-of-month Month Day-of-week Year");
        }
        List<CronFieldSyntax.Parsed> parsed = new ArrayList<>();
        for (CronField field : CronField.values()) {
            parsed.add(CronFieldSyntax.parse(field, parts[field.ordinal()]));
        }
        boolean dayOfMonthAny = parsed.get(CronField.DAY_OF_MONTH.ordinal()).isQuestionMark();
        boolean dayOfWeekAny = parsed.get(CronField.DAY_OF_WEEK.ordinal()).isQuestionMark();
        if (dayOfMonthAny && dayOfWeekAny) {
            throw new InvalidScheduleException(CronField.DAY_OF_MONTH,
                    "'?' in both day fields; exactly one of Day-of-month and Day-of-week must be '?'");
        }
        if (!dayOfMonthAny && !dayOfWeekAny) {
            throw new InvalidScheduleException(CronField.DAY_OF_WEEK,
                    "must be '?' when Day-of-month has a value; exactly one of Day-of-month and Day-of-week must be '?'");
        }
        String normalized = String.join(" ", parsed.stream().map(CronFieldSyntax.Parsed::normalized).toList());
        String dayOfMonth = parsed.get(CronField.DAY_OF_MONTH.ordinal()).normalized();
        int nearestWeekdayTo = 0;
        List<String> evaluated = new ArrayList<>(parsed.stream().map(CronFieldSyntax.Parsed::normalized).toList());
        if (dayOfMonth.endsWith("W") && !dayOfMonth.equals("LW")) {
            // cron-utils fires nW on a Sunday that ends the month, and fails on months shorter than n: it evaluates
            // every day instead, and nextAfter keeps the nearest weekday of each month
            nearestWeekdayTo = Integer.parseInt(dayOfMonth.substring(0, dayOfMonth.length() - 1));
            evaluated.set(CronField.DAY_OF_MONTH.ordinal(), "*");
        }
        Cron cron;
        try {
            cron = PARSER.parse(String.join(" ", evaluated));
        } catch (IllegalArgumentException e) {
            // the field checks above are stricter than cron-utils, so this is a defect, not bad input
            throw new IllegalStateException("cron-utils refused the checked schedule '" + normalized + "': " + e.getMessage(), e);
        }
        BitSet minutes = parsed.get(CronField.MINUTES.ordinal()).values().orElseThrow();
        BitSet hours = parsed.get(CronField.HOURS.ordinal()).values().orElseThrow();
        int[] minutesOfDay = hours.stream().flatMap(h -> minutes.stream().map(m -> h * 60 + m)).sorted().toArray();
        BitSet years = parsed.get(CronField.YEAR.ordinal()).values().orElseThrow();
        return new GlueSchedule(expression.strip(), normalized, ExecutionTime.forCron(cron), minutesOfDay, years, nearestWeekdayTo);
    }

    /** The expression as written (without surrounding blanks), e.g. {@code cron(15 12 * * ? *)}: what the API echoes. */
    public String expression() {
        return expression;
    }

    /** The six fields with names as numbers, as evaluated, e.g. {@code 0/10 * ? * 2-6 *}. */
    public String normalizedFields() {
        return fields;
    }

    /** The first tick strictly after {@code instant}; empty when the schedule never fires again (its years are over). */
    public Optional<Instant> nextAfter(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        if (!instant.isBefore(AFTER_LAST)) {
            return Optional.empty();
        }
        if (instant.isBefore(EARLIEST)) {
            instant = EARLIEST.minusSeconds(60);
        }
        Instant from = instant;
        while (true) {
            Optional<Instant> next = nextOfCronUtils(from);
            if (next.isEmpty()) {
                return next;
            }
            if (nearestWeekdayTo == 0) {
                return next;
            }
            LocalDate day = LocalDate.ofInstant(next.get(), ZoneOffset.UTC);
            Optional<LocalDate> weekday = nearestWeekday(day.getYear(), day.getMonthValue());
            if (weekday.isPresent() && weekday.get().equals(day)) {
                return next;
            }
            if (weekday.isPresent() && weekday.get().isAfter(day)) {
                from = weekday.get().atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(60);
            } else {
                from = day.withDayOfMonth(day.lengthOfMonth()).atTime(23, 59).toInstant(ZoneOffset.UTC);
            }
        }
    }

    /** The weekday nearest day n of the month, never in another month; empty when the month has no day n. */
    private Optional<LocalDate> nearestWeekday(int year, int month) {
        LocalDate first = LocalDate.of(year, month, 1);
        if (nearestWeekdayTo > first.lengthOfMonth()) {
            return Optional.empty();
        }
        LocalDate day = first.withDayOfMonth(nearestWeekdayTo);
        return Optional.of(switch (day.getDayOfWeek()) {
            case SATURDAY -> nearestWeekdayTo == 1 ? day.plusDays(2) : day.minusDays(1);
            case SUNDAY -> nearestWeekdayTo == first.lengthOfMonth() ? day.minusDays(2) : day.plusDays(1);
            default -> day;
        });
    }

    private Optional<Instant> nextOfCronUtils(Instant instant) {
        Instant from = instant;
        while (true) {
            // cron-utils stops looking 100 years past where it starts: start it in the next year the schedule has
            int year = ZonedDateTime.ofInstant(from, ZoneOffset.UTC).getYear();
            int nextYear = years.nextSetBit(year);
            if (nextYear < 0) {
                return Optional.empty();
            }
            if (nextYear > year) {
                from = LocalDate.of(nextYear, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(60);
            }
            Optional<ZonedDateTime> next = executionTime.nextExecution(ZonedDateTime.ofInstant(from, ZoneOffset.UTC));
            while (next.isPresent() && !next.get().toInstant().isAfter(from)) {
                next = executionTime.nextExecution(next.get());
            }
            if (next.isPresent()) {
                return next.map(ZonedDateTime::toInstant);
            }
            int searched = ZonedDateTime.ofInstant(from, ZoneOffset.UTC).getYear() + 100;
            if (years.nextSetBit(searched) < 0) {
                return Optional.empty();
            }
            from = LocalDate.of(searched, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(60);
        }
    }

    /**
     * The latest tick at or before {@code instant}: the one tick a catch-up runs after downtime. Found from
     * {@link #nextAfter}, so both always agree: {@code t = lastAtOrBefore(i)} satisfies {@code t <= i < nextAfter(t)}.
     */
    public Optional<Instant> lastAtOrBefore(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        Instant end = (instant.isBefore(AFTER_LAST) ? instant : AFTER_LAST.minusSeconds(60)).truncatedTo(ChronoUnit.MINUTES);
        if (end.isBefore(EARLIEST)) {
            return Optional.empty();
        }
        // widen the window backwards until a tick falls in it, then narrow it to the last such tick
        long window = 1;
        Instant low;
        while (true) {
            low = end.minus(window, ChronoUnit.MINUTES);
            if (low.isBefore(EARLIEST.minusSeconds(60))) {
                low = EARLIEST.minusSeconds(60);
            }
            Optional<Instant> next = nextAfter(low);
            if (next.isPresent() && !next.get().isAfter(end)) {
                break;
            }
            if (low.equals(EARLIEST.minusSeconds(60))) {
                return Optional.empty();
            }
            window *= 2;
        }
        // invariant: nextAfter(low) <= end; nextAfter(high) > end or absent
        Instant high = end;
        while (Duration.between(low, high).toMinutes() > 1) {
            Instant middle = low.plus(Duration.between(low, high).toMinutes() / 2, ChronoUnit.MINUTES);
            Optional<Instant> next = nextAfter(middle);
            if (next.isPresent() && !next.get().isAfter(end)) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return nextAfter(low);
    }

    /** Whether {@code instant} is a tick of this schedule (a whole minute that the schedule fires on). */
    public boolean firesAt(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MINUTES).equals(instant)
                && nextAfter(instant.minusSeconds(60)).filter(instant::equals).isPresent();
    }

    /**
     * The two consecutive ticks closest together among the ticks in {@code [from, to]}; empty when fewer than two ticks
     * fall there. Exact and cheap: it walks the days the schedule fires on, not its ticks, since every such day has the
     * same times of day.
     */
    public Optional<TickGap> minimumIntervalWithin(Instant from, Instant to) {
        Optional<Instant> first = nextAfter(from.minusNanos(1));
        if (first.isEmpty() || first.get().isAfter(to)) {
            return Optional.empty();
        }
        TickGap best = null;
        Instant previousTick = null;
        LocalDate day = LocalDate.ofInstant(first.get(), ZoneOffset.UTC);
        LocalDate lastDay = LocalDate.ofInstant(to, ZoneOffset.UTC);
        while (!day.isAfter(lastDay)) {
            Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            List<Instant> ticks = new ArrayList<>();
            boolean edge = midnight.isBefore(from) || midnight.plus(Duration.ofDays(1)).isAfter(to);
            if (edge) {
                for (int minute : minutesOfDay) {
                    Instant tick = midnight.plus(minute, ChronoUnit.MINUTES);
                    if (!tick.isBefore(from) && !tick.isAfter(to)) {
                        ticks.add(tick);
                    }
                }
            } else {
                // a whole day in the window: only its first, last and closest pair matter
                int closest = closestPair(minutesOfDay);
                ticks.add(midnight.plus(minutesOfDay[0], ChronoUnit.MINUTES));
                if (closest >= 0) {
                    ticks.add(midnight.plus(minutesOfDay[closest], ChronoUnit.MINUTES));
                    ticks.add(midnight.plus(minutesOfDay[closest + 1], ChronoUnit.MINUTES));
                }
                ticks.add(midnight.plus(minutesOfDay[minutesOfDay.length - 1], ChronoUnit.MINUTES));
            }
            for (Instant tick : ticks) {
                if (previousTick != null && tick.isAfter(previousTick)) {
                    TickGap gap = new TickGap(previousTick, tick);
                    if (best == null || gap.duration().compareTo(best.duration()) < 0) {
                        best = gap;
                    }
                }
                if (previousTick == null || tick.isAfter(previousTick)) {
                    previousTick = tick;
                }
            }
            Optional<Instant> nextDay = nextAfter(midnight.plus(Duration.ofDays(1)).minusSeconds(60));
            if (nextDay.isEmpty()) {
                break;
            }
            day = LocalDate.ofInstant(nextDay.get(), ZoneOffset.UTC);
        }
        return Optional.ofNullable(best);
    }

    /**
     * Refuses a schedule that fires more often than {@code minimum} (the service refuses anything under 5 minutes;
     * Mortar's default is 1 minute, which every schedule meets). Looks at four years and a day of ticks from the first
     * tick at or after {@code from}, which covers every leap-year and month-length combination.
     *
     * @throws InvalidScheduleException naming two ticks that are too close
     */
    public void requireMinimumInterval(Duration minimum, Instant from) {
        Optional<Instant> first = nextAfter(from.minusNanos(1));
        if (first.isEmpty()) {
            return;
        }
        Optional<TickGap> gap = minimumIntervalWithin(first.get(), first.get().plus(Duration.ofDays(4 * 366 + 1)));
        if (gap.isPresent() && gap.get().duration().compareTo(minimum) < 0) {
            throw new InvalidScheduleException("Schedule " + expression + " fires at " + gap.get().earlier() + " and again at "
                    + gap.get().later() + ", " + minutes(gap.get().duration()) + " apart; schedules may fire at most every "
                    + minutes(minimum));
        }
    }

    private static String minutes(Duration duration) {
        long minutes = duration.toMinutes();
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }

    private static int closestPair(int[] sorted) {
        int best = -1;
        for (int i = 0; i + 1 < sorted.length; i++) {
            if (best < 0 || sorted[i + 1] - sorted[i] < sorted[best + 1] - sorted[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Two consecutive ticks. */
    public record TickGap(Instant earlier, Instant later) {
        public TickGap {
            Objects.requireNonNull(earlier, "earlier");
            Objects.requireNonNull(later, "later");
        }

        public Duration duration() {
            return Duration.between(earlier, later);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GlueSchedule schedule && schedule.expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }
}
