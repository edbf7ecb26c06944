package dev.mortar.crawler.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Types of partition keys from the values the folders give them: a key whose every value is an integer is
 * {@code int} (or {@code bigint} when a value does not fit 32 bits), any other key is {@code string}.
 */
public final class PartitionKeyTypes {
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,19}");

    private PartitionKeyTypes() {}

    /** One type per key, from the value lists of the partitions (each in key order). */
    public static List<String> infer(int keys, Iterable<List<String>> values) {
        List<String> types = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            String type = null;
            for (List<String> v : values) {
                type = widen(type, typeOf(v.get(i)));
            }
            types.add(type == null ? "string" : type);
        }
        return types;
    }

    static String typeOf(String value) {
        if (value == null || !INTEGER.matcher(value).matches()) {
            return "string";
        }
        try {
            long n = Long.parseLong(value);
            return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE ? "int" : "bigint";
        } catch (NumberFormatException e) {
            return "string";
        }
    }

    private static String widen(String a, String b) {
        if (a == null || a.equals(b)) {
            return b;
        }
        if (a.equals("string") || b.equals("string")) {
            return "string";
        }
        return "bigint";
    }
}
