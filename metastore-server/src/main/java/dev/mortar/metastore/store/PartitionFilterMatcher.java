package dev.mortar.metastore.store;

import org.apache.hadoop.hive.metastore.api.FieldSchema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Evaluates a {@link PartitionFilter} on partition values in memory, giving the answer the catalog
 * database gives to {@link PartitionFilterSql}'s condition: integral keys compare as numbers when the
 * literal is one (a value that is not a number then matches nothing), other comparisons as strings in
 * the database's own order, LIKE with {@code %}, {@code _} and {@code \} as escape. Used on the cached
 * partitions of a table, so that a filtered read costs no query beyond the table's.
 *
 * <p>Where the in-memory string order is not certainly the database's (PostgreSQL compares
 * {@code str_val} in the database's collation), only filters without string ordering or LIKE are
 * evaluated here; {@link #forFilter} says so by returning nothing.
 */
public final class PartitionFilterMatcher {
    private final List<FieldSchema> keys;
    private final Comparator<String> order;

    private PartitionFilterMatcher(List<FieldSchema> keys, Comparator<String> order) {
        this.keys = keys;
        this.order = order;
    }

    /**
     * What a filter selects: a test on a partition's values and, when the filter requires one key to
     * equal one of some strings, that key and those strings (as {@link #equalityKey} spells them), so
     * that a caller with the partitions indexed by that key can test only the candidates. Otherwise,
     * {@code keyTests}: per key, what the filter requires of that key's value alone (its comparisons,
     * ranges and lists that are joined to the rest by AND), to be tried on each distinct value of the
     * key (as {@link #equalityKey} spells it; a test never rejects a spelling whose original it would
     * take); a partition whose values fail one of them cannot match.
     */
    public record Selection(Predicate<List<String>> test, int key, List<String> equalTo, Map<Integer, Predicate<String>> keyTests) {
        public boolean hasEqualityKey() {
            return key >= 0;
        }

        public boolean hasKeyTests() {
            return !keyTests.isEmpty();
        }
    }

    /**
     * The selection, or nothing if this dialect's string semantics are not reproduced for the filter.
     * An unknown key is an IllegalArgumentException, as from {@link PartitionFilterSql}.
     */
    public static Optional<Selection> forFilter(Dialect dialect, List<FieldSchema> keys, PartitionFilter filter) {
        Comparator<String> order = switch (dialect) {
            case H2 -> Comparator.naturalOrder();
            case MYSQL -> PartitionFilterMatcher::comparePadSpace;
            case POSTGRES -> null;
        };
        PartitionFilterMatcher matcher = new PartitionFilterMatcher(keys, order);
        if (order == null && matcher.ordersStrings(filter)) {
            return Optional.empty();
        }
        Predicate<List<String>> test = matcher.compile(filter);
        for (PartitionFilter conjunct : conjuncts(filter)) {
            if (conjunct instanceof PartitionFilter.Compare compare && compare.op() == PartitionFilter.Op.EQ) {
                int index = matcher.keyIndex(compare.key());
                if (!matcher.useNumber(index, compare.value())) {
                    return Optional.of(new Selection(test, index, List.of(equalityKey(dialect, compare.value().text())), Map.of()));
                }
            }
            if (conjunct instanceof PartitionFilter.In in) {
                int index = matcher.keyIndex(in.key());
                if (!in.values().stream().allMatch(v -> matcher.useNumber(index, v))) {
                    return Optional.of(new Selection(test, index, in.values().stream().map(v -> equalityKey(dialect, v.text())).toList(), Map.of()));
                }
            }
        }
        return Optional.of(new Selection(test, -1, List.of(), matcher.keyTests(filter)));
    }

    /**
     * Per key, the conjuncts that test that key alone, as one test of its value. LIKE is left out: it
     * does not pad with spaces, so a value spelled without its trailing spaces could fail it where the
     * value itself passes. {@code <>} is left out as it selects almost everything.
     */
    private Map<Integer, Predicate<String>> keyTests(PartitionFilter filter) {
        Map<Integer, Predicate<String>> tests = new LinkedHashMap<>();
        for (PartitionFilter conjunct : conjuncts(filter)) {
            int index = switch (conjunct) {
                case PartitionFilter.Compare compare when compare.op() != PartitionFilter.Op.NE -> keyIndex(compare.key());
                case PartitionFilter.Between between -> keyIndex(between.key());
                case PartitionFilter.In in -> keyIndex(in.key());
                default -> -1;
            };
            if (index < 0) {
                continue;
            }
            Predicate<List<String>> onValues = compile(conjunct);
            Predicate<String> onValue = value -> {
                String[] values = new String[index + 1];
                values[index] = value;
                return onValues.test(Arrays.asList(values));
            };
            tests.merge(index, onValue, Predicate::and);
        }
        return tests;
    }

    /** A string as compared for equality: MariaDB's PAD SPACE collation ignores trailing spaces. */
    public static String equalityKey(Dialect dialect, String value) {
        if (dialect != Dialect.MYSQL || value == null) {
            return value;
        }
        int end = value.length();
        while (end > 0 && value.charAt(end - 1) == ' ') {
            end--;
        }
        return value.substring(0, end);
    }

    private static List<PartitionFilter> conjuncts(PartitionFilter filter) {
        if (filter instanceof PartitionFilter.And and) {
            List<PartitionFilter> all = new ArrayList<>(conjuncts(and.left()));
            all.addAll(conjuncts(and.right()));
            return all;
        }
        return List.of(filter);
    }

    /** Whether the filter compares a string by order or pattern (equality does not depend on the collation). */
    private boolean ordersStrings(PartitionFilter filter) {
        return switch (filter) {
            case PartitionFilter.And and -> ordersStrings(and.left()) || ordersStrings(and.right());
            case PartitionFilter.Or or -> ordersStrings(or.left()) || ordersStrings(or.right());
            case PartitionFilter.Not not -> ordersStrings(not.inner());
            case PartitionFilter.Compare compare -> compare.op() != PartitionFilter.Op.EQ && compare.op() != PartitionFilter.Op.NE
                    && !useNumber(keyIndex(compare.key()), compare.value());
            case PartitionFilter.Like like -> true;
            case PartitionFilter.In in -> false;
            case PartitionFilter.Between between -> {
                int index = keyIndex(between.key());
                yield !(useNumber(index, between.low()) && useNumber(index, between.high()));
            }
        };
    }

    private Predicate<List<String>> compile(PartitionFilter filter) {
        return switch (filter) {
            case PartitionFilter.And and -> {
                Predicate<List<String>> left = compile(and.left());
                Predicate<List<String>> right = compile(and.right());
                yield values -> left.test(values) && right.test(values);
            }
            case PartitionFilter.Or or -> {
                Predicate<List<String>> left = compile(or.left());
                Predicate<List<String>> right = compile(or.right());
                yield values -> left.test(values) || right.test(values);
            }
            case PartitionFilter.Not not -> compile(not.inner()).negate();
            case PartitionFilter.Compare compare -> {
                int index = keyIndex(compare.key());
                PartitionFilter.Op op = compare.op();
                if (useNumber(index, compare.value())) {
                    long literal = PartitionFilterSql.parseLong(compare.value().text());
                    yield values -> {
                        Long number = number(values, index);
                        return number != null && holds(op, Long.compare(number, literal));
                    };
                }
                String literal = compare.value().text();
                yield values -> {
                    String value = value(values, index);
                    return value != null && holds(op, compareStrings(value, literal));
                };
            }
            case PartitionFilter.Like like -> {
                int index = keyIndex(like.key());
                Pattern pattern = likeRegex(PartitionFilterSql.likePattern(like.pattern()));
                yield values -> {
                    String value = value(values, index);
                    return value != null && pattern.matcher(value).matches();
                };
            }
            case PartitionFilter.In in -> {
                int index = keyIndex(in.key());
                boolean numeric = in.values().stream().allMatch(v -> useNumber(index, v));
                if (numeric) {
                    List<Long> literals = in.values().stream().map(v -> PartitionFilterSql.parseLong(v.text())).toList();
                    yield values -> {
                        Long number = number(values, index);
                        return number != null && literals.contains(number);
                    };
                }
                List<String> literals = in.values().stream().map(PartitionFilter.Literal::text).toList();
                yield values -> {
                    String value = value(values, index);
                    if (value == null) {
                        return false;
                    }
                    for (String literal : literals) {
                        if (compareStrings(value, literal) == 0) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            case PartitionFilter.Between between -> {
                int index = keyIndex(between.key());
                if (useNumber(index, between.low()) && useNumber(index, between.high())) {
                    long low = PartitionFilterSql.parseLong(between.low().text());
                    long high = PartitionFilterSql.parseLong(between.high().text());
                    yield values -> {
                        Long number = number(values, index);
                        return number != null && number >= low && number <= high;
                    };
                }
                String low = between.low().text();
                String high = between.high().text();
                yield values -> {
                    String value = value(values, index);
                    return value != null && compareStrings(value, low) >= 0 && compareStrings(value, high) <= 0;
                };
            }
        };
    }

    private static boolean holds(PartitionFilter.Op op, int comparison) {
        return switch (op) {
            case EQ -> comparison == 0;
            case NE -> comparison != 0;
            case LT -> comparison < 0;
            case LE -> comparison <= 0;
            case GT -> comparison > 0;
            case GE -> comparison >= 0;
        };
    }

    private int compareStrings(String a, String b) {
        return order == null ? (a.equals(b) ? 0 : 1) : order.compare(a, b);
    }

    private static String value(List<String> values, int index) {
        return values == null || index >= values.size() ? null : values.get(index);
    }

    /** The stored number of an integral key's value, as {@code num_val} holds it. */
    private Long number(List<String> values, int index) {
        String value = value(values, index);
        return value == null ? null : PartitionFilterSql.parseLong(value);
    }

    private int keyIndex(String key) {
        return PartitionFilterSql.keyIndex(keys, key);
    }

    private boolean useNumber(int index, PartitionFilter.Literal literal) {
        return PartitionFilterSql.isIntegral(keys.get(index)) && PartitionFilterSql.parseLong(literal.text()) != null;
    }

    /** SQL LIKE as a regular expression: {@code %} any run, {@code _} one character, {@code \} escapes the next. */
    static Pattern likeRegex(String like) {
        StringBuilder regex = new StringBuilder();
        List<Integer> codePoints = new ArrayList<>();
        like.codePoints().forEach(codePoints::add);
        for (int i = 0; i < codePoints.size(); i++) {
            int cp = codePoints.get(i);
            if (cp == '\\' && i + 1 < codePoints.size()) {
                regex.append(Pattern.quote(Character.toString(codePoints.get(++i))));
            } else if (cp == '%') {
                regex.append(".*");
            } else if (cp == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(Character.toString(cp)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /**
     * MariaDB's utf8mb4_bin order: by code point, the shorter string compared as if padded with spaces
     * (a PAD SPACE collation), so {@code 'a'} equals {@code 'a '}.
     */
    static int comparePadSpace(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int x = i < a.length() ? a.codePointAt(i) : ' ';
            int y = j < b.length() ? b.codePointAt(j) : ' ';
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += i < a.length() ? Character.charCount(x) : 1;
            j += j < b.length() ? Character.charCount(y) : 1;
        }
        return 0;
    }
}
