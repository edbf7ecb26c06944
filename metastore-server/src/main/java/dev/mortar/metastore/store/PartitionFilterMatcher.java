package dev.mortar.metastore.store;

import dev.mortar.metastore.store.KeyComparison.Domain;
import dev.mortar.metastore.store.KeyComparison.Spellings;
import dev.mortar.metastore.store.PartitionFilter.Semantics;
import org.apache.hadoop.hive.metastore.api.FieldSchema;

import java.math.BigDecimal;
import java.math.RoundingMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Evaluates a {@link PartitionFilter} on partition values in memory, giving the answer the catalog
 * database gives to {@link PartitionFilterSql}'s condition for the same {@link Semantics}: each
 * comparison as its {@link KeyComparison} says, numbers as the stored {@code num_val} (a value that is
 * not a number matches nothing) or as decimals, strings in the database's own order, timestamps by
 * their spellings, LIKE with {@code %}, {@code _} and {@code \} as escape. Used on the cached
 * partitions of a table, so that a filtered read costs no query beyond the table's.
 *
 * <p>Where the in-memory string order is not certainly the database's (PostgreSQL compares
 * {@code str_val} in the database's collation), only filters without string ordering or LIKE are
 * evaluated here; {@link #forFilter} says so by returning nothing.
 */
public final class PartitionFilterMatcher {
    private final Semantics semantics;
    private final List<FieldSchema> keys;
    private final Comparator<String> order;

    private PartitionFilterMatcher(Semantics semantics, List<FieldSchema> keys, Comparator<String> order) {
        this.semantics = semantics;
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
     * The selection of a filter in Hive's semantics, or nothing if this dialect's string semantics are
     * not reproduced for the filter. An unknown key is an IllegalArgumentException, as from
     * {@link PartitionFilterSql}.
     */
    public static Optional<Selection> forFilter(Dialect dialect, List<FieldSchema> keys, PartitionFilter filter) {
        return forFilter(dialect, Semantics.HIVE, keys, filter);
    }

    /**
     * The selection, or nothing if this dialect's string semantics are not reproduced for the filter.
     * An unknown key, or with GLUE a literal its key's type does not have, is an
     * IllegalArgumentException, as from {@link PartitionFilterSql}.
     */
    public static Optional<Selection> forFilter(Dialect dialect, Semantics semantics, List<FieldSchema> keys, PartitionFilter filter) {
        Comparator<String> order = switch (dialect) {
            case H2 -> Comparator.naturalOrder();
            case MYSQL -> PartitionFilterMatcher::comparePadSpace;
            case POSTGRES -> null;
        };
        PartitionFilterMatcher matcher = new PartitionFilterMatcher(semantics, keys, order);
        Predicate<List<String>> test = matcher.compile(filter);
        if (order == null && matcher.ordersStrings(filter)) {
            return Optional.empty();
        }
        for (PartitionFilter conjunct : conjuncts(filter)) {
            boolean equality = conjunct instanceof PartitionFilter.In
                    || (conjunct instanceof PartitionFilter.Compare compare && compare.op() == PartitionFilter.Op.EQ);
            if (!equality) {
                continue;
            }
            KeyComparison c = matcher.comparison(conjunct);
            // Text equal to one of some strings: the candidates are looked up by the key's value.
            List<String> texts = switch (c.domain()) {
                case STRING -> c.values().stream().map(v -> (String) v).toList();
                case TIMESTAMP -> c.values().stream().flatMap(v -> ((Spellings) v).all().stream()).toList();
                case INTEGRAL, DECIMAL -> null;
            };
            if (texts != null) {
                return Optional.of(new Selection(test, c.key(), texts.stream().map(t -> equalityKey(dialect, t)).toList(), Map.of()));
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
            boolean narrows = switch (conjunct) {
                case PartitionFilter.Compare compare -> compare.op() != PartitionFilter.Op.NE;
                case PartitionFilter.Between between -> true;
                case PartitionFilter.In in -> true;
                default -> false;
            };
            if (!narrows) {
                continue;
            }
            int index = comparison(conjunct).key();
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

    private KeyComparison comparison(PartitionFilter filter) {
        return PartitionFilterSql.comparison(semantics, keys, filter);
    }

    /** Whether the filter compares a string by order or pattern (equality does not depend on the collation). */
    private boolean ordersStrings(PartitionFilter filter) {
        return switch (filter) {
            case PartitionFilter.And and -> ordersStrings(and.left()) || ordersStrings(and.right());
            case PartitionFilter.Or or -> ordersStrings(or.left()) || ordersStrings(or.right());
            case PartitionFilter.Not not -> ordersStrings(not.inner());
            case PartitionFilter.Compare compare -> comparison(compare).ordersText(compare.op());
            case PartitionFilter.Like like -> true;
            case PartitionFilter.In in -> false;
            case PartitionFilter.IsNull isNull -> false;
            case PartitionFilter.Between between -> comparison(between).ordersText(PartitionFilter.Op.LE);
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
                KeyComparison c = comparison(compare);
                int index = c.key();
                PartitionFilter.Op op = compare.op();
                if (c.domain() == Domain.TIMESTAMP) {
                    Spellings t = (Spellings) c.values().get(0);
                    Predicate<String> onValue = switch (op) {
                        case EQ -> value -> isOneOf(value, t.all());
                        case NE -> value -> !isOneOf(value, t.all());
                        case LT -> value -> compareStrings(value, t.shortest()) < 0;
                        case LE -> value -> compareStrings(value, t.longest()) <= 0;
                        case GT -> value -> compareStrings(value, t.longest()) > 0;
                        case GE -> value -> compareStrings(value, t.shortest()) >= 0;
                    };
                    yield values -> {
                        String value = value(values, index);
                        return value != null && onValue.test(value);
                    };
                }
                Comparison onValue = comparator(c.domain(), c.values().get(0));
                yield values -> {
                    Integer comparison = onValue.compare(value(values, index));
                    return comparison != null && holds(op, comparison);
                };
            }
            case PartitionFilter.Like like -> {
                KeyComparison c = comparison(like);
                int index = c.key();
                Pattern pattern = likeRegex((String) c.values().get(0));
                yield values -> {
                    String value = value(values, index);
                    return value != null && pattern.matcher(value).matches();
                };
            }
            case PartitionFilter.In in -> {
                KeyComparison c = comparison(in);
                int index = c.key();
                if (c.domain() == Domain.TIMESTAMP) {
                    List<String> all = c.values().stream().flatMap(v -> ((Spellings) v).all().stream()).toList();
                    yield values -> {
                        String value = value(values, index);
                        return value != null && isOneOf(value, all);
                    };
                }
                if (c.domain() == Domain.INTEGRAL && c.values().stream().allMatch(Long.class::isInstance)) {
                    Set<Long> literals = new HashSet<>();
                    c.values().forEach(v -> literals.add((Long) v));
                    yield values -> {
                        Long number = number(values, index);
                        return number != null && literals.contains(number);
                    };
                }
                List<Comparison> literals = c.values().stream().map(v -> comparator(c.domain(), v)).toList();
                yield values -> {
                    String value = value(values, index);
                    for (Comparison literal : literals) {
                        Integer comparison = literal.compare(value);
                        if (comparison != null && comparison == 0) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            case PartitionFilter.Between between -> {
                KeyComparison c = comparison(between);
                int index = c.key();
                if (c.domain() == Domain.TIMESTAMP) {
                    String low = ((Spellings) c.values().get(0)).shortest();
                    String high = ((Spellings) c.values().get(1)).longest();
                    yield values -> {
                        String value = value(values, index);
                        return value != null && compareStrings(value, low) >= 0 && compareStrings(value, high) <= 0;
                    };
                }
                Comparison low = comparator(c.domain(), c.values().get(0));
                Comparison high = comparator(c.domain(), c.values().get(1));
                yield values -> {
                    String value = value(values, index);
                    Integer fromLow = low.compare(value);
                    Integer fromHigh = high.compare(value);
                    return fromLow != null && fromHigh != null && fromLow >= 0 && fromHigh <= 0;
                };
            }
            case PartitionFilter.IsNull isNull -> {
                int index = comparison(isNull).key();
                yield values -> {
                    String value = value(values, index);
                    return value == null || compareStrings(value, KeyComparison.DEFAULT_PARTITION) == 0;
                };
            }
        };
    }

    /** A stored value compared with one literal: negative, zero or positive, or null where SQL has NULL (no answer). */
    @FunctionalInterface
    private interface Comparison {
        Integer compare(String value);
    }

    private Comparison comparator(Domain domain, Object literal) {
        return switch (domain) {
            case INTEGRAL -> {
                if (literal instanceof Long l) {
                    long number = l;
                    yield value -> {
                        Long stored = value == null ? null : PartitionFilterSql.parseLong(value);
                        return stored == null ? null : Long.compare(stored, number);
                    };
                }
                BigDecimal number = (BigDecimal) literal;
                yield value -> {
                    Long stored = value == null ? null : PartitionFilterSql.parseLong(value);
                    return stored == null ? null : BigDecimal.valueOf(stored).compareTo(number);
                };
            }
            case DECIMAL -> {
                BigDecimal number = (BigDecimal) literal;
                yield value -> {
                    BigDecimal stored = decimal(value);
                    return stored == null ? null : stored.compareTo(number);
                };
            }
            case STRING -> {
                String text = (String) literal;
                yield value -> value == null ? null : compareStrings(value, text);
            }
            case TIMESTAMP -> throw new IllegalStateException("Timestamps compare by their spellings");
        };
    }

    /** The stored text as {@code CAST(str_val AS DECIMAL(38, 18))} has it; null for NULL, the default partition and text that is no number. */
    private static BigDecimal decimal(String value) {
        if (value == null || value.equals(KeyComparison.DEFAULT_PARTITION)) {
            return null;
        }
        try {
            return new BigDecimal(value.trim()).setScale(18, RoundingMode.HALF_UP);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private boolean isOneOf(String value, List<String> texts) {
        for (String text : texts) {
            if (compareStrings(value, text) == 0) {
                return true;
            }
        }
        return false;
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
    private static Long number(List<String> values, int index) {
        String value = value(values, index);
        return value == null ? null : PartitionFilterSql.parseLong(value);
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
