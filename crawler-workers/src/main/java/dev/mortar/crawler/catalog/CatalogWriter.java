package dev.mortar.crawler.catalog;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog as crawlers see it: one of the catalog's APIs (the Glue API in-process, or the HMS Thrift
 * API from another machine), never its database. Failures are thrown with the API's own message.
 */
public interface CatalogWriter {
    /** Creates the database when it does not exist yet. */
    void ensureDatabase(String database);

    /** The table's columns and partition keys (its format may be absent), or empty when there is no such table. */
    Optional<CatalogTable> table(String database, String name);

    void createTable(CatalogTable table);

    void updateTable(CatalogTable table);

    /** The value lists of the table's existing partitions. */
    Set<List<String>> partitionValues(String database, String table);

    void addPartitions(CatalogTable table, List<CatalogPartition> partitions);
}
