package dev.mortar.metastore.store;

import dev.mortar.metastore.store.CatalogStore.PartitionRow;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;

import java.util.HashMap;
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
 * <p>Bounded by a number of partitions (names count a tenth of one); least recently used tables go
 * first. A capacity of 0 turns the cache off.
 */
public final class PartitionCache {
    private static final int NAMES_PER_PARTITION = 10;

    private record Entry(long version, List<String> names, List<PartitionRow> rows, Map<String, PartitionRow> byName, long weight) {}

    private final long capacity;
    private final LinkedHashMap<Long, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long weight;

    public PartitionCache(long capacity) {
        this.capacity = Math.max(0, capacity);
    }

    /** All partition names of the table in the store's name order, when known for this version. */
    public synchronized Optional<List<String>> names(long tableId, long version) {
        Entry entry = current(tableId, version);
        return entry == null ? Optional.empty() : Optional.of(entry.names());
    }

    /** All partitions of the table in the store's name order, when known for this version. */
    public synchronized Optional<List<PartitionRow>> rows(long tableId, long version) {
        Entry entry = current(tableId, version);
        return entry == null || entry.rows() == null ? Optional.empty() : Optional.of(entry.rows());
    }

    /** The table's partitions by name, when known for this version. */
    public synchronized Optional<Map<String, PartitionRow>> byName(long tableId, long version) {
        Entry entry = current(tableId, version);
        return entry == null || entry.byName() == null ? Optional.empty() : Optional.of(entry.byName());
    }

    /** Keeps all the table's partition names (in the store's order) as read at this version. */
    public void putNames(long tableId, long version, List<String> names) {
        long w = Math.max(1, names.size() / NAMES_PER_PARTITION);
        if (w > capacity) {
            return;
        }
        synchronized (this) {
            Entry old = entries.get(tableId);
            if (old != null && old.version() == version) {
                return;
            }
            put(tableId, new Entry(version, List.copyOf(names), null, null, w));
        }
    }

    /** Keeps all the table's partitions (in the store's order) as read at this version. */
    public void putRows(long tableId, long version, List<PartitionRow> rows) {
        long w = Math.max(1, rows.size() + rows.size() / NAMES_PER_PARTITION);
        if (w > capacity) {
            return;
        }
        // Partitions usually repeat their table's columns: one list for all that have the same.
        Map<List<FieldSchema>, List<FieldSchema>> columns = new HashMap<>();
        Map<String, PartitionRow> byName = new HashMap<>(rows.size() * 2);
        for (PartitionRow row : rows) {
            Partition p = row.partition();
            if (p.isSetSd() && p.getSd().isSetCols()) {
                p.getSd().setCols(columns.computeIfAbsent(p.getSd().getCols(), c -> c));
            }
            byName.put(row.name(), row);
        }
        List<PartitionRow> copy = List.copyOf(rows);
        List<String> names = copy.stream().map(PartitionRow::name).toList();
        synchronized (this) {
            put(tableId, new Entry(version, names, copy, Map.copyOf(byName), w));
        }
    }

    private Entry current(long tableId, long version) {
        Entry entry = entries.get(tableId);
        return entry != null && entry.version() == version ? entry : null;
    }

    private void put(long tableId, Entry entry) {
        Entry old = entries.put(tableId, entry);
        if (old != null) {
            weight -= old.weight();
        }
        weight += entry.weight();
        var it = entries.entrySet().iterator();
        while (weight > capacity && it.hasNext()) {
            Entry eldest = it.next().getValue();
            it.remove();
            weight -= eldest.weight();
        }
    }
}
