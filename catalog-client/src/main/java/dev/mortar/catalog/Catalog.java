package dev.mortar.catalog;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The catalog as its readers (the query gateway, jobs) see it. Names are matched as the catalog stores them (lower
 * case). Failures reaching the catalog are {@link CatalogException}s; absence is an empty result, never one.
 */
public interface Catalog {
    List<String> databases();

    boolean databaseExists(String database);

    /** Where the database keeps the files of its tables (a table created without a location goes under it); empty when there is no such database or it has no location. */
    Optional<String> databaseLocation(String database);

    List<String> tableNames(String database);

    Optional<CatalogTable> table(String database, String table);

    /** Tables of one database, in name order; names that vanished meanwhile are left out. */
    List<CatalogTable> tables(String database, List<String> names);

    /**
     * Partitions of a partitioned table. {@code hiveFilter} is a filter in Hive's partition filter language over the
     * partition keys; empty means every partition. A filter the catalog cannot evaluate is a {@link CatalogException}.
     */
    List<CatalogPartition> partitions(CatalogTable table, Optional<String> hiveFilter);

    List<PrimaryKeyColumn> primaryKeys(String database, String table);

    /**
     * A number that grows with every change to the catalog's databases, tables and partitions, for readers that keep
     * what they read: what was read after seeing version {@code v} is current as long as the version is still {@code v}.
     * Empty when the catalog has no such number, so nothing read from it may be kept.
     */
    default OptionalLong changeVersion() {
        return OptionalLong.empty();
    }

    /** Foreign keys of {@code foreignTable} that reference {@code parentTable}; either side may be empty (any). */
    List<ForeignKeyColumn> foreignKeys(Optional<TableName> parentTable, Optional<TableName> foreignTable);
}
