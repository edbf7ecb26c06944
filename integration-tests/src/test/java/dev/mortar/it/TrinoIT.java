package dev.mortar.it;

import dev.mortar.it.support.ItEnvironment;
import dev.mortar.it.support.MortarServer;
import dev.mortar.it.support.Statements;
import dev.mortar.it.support.Trino;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trino 476 against Mortar: the hive connector (partitioned PARQUET and ORC tables, pruning,
 * schema changes, rename, statistics, views) and the iceberg connector with
 * {@code iceberg.catalog.type=hive_metastore} (commits and time travel).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrinoIT {
    private Path work;
    private MortarServer mortar;
    private Trino trino;

    @BeforeAll
    void start() {
        work = ItEnvironment.workDir("TrinoIT");
        mortar = MortarServer.start(work);
        long t0 = System.nanoTime();
        trino = Trino.start(mortar, work);
        System.out.printf("Trino ready in %d s%n", (System.nanoTime() - t0) / 1_000_000_000);
    }

    @AfterAll
    void stop() {
        try {
            if (trino != null) {
                trino.close();
            }
        } finally {
            if (mortar != null) {
                System.out.println(mortar.report(work));
                mortar.close();
            }
        }
    }

    /** Trino with hive.metastore=glue pointed at Mortar reads what was written through the Thrift API, and the reverse. */
    @Test
    void glueMetastoreSeesTheThriftCatalog() {
        Statements sql = new Statements(trino);
        SoftAssertions soft = new SoftAssertions();
        sql.run("create schema (thrift)", "CREATE SCHEMA hive.gluedb");
        sql.run("create table (thrift)", "CREATE TABLE hive.gluedb.orders (id bigint, amount double, ds varchar) WITH (format = 'PARQUET', partitioned_by = ARRAY['ds'])");
        sql.run("insert (thrift)", "INSERT INTO hive.gluedb.orders VALUES (1, 10.5, '2024-01-01'), (2, 20.0, '2024-01-02'), (3, 30.25, '2024-01-02')");
        soft.assertThat(sql.run("show schemas (glue)", "SHOW SCHEMAS FROM glue").column(0)).contains("gluedb");
        soft.assertThat(sql.run("select (glue)", "SELECT id, amount, ds FROM glue.gluedb.orders ORDER BY id").rows()).containsExactly(
                List.of("1", "10.5", "2024-01-01"), List.of("2", "20.0", "2024-01-02"), List.of("3", "30.25", "2024-01-02"));
        soft.assertThat(sql.run("pruned select (glue)", "SELECT count(*) FROM glue.gluedb.orders WHERE ds = '2024-01-02'").rows()).containsExactly(List.of("2"));
        soft.assertThat(sql.run("partitions (glue)", "SELECT ds FROM glue.gluedb.\"orders$partitions\" ORDER BY ds").column(0)).containsExactly("2024-01-01", "2024-01-02");
        sql.run("insert (glue)", "INSERT INTO glue.gluedb.orders VALUES (4, 40.0, '2024-01-03')");
        soft.assertThat(sql.run("select (thrift)", "SELECT count(*) FROM hive.gluedb.orders").rows()).containsExactly(List.of("4"));
        sql.run("drop table", "DROP TABLE hive.gluedb.orders");
        sql.run("drop schema", "DROP SCHEMA hive.gluedb");
        soft.assertThat(sql.failures()).isEmpty();
        soft.assertAll();
    }

    @Test
    void hiveConnector() {
        Statements sql = new Statements(trino);
        Path schemaDir = mortar.warehouse().resolve("tdb.db");
        SoftAssertions soft = new SoftAssertions();

        sql.run("create schema", "CREATE SCHEMA hive.tdb");
        soft.assertThat(sql.run("show schemas", "SHOW SCHEMAS FROM hive").column(0)).contains("default", "tdb");
        sql.run("create parquet", "CREATE TABLE hive.tdb.events_parquet (id bigint, name varchar, ds varchar) WITH (format = 'PARQUET', partitioned_by = ARRAY['ds'])");
        sql.run("create orc", "CREATE TABLE hive.tdb.events_orc (id bigint, name varchar, ds varchar) WITH (format = 'ORC', partitioned_by = ARRAY['ds'])");
        for (String table : List.of("events_parquet", "events_orc")) {
            soft.assertThat(sql.run("insert 1 " + table, "INSERT INTO hive.tdb." + table
                    + " VALUES (1, 'a', '2024-01-01'), (2, 'b', '2024-01-01'), (3, 'c', '2024-01-02'), (4, 'd', '2024-01-03')").rows())
                    .containsExactly(List.of("4"));
            // into an existing partition: Trino appends a file and updates the partition's statistics
            sql.run("insert 2 " + table, "INSERT INTO hive.tdb." + table + " VALUES (5, 'e', '2024-01-02')");
            soft.assertThat(sql.run("select " + table, "SELECT id, name, ds FROM hive.tdb." + table + " ORDER BY id").rows()).containsExactly(
                    List.of("1", "a", "2024-01-01"), List.of("2", "b", "2024-01-01"), List.of("3", "c", "2024-01-02"),
                    List.of("4", "d", "2024-01-03"), List.of("5", "e", "2024-01-02"));
        }
        soft.assertThat(Files.isDirectory(schemaDir.resolve("events_parquet/ds=2024-01-02"))).as("partition directory under the schema's default location").isTrue();

        // Partition pruning: only the matching partition is read
        Trino.Result pruned = sql.run("pruned select", "SELECT id FROM hive.tdb.events_parquet WHERE ds = '2024-01-02' ORDER BY id");
        soft.assertThat(pruned.rows()).containsExactly(List.of("3"), List.of("5"));
        soft.assertThat(pruned.processedRows()).as("rows Trino read for ds = '2024-01-02'").isEqualTo(2);
        soft.assertThat(sql.run("explain pruned", "EXPLAIN SELECT id FROM hive.tdb.events_parquet WHERE ds = '2024-01-02'").text())
                .contains(":: [[2024-01-02]]");
        soft.assertThat(sql.run("$partitions", "SELECT ds FROM hive.tdb.\"events_parquet$partitions\" ORDER BY ds").column(0))
                .containsExactly("2024-01-01", "2024-01-02", "2024-01-03");

        // Schema changes
        sql.run("add column", "ALTER TABLE hive.tdb.events_parquet ADD COLUMN score double");
        sql.run("insert with new column", "INSERT INTO hive.tdb.events_parquet (id, name, score, ds) VALUES (6, 'f', 1.5, '2024-01-04')");
        soft.assertThat(sql.run("select new column", "SELECT id, score FROM hive.tdb.events_parquet WHERE id IN (1, 6) ORDER BY id").rows())
                .containsExactly(java.util.Arrays.asList("1", null), List.of("6", "1.5"));
        soft.assertThat(sql.run("describe", "DESCRIBE hive.tdb.events_parquet").column(0)).containsExactly("id", "name", "score", "ds");
        sql.run("rename column", "ALTER TABLE hive.tdb.events_orc RENAME COLUMN name TO label");
        soft.assertThat(sql.run("select renamed column", "SELECT label FROM hive.tdb.events_orc ORDER BY id").column(0))
                .containsExactly("a", "b", "c", "d", "e");

        // Rename table
        sql.run("rename table", "ALTER TABLE hive.tdb.events_orc RENAME TO hive.tdb.events_orc_renamed");
        soft.assertThat(sql.run("show tables", "SHOW TABLES FROM hive.tdb").column(0)).containsExactlyInAnyOrder("events_orc_renamed", "events_parquet");
        soft.assertThat(sql.run("select renamed table", "SELECT count(*), count(DISTINCT ds) FROM hive.tdb.events_orc_renamed").rows())
                .containsExactly(List.of("5", "3"));

        // Statistics: ANALYZE writes per-partition column statistics, SHOW STATS reads them back
        sql.run("analyze", "ANALYZE hive.tdb.events_parquet");
        List<List<String>> stats = sql.run("show stats", "SHOW STATS FOR hive.tdb.events_parquet").rows();
        soft.assertThat(stats).as("SHOW STATS summary row: row_count").anySatisfy(r -> {
            assertThat(r.get(0)).isNull();
            assertThat(r.get(4)).isEqualTo("6.0");
        });
        soft.assertThat(stats).as("SHOW STATS for id: nulls, low, high").anySatisfy(r -> {
            assertThat(r.get(0)).isEqualTo("id");
            assertThat(r.get(3)).isEqualTo("0.0");
            assertThat(r.get(5)).isEqualTo("1");
            assertThat(r.get(6)).isEqualTo("6");
        });
        soft.assertThat(stats).as("SHOW STATS for ds: distinct partitions").anySatisfy(r -> {
            assertThat(r.get(0)).isEqualTo("ds");
            assertThat(r.get(2)).isEqualTo("4.0");
        });
        List<List<String>> partitionStats = sql.run("show partition stats",
                "SHOW STATS FOR (SELECT * FROM hive.tdb.events_parquet WHERE ds = '2024-01-02')").rows();
        soft.assertThat(partitionStats).as("one partition's statistics: id").anySatisfy(r -> {
            assertThat(r.get(0)).isEqualTo("id");
            assertThat(r.get(2)).isEqualTo("2.0");
            assertThat(r.get(5)).isEqualTo("3");
            assertThat(r.get(6)).isEqualTo("5");
        });
        soft.assertThat(partitionStats).as("one partition's statistics: row count").anySatisfy(r -> {
            assertThat(r.get(0)).isNull();
            assertThat(r.get(4)).isEqualTo("2.0");
        });

        // Whole-partition DELETE, comments, CTAS
        sql.run("delete partition", "DELETE FROM hive.tdb.events_parquet WHERE ds = '2024-01-04'");
        soft.assertThat(sql.run("$partitions after delete", "SELECT ds FROM hive.tdb.\"events_parquet$partitions\" ORDER BY ds").column(0))
                .containsExactly("2024-01-01", "2024-01-02", "2024-01-03");
        soft.assertThat(Files.exists(schemaDir.resolve("events_parquet/ds=2024-01-04"))).as("deleted partition's directory").isFalse();
        sql.run("comment", "COMMENT ON TABLE hive.tdb.events_parquet IS 'events, by day'");
        soft.assertThat(sql.run("show create", "SHOW CREATE TABLE hive.tdb.events_parquet").text())
                .contains("COMMENT 'events, by day'").contains("format = 'PARQUET'").contains("partitioned_by = ARRAY['ds']");
        soft.assertThat(sql.run("ctas", "CREATE TABLE hive.tdb.nation WITH (format = 'ORC') AS SELECT * FROM tpch.tiny.nation").rows())
                .containsExactly(List.of("25"));
        soft.assertThat(sql.run("select ctas", "SELECT count(*), min(name) FROM hive.tdb.nation").rows()).containsExactly(List.of("25", "ALGERIA"));
        sql.run("drop ctas", "DROP TABLE hive.tdb.nation");

        // Views
        sql.run("create view", "CREATE VIEW hive.tdb.per_day AS SELECT ds, count(*) AS n FROM hive.tdb.events_parquet GROUP BY ds");
        soft.assertThat(sql.run("select view", "SELECT ds, n FROM hive.tdb.per_day ORDER BY ds").rows()).containsExactly(
                List.of("2024-01-01", "2"), List.of("2024-01-02", "2"), List.of("2024-01-03", "1"));
        soft.assertThat(sql.run("show tables with view", "SHOW TABLES FROM hive.tdb").column(0)).contains("per_day");
        sql.run("drop view", "DROP VIEW hive.tdb.per_day");

        // Drop
        sql.run("drop parquet", "DROP TABLE hive.tdb.events_parquet");
        sql.run("drop orc", "DROP TABLE hive.tdb.events_orc_renamed");
        soft.assertThat(sql.run("show tables after drop", "SHOW TABLES FROM hive.tdb").rows()).isEmpty();
        soft.assertThat(Files.exists(schemaDir.resolve("events_parquet"))).as("managed table's data deleted by DROP TABLE").isFalse();
        soft.assertThat(Files.exists(schemaDir.resolve("events_orc"))).as("renamed table's old directory gone").isFalse();
        soft.assertThat(Files.exists(schemaDir.resolve("events_orc_renamed"))).as("renamed table's data deleted by DROP TABLE").isFalse();
        sql.run("drop schema", "DROP SCHEMA hive.tdb");
        soft.assertThat(sql.run("show schemas after drop", "SHOW SCHEMAS FROM hive").column(0)).doesNotContain("tdb");

        soft.assertThat(sql.failures()).as("statements that failed").isEmpty();
        soft.assertAll();
    }

    @Test
    void icebergConnector() {
        Statements sql = new Statements(trino);
        SoftAssertions soft = new SoftAssertions();

        sql.run("create schema", "CREATE SCHEMA iceberg.idb");
        sql.run("create table", "CREATE TABLE iceberg.idb.ice (id bigint, v varchar) WITH (partitioning = ARRAY['v'])");
        sql.run("insert 1", "INSERT INTO iceberg.idb.ice VALUES (1, 'a')");
        sql.run("insert 2", "INSERT INTO iceberg.idb.ice VALUES (2, 'b'), (3, 'b')");
        sql.run("insert 3", "INSERT INTO iceberg.idb.ice VALUES (4, 'c')");
        soft.assertThat(sql.run("select", "SELECT id, v FROM iceberg.idb.ice ORDER BY id").rows()).containsExactly(
                List.of("1", "a"), List.of("2", "b"), List.of("3", "b"), List.of("4", "c"));

        List<String> appends = sql.run("snapshots", "SELECT snapshot_id FROM iceberg.idb.\"ice$snapshots\""
                + " WHERE operation = 'append' AND element_at(summary, 'added-data-files') IS NOT NULL ORDER BY committed_at").column(0);
        // (Trino 476 also commits an empty snapshot for CREATE TABLE)
        soft.assertThat(appends).as("one snapshot that adds data per INSERT").hasSize(3);
        if (appends.size() == 3) {
            soft.assertThat(sql.run("as of 1", "SELECT count(*) FROM iceberg.idb.ice FOR VERSION AS OF " + appends.get(0)).rows()).containsExactly(List.of("1"));
            soft.assertThat(sql.run("as of 2", "SELECT count(*) FROM iceberg.idb.ice FOR VERSION AS OF " + appends.get(1)).rows()).containsExactly(List.of("3"));
            soft.assertThat(sql.run("as of 3", "SELECT id FROM iceberg.idb.ice FOR VERSION AS OF " + appends.get(2) + " ORDER BY id").column(0))
                    .containsExactly("1", "2", "3", "4");
        }
        // The hive connector sees the same metastore entry, and knows it is not a Hive table
        soft.assertThat(sql.run("hive view of iceberg", "SHOW TABLES FROM hive.idb").column(0)).contains("ice");

        sql.run("drop table", "DROP TABLE iceberg.idb.ice");
        soft.assertThat(sql.run("show tables after drop", "SHOW TABLES FROM iceberg.idb").rows()).isEmpty();
        sql.run("drop schema", "DROP SCHEMA iceberg.idb");
        soft.assertThat(sql.run("show schemas after drop", "SHOW SCHEMAS FROM iceberg").column(0)).doesNotContain("idb");

        soft.assertThat(sql.failures()).as("statements that failed").isEmpty();
        soft.assertAll();
    }
}
