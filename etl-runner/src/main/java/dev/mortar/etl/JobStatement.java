package dev.mortar.etl;

import dev.mortar.catalog.Column;
import dev.mortar.catalog.TableName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One statement of a SQL job, as {@link StatementParser} reads it. Queries are text in the engine's own dialect. */
public sealed interface JobStatement {
    Script.Statement source();

    /** A query run for its rows (counted and logged, not kept). */
    record Query(Script.Statement source, String query) implements JobStatement {}

    /** {@code CREATE TABLE [IF NOT EXISTS] db.t (cols) [PARTITIONED BY (col type, ...)] [STORED AS f] [LOCATION 'l']}. */
    record CreateTable(Script.Statement source, TableName table, boolean ifNotExists, List<Column> columns,
                       List<Column> partitionKeys, Optional<OutputFormat> format, Optional<String> location) implements JobStatement {}

    /** {@code CREATE TABLE [IF NOT EXISTS] db.t [PARTITIONED BY (col, ...)] [STORED AS f] [LOCATION 'l'] AS query}. */
    record CreateTableAs(Script.Statement source, TableName table, boolean ifNotExists, List<String> partitionColumns,
                         Optional<OutputFormat> format, Optional<String> location, String query) implements JobStatement {}

    /**
     * {@code INSERT INTO db.t query} (appends) or {@code INSERT OVERWRITE TABLE db.t [PARTITION (k='v', d, ...)] query}.
     * {@code partition} maps each named key to its static value, or to empty for a dynamic key.
     */
    record Insert(Script.Statement source, TableName table, boolean overwrite, LinkedHashMap<String, Optional<String>> partition,
                  String query) implements JobStatement {
        public Map<String, Optional<String>> partitionSpec() {
            return partition;
        }
    }
}
