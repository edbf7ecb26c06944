package dev.mortar.metastore.hms;

import dev.mortar.metastore.store.PartitionFilter;
import org.apache.hadoop.hive.metastore.api.Table;

import java.util.regex.Pattern;

/** Evaluates a {@code get_table_names_by_filter} filter against one table. */
final class TableFilter {
    private static final String PARAMS = "hive_filter_field_params__";
    private static final String OWNER = "hive_filter_field_owner__";
    private static final String LAST_ACCESS = "hive_filter_field_last_access__";

    private TableFilter() {}

    static boolean matches(PartitionFilter filter, Table table) {
        return switch (filter) {
            case PartitionFilter.And and -> matches(and.left(), table) && matches(and.right(), table);
            case PartitionFilter.Or or -> matches(or.left(), table) || matches(or.right(), table);
            case PartitionFilter.Not not -> !matches(not.inner(), table);
            case PartitionFilter.Compare compare -> {
                String value = field(compare.key(), table);
                if (value == null) {
                    yield false;
                }
                int cmp = compare.value().numeric() && isLong(value)
                        ? Long.compare(Long.parseLong(value), Long.parseLong(compare.value().text()))
                        : value.compareTo(compare.value().text());
                yield switch (compare.op()) {
                    case EQ -> cmp == 0;
                    case NE -> cmp != 0;
                    case LT -> cmp < 0;
                    case LE -> cmp <= 0;
                    case GT -> cmp > 0;
                    case GE -> cmp >= 0;
                };
            }
            case PartitionFilter.Like like -> {
                String value = field(like.key(), table);
                yield value != null && likeRegex(like.pattern()).matcher(value).matches();
            }
            case PartitionFilter.In in -> {
                String value = field(in.key(), table);
                yield value != null && in.values().stream().anyMatch(v -> v.text().equals(value));
            }
            case PartitionFilter.Between between -> {
                String value = field(between.key(), table);
                yield value != null && value.compareTo(between.low().text()) >= 0 && value.compareTo(between.high().text()) <= 0;
            }
            // Not in Hive's language; said for completeness.
            case PartitionFilter.IsNull isNull -> field(isNull.key(), table) == null;
        };
    }

    private static String field(String key, Table table) {
        if (key.startsWith(PARAMS)) {
            return table.getParameters() == null ? null : table.getParameters().get(key.substring(PARAMS.length()));
        }
        if (key.equals(OWNER)) {
            return table.getOwner();
        }
        if (key.equals(LAST_ACCESS)) {
            return String.valueOf(table.getLastAccessTime());
        }
        throw new IllegalArgumentException("Filter on '" + key + "' is not supported; use " + PARAMS + "<key>, " + OWNER + " or " + LAST_ACCESS);
    }

    private static boolean isLong(String value) {
        try {
            Long.parseLong(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Both SQL ({@code %}, {@code _}) and the Java-regex ({@code .*}) wildcards of older clients. */
    private static Pattern likeRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        String text = pattern.replace(".*", "%");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '%' -> regex.append(".*");
                case '_' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
