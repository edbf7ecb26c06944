package dev.mortar.metastore.store;

import dev.mortar.metastore.store.PartitionFilter.Literal;
import dev.mortar.metastore.store.PartitionFilter.LiteralKind;
import dev.mortar.metastore.store.PartitionFilter.Op;
import dev.mortar.metastore.store.PartitionFilter.Semantics;
import org.apache.hadoop.hive.metastore.api.FieldSchema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One comparison of a filter bound to its partition key: how it is evaluated ({@link Domain}) and its
 * literals as values of that domain. The SQL renderer and the in-memory matcher both evaluate a
 * comparison from this, so the two cannot disagree on what a literal means.
 *
 * <p>With {@link Semantics#GLUE}, a literal that is not a value of the key's declared type is an
 * {@link IllegalArgumentException} with the service's wording ({@code For input string: "x" is not an
 * integer.}, {@code x is not a decimal.}, {@code x is not a date.}, and for LIKE on a typed key
 * {@code Integral data type doesn't support operation 'LIKE'}).
 */
record KeyComparison(int key, Domain domain, List<Object> values) {
    static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    private static final Set<String> INTEGRAL_TYPES = Set.of("tinyint", "smallint", "int", "integer", "bigint");
    private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
    private static final Pattern TIMESTAMP = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2}) (\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?");

    /**
     * How a comparison is evaluated. INTEGRAL: on the indexed {@code num_val} (values Long, or BigDecimal
     * for a fractional bound of a range). DECIMAL: on the stored text as a decimal number (values
     * BigDecimal). STRING: on the stored text (values String, the key's text for LIKE a SQL pattern).
     * TIMESTAMP: on the stored text against every spelling of the instant (values {@link Spellings}).
     */
    enum Domain { INTEGRAL, DECIMAL, STRING, TIMESTAMP }

    /** A key's declared type as Glue distinguishes them. */
    enum KeyType { INTEGRAL, DECIMAL, DATE, TIMESTAMP, STRING }

    /**
     * The texts a well-formed timestamp ({@code yyyy-mm-dd hh:mm:ss[.f...]}, up to 9 fraction digits) of
     * one instant can have: its fraction with 0 to 9 digits as far as they are trailing zeros. All are
     * prefixes of {@code longest}, so over well-formed texts string order is timestamp order with the
     * spellings of one instant between {@code shortest} and {@code longest}: {@code > t} is
     * {@code > longest}, {@code >= t} is {@code >= shortest}, and so on.
     */
    record Spellings(String shortest, String longest, List<String> all) {}

    static KeyType keyType(FieldSchema key) {
        String type = key.getType() == null ? "" : key.getType().toLowerCase(Locale.ROOT).trim();
        if (isIntegral(key)) {
            return KeyType.INTEGRAL;
        }
        if (type.startsWith("decimal") || type.startsWith("numeric") || type.equals("float") || type.equals("double") || type.equals("real")) {
            return KeyType.DECIMAL;
        }
        if (type.equals("date")) {
            return KeyType.DATE;
        }
        if (type.equals("timestamp")) {
            return KeyType.TIMESTAMP;
        }
        return KeyType.STRING;
    }

    /** The keys whose values are also stored as numbers ({@code num_val}). */
    static boolean isIntegral(FieldSchema key) {
        return key.getType() != null && INTEGRAL_TYPES.contains(key.getType().toLowerCase(Locale.ROOT));
    }

    /** A comparison of the key at {@code key} with these literals; {@code range} for {@code < <= > >=} and BETWEEN. */
    static KeyComparison of(Semantics semantics, List<FieldSchema> keys, int key, List<Literal> literals, boolean range) {
        FieldSchema field = keys.get(key);
        if (semantics == Semantics.HIVE) {
            // As the Hive Metastore: integral keys compare as numbers when every literal is an integer, quoted or not.
            boolean numeric = isIntegral(field) && literals.stream().allMatch(l -> PartitionFilterSql.parseLong(l.text()) != null);
            return numeric
                    ? new KeyComparison(key, Domain.INTEGRAL, literals.stream().<Object>map(l -> PartitionFilterSql.parseLong(l.text())).toList())
                    : new KeyComparison(key, Domain.STRING, literals.stream().<Object>map(Literal::text).toList());
        }
        List<Object> values = new ArrayList<>(literals.size());
        return switch (keyType(field)) {
            case INTEGRAL -> {
                literals.forEach(l -> values.add(integral(l, range)));
                yield new KeyComparison(key, Domain.INTEGRAL, values);
            }
            case DECIMAL -> {
                literals.forEach(l -> values.add(decimal(l)));
                yield new KeyComparison(key, Domain.DECIMAL, values);
            }
            case DATE -> {
                literals.forEach(l -> values.add(date(l)));
                yield new KeyComparison(key, Domain.STRING, values);
            }
            case TIMESTAMP -> {
                literals.forEach(l -> values.add(timestamp(l)));
                yield new KeyComparison(key, Domain.TIMESTAMP, values);
            }
            case STRING -> {
                literals.forEach(l -> values.add(l.text()));
                yield new KeyComparison(key, Domain.STRING, values);
            }
        };
    }

    /** LIKE on the key at {@code key}: strings only with GLUE, as the service refuses it on typed keys. */
    static KeyComparison like(Semantics semantics, List<FieldSchema> keys, int key, String pattern) {
        if (semantics == Semantics.GLUE) {
            String type = switch (keyType(keys.get(key))) {
                case INTEGRAL -> "Integral";
                case DECIMAL -> "Decimal";
                case DATE -> "Date";
                case TIMESTAMP -> "Timestamp";
                case STRING -> null;
            };
            if (type != null) {
                throw new IllegalArgumentException(type + " data type doesn't support operation 'LIKE'");
            }
        }
        return new KeyComparison(key, Domain.STRING, List.of(PartitionFilterSql.likePattern(pattern)));
    }

    static boolean isRange(Op op) {
        return op != Op.EQ && op != Op.NE;
    }

    /** Whether this comparison orders or matches strings by pattern (its answer then depends on the collation). */
    boolean ordersText(Op op) {
        return (domain == Domain.STRING || domain == Domain.TIMESTAMP) && isRange(op);
    }

    /**
     * An integer; a range's bound may also be a fraction, which compares numerically ({@code hr > 9.5}).
     * Equality with a fraction or a non-number is refused, as by the service.
     */
    private static Object integral(Literal literal, boolean range) {
        String text = literal.text().trim();
        if (literal.kind() != LiteralKind.DATE && literal.kind() != LiteralKind.TIMESTAMP) {
            try {
                BigInteger whole = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
                if (whole.bitLength() < 64) {
                    return whole.longValue();
                }
                if (range) {
                    return new BigDecimal(whole);
                }
            } catch (NumberFormatException e) {
                if (range) {
                    try {
                        return new BigDecimal(text);
                    } catch (NumberFormatException notANumber) {
                        // refused below
                    }
                }
            }
        }
        throw new IllegalArgumentException("For input string: \"" + literal.text() + "\" is not an integer.");
    }

    private static BigDecimal decimal(Literal literal) {
        if (literal.kind() != LiteralKind.DATE && literal.kind() != LiteralKind.TIMESTAMP) {
            try {
                return new BigDecimal(literal.text().trim());
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw new IllegalArgumentException(literal.text() + " is not a decimal.");
    }

    /** A date as stored: {@code yyyy-mm-dd}, a real day of the calendar. */
    private static String date(Literal literal) {
        Matcher m = DATE.matcher(literal.text().trim());
        if (literal.kind() != LiteralKind.TIMESTAMP && m.matches()) {
            try {
                return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))).toString();
            } catch (DateTimeException e) {
                // refused below
            }
        }
        throw new IllegalArgumentException(literal.text() + " is not a date.");
    }

    /** A timestamp as {@code yyyy-mm-dd hh:mm:ss[.fffffffff]}; {@code DATE 'yyyy-mm-dd'} is its midnight. */
    static Spellings timestamp(Literal literal) {
        String text = literal.text().trim();
        if (literal.kind() == LiteralKind.DATE) {
            text = date(literal) + " 00:00:00";
        }
        Matcher m = TIMESTAMP.matcher(text);
        if (m.matches()) {
            try {
                LocalDate day = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
                LocalTime time = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
                String base = day + " " + String.format(Locale.ROOT, "%02d:%02d:%02d", time.getHour(), time.getMinute(), time.getSecond());
                String fraction = m.group(7) == null ? "" : m.group(7).replaceAll("0+$", "");
                List<String> all = new ArrayList<>();
                if (fraction.isEmpty()) {
                    all.add(base);
                }
                for (int digits = Math.max(1, fraction.length()); digits <= 9; digits++) {
                    all.add(base + "." + fraction + "0".repeat(digits - fraction.length()));
                }
                return new Spellings(all.get(0), all.get(all.size() - 1), List.copyOf(all));
            } catch (DateTimeException e) {
                // refused below
            }
        }
        throw new IllegalArgumentException("Timestamp format must be yyyy-mm-dd hh:mm:ss[.fffffffff] " + literal.text() + " is not a timestamp.");
    }
}
