package dev.mortar.scheduler.cron;

import java.util.List;

/** The six fields of {@code cron(Minutes Hours Day-of-month Month Day-of-week Year)}, in order, with their ranges. */
public enum CronField {
    MINUTES("Minutes", 0, 59, List.of()),
    HOURS("Hours", 0, 23, List.of()),
    DAY_OF_MONTH("Day-of-month", 1, 31, List.of()),
    MONTH("Month", 1, 12, List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    // 1 = SUN .. 7 = SAT, as in the service and in Quartz
    DAY_OF_WEEK("Day-of-week", 1, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")),
    YEAR("Year", 1970, 2199, List.of());

    private final String label;
    private final int min;
    private final int max;
    private final List<String> names;

    CronField(String label, int min, int max, List<String> names) {
        this.label = label;
        this.min = min;
        this.max = max;
        this.names = names;
    }

    /** The field's name as the service's documentation spells it, e.g. {@code Day-of-week}. */
    public String label() {
        return label;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    /** The names the field accepts for its values, first for {@link #min()}; empty when it takes numbers only. */
    public List<String> names() {
        return names;
    }

    /** The special characters the service allows in this field, as its documentation lists them. */
    public String allowedCharacters() {
        return switch (this) {
            case DAY_OF_MONTH -> ", - * ? / L W";
            case DAY_OF_WEEK -> ", - * ? / L";
            default -> ", - * /";
        };
    }
}
