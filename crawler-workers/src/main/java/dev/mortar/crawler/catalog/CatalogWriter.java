package dev.mortar.crawler.catalog;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog as crawlers see it: one of the catalog's APIs (the Glue API in-process, or the HMS Thrift
 * API from another machine), never its database. Failures are thrown with the API's own message.
 * The removal and marking calls are needed only by a crawl whose DeleteBehavior is not LOG, and by
 * partitions that inherit their table's schema.
 */
public interface CatalogWriter {
    /** Creates the database when it does not exist yet. */
    void ensureDatabase(String database);

    /** The table's columns, partition keys and parameters (its format may be absent), or empty when there is no such table. */
    Optional<CatalogTable> table(String database, String name);

    void createTable(CatalogTable table);

    void updateTable(CatalogTable table);

    /** The value lists of the table's existing partitions. */
    Set<List<String>> partitionValues(String database, String table);

    void addPartitions(CatalogTable table, List<CatalogPartition> partitions);

    /** Rewrites existing partitions (their storage descriptors follow {@code table}, with their own locations). */
    default void updatePartitions(CatalogTable table, List<CatalogPartition> partitions) {
        throw new UnsupportedOperationException("This catalog cannot update partitions");
    }

    default void deleteTable(String database, String name) {
        throw new UnsupportedOperationException("This catalog cannot delete tables");
    }

    default void deletePartitions(String database, String table, List<List<String>> values) {
        throw new UnsupportedOperationException("This catalog cannot delete partitions");
    }

    /** Sets a parameter on the table, keeping the rest of its definition. */
    default void setTableParameter(String database, String table, String key, String value) {
        throw new UnsupportedOperationException("This catalog cannot change table parameters");
    }

    /** Sets a parameter on each of the partitions, keeping the rest of their definitions. */
    default void setPartitionParameter(String database, String table, List<List<String>> values, String key, String value) {
        throw new UnsupportedOperationException("This catalog cannot change partition parameters");
    }
}
