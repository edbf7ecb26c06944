package dev.mortar.metastore.store;

import dev.mortar.metastore.store.CatalogStore.PartitionRow;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The partitions of recently read tables, kept decoded between reads so that listing a large table's
 * partitions or their names does not fetch and decode every stored partition again.
 *
 * <p>An entry is valid for one value of its table's partitions version ({@code m_tbls.part_version}),
 * which every transaction that changes the table's partitions sets to a new unique number: a reader
 * uses an entry only when the version it read in its own transaction is the entry's, so what it gets
 * is what the database holds for it, also with several servers on one store. A version written by a
 * transaction that rolled back is never seen by another one. The objects handed out are shared: callers
 * must not change them (they are only serialised to clients).
 *
 * <p>A transaction that adds or drops partitions of a table whose partitions it saw at the version of
 * an entry, and that no one changed since (it sets the new version only if the old one is still
 * there, holding the row lock from then to its end), turns the entry into one for its new version
 * before it commits; so a table's partitions stay cached across the writes made through this server.
 * Should the transaction roll back, its version is never read and the entry goes unused.
 *
 * <p>Bounded by a number of partitions (names count a tenth of one); least recently used tables go
 * first. A capacity of 0 turns the cache off.
 */
public final class PartitionCache {
    private static final int NAMES_PER_PARTITION = 10;

    /** An entry; {@code rows} is null when only the names are known. */
    private static final class Entry {
        final long version;
        final List<String> names;
        final List<PartitionRow> rows;
        final long weight;
        private Map<String, PartitionRow> byName;

        Entry(long version, List<String> names, List<PartitionRow> rows) {
            this(version, names, rows, null);
        }

        /** An entry that follows {@code previous} after a write: the names' encoding is made from the previous one's. */
        Entry(long version, List<String> names, List<PartitionRow> rows, Entry previous) {
            this.version = version;
            this.names = previous != null && previous.names instanceof EncodedNames encoded ? encoded.successor(names) : new EncodedNames(names);
            this.rows = rows;
            this.weight = rows == null ? Math.max(1, names.size() / NAMES_PER_PARTITION) : Math.max(1, rows.size() + rows.size() / NAMES_PER_PARTITION);
        }

        /** Positions of the rows by one key's value (as {@code spelling} spells it), built on first use. */
        private Map<Integer, KeyIndex> byKey = new HashMap<>();
        /** Writes made since {@link #byKey} matched the rows, oldest first; applied on the next lookup. */
        private List<Move> pending = List.of();

        Map<String, int[]> byKey(int key, java.util.function.UnaryOperator<String> spelling) {
            if (!pending.isEmpty()) {
                Map<Integer, KeyIndex> moved = new HashMap<>();
                byKey.forEach((k, index) -> {
                    Map<String, int[]> positions = index.positions();
                    for (Move move : pending) {
                        positions = move.apply(k, positions);
                    }
                    moved.put(k, new KeyIndex(index.spelling(), positions));
                });
                byKey = moved;
                pending = List.of();
            }
            return byKey.computeIfAbsent(key, k -> new KeyIndex(spelling, index(k, spelling))).positions();
        }

        private Map<String, int[]> index(int k, java.util.function.UnaryOperator<String> spelling) {
            // Built once for a version of the table's partitions, then taken over by the next ones (takeIndexes).
            final class Positions {
                int[] at = new int[0];
                int count;
            }
            Map<String, Positions> byValue = new HashMap<>();
            Positions[] of = new Positions[rows.size()];
            for (int i = 0; i < of.length; i++) {
                List<String> values = rows.get(i).partition().getValues();
                String value = values == null || k >= values.size() ? null : values.get(k);
                if (value != null) {
                    String spelled = spelling.apply(value);
                    Positions positions = byValue.get(spelled);
                    if (positions == null) {
                        positions = new Positions();
                        byValue.put(spelled, positions);
                    }
                    positions.count++;
                    of[i] = positions;
                }
            }
            Map<String, int[]> index = new HashMap<>(byValue.size() * 2);
            byValue.forEach((v, positions) -> {
                positions.at = new int[positions.count];
                positions.count = 0;
                index.put(v, positions.at);
            });
            for (int i = 0; i < of.length; i++) {
                if (of[i] != null) {
                    of[i].at[of[i].count++] = i;
                }
            }
            return index;
        }

        /** Built on first use: writes replace entries often, lookups by name come less often. */
        Map<String, PartitionRow> byName() {
            if (byName == null) {
                Map<String, PartitionRow> map = new HashMap<>(rows.size() * 2);
                rows.forEach(r -> map.put(r.name(), r));
                byName = map;
            }
            return byName;
        }

        /**
         * This entry's key indexes taken over from {@code old}, whose rows these are with the rows at
         * {@code added} (ascending positions in these rows) put in and those at {@code removed}
         * (ascending positions in the old rows) taken out. Rebuilding an index reads a value of every
         * partition, scattered over the heap (some 10 ms at 100,000 partitions); taking it over costs the
         * write nothing, and the next lookup moves positions in arrays (after many writes without a
         * lookup, the indexes are dropped and built again when needed).
         */
        void takeIndexes(Entry old, int[] added, int[] removed) {
            if (old.byKey.isEmpty() || old.pending.size() >= MAX_PENDING_MOVES) {
                return;
            }
            Map<Integer, String[]> addedValues = new HashMap<>();
            old.byKey.forEach((key, index) -> {
                String[] values = new String[added.length];
                for (int j = 0; j < added.length; j++) {
                    List<String> partitionValues = rows.get(added[j]).partition().getValues();
                    String value = partitionValues == null || key >= partitionValues.size() ? null : partitionValues.get(key);
                    values[j] = value == null ? null : index.spelling().apply(value);
                }
                addedValues.put(key, values);
            });
            List<Move> moves = new ArrayList<>(old.pending);
            moves.add(new Move(added, addedValues, removed));
            byKey = old.byKey;
            pending = moves;
        }
    }

    private static final int MAX_PENDING_MOVES = 32;

    /**
     * One write to a table's cached partitions, as the key indexes see it: rows put in at {@code added}
     * (ascending new positions; {@code addedValues} has their spelled value of each indexed key) and
     * rows taken out at {@code removed} (ascending old positions).
     */
    private record Move(int[] added, Map<Integer, String[]> addedValues, int[] removed) {
        Map<String, int[]> apply(int key, Map<String, int[]> positions) {
            Map<String, int[]> out = new HashMap<>(positions.size() * 2);
            positions.forEach((value, at) -> {
                int[] moved = move(at, added, removed);
                if (moved.length > 0) {
                    out.put(value, moved);
                }
            });
            String[] values = addedValues.get(key);
            for (int j = 0; j < added.length; j++) {
                if (values[j] != null) {
                    out.merge(values[j], new int[] {added[j]}, PartitionCache::union);
                }
            }
            return out;
        }
    }

    /** One key's index: the positions of the rows by the key's value, as {@code spelling} spells it. */
    private record KeyIndex(java.util.function.UnaryOperator<String> spelling, Map<String, int[]> positions) {}

    /**
     * Old positions (ascending) as they are once rows were put in at {@code added} (ascending new
     * positions) and taken out at {@code removed} (ascending old positions): at most one of the two is
     * non-empty.
     */
    private static int[] move(int[] at, int[] added, int[] removed) {
        int[] out = new int[at.length];
        int n = 0;
        int a = 0;
        int r = 0;
        for (int p : at) {
            // new rows before p: those whose count of old rows before them (position - index) is at most p
            while (a < added.length && added[a] - a <= p) {
                a++;
            }
            while (r < removed.length && removed[r] < p) {
                r++;
            }
            if (r < removed.length && removed[r] == p) {
                continue;
            }
            out[n++] = p + a - r;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** Two ascending position arrays as one. */
    private static int[] union(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            out[n++] = j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++];
        }
        return out;
    }

    private final long capacity;
    private final Comparator<String> order;
    private final LinkedHashMap<Long, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long weight;
    private long hits;
    private long misses;

    /** Lookups answered from the cache and not, the tables held, their weight (about a partition each) and the capacity. */
    public record Stats(long hits, long misses, int tables, long weight, long capacity) {}

    public synchronized Stats stats() {
        return new Stats(hits, misses, entries.size(), weight, capacity);
    }

    private <T> Optional<T> counted(Optional<T> answer) {
        if (answer.isPresent()) {
            hits++;
        } else {
            misses++;
        }
        return answer;
    }

    /** A cache whose lists follow {@code order}, the order in which the store sorts partition names. */
    public PartitionCache(long capacity, Comparator<String> order) {
        this.capacity = Math.max(0, capacity);
        this.order = order;
    }

    /** The order of the store's partition names ({@code ORDER BY part_name}), in which lists and pages run. */
    public Comparator<String> order() {
        return order;
    }

    /**
     * The cached partitions a filter selects, in the store's order, when the table's partitions are cached
     * at this version and the selection narrows the candidates by one key's values (testing every cached
     * partition costs more than the store's indexed SQL once a table is large).
     */
    public Optional<List<PartitionRow>> selected(long tableId, long version, Dialect dialect, PartitionFilterMatcher.Selection s) {
        java.util.function.UnaryOperator<String> spelling = v -> PartitionFilterMatcher.equalityKey(dialect, v);
        Optional<List<PartitionRow>> candidates;
        if (s.hasEqualityKey()) {
            candidates = withKeyValue(tableId, version, s.key(), s.equalTo(), spelling);
        } else if (s.hasKeyTests()) {
            // Ranges and lists on keys: each tried once per distinct value of its key.
            candidates = withKeyValuesPassing(tableId, version, s.keyTests(), spelling);
        } else {
            return Optional.empty();
        }
        return candidates.map(rows -> rows.stream().filter(p -> s.test().test(p.partition().getValues())).toList());
    }

    /**
     * All partition names of the table in the store's name order, when known for this version; the list
     * keeps its encoding (see {@link EncodedNames}).
     */
    public synchronized Optional<List<String>> names(long tableId, long version) {
        Entry entry = current(tableId, version);
        return counted(entry == null ? Optional.empty() : Optional.of(entry.names));
    }

    /** All partitions of the table in the store's name order, when known for this version. */
    public synchronized Optional<List<PartitionRow>> rows(long tableId, long version) {
        Entry entry = current(tableId, version);
        return counted(entry == null || entry.rows == null ? Optional.empty() : Optional.of(entry.rows));
    }

    /** The table's partitions by name, when known for this version. */
    public synchronized Optional<Map<String, PartitionRow>> byName(long tableId, long version) {
        Entry entry = current(tableId, version);
        return counted(entry == null || entry.rows == null ? Optional.empty() : Optional.of(entry.byName()));
    }

    /**
     * The table's partitions whose value of one key, as {@code spelling} spells it, is one of {@code values},
     * in the store's order, when known for this version.
     */
    public synchronized Optional<List<PartitionRow>> withKeyValue(long tableId, long version, int key, Collection<String> values,
                                                                  java.util.function.UnaryOperator<String> spelling) {
        Entry entry = current(tableId, version);
        if (entry == null || entry.rows == null) {
            return counted(Optional.empty());
        }
        hits++;
        Map<String, int[]> index = entry.byKey(key, spelling);
        java.util.TreeSet<Integer> positions = new java.util.TreeSet<>();
        for (String value : new HashSet<>(values)) {
            for (int position : index.getOrDefault(value, new int[0])) {
                positions.add(position);
            }
        }
        return Optional.of(positions.stream().map(entry.rows::get).toList());
    }

    /**
     * The cached partitions whose value of each given key, as {@code spelling} spells it, passes that
     * key's test, in the cached order; nothing if the table's partitions are not cached at this version.
     * Each test runs once per distinct value of its key, not once per partition.
     */
    public synchronized Optional<List<PartitionRow>> withKeyValuesPassing(long tableId, long version, Map<Integer, java.util.function.Predicate<String>> tests,
                                                                          java.util.function.UnaryOperator<String> spelling) {
        Entry entry = current(tableId, version);
        if (entry == null || entry.rows == null || tests.isEmpty()) {
            return counted(Optional.empty());
        }
        hits++;
        java.util.BitSet candidates = null;
        for (Map.Entry<Integer, java.util.function.Predicate<String>> test : tests.entrySet()) {
            java.util.BitSet passing = new java.util.BitSet(entry.rows.size());
            for (Map.Entry<String, int[]> value : entry.byKey(test.getKey(), spelling).entrySet()) {
                if (test.getValue().test(value.getKey())) {
                    for (int position : value.getValue()) {
                        passing.set(position);
                    }
                }
            }
            if (candidates == null) {
                candidates = passing;
            } else {
                candidates.and(passing);
            }
        }
        List<PartitionRow> result = new ArrayList<>(candidates.cardinality());
        for (int i = candidates.nextSetBit(0); i >= 0; i = candidates.nextSetBit(i + 1)) {
            result.add(entry.rows.get(i));
        }
        return Optional.of(result);
    }

    /** Keeps all the table's partition names (in the store's order) as read at this version. */
    public void putNames(long tableId, long version, List<String> names) {
        if (Math.max(1, names.size() / NAMES_PER_PARTITION) > capacity) {
            return;
        }
        synchronized (this) {
            Entry old = entries.get(tableId);
            if (old != null && old.version == version) {
                return;
            }
            put(tableId, new Entry(version, names, null));
        }
    }

    /** Keeps all the table's partitions (in the store's order) as read at this version. */
    public void putRows(long tableId, long version, List<PartitionRow> rows) {
        if (Math.max(1, rows.size() + rows.size() / NAMES_PER_PARTITION) > capacity) {
            return;
        }
        List<PartitionRow> copy = cacheable(rows);
        List<String> names = copy.stream().map(PartitionRow::name).toList();
        synchronized (this) {
            put(tableId, new Entry(version, names, copy));
        }
    }

    /** A table just created has no partitions at its first version. */
    public synchronized void created(long tableId, long version) {
        if (capacity > 0) {
            put(tableId, new Entry(version, List.of(), List.of()));
        }
    }

    /** The table's partitions went from version {@code from} to {@code to} by adding these (new names). */
    public void added(long tableId, long from, long to, List<PartitionRow> added) {
        List<PartitionRow> sorted = new ArrayList<>(cacheable(added));
        sorted.sort(Comparator.comparing(PartitionRow::name, order));
        synchronized (this) {
            Entry entry = current(tableId, from);
            if (entry == null) {
                return;
            }
            List<String> names = merge(entry.names, sorted.stream().map(PartitionRow::name).toList(), order);
            List<PartitionRow> rows = entry.rows == null ? null : merge(entry.rows, sorted, Comparator.comparing(PartitionRow::name, order));
            Entry next = new Entry(to, names, rows, entry);
            if (rows != null && !entry.byKey.isEmpty()) {
                // where the new rows landed (names are unique): ascending, as they were sorted
                int[] positions = new int[sorted.size()];
                boolean found = true;
                for (int j = 0; j < positions.length && found; j++) {
                    positions[j] = java.util.Collections.binarySearch(rows, sorted.get(j), Comparator.comparing(PartitionRow::name, order));
                    // should the store's order differ from ours, the indexes are built again when needed
                    found = positions[j] >= 0 && rows.get(positions[j]) == sorted.get(j) && (j == 0 || positions[j] > positions[j - 1]);
                }
                if (found) {
                    next.takeIndexes(entry, positions, new int[0]);
                }
            }
            replace(tableId, next);
        }
    }

    /** The table's partitions went from version {@code from} to {@code to} by dropping these. */
    public synchronized void removed(long tableId, long from, long to, Collection<String> names) {
        Entry entry = current(tableId, from);
        if (entry == null) {
            return;
        }
        java.util.TreeSet<Integer> positions = new java.util.TreeSet<>();
        for (String name : names) {
            // The names are in the store's order: found by binary search, else (should that order differ) by a scan.
            int position = java.util.Collections.binarySearch(entry.names, name, order);
            if (position < 0 || !entry.names.get(position).equals(name)) {
                position = entry.names.indexOf(name);
            }
            if (position >= 0) {
                positions.add(position);
            }
        }
        Entry next = new Entry(to, without(entry.names, positions), entry.rows == null ? null : without(entry.rows, positions), entry);
        if (entry.rows != null && !entry.byKey.isEmpty()) {
            next.takeIndexes(entry, new int[0], positions.stream().mapToInt(Integer::intValue).toArray());
        }
        replace(tableId, next);
    }

    /**
     * The list without the elements at these positions. Copied as arrays: a cached list has 100,000
     * elements on a large table, and copying it element by element took milliseconds per dropped partition.
     */
    @SuppressWarnings("unchecked")
    private static <T> List<T> without(List<T> list, java.util.SortedSet<Integer> positions) {
        Object[] source = list.toArray();
        Object[] out = new Object[source.length - positions.size()];
        int from = 0;
        int to = 0;
        for (int position : positions) {
            System.arraycopy(source, from, out, to, position - from);
            to += position - from;
            from = position + 1;
        }
        System.arraycopy(source, from, out, to, source.length - from);
        return (List<T>) java.util.Collections.unmodifiableList(java.util.Arrays.asList(out));
    }

    /** The table is gone. */
    public synchronized void forget(long tableId) {
        Entry old = entries.remove(tableId);
        if (old != null) {
            weight -= old.weight;
        }
    }

    /** The rows as cached: partitions that keep their encoding, sharing equal column lists. */
    private static List<PartitionRow> cacheable(List<PartitionRow> rows) {
        // Partitions usually repeat their table's columns: one list for all that have the same.
        Map<List<FieldSchema>, List<FieldSchema>> columns = new HashMap<>();
        List<PartitionRow> result = new ArrayList<>(rows.size());
        for (PartitionRow row : rows) {
            Partition p = new EncodedPartition(row.partition());
            if (p.isSetSd() && p.getSd().isSetCols()) {
                p.getSd().setCols(columns.computeIfAbsent(p.getSd().getCols(), c -> c));
            }
            result.add(new PartitionRow(row.id(), row.name(), p));
        }
        return List.copyOf(result);
    }

    /**
     * Both lists sorted; {@code b} is short next to {@code a} (the partitions one call adds to a table):
     * each of its elements finds its place in {@code a} by binary search, and the runs of {@code a}
     * between them are copied whole, as arrays, so adding one partition to 100,000 costs 17 comparisons
     * and one array copy.
     */
    @SuppressWarnings("unchecked")
    private static <T> List<T> merge(List<T> a, List<T> b, Comparator<? super T> order) {
        T[] source = (T[]) a.toArray();
        Object[] out = new Object[source.length + b.size()];
        int from = 0;
        int to = 0;
        for (T next : b) {
            int position = java.util.Arrays.binarySearch(source, from, source.length, next, order);
            // equal elements of a go first, as in a merge; names are unique, so this is rare
            int end = position >= 0 ? position + 1 : -position - 1;
            System.arraycopy(source, from, out, to, end - from);
            to += end - from;
            out[to++] = next;
            from = end;
        }
        System.arraycopy(source, from, out, to, source.length - from);
        return (List<T>) java.util.Collections.unmodifiableList(java.util.Arrays.asList(out));
    }

    private Entry current(long tableId, long version) {
        Entry entry = entries.get(tableId);
        return entry != null && entry.version == version ? entry : null;
    }

    /** Replaces an entry by its successor, if the cache may hold it. */
    private void replace(long tableId, Entry entry) {
        if (entry.weight > capacity) {
            forget(tableId);
        } else {
            put(tableId, entry);
        }
    }

    private void put(long tableId, Entry entry) {
        Entry old = entries.put(tableId, entry);
        if (old != null) {
            weight -= old.weight;
        }
        weight += entry.weight;
        var it = entries.entrySet().iterator();
        while (weight > capacity && it.hasNext()) {
            Entry eldest = it.next().getValue();
            it.remove();
            weight -= eldest.weight;
        }
    }
}
