package dev.mortar.metastore.store;

import java.util.List;
import java.util.Locale;

/**
 * A partition filter: comparisons of partition keys with literals, LIKE, IN, BETWEEN and IS NULL,
 * combined with AND, OR, NOT. One tree for both languages that select partitions: Hive's filter
 * language ({@link HiveFilterParser}, for get_partitions_by_filter and friends) and the
 * {@code Expression} of Glue's GetPartitions ({@link GlueExpressionParser}). What a comparison means
 * depends on the {@link Semantics} it is evaluated with, the same in {@link PartitionFilterSql} (the
 * catalog database) and {@link PartitionFilterMatcher} (the cached partitions).
 */
public sealed interface PartitionFilter {

    /**
     * How comparisons are evaluated. HIVE: as the Hive Metastore does, integral keys as numbers when
     * the literal is an integer and everything else as strings. GLUE: as the Glue service does, by the
     * key's declared type (integral, decimal, date, timestamp, string), with literals that do not fit
     * the type refused.
     */
    enum Semantics { HIVE, GLUE }

    enum Op {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        Op flipped() {
            return switch (this) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                default -> this;
            };
        }
    }

    /** How a literal was written: {@code 'text'}, a bare number, {@code DATE '...'} or {@code TIMESTAMP '...'}. */
    enum LiteralKind { STRING, NUMBER, DATE, TIMESTAMP }

    record Literal(String text, LiteralKind kind) {
        /** A string literal, or a number when {@code numeric}. */
        public Literal(String text, boolean numeric) {
            this(text, numeric ? LiteralKind.NUMBER : LiteralKind.STRING);
        }

        public boolean numeric() {
            return kind == LiteralKind.NUMBER;
        }
    }

    record And(PartitionFilter left, PartitionFilter right) implements PartitionFilter {}

    record Or(PartitionFilter left, PartitionFilter right) implements PartitionFilter {}

    record Not(PartitionFilter inner) implements PartitionFilter {}

    record Compare(String key, Op op, Literal value) implements PartitionFilter {}

    record Like(String key, String pattern) implements PartitionFilter {}

    record In(String key, List<Literal> values) implements PartitionFilter {}

    record Between(String key, Literal low, Literal high) implements PartitionFilter {}

    /** The key has no value: a NULL or Hive's default partition. Only Glue's language says it. */
    record IsNull(String key) implements PartitionFilter {}

    /** An unparsable filter; the message says where and why. */
    final class ParseException extends Exception {
        public ParseException(String message) {
            super(message);
        }
    }

    /** A filter in Hive's language. */
    static PartitionFilter parse(String filter) throws ParseException {
        return HiveFilterParser.parse(filter);
    }

    static String normalizeKey(String key) {
        return key.toLowerCase(Locale.ROOT);
    }
}
