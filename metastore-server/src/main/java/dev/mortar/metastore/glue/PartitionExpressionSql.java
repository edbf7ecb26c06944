package dev.mortar.metastore.glue;

import dev.mortar.metastore.store.PartitionFilter;
import dev.mortar.metastore.store.PartitionFilterSql;
import dev.mortar.metastore.store.Sql;
import org.apache.hadoop.hive.metastore.api.FieldSchema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a {@link PartitionExpression} into a SQL condition over {@code m_partitions p}, evaluated on the
 * indexed partition key values. Conditions Hive's filter language can say are translated to
 * {@link PartitionFilter} and rendered by the store's {@link PartitionFilterSql} (string, date and
 * timestamp keys compare as strings, integral keys as numbers); what it cannot say is rendered here in
 * the same shape: decimal and floating-point keys compare as numbers, an integral key against a
 * fractional literal compares numerically, and {@code IS NULL} matches Hive's default partition.
 */
final class PartitionExpressionSql {
    private static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    private enum KeyKind { INTEGRAL, DECIMAL, OTHER }

    private final long tableId;
    private final List<FieldSchema> keys;
    private final PartitionFilterSql hiveFilters;

    PartitionExpressionSql(long tableId, List<FieldSchema> keys) {
        this.tableId = tableId;
        this.keys = keys;
        this.hiveFilters = new PartitionFilterSql(tableId, keys);
    }

    Sql toSql(PartitionExpression expression) {
        List<Object> params = new ArrayList<>();
        String text = render(expression, params);
        return new Sql(text, params);
    }

    private String render(PartitionExpression e, List<Object> params) {
        return switch (e) {
            case PartitionExpression.And and -> "(" + render(and.left(), params) + " AND " + render(and.right(), params) + ")";
            case PartitionExpression.Or or -> "(" + render(or.left(), params) + " OR " + render(or.right(), params) + ")";
            case PartitionExpression.Not not -> "(NOT " + render(not.inner(), params) + ")";
            case PartitionExpression.IsNull isNull -> subquery(keyIndex(isNull.key()), "(v.str_val IS NULL OR v.str_val = ?)", params, List.of(DEFAULT_PARTITION));
            case PartitionExpression.Like like -> hive(new PartitionFilter.Like(like.key(), like.pattern()), params);
            case PartitionExpression.Compare compare -> {
                int index = keyIndex(compare.key());
                yield switch (numericMode(index, List.of(compare.value()))) {
                    case DECIMAL -> subquery(index, decimalValue() + " " + compare.op().sql + " ?", params, List.of(decimal(compare.value())));
                    case INTEGRAL -> subquery(index, "v.num_val " + compare.op().sql + " ?", params, List.of(integral(compare.value())));
                    case OTHER -> hive(new PartitionFilter.Compare(compare.key(), hiveOp(compare.op()), hiveLiteral(compare.value())), params);
                };
            }
            case PartitionExpression.In in -> {
                int index = keyIndex(in.key());
                List<Object> decimals = new ArrayList<>();
                List<Object> integrals = new ArrayList<>();
                in.values().forEach(v -> {
                    decimals.add(decimalOrNull(v));
                    integrals.add(decimalOrNull(v) == null ? null : integral(v));
                });
                String placeholders = "?, ".repeat(in.values().size() - 1) + "?";
                yield switch (numericMode(index, in.values())) {
                    case DECIMAL -> subquery(index, decimalValue() + " IN (" + placeholders + ")", params, decimals);
                    case INTEGRAL -> subquery(index, "v.num_val IN (" + placeholders + ")", params, integrals);
                    case OTHER -> hive(new PartitionFilter.In(in.key(), in.values().stream().map(PartitionExpressionSql::hiveLiteral).toList()), params);
                };
            }
            case PartitionExpression.Between between -> {
                int index = keyIndex(between.key());
                List<PartitionExpression.Literal> bounds = List.of(between.low(), between.high());
                yield switch (numericMode(index, bounds)) {
                    case DECIMAL -> subquery(index, decimalValue() + " BETWEEN ? AND ?", params, List.of(decimal(between.low()), decimal(between.high())));
                    case INTEGRAL -> subquery(index, "v.num_val BETWEEN ? AND ?", params, List.of(integral(between.low()), integral(between.high())));
                    case OTHER -> hive(new PartitionFilter.Between(between.key(), hiveLiteral(between.low()), hiveLiteral(between.high())), params);
                };
            }
        };
    }

    /**
     * How a comparison of this key with these literals is evaluated here: numerically (DECIMAL for
     * decimal and floating-point keys, INTEGRAL on the indexed numbers of integral keys) when every
     * literal is a number, quoted or not; as the Hive filter does (OTHER) otherwise.
     */
    private KeyKind numericMode(int keyIndex, List<PartitionExpression.Literal> literals) {
        boolean allNumeric = literals.stream().allMatch(l -> decimalOrNull(l) != null);
        return allNumeric ? kind(keys.get(keyIndex)) : KeyKind.OTHER;
    }

    /** A whole number binds as a BIGINT, so that the index on integral values serves it; a fraction as a DECIMAL. */
    private static Object integral(PartitionExpression.Literal literal) {
        BigDecimal d = decimalOrNull(literal);
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            return d;
        }
    }

    private static KeyKind kind(FieldSchema key) {
        if (PartitionFilterSql.isIntegral(key)) {
            return KeyKind.INTEGRAL;
        }
        String type = key.getType() == null ? "" : key.getType().toLowerCase(Locale.ROOT).trim();
        if (type.startsWith("decimal") || type.startsWith("numeric") || type.equals("float") || type.equals("double") || type.equals("real")) {
            return KeyKind.DECIMAL;
        }
        return KeyKind.OTHER;
    }

    /** The stored text as a number; Hive's default partition (a NULL value) compares as NULL, never as an error. */
    private static String decimalValue() {
        return "CASE WHEN v.str_val = '" + DEFAULT_PARTITION + "' THEN NULL ELSE CAST(v.str_val AS DECIMAL(38, 18)) END";
    }

    private String hive(PartitionFilter filter, List<Object> params) {
        Sql sql = hiveFilters.toSql(filter);
        params.addAll(sql.params());
        return sql.text();
    }

    private String subquery(int keyIndex, String condition, List<Object> params, List<Object> values) {
        params.add(tableId);
        params.add(keyIndex);
        params.addAll(values);
        return "p.part_id IN (SELECT v.part_id FROM m_partition_key_vals v WHERE v.tbl_id = ? AND v.key_idx = ? AND " + condition + ")";
    }

    private int keyIndex(String key) {
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).getName().equalsIgnoreCase(key)) {
                return i;
            }
        }
        throw GlueException.invalidInput("Expression refers to '" + key + "', which is not a partition key of the table; partition keys are "
                + keys.stream().map(FieldSchema::getName).toList());
    }

    private static BigDecimal decimalOrNull(PartitionExpression.Literal literal) {
        if (literal.kind() == PartitionExpression.LiteralKind.DATE || literal.kind() == PartitionExpression.LiteralKind.TIMESTAMP) {
            return null;
        }
        try {
            return new BigDecimal(literal.text().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static BigDecimal decimal(PartitionExpression.Literal literal) {
        return decimalOrNull(literal);
    }

    private static PartitionFilter.Literal hiveLiteral(PartitionExpression.Literal literal) {
        return new PartitionFilter.Literal(literal.text(), literal.kind() == PartitionExpression.LiteralKind.NUMBER);
    }

    private static PartitionFilter.Op hiveOp(PartitionExpression.Op op) {
        return switch (op) {
            case EQ -> PartitionFilter.Op.EQ;
            case NE -> PartitionFilter.Op.NE;
            case LT -> PartitionFilter.Op.LT;
            case LE -> PartitionFilter.Op.LE;
            case GT -> PartitionFilter.Op.GT;
            case GE -> PartitionFilter.Op.GE;
        };
    }
}
