package dev.mortar.scheduler.cron;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * A second, independent reading of the syntax for tests: day by day and minute by minute, slow and plain. It covers
 * what Quartz gets wrong ({@code W} on later ticks of the day, {@code LW}, increments after names).
 */
final class ReferenceSchedule {
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet months;
    private final BitSet years;
    private final String dayOfMonth;
    private final String dayOfWeek;

    ReferenceSchedule(String[] fields) {
        minutes = expand(fields[0], 0, 59, List.of());
        hours = expand(fields[1], 0, 23, List.of());
        dayOfMonth = fields[2];
        months = expand(fields[3], 1, 12, MONTHS);
        dayOfWeek = fields[4];
        years = expand(fields[5], 1970, 2199, List.of());
    }

    Optional<Instant> nextAfter(Instant instant) {
        Instant start = instant.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        LocalDate day = LocalDate.ofInstant(start, ZoneOffset.UTC);
        int firstMinute = (int) ((start.getEpochSecond() % 86400) / 60);
        while (day.getYear() <= 2199) {
            if (!years.get(day.getYear())) {
                day = LocalDate.of(day.getYear() + 1, 1, 1);
                firstMinute = 0;
                continue;
            }
            if (!months.get(day.getMonthValue())) {
                day = day.withDayOfMonth(1).plusMonths(1);
                firstMinute = 0;
                continue;
            }
            if (dayMatches(day)) {
                for (int minute = firstMinute; minute < 1440; minute++) {
                    if (hours.get(minute / 60) && minutes.get(minute % 60)) {
                        return Optional.of(day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(minute, ChronoUnit.MINUTES));
                    }
                }
            }
            day = day.plusDays(1);
            firstMinute = 0;
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDate day) {
        int sunday1 = day.getDayOfWeek().getValue() % 7 + 1;
        int length = day.lengthOfMonth();
        if (dayOfWeek.equals("?")) {
            if (dayOfMonth.equals("L")) {
                return day.getDayOfMonth() == length;
            }
            if (dayOfMonth.equals("LW")) {
                LocalDate last = day.withDayOfMonth(length);
                while (weekend(last)) {
                    last = last.minusDays(1);
                }
                return day.equals(last);
            }
            if (dayOfMonth.endsWith("W")) {
                int n = Integer.parseInt(dayOfMonth.substring(0, dayOfMonth.length() - 1));
                if (n > length) {
                    return false;
                }
                // the weekday closest to day n within the month; on a tie (n on a weekend, both sides one day off)
                // there is none: Saturday goes back to Friday, Sunday forward to Monday, except at the month's edges
                LocalDate target = day.withDayOfMonth(n);
                LocalDate best = null;
                for (int d = 1; d <= length; d++) {
                    LocalDate candidate = day.withDayOfMonth(d);
                    if (!weekend(candidate) && (best == null
                            || Math.abs(d - n) < Math.abs(best.getDayOfMonth() - n))) {
                        best = candidate;
                    }
                }
                return !weekend(target) ? day.equals(target) : day.equals(best);
            }
            return expand(dayOfMonth, 1, 31, List.of()).get(day.getDayOfMonth());
        }
        if (dayOfWeek.equals("L")) {
            return sunday1 == 7;
        }
        if (dayOfWeek.endsWith("L")) {
            String value = dayOfWeek.substring(0, dayOfWeek.length() - 1);
            int wanted = DAYS.contains(value) ? DAYS.indexOf(value) + 1 : Integer.parseInt(value);
            return sunday1 == wanted && day.plusDays(7).getMonthValue() != day.getMonthValue();
        }
        return expand(dayOfWeek, 1, 7, DAYS).get(sunday1);
    }

    private static boolean weekend(LocalDate day) {
        return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    private static BitSet expand(String field, int min, int max, List<String> names) {
        BitSet set = new BitSet();
        for (String element : field.split(",")) {
            int step = 1;
            String base = element;
            if (element.contains("/")) {
                step = Integer.parseInt(element.substring(element.indexOf('/') + 1));
                base = element.substring(0, element.indexOf('/'));
            }
            int from;
            int to;
            if (base.equals("*")) {
                from = min;
                to = max;
            } else if (base.contains("-")) {
                from = value(base.substring(0, base.indexOf('-')), min, names);
                to = value(base.substring(base.indexOf('-') + 1), min, names);
            } else {
                from = value(base, min, names);
                to = element.contains("/") ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int value(String text, int min, List<String> names) {
        return names.contains(text) ? min + names.indexOf(text) : Integer.parseInt(text);
    }
}
