package dev.mortar.metastore.store;

import dev.mortar.metastore.store.CatalogStore.PartitionRow;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache's per-key indexes, carried over partitions added and dropped through the server, give
 * what indexes built afresh on the same partitions give.
 */
class PartitionCacheIndexTest {
    private static final UnaryOperator<String> SPELLING = v -> PartitionFilterMatcher.equalityKey(Dialect.MYSQL, v);
    private static final long TABLE = 7;

    @Test
    void indexesCarriedOverWritesMatchIndexesBuiltAfresh() {
        Random random = new Random(42);
        PartitionCache cache = new PartitionCache(1_000_000, Comparator.naturalOrder());
        List<PartitionRow> initial = new ArrayList<>();
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            PartitionRow row = newRow(random, taken);
            if (row != null) {
                initial.add(row);
            }
        }
        initial.sort(Comparator.comparing(PartitionRow::name));
        long version = 1;
        cache.putRows(TABLE, version, initial);
        List<Map<Integer, Predicate<String>>> tests = List.of(
                Map.of(0, v -> v.compareTo("d2") >= 0 && v.compareTo("d4") < 0),
                Map.of(1, v -> v.length() == 1),
                Map.of(0, v -> !v.equals("d1"), 1, v -> v.compareTo("3") > 0),
                Map.of(0, v -> v.equals("d0 ")));
        for (int round = 0; round < 60; round++) {
            for (Map<Integer, Predicate<String>> test : tests) {
                assertThat(cache.withKeyValuesPassing(TABLE, version, test, SPELLING)).isPresent();  // builds or uses the indexes
            }
            // one to three writes before the next lookup: the indexes take them over, and apply them when used
            for (int write = random.nextInt(3); write >= 0; write--) {
                List<PartitionRow> current = cache.rows(TABLE, version).orElseThrow();
                long next = version + 1;
                if (random.nextBoolean() || current.size() < 5) {
                    List<PartitionRow> added = new ArrayList<>();
                    for (int i = random.nextInt(4); i >= 0; i--) {
                        PartitionRow row = newRow(random, taken);
                        if (row != null) {
                            added.add(row);
                        }
                    }
                    cache.added(TABLE, version, next, added);
                } else {
                    List<String> dropped = new ArrayList<>();
                    for (int i = random.nextInt(4); i >= 0; i--) {
                        String name = current.get(random.nextInt(current.size())).name();
                        dropped.add(name);
                    }
                    taken.removeAll(dropped);
                    cache.removed(TABLE, version, next, dropped.stream().distinct().sorted().toList());
                }
                version = next;
            }
            List<PartitionRow> rows = cache.rows(TABLE, version).orElseThrow();
            PartitionCache fresh = new PartitionCache(1_000_000, Comparator.naturalOrder());
            fresh.putRows(TABLE, version, rows);
            for (Map<Integer, Predicate<String>> test : tests) {
                List<String> carried = names(cache.withKeyValuesPassing(TABLE, version, test, SPELLING).orElseThrow());
                List<String> rebuilt = names(fresh.withKeyValuesPassing(TABLE, version, test, SPELLING).orElseThrow());
                assertThat(carried).as("round %d, %d partitions", round, rows.size()).isEqualTo(rebuilt);
            }
            for (String value : List.of("d0", "d1", "d3", "d5")) {
                assertThat(names(cache.withKeyValue(TABLE, version, 0, List.of(value), SPELLING).orElseThrow()))
                        .isEqualTo(names(fresh.withKeyValue(TABLE, version, 0, List.of(value), SPELLING).orElseThrow()));
            }
        }
    }

    /** A partition of (ds, hr) with a name not taken yet, or null. */
    private static PartitionRow newRow(Random random, List<String> taken) {
        String ds = "d" + random.nextInt(6) + (random.nextInt(8) == 0 ? " " : "");
        String hr = Integer.toString(random.nextInt(12));
        String name = "ds=" + ds + "/hr=" + hr;
        if (taken.contains(name)) {
            return null;
        }
        taken.add(name);
        Partition partition = new Partition();
        partition.setValues(List.of(ds, hr));
        return new PartitionRow(taken.size(), name, partition);
    }

    private static List<String> names(List<PartitionRow> rows) {
        return rows.stream().map(PartitionRow::name).toList();
    }
}
