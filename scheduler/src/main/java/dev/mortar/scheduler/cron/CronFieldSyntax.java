package dev.mortar.scheduler.cron;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks one field of a schedule against the service's table (values, names, {@code , - * ? / L W}) and rewrites it
 * for cron-utils with names turned into numbers. cron-utils' own field parser is lenient (it takes {@code L-3},
 * {@code #}, {@code |} and backwards ranges), so the service's grammar is checked here first, with messages that
 * name the field and the part at fault.
 */
final class CronFieldSyntax {
    private static final Pattern ALLOWED = Pattern.compile("[0-9A-Z,\\-*/?]+");
    private static final Pattern STAR_STEP = Pattern.compile("\\*/(.*)");
    private static final Pattern RANGE = Pattern.compile("([0-9A-Z]+)-([0-9A-Z]+)(?:/(.*))?");
    private static final Pattern VALUE_STEP = Pattern.compile("([0-9A-Z]+)/(.*)");
    private static final Pattern VALUE = Pattern.compile("[0-9A-Z]+");
    private static final Pattern NEAREST_WEEKDAY = Pattern.compile("([0-9]+)W");
    private static final Pattern SPECIAL_FORM = Pattern.compile("L|LW|[0-9]*[LW]|[A-Z]{3}L");
    private static final Pattern LAST_OF_WEEKDAY = Pattern.compile("([0-9]+|[A-Z]{3})L");

    /**
     * One checked field: the text handed to cron-utils, and the exact set of values when the field is plain
     * ({@code , - * /} only; empty for {@code ?}, {@code L} and {@code W}).
     */
    record Parsed(CronField field, String normalized, Optional<BitSet> values) {
        boolean isQuestionMark() {
            return normalized.equals("?");
        }
    }

    private CronFieldSyntax() {
    }

    static Parsed parse(CronField field, String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        if (!ALLOWED.matcher(upper).matches()) {
            char bad = upper.chars().mapToObj(c -> (char) c)
                    .filter(c -> !ALLOWED.matcher(String.valueOf(c)).matches()).findFirst().orElseThrow();
            throw notAllowed(field, String.valueOf(bad));
        }
        String[] elements = upper.split(",", -1);
        if (elements.length > 1) {
            for (String element : elements) {
                if (element.isEmpty()) {
                    throw new InvalidScheduleException(field, "empty value in the list '" + text + "'");
                }
            }
        }
        Optional<Parsed> alone = standingAlone(field, upper, text);
        if (alone.isPresent()) {
            return alone.get();
        }
        BitSet values = new BitSet();
        List<String> normalized = new ArrayList<>();
        for (String element : elements) {
            if (standingAloneForm(field, element)) {
                throw new InvalidScheduleException(field, "'" + element + "' stands alone, not in a list: '" + text + "'");
            }
            normalized.add(element(field, element, values));
        }
        return new Parsed(field, String.join(",", normalized), Optional.of(values));
    }

    /** {@code ?}, and the day fields' {@code L}, {@code LW}, {@code nW} and {@code nL}: each is the whole field. */
    private static Optional<Parsed> standingAlone(CronField field, String upper, String text) {
        if (upper.equals("?")) {
            if (field != CronField.DAY_OF_MONTH && field != CronField.DAY_OF_WEEK) {
                throw notAllowed(field, "?");
            }
            return Optional.of(new Parsed(field, "?", Optional.empty()));
        }
        if (field == CronField.DAY_OF_MONTH) {
            if (upper.equals("L") || upper.equals("LW")) {
                return Optional.of(new Parsed(field, upper, Optional.empty()));
            }
            Matcher weekday = NEAREST_WEEKDAY.matcher(upper);
            if (weekday.matches()) {
                int day = number(field, weekday.group(1));
                return Optional.of(new Parsed(field, day + "W", Optional.empty()));
            }
        }
        if (field == CronField.DAY_OF_WEEK) {
            if (upper.equals("L")) {
                // the last day of the week, Saturday, as in Quartz
                return Optional.of(new Parsed(field, "7", Optional.of(bits(7))));
            }
            Matcher last = LAST_OF_WEEKDAY.matcher(upper);
            if (last.matches()) {
                int day = value(field, last.group(1));
                return Optional.of(new Parsed(field, day + "L", Optional.empty()));
            }
        }
        return Optional.empty();
    }

    private static boolean standingAloneForm(CronField field, String element) {
        return switch (field) {
            case DAY_OF_MONTH -> element.equals("?") || element.equals("L") || element.equals("LW")
                    || NEAREST_WEEKDAY.matcher(element).matches();
            case DAY_OF_WEEK -> element.equals("?") || element.equals("L") || LAST_OF_WEEKDAY.matcher(element).matches();
            default -> false;
        };
    }

    private static String element(CronField field, String element, BitSet values) {
        if (element.contains("?")) {
            if (field == CronField.DAY_OF_MONTH || field == CronField.DAY_OF_WEEK) {
                throw new InvalidScheduleException(field, "'?' stands alone, not in a list or range: '" + element + "'");
            }
            throw notAllowed(field, "?");
        }
        if (element.equals("*")) {
            values.set(field.min(), field.max() + 1);
            return "*";
        }
        Matcher starStep = STAR_STEP.matcher(element);
        if (starStep.matches()) {
            int step = step(field, starStep.group(1), element);
            for (int v = field.min(); v <= field.max(); v += step) {
                values.set(v);
            }
            return "*/" + step;
        }
        Matcher range = RANGE.matcher(element);
        if (range.matches()) {
            int from = value(field, range.group(1));
            int to = value(field, range.group(2));
            if (from > to) {
                throw new InvalidScheduleException(field, "the range '" + element + "' runs backwards; write it as two ranges");
            }
            int step = range.group(3) == null ? 1 : step(field, range.group(3), element);
            for (int v = from; v <= to; v += step) {
                values.set(v);
            }
            return from + "-" + to + (range.group(3) == null ? "" : "/" + step);
        }
        Matcher valueStep = VALUE_STEP.matcher(element);
        if (valueStep.matches()) {
            int from = value(field, valueStep.group(1));
            int step = step(field, valueStep.group(2), element);
            for (int v = from; v <= field.max(); v += step) {
                values.set(v);
            }
            return from + "/" + step;
        }
        if (VALUE.matcher(element).matches()) {
            int v = value(field, element);
            values.set(v);
            return Integer.toString(v);
        }
        throw new InvalidScheduleException(field, "'" + element + "' is not a value, a range, or an increment");
    }

    private static int step(CronField field, String text, String element) {
        int span = field.max() - field.min() + 1;
        if (!text.matches("[0-9]+")) {
            throw new InvalidScheduleException(field, "the increment in '" + element + "' is not a number");
        }
        int step = parseBounded(text);
        if (step < 1 || step > span) {
            throw new InvalidScheduleException(field, "the increment in '" + element + "' must be from 1 to " + span);
        }
        return step;
    }

    private static int value(CronField field, String token) {
        if (token.matches("[0-9]+")) {
            return number(field, token);
        }
        int index = field.names().indexOf(token);
        if (index >= 0) {
            return field.min() + index;
        }
        if (SPECIAL_FORM.matcher(token).matches()) {
            String special = token.endsWith("W") ? "W" : "L";
            if (field.allowedCharacters().contains(special)) {
                throw new InvalidScheduleException(field, "'" + token + "' stands alone, not in a list, range or increment");
            }
            throw notAllowed(field, special);
        }
        if (field.names().isEmpty()) {
            throw new InvalidScheduleException(field, "'" + token + "' is not a number");
        }
        throw new InvalidScheduleException(field, "'" + token + "' is not a value; use " + field.min() + "-" + field.max()
                + " or " + field.names().getFirst() + "-" + field.names().getLast());
    }

    private static int number(CronField field, String digits) {
        int v = parseBounded(digits);
        if (v < field.min() || v > field.max()) {
            throw new InvalidScheduleException(field, digits + " is out of range " + field.min() + "-" + field.max());
        }
        return v;
    }

    private static int parseBounded(String digits) {
        String trimmed = digits.replaceFirst("^0+(?=.)", "");
        return trimmed.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(trimmed);
    }

    private static BitSet bits(int value) {
        BitSet set = new BitSet();
        set.set(value);
        return set;
    }

    private static InvalidScheduleException notAllowed(CronField field, String what) {
        return new InvalidScheduleException(field, "'" + what + "' is not allowed here (allowed: " + field.allowedCharacters() + ")");
    }
}
