package dev.mortar.crawler.classify;

import dev.mortar.catalog.Column;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Merging of inferred Hive types, across records of one file and across the files of one table. */
public final class HiveTypes {
    private static final List<String> INTEGRAL = List.of("tinyint", "smallint", "int", "bigint");
    private static final Set<String> FRACTIONAL = Set.of("float", "double");

    /** The placeholder of a value seen only as null or empty so far; never reaches the catalog. */
    public static final String UNKNOWN = "unknown";

    private HiveTypes() {}

    /** The narrowest type both values fit: integers widen, integer with double is double, date with timestamp is timestamp, otherwise string. */
    public static String merge(String a, String b) {
        if (a == null || a.equals(UNKNOWN)) {
            return b;
        }
        if (b == null || b.equals(UNKNOWN) || a.equals(b)) {
            return a;
        }
        if (INTEGRAL.contains(a) && INTEGRAL.contains(b)) {
            return INTEGRAL.get(Math.max(INTEGRAL.indexOf(a), INTEGRAL.indexOf(b)));
        }
        if ((INTEGRAL.contains(a) || FRACTIONAL.contains(a)) && (INTEGRAL.contains(b) || FRACTIONAL.contains(b))) {
            return "double";
        }
        if (Set.of(a, b).equals(Set.of("date", "timestamp"))) {
            return "timestamp";
        }
        if (a.startsWith("struct<") && b.startsWith("struct<")) {
            return struct(mergeColumns(structFields(a), structFields(b)));
        }
        if (a.startsWith("array<") && b.startsWith("array<")) {
            return "array<" + merge(inner(a), inner(b)) + ">";
        }
        return "string";
    }

    /** Columns of both lists by name, in first-seen order, with merged types. */
    public static List<Column> mergeColumns(List<Column> a, List<Column> b) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Column c : a) {
            merged.put(c.name(), c.type());
        }
        for (Column c : b) {
            merged.merge(c.name(), c.type(), HiveTypes::merge);
        }
        List<Column> out = new ArrayList<>();
        merged.forEach((n, t) -> out.add(new Column(n, t)));
        return out;
    }

    public static String struct(List<Column> fields) {
        StringBuilder sb = new StringBuilder("struct<");
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(fields.get(i).name()).append(':').append(fields.get(i).type());
        }
        return sb.append('>').toString();
    }

    private static String inner(String type) {
        return type.substring(type.indexOf('<') + 1, type.length() - 1);
    }

    /** The fields of a {@code struct<...>} type string, split at top-level commas. */
    static List<Column> structFields(String type) {
        String body = inner(type);
        List<Column> fields = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= body.length(); i++) {
            char ch = i == body.length() ? ',' : body.charAt(i);
            if (ch == '<' || ch == '(') {
                depth++;
            } else if (ch == '>' || ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                String field = body.substring(start, i);
                if (!field.isEmpty()) {
                    int colon = field.indexOf(':');
                    fields.add(new Column(field.substring(0, colon), field.substring(colon + 1)));
                }
                start = i + 1;
            }
        }
        return fields;
    }
}
