package dev.mortar.metastore.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How client commands print the API's values: times (UTC), sizes and durations. */
final class Readable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Readable() {}

    /** A time of the API (epoch seconds, with fractions) in UTC, or "-" when absent. */
    static String time(JsonNode epochSeconds) {
        return epochSeconds.isMissingNode() || epochSeconds.isNull() ? "-" : TIME.format(Instant.ofEpochMilli(Math.round(epochSeconds.asDouble() * 1000)));
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** Seconds with one decimal: {@code 2.5s}. */
    static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1fs", seconds);
    }
}
