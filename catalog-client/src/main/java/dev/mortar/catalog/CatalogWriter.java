package dev.mortar.catalog;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog as its writers (crawlers, jobs) see it: one of the catalog's APIs, never its database. Failures are
 * {@link CatalogException}s with the API's own message. Removing what is already gone is not a failure.
 */
public interface CatalogWriter {
    /** Creates the database when it does not exist yet. */
    void ensureDatabase(String database);

    /** The table as the catalog has it, or empty when there is no such table. */
    Optional<CatalogTable> table(String database, String name);

    /** Creates the table with its columns, partition keys, location, format and parameters. */
    void createTable(CatalogTable table);

    /** Replaces the table's definition with {@code table}'s. */
    void updateTable(CatalogTable table);

    /** The value lists of the table's existing partitions. */
    Set<List<String>> partitionValues(String database, String table);

    /** Adds the partitions that do not exist yet (a partition added meanwhile by someone else is kept). */
    void addPartitions(CatalogTable table, List<CatalogPartition> partitions);

    /**
     * Rewrites existing partitions: their storage descriptors follow {@code table} (format, and columns unless a
     * partition brings its own), with their own locations; their parameters are kept.
     */
    void updatePartitions(CatalogTable table, List<CatalogPartition> partitions);

    /** Drops the table and its partitions from the catalog; its files stay where they are. */
    void deleteTable(String database, String name);

    /** Drops the partitions with these value lists; their files stay where they are. */
    void deletePartitions(String database, String table, List<List<String>> values);

    /** Sets a parameter on the table, keeping the rest of its definition. */
    void setTableParameter(String database, String table, String key, String value);

    /** Sets a parameter on each of the partitions, keeping the rest of their definitions. */
    void setPartitionParameter(String database, String table, List<List<String>> values, String key, String value);
}
