package dev.mortar.gateway.engine.duckdb;

import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.ForeignKeyColumn;
import dev.mortar.catalog.PrimaryKeyColumn;
import dev.mortar.catalog.TableName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Tables and partition lists the gateway read from the catalog, kept for as long as the catalog's change version
 * ({@link Catalog#changeVersion()}) stays the same. A statement reads the version once, before anything else, and then
 * gets what was read at that version, or reads it now and keeps it under that version: what is kept under version
 * {@code v} was read after the catalog reached {@code v}, so it is what the catalog held while it was at {@code v}.
 * Any change to the catalog moves the version on and leaves everything kept behind, so the next statement reads the
 * catalog as it is then. One version's reads are kept at a time; a catalog without a version is read afresh each time.
 */
final class CatalogCache {
    private static final int TABLES = 1024;
    private static final int PARTITION_LISTS = 256;
    /** A partition list longer than this is not kept (it would crowd out the others). */
    private static final int LARGEST_PARTITION_LIST = 100_000;

    private final Catalog catalog;
    private Generation current; // guarded by this

    CatalogCache(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The catalog as one statement reads it: one call for the version, then reads kept at that version where there are. */
    Snapshot snapshot() {
        OptionalLong version = catalog.changeVersion();
        Generation generation = null;
        if (version.isPresent()) {
            synchronized (this) {
                if (current == null || current.version < version.getAsLong()) {
                    current = new Generation(version.getAsLong());
                }
                // an older version than the current one (a change committed since this statement asked): read afresh
                generation = current.version == version.getAsLong() ? current : null;
            }
        }
        return new Snapshot(catalog, Optional.ofNullable(generation));
    }

    private record PartitionsKey(TableName table, Optional<String> filter) {}

    /** What was read at one version of the catalog. */
    private static final class Generation {
        final long version;
        final Map<TableName, Optional<CatalogTable>> tables = lru(TABLES);
        final Map<PartitionsKey, List<CatalogPartition>> partitions = lru(PARTITION_LISTS);

        Generation(long version) {
            this.version = version;
        }

        private static <K, V> Map<K, V> lru(int capacity) {
            return new LinkedHashMap<>(16, 0.75f, true /* accessOrder */) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                    return size() > capacity;
                }
            };
        }
    }

    /** The catalog at the version one statement saw; counts how many of its reads were kept ones. */
    static final class Snapshot implements Catalog {
        private final Catalog catalog;
        private final Optional<Generation> generation;
        private final AtomicInteger reads = new AtomicInteger();
        private final AtomicInteger kept = new AtomicInteger();

        private Snapshot(Catalog catalog, Optional<Generation> generation) {
            this.catalog = catalog;
            this.generation = generation;
        }

        /** The catalog version this statement reads at; empty when its reads are not kept. */
        OptionalLong version() {
            return generation.map(g -> OptionalLong.of(g.version)).orElse(OptionalLong.empty());
        }

        int reads() {
            return reads.get();
        }

        int keptReads() {
            return kept.get();
        }

        @Override
        public Optional<CatalogTable> table(String database, String table) {
            return read(g -> g.tables, new TableName(database, table), () -> catalog.table(database, table));
        }

        @Override
        public List<CatalogPartition> partitions(CatalogTable table, Optional<String> hiveFilter) {
            return read(g -> g.partitions, new PartitionsKey(table.name(), hiveFilter), () -> catalog.partitions(table, hiveFilter));
        }

        private <K, V> V read(java.util.function.Function<Generation, Map<K, V>> mapOf, K key, Supplier<V> load) {
            reads.incrementAndGet();
            if (generation.isEmpty()) {
                return load.get();
            }
            Map<K, V> map = mapOf.apply(generation.get());
            synchronized (map) {
                V known = map.get(key);
                if (known != null) {
                    kept.incrementAndGet();
                    return known;
                }
            }
            // read outside the lock: statements reading other tables need not wait for this one
            V loaded = load.get();
            if (!(loaded instanceof List<?> list && list.size() > LARGEST_PARTITION_LIST)) {
                synchronized (map) {
                    map.putIfAbsent(key, loaded);
                }
            }
            return loaded;
        }

        @Override
        public List<String> databases() {
            return catalog.databases();
        }

        @Override
        public boolean databaseExists(String database) {
            return catalog.databaseExists(database);
        }

        @Override
        public Optional<String> databaseLocation(String database) {
            return catalog.databaseLocation(database);
        }

        @Override
        public List<String> tableNames(String database) {
            return catalog.tableNames(database);
        }

        @Override
        public List<CatalogTable> tables(String database, List<String> names) {
            return catalog.tables(database, names);
        }

        @Override
        public List<PrimaryKeyColumn> primaryKeys(String database, String table) {
            return catalog.primaryKeys(database, table);
        }

        @Override
        public List<ForeignKeyColumn> foreignKeys(Optional<TableName> parentTable, Optional<TableName> foreignTable) {
            return catalog.foreignKeys(parentTable, foreignTable);
        }

        @Override
        public OptionalLong changeVersion() {
            return version();
        }
    }
}
