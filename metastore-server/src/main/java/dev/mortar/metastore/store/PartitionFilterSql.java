package dev.mortar.metastore.store;

import org.apache.hadoop.hive.metastore.api.FieldSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a {@link PartitionFilter} into a SQL condition over {@code m_partitions p}, evaluated with the
 * indexes on {@code m_partition_key_vals}. Integral keys compare as numbers, other keys (strings,
 * dates, timestamps) as strings, which orders well-formed dates and timestamps correctly.
 */
public final class PartitionFilterSql {
    private static final Set<String> INTEGRAL_TYPES = Set.of("tinyint", "smallint", "int", "integer", "bigint");

    private final long tableId;
    private final List<FieldSchema> partitionKeys;

    public PartitionFilterSql(long tableId, List<FieldSchema> partitionKeys) {
        this.tableId = tableId;
        this.partitionKeys = partitionKeys;
    }

    public static boolean isIntegral(FieldSchema key) {
        return key.getType() != null && INTEGRAL_TYPES.contains(key.getType().toLowerCase(Locale.ROOT));
    }

    /** The condition, or an IllegalArgumentException naming a key that is not a partition key. */
    public Sql toSql(PartitionFilter filter) {
        List<Object> params = new ArrayList<>();
        String text = render(filter, params);
        return new Sql(text, params);
    }

    /**
     * The filter as joins plus a condition, for a query of its own. The comparisons ANDed at the top
     * level constrain one join of {@code m_partition_key_vals} per key, so the database can start from
     * the most selective key's index range and look the other keys up by primary key, rather than
     * materialise every key's matches and intersect them (a range on one key of a large table matches
     * thousands of rows). Anything else (OR, NOT) stays a subquery.
     */
    public Sql toJoinedSql(PartitionFilter filter) {
        List<PartitionFilter> conjuncts = new ArrayList<>();
        flattenAnd(filter, conjuncts);
        Map<Integer, List<PartitionFilter>> byKey = new TreeMap<>();
        List<PartitionFilter> others = new ArrayList<>();
        for (PartitionFilter conjunct : conjuncts) {
            int key = keyOf(conjunct);
            if (key >= 0) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(conjunct);
            } else {
                others.add(conjunct);
            }
        }
        StringBuilder joins = new StringBuilder();
        List<String> conditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        String first = null;
        for (Map.Entry<Integer, List<PartitionFilter>> entry : byKey.entrySet()) {
            String alias = "k" + entry.getKey();
            // The table id and key index are our own numbers, written inline: the join's index range starts with them.
            joins.append(" JOIN m_partition_key_vals ").append(alias).append(" ON ").append(alias).append(".part_id = p.part_id AND ")
                    .append(alias).append(".tbl_id = ").append(tableId).append(" AND ").append(alias).append(".key_idx = ").append(entry.getKey());
            if (first != null) {
                // Said outright so that H2 looks this key up by primary key from the first one's rows; without it, at
                // 100,000 partitions it joined the two keys' index ranges as a cross product (seconds instead of ms).
                joins.append(" AND ").append(alias).append(".part_id = ").append(first).append(".part_id");
            } else {
                first = alias;
            }
            for (PartitionFilter conjunct : entry.getValue()) {
                conditions.add(renderOn(alias, entry.getKey(), conjunct, params));
            }
        }
        for (PartitionFilter other : others) {
            conditions.add(render(other, params));
        }
        return new Sql(joins.toString(), conditions.isEmpty() ? "1 = 1" : String.join(" AND ", conditions), params);
    }

    private static void flattenAnd(PartitionFilter filter, List<PartitionFilter> out) {
        if (filter instanceof PartitionFilter.And and) {
            flattenAnd(and.left(), out);
            flattenAnd(and.right(), out);
        } else {
            out.add(filter);
        }
    }

    /** The index of the one key a comparison constrains, or -1 for OR and NOT. */
    private int keyOf(PartitionFilter filter) {
        return switch (filter) {
            case PartitionFilter.Compare compare -> keyIndex(compare.key());
            case PartitionFilter.Like like -> keyIndex(like.key());
            case PartitionFilter.In in -> keyIndex(in.key());
            case PartitionFilter.Between between -> keyIndex(between.key());
            case PartitionFilter.And and -> -1;
            case PartitionFilter.Or or -> -1;
            case PartitionFilter.Not not -> -1;
        };
    }

    /** One comparison as a condition on its key's join, with the same semantics as {@link #render}. */
    private String renderOn(String alias, int index, PartitionFilter filter, List<Object> params) {
        return switch (filter) {
            case PartitionFilter.Compare compare -> {
                boolean numeric = useNumber(index, compare.value());
                params.add(value(compare.value(), numeric));
                yield alias + (numeric ? ".num_val " : ".str_val ") + compare.op().sql + " ?";
            }
            case PartitionFilter.Like like -> {
                params.add(likePattern(like.pattern()));
                yield alias + ".str_val LIKE ?";
            }
            case PartitionFilter.In in -> {
                boolean numeric = in.values().stream().allMatch(v -> useNumber(index, v));
                for (PartitionFilter.Literal literal : in.values()) {
                    params.add(value(literal, numeric));
                }
                yield alias + (numeric ? ".num_val" : ".str_val") + " IN (" + "?, ".repeat(in.values().size() - 1) + "?)";
            }
            case PartitionFilter.Between between -> {
                boolean numeric = useNumber(index, between.low()) && useNumber(index, between.high());
                params.add(value(between.low(), numeric));
                params.add(value(between.high(), numeric));
                yield alias + (numeric ? ".num_val" : ".str_val") + " BETWEEN ? AND ?";
            }
            default -> throw new IllegalStateException("Not a comparison on one key: " + filter);
        };
    }

    private String render(PartitionFilter filter, List<Object> params) {
        return switch (filter) {
            case PartitionFilter.And and -> "(" + render(and.left(), params) + " AND " + render(and.right(), params) + ")";
            case PartitionFilter.Or or -> "(" + render(or.left(), params) + " OR " + render(or.right(), params) + ")";
            case PartitionFilter.Not not -> "(NOT " + render(not.inner(), params) + ")";
            default -> {
                // One comparison: the partitions with a matching value row for its key.
                int index = keyOf(filter);
                params.add(tableId);
                params.add(index);
                yield "p.part_id IN (SELECT v.part_id FROM m_partition_key_vals v WHERE v.tbl_id = ? AND v.key_idx = ? AND "
                        + renderOn("v", index, filter, params) + ")";
            }
        };
    }

    private int keyIndex(String key) {
        return keyIndex(partitionKeys, key);
    }

    /** The index of a partition key named in a filter; an IllegalArgumentException if the table has no such key. */
    static int keyIndex(List<FieldSchema> partitionKeys, String key) {
        String normalized = PartitionFilter.normalizeKey(key);
        for (int i = 0; i < partitionKeys.size(); i++) {
            if (partitionKeys.get(i).getName().equalsIgnoreCase(normalized)) {
                return i;
            }
        }
        List<String> names = partitionKeys.stream().map(FieldSchema::getName).toList();
        throw new IllegalArgumentException("Filter refers to '" + key + "', which is not a partition key of the table; partition keys are " + names);
    }

    private boolean useNumber(int keyIndex, PartitionFilter.Literal literal) {
        return isIntegral(partitionKeys.get(keyIndex)) && parseLong(literal.text()) != null;
    }

    private static Object value(PartitionFilter.Literal literal, boolean numeric) {
        return numeric ? parseLong(literal.text()) : literal.text();
    }

    static Long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Hive clients up to 3.x send Java-regex wildcards ({@code .*}), Hive 4 clients SQL ones ({@code %}); both mean the same. */
    static String likePattern(String pattern) {
        return pattern.replace(".*", "%");
    }
}
