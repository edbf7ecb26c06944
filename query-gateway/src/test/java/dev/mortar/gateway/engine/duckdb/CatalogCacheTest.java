package dev.mortar.gateway.engine.duckdb;

import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.Column;
import dev.mortar.catalog.ForeignKeyColumn;
import dev.mortar.catalog.PrimaryKeyColumn;
import dev.mortar.catalog.StorageFormat;
import dev.mortar.catalog.TableName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** What the gateway keeps of the catalog between statements, and that a change to the catalog is what the next one reads. */
class CatalogCacheTest {
    /** A catalog in memory that counts the reads that reach it; each change moves its version on, as Mortar's does. */
    private static final class CountingCatalog implements Catalog {
        final Map<TableName, CatalogTable> tables = new HashMap<>();
        final Map<TableName, List<CatalogPartition>> partitions = new HashMap<>();
        OptionalLong version = OptionalLong.of(7);
        int tableReads;
        int partitionReads;

        void change(Runnable change) {
            change.run();
            version = OptionalLong.of(version.orElse(0) + 1);
        }

        @Override
        public OptionalLong changeVersion() {
            return version;
        }

        @Override
        public Optional<CatalogTable> table(String database, String table) {
            tableReads++;
            return Optional.ofNullable(tables.get(new TableName(database, table)));
        }

        @Override
        public List<CatalogPartition> partitions(CatalogTable table, Optional<String> hiveFilter) {
            partitionReads++;
            return partitions.getOrDefault(table.name(), List.of());
        }

        @Override
        public List<String> databases() {
            return List.of("shop");
        }

        @Override
        public boolean databaseExists(String database) {
            return database.equals("shop");
        }

        @Override
        public Optional<String> databaseLocation(String database) {
            return Optional.empty();
        }

        @Override
        public List<String> tableNames(String database) {
            return tables.keySet().stream().map(TableName::table).sorted().toList();
        }

        @Override
        public List<CatalogTable> tables(String database, List<String> names) {
            return new ArrayList<>();
        }

        @Override
        public List<PrimaryKeyColumn> primaryKeys(String database, String table) {
            return List.of();
        }

        @Override
        public List<ForeignKeyColumn> foreignKeys(Optional<TableName> parentTable, Optional<TableName> foreignTable) {
            return List.of();
        }
    }

    private static CatalogTable orders(String location) {
        return new CatalogTable(new TableName("shop", "orders"), CatalogTable.EXTERNAL_TABLE,
                List.of(new Column("id", "bigint", Optional.empty())), List.of(new Column("ds", "string", Optional.empty())),
                Optional.of(location), StorageFormat.NONE, Map.of(), Optional.empty());
    }

    private static CatalogPartition partition(String ds) {
        return new CatalogPartition(List.of(ds), Optional.of("file:/data/orders/ds=" + ds), Optional.empty());
    }

    @Test
    void readsAtTheSameVersionAreKept() {
        CountingCatalog catalog = new CountingCatalog();
        catalog.tables.put(new TableName("shop", "orders"), orders("file:/data/orders"));
        catalog.partitions.put(new TableName("shop", "orders"), List.of(partition("2024-01-01")));
        CatalogCache cache = new CatalogCache(catalog);

        CatalogCache.Snapshot first = cache.snapshot();
        CatalogTable table = first.table("shop", "orders").orElseThrow();
        first.partitions(table, Optional.of("ds = '2024-01-01'"));
        assertThat(first.keptReads()).isZero();

        CatalogCache.Snapshot second = cache.snapshot();
        assertThat(second.table("shop", "orders")).contains(table);
        assertThat(second.partitions(table, Optional.of("ds = '2024-01-01'"))).containsExactly(partition("2024-01-01"));
        assertThat(second.keptReads()).isEqualTo(2);
        assertThat(second.version()).hasValue(7);
        assertThat(catalog.tableReads).isEqualTo(1);
        assertThat(catalog.partitionReads).isEqualTo(1);

        // another filter is another read
        second.partitions(table, Optional.empty());
        assertThat(catalog.partitionReads).isEqualTo(2);
    }

    @Test
    void aChangedTableIsReadByTheNextStatement() {
        CountingCatalog catalog = new CountingCatalog();
        TableName name = new TableName("shop", "orders");
        catalog.tables.put(name, orders("file:/data/orders"));
        CatalogCache cache = new CatalogCache(catalog);
        assertThat(cache.snapshot().table("shop", "orders").orElseThrow().location()).contains("file:/data/orders");

        catalog.change(() -> catalog.tables.put(name, orders("file:/data/orders-v2")));
        assertThat(cache.snapshot().table("shop", "orders").orElseThrow().location()).contains("file:/data/orders-v2");

        catalog.change(() -> catalog.tables.remove(name));
        assertThat(cache.snapshot().table("shop", "orders")).isEmpty();

        // absence is kept too, until the table is created
        assertThat(cache.snapshot().table("shop", "orders")).isEmpty();
        catalog.change(() -> catalog.tables.put(name, orders("file:/data/orders-v3")));
        assertThat(cache.snapshot().table("shop", "orders").orElseThrow().location()).contains("file:/data/orders-v3");
    }

    @Test
    void addedAndDroppedPartitionsAreReadByTheNextStatement() {
        CountingCatalog catalog = new CountingCatalog();
        TableName name = new TableName("shop", "orders");
        CatalogTable table = orders("file:/data/orders");
        catalog.tables.put(name, table);
        catalog.partitions.put(name, List.of(partition("2024-01-01")));
        CatalogCache cache = new CatalogCache(catalog);
        assertThat(cache.snapshot().partitions(table, Optional.empty())).containsExactly(partition("2024-01-01"));

        catalog.change(() -> catalog.partitions.put(name, List.of(partition("2024-01-01"), partition("2024-01-02"))));
        assertThat(cache.snapshot().partitions(table, Optional.empty())).containsExactly(partition("2024-01-01"), partition("2024-01-02"));

        catalog.change(() -> catalog.partitions.put(name, List.of(partition("2024-01-02"))));
        assertThat(cache.snapshot().partitions(table, Optional.empty())).containsExactly(partition("2024-01-02"));
    }

    @Test
    void aStatementThatSawAnOlderVersionReadsAfresh() {
        CountingCatalog catalog = new CountingCatalog();
        catalog.tables.put(new TableName("shop", "orders"), orders("file:/data/orders"));
        CatalogCache cache = new CatalogCache(catalog);
        cache.snapshot().table("shop", "orders");
        catalog.version = OptionalLong.of(6); // as a statement that read the version just before a change committed
        CatalogCache.Snapshot late = cache.snapshot();
        late.table("shop", "orders");
        assertThat(late.version()).isEmpty();
        assertThat(late.keptReads()).isZero();
        assertThat(catalog.tableReads).isEqualTo(2);
    }

    @Test
    void aCatalogWithoutAVersionIsReadEveryTime() {
        CountingCatalog catalog = new CountingCatalog();
        catalog.version = OptionalLong.empty();
        catalog.tables.put(new TableName("shop", "orders"), orders("file:/data/orders"));
        CatalogCache cache = new CatalogCache(catalog);
        cache.snapshot().table("shop", "orders");
        CatalogCache.Snapshot second = cache.snapshot();
        second.table("shop", "orders");
        assertThat(second.keptReads()).isZero();
        assertThat(catalog.tableReads).isEqualTo(2);
    }
}
