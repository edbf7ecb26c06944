package dev.mortar.crawler;

import java.util.OptionalInt;

/**
 * How a crawl turns folders into tables and keeps existing tables in step: the crawler's
 * {@code SchemaChangePolicy}, {@code RecrawlPolicy} and {@code Configuration} (grouping and output settings).
 */
public record CrawlPolicy(UpdateBehavior updateBehavior, DeleteBehavior deleteBehavior, RecrawlBehavior recrawlBehavior,
                          boolean combineCompatibleSchemas, OptionalInt tableLevel, boolean mergeNewColumnsOnly,
                          boolean partitionsInheritFromTable) {

    /** {@code SchemaChangePolicy.UpdateBehavior}. */
    public enum UpdateBehavior { UPDATE_IN_DATABASE, LOG }

    /** {@code SchemaChangePolicy.DeleteBehavior}: what happens to tables and partitions whose data is gone. */
    public enum DeleteBehavior { LOG, DELETE_FROM_DATABASE, DEPRECATE_IN_DATABASE }

    /** {@code RecrawlPolicy.RecrawlBehavior}; event mode needs a queue and is not offered. */
    public enum RecrawlBehavior { CRAWL_EVERYTHING, CRAWL_NEW_FOLDERS_ONLY }

    /** Similar siblings need more than this share of the columns of their merged schema to be partitions of one table. */
    public static final double SIMILARITY_THRESHOLD = 0.7;
    /** At most this many distinct schemas among sibling folders that become partitions of one table. */
    public static final int MAX_SCHEMA_CLUSTERS = 5;

    /** The table parameter (and partition parameter) that marks objects whose data is gone, as the service sets it: the crawl time in epoch milliseconds. */
    public static final String DEPRECATED_BY_CRAWLER = "DEPRECATED_BY_CRAWLER";

    public CrawlPolicy {
        if (recrawlBehavior == RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY && (updateBehavior != UpdateBehavior.LOG || deleteBehavior != DeleteBehavior.LOG)) {
            throw new IllegalArgumentException(NEW_FOLDERS_ONLY_NEEDS_LOG);
        }
        if (tableLevel.isPresent() && tableLevel.getAsInt() < 1) {
            throw new IllegalArgumentException("TableLevelConfiguration must be a positive integer");
        }
    }

    /** The service's message when RecrawlPolicy and SchemaChangePolicy disagree. */
    public static final String NEW_FOLDERS_ONLY_NEEDS_LOG =
            "The SchemaChangePolicy for \"Crawl new folders only\" Amazon S3 target can have only LOG DeleteBehavior value and LOG UpdateBehavior value.";

    /** The service's defaults: update tables, deprecate what is gone, crawl everything, group by similarity. */
    public static CrawlPolicy defaults() {
        return new CrawlPolicy(UpdateBehavior.UPDATE_IN_DATABASE, DeleteBehavior.DEPRECATE_IN_DATABASE, RecrawlBehavior.CRAWL_EVERYTHING,
                false, OptionalInt.empty(), false, false);
    }

    public CrawlPolicy withUpdateBehavior(UpdateBehavior behavior) {
        return new CrawlPolicy(behavior, deleteBehavior, recrawlBehavior, combineCompatibleSchemas, tableLevel, mergeNewColumnsOnly, partitionsInheritFromTable);
    }

    public CrawlPolicy withDeleteBehavior(DeleteBehavior behavior) {
        return new CrawlPolicy(updateBehavior, behavior, recrawlBehavior, combineCompatibleSchemas, tableLevel, mergeNewColumnsOnly, partitionsInheritFromTable);
    }

    /** Crawl only new folders; the service requires both behaviours to be LOG, and so this sets them. */
    public CrawlPolicy newFoldersOnly() {
        return new CrawlPolicy(UpdateBehavior.LOG, DeleteBehavior.LOG, RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY, combineCompatibleSchemas, tableLevel,
                mergeNewColumnsOnly, partitionsInheritFromTable);
    }

    public CrawlPolicy withConfiguration(CrawlerConfiguration configuration) {
        return new CrawlPolicy(updateBehavior, deleteBehavior, recrawlBehavior, configuration.combineCompatibleSchemas(), configuration.tableLevel(),
                configuration.mergeNewColumnsOnly(), configuration.partitionsInheritFromTable());
    }
}
