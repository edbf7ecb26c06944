package dev.mortar.metastore.store;

import dev.mortar.metastore.store.KeyComparison.Domain;
import dev.mortar.metastore.store.KeyComparison.Spellings;
import dev.mortar.metastore.store.PartitionFilter.Semantics;
import org.apache.hadoop.hive.metastore.api.FieldSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a {@link PartitionFilter} into a SQL condition over {@code m_partitions p}, evaluated with the
 * indexes on {@code m_partition_key_vals}. How each comparison is evaluated is its
 * {@link KeyComparison}: with {@link Semantics#HIVE}, integral keys compare as numbers and other keys
 * (strings, dates, timestamps) as strings; with {@link Semantics#GLUE}, by the key's type, timestamps
 * against every spelling of the literal's instant so that the string index still serves them.
 */
public final class PartitionFilterSql {
    private final long tableId;
    private final List<FieldSchema> partitionKeys;
    private final Semantics semantics;

    public PartitionFilterSql(long tableId, List<FieldSchema> partitionKeys) {
        this(tableId, partitionKeys, Semantics.HIVE);
    }

    public PartitionFilterSql(long tableId, List<FieldSchema> partitionKeys, Semantics semantics) {
        this.tableId = tableId;
        this.partitionKeys = partitionKeys;
        this.semantics = semantics;
    }

    public static boolean isIntegral(FieldSchema key) {
        return KeyComparison.isIntegral(key);
    }

    /**
     * The condition, or an IllegalArgumentException naming a key that is not a partition key (with
     * GLUE, also a literal that is not a value of its key's type).
     */
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
            // IS NULL stays a subquery: with the default partition it is an OR on the key's value.
            if (key >= 0 && !(conjunct instanceof PartitionFilter.IsNull)) {
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
                conditions.add(renderOn(alias, conjunct, params));
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

    /** The index of the one key a comparison constrains, or -1 for AND, OR and NOT. */
    private int keyOf(PartitionFilter filter) {
        return switch (filter) {
            case PartitionFilter.Compare compare -> keyIndex(compare.key());
            case PartitionFilter.Like like -> keyIndex(like.key());
            case PartitionFilter.In in -> keyIndex(in.key());
            case PartitionFilter.Between between -> keyIndex(between.key());
            case PartitionFilter.IsNull isNull -> keyIndex(isNull.key());
            case PartitionFilter.And and -> -1;
            case PartitionFilter.Or or -> -1;
            case PartitionFilter.Not not -> -1;
        };
    }

    /** One comparison as a condition on the key value row {@code alias}, with the same semantics as {@link #render}. */
    private String renderOn(String alias, PartitionFilter filter, List<Object> params) {
        String str = alias + ".str_val";
        return switch (filter) {
            case PartitionFilter.Compare compare -> {
                KeyComparison c = comparison(semantics, partitionKeys, compare);
                if (c.domain() == Domain.TIMESTAMP) {
                    Spellings t = (Spellings) c.values().get(0);
                    yield switch (compare.op()) {
                        case EQ -> inList(str, t.all(), params);
                        case NE -> "NOT " + inList(str, t.all(), params);
                        case LT -> bind(str + " < ?", t.shortest(), params);
                        case LE -> bind(str + " <= ?", t.longest(), params);
                        case GT -> bind(str + " > ?", t.longest(), params);
                        case GE -> bind(str + " >= ?", t.shortest(), params);
                    };
                }
                yield bind(column(alias, c.domain()) + " " + compare.op().sql + " ?", c.values().get(0), params);
            }
            case PartitionFilter.Like like -> bind(str + " LIKE ?", comparison(semantics, partitionKeys, like).values().get(0), params);
            case PartitionFilter.In in -> {
                KeyComparison c = comparison(semantics, partitionKeys, in);
                if (c.domain() == Domain.TIMESTAMP) {
                    yield inList(str, c.values().stream().flatMap(v -> ((Spellings) v).all().stream()).toList(), params);
                }
                yield inList(column(alias, c.domain()), c.values(), params);
            }
            case PartitionFilter.Between between -> {
                KeyComparison c = comparison(semantics, partitionKeys, between);
                if (c.domain() == Domain.TIMESTAMP) {
                    params.add(((Spellings) c.values().get(0)).shortest());
                    params.add(((Spellings) c.values().get(1)).longest());
                    yield "(" + str + " >= ? AND " + str + " <= ?)";
                }
                params.addAll(c.values());
                yield column(alias, c.domain()) + " BETWEEN ? AND ?";
            }
            case PartitionFilter.IsNull isNull -> {
                comparison(semantics, partitionKeys, isNull);
                yield bind("(" + str + " IS NULL OR " + str + " = ?)", KeyComparison.DEFAULT_PARTITION, params);
            }
            default -> throw new IllegalStateException("Not a comparison on one key: " + filter);
        };
    }

    /** What a comparison is evaluated on: the stored number, the stored text, or the stored text as a decimal. */
    private static String column(String alias, Domain domain) {
        return switch (domain) {
            case INTEGRAL -> alias + ".num_val";
            case STRING, TIMESTAMP -> alias + ".str_val";
            // Hive's default partition (a NULL value) compares as NULL, never as an error.
            case DECIMAL -> "CASE WHEN " + alias + ".str_val = '" + KeyComparison.DEFAULT_PARTITION + "' THEN NULL ELSE CAST("
                    + alias + ".str_val AS DECIMAL(38, 18)) END";
        };
    }

    private static String bind(String condition, Object value, List<Object> params) {
        params.add(value);
        return condition;
    }

    private static String inList(String column, List<?> values, List<Object> params) {
        params.addAll(values);
        return column + " IN (" + "?, ".repeat(values.size() - 1) + "?)";
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
                        + renderOn("v", filter, params) + ")";
            }
        };
    }

    /**
     * A comparison (not AND, OR, NOT) bound to its key under these semantics; an IllegalArgumentException
     * for an unknown key or, with GLUE, a literal its key's type does not have.
     */
    static KeyComparison comparison(Semantics semantics, List<FieldSchema> keys, PartitionFilter filter) {
        return switch (filter) {
            case PartitionFilter.Compare compare ->
                    KeyComparison.of(semantics, keys, keyIndex(semantics, keys, compare.key()), List.of(compare.value()), KeyComparison.isRange(compare.op()));
            case PartitionFilter.In in -> KeyComparison.of(semantics, keys, keyIndex(semantics, keys, in.key()), in.values(), false);
            case PartitionFilter.Between between ->
                    KeyComparison.of(semantics, keys, keyIndex(semantics, keys, between.key()), List.of(between.low(), between.high()), true);
            case PartitionFilter.Like like -> KeyComparison.like(semantics, keys, keyIndex(semantics, keys, like.key()), like.pattern());
            case PartitionFilter.IsNull isNull -> new KeyComparison(keyIndex(semantics, keys, isNull.key()), Domain.STRING, List.of());
            default -> throw new IllegalStateException("Not a comparison on one key: " + filter);
        };
    }

    private int keyIndex(String key) {
        return keyIndex(semantics, partitionKeys, key);
    }

    /** The index of a partition key named in a filter; an IllegalArgumentException if the table has no such key. */
    static int keyIndex(List<FieldSchema> partitionKeys, String key) {
        return keyIndex(Semantics.HIVE, partitionKeys, key);
    }

    static int keyIndex(Semantics semantics, List<FieldSchema> partitionKeys, String key) {
        String normalized = PartitionFilter.normalizeKey(key);
        for (int i = 0; i < partitionKeys.size(); i++) {
            if (partitionKeys.get(i).getName().equalsIgnoreCase(normalized)) {
                return i;
            }
        }
        List<String> names = partitionKeys.stream().map(FieldSchema::getName).toList();
        String subject = semantics == Semantics.GLUE ? "Unknown column '" + key + "'" : "Filter refers to '" + key + "'";
        throw new IllegalArgumentException(subject + ", which is not a partition key of the table; partition keys are " + names);
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
