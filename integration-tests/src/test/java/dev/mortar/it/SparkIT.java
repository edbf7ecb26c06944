package dev.mortar.it;

import dev.mortar.it.support.EngineOutput;
import dev.mortar.it.support.ItEnvironment;
import dev.mortar.it.support.MortarServer;
import dev.mortar.it.support.Spark;
import dev.mortar.it.support.Spark.HiveClient;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Spark 4.0.1 (local mode, Hive support) against Mortar, once with Spark's built-in Hive 2.3.10
 * client and once with the Hive 4.0.1 client: DDL, static and dynamic partition writes, MSCK
 * REPAIR over copied files, column statistics, partition pruning, DROP.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkIT {
    private Path work;
    private MortarServer mortar;

    @BeforeAll
    void startMortar() {
        work = ItEnvironment.workDir("SparkIT");
        mortar = MortarServer.start(work);
    }

    @AfterAll
    void stopMortar() {
        if (mortar != null) {
            System.out.println(mortar.report(work));
            mortar.close();
        }
    }

    @Test
    void builtinHive23Client() {
        runAndCheck(HiveClient.BUILTIN_2_3, "spark_builtin", List.of("get_table", "get_database", "get_partitions_by_filter"));
    }

    @Test
    void hive401Client() {
        runAndCheck(HiveClient.HIVE_4_0_1, "spark_hive4", List.of("get_table_req", "get_database_req", "get_partitions_by_filter_req"));
    }

    private void runAndCheck(HiveClient client, String db, List<String> expectedCalls) {
        Path dbDir = mortar.warehouse().resolve(db + ".db");
        Map<String, Long> callsBefore = mortar.calls();
        EngineOutput out = Spark.run(mortar, client, work, "spark-" + client.name().toLowerCase(), script(db, dbDir));
        Map<String, Long> calls = delta(callsBefore, mortar.calls());

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(out.errors()).as("statements that failed").isEmpty();

        soft.assertThat(column(out, "show_dbs", 0)).contains(db);
        soft.assertThat(out.statement("desc_db").text()).contains("Location\t" + "file:" + dbDir);

        // Hive serde table: static insert, dynamic insert, then static and dynamic overwrite
        soft.assertThat(rows(out, "sel_hive")).containsExactly(
                List.of("4", "d", "2024-01-03"), List.of("10", "aa", "2024-01-01"), List.of("30", "cc", "2024-01-02"));
        soft.assertThat(column(out, "show_parts_hive", 0)).containsExactly("ds=2024-01-01", "ds=2024-01-02", "ds=2024-01-03");
        soft.assertThat(rows(out, "sel_hive_pruned")).containsExactly(List.of("4"));
        // Spark reads Hive parquet tables with its own scan; the metastore's pruned partition list is the one path it reads
        soft.assertThat(out.statement("explain_hive_pruned").text())
                .contains("PartitionFilters: [").contains("= 2024-01-03)").contains("InMemoryFileIndex(1 paths)");

        // Datasource (USING parquet) table: the same writes; a dynamic overwrite replaces only the partitions written
        soft.assertThat(rows(out, "sel_ds")).containsExactly(
                List.of("1", "a", "2024-02-01"), List.of("4", "d", "2024-02-01"), List.of("20", "bb", "2024-02-02"), List.of("30", "cc", "2024-02-03"));
        soft.assertThat(column(out, "show_parts_after_repair", 0))
                .containsExactly("ds=2024-02-01", "ds=2024-02-02", "ds=2024-02-03", "ds=2024-02-05", "ds=2024-02-09");
        soft.assertThat(rows(out, "sel_copied")).containsExactly(List.of("1", "a"), List.of("4", "d"));
        soft.assertThat(rows(out, "sel_pruned")).containsExactly(List.of("20", "bb"));
        soft.assertThat(out.statement("explain_pruned").text())
                .contains("PartitionFilters: [").contains("= 2024-02-02)").contains("InMemoryFileIndex(1 paths)");
        soft.assertThat(rows(out, "count_all")).containsExactly(List.of("6"));

        // Column statistics written by ANALYZE ... FOR COLUMNS and read back from the metastore
        Map<String, String> idStats = keyValues(out, "desc_col_id");
        soft.assertThat(idStats).containsEntry("min", "1").containsEntry("max", "30").containsEntry("num_nulls", "0").containsEntry("distinct_count", "4");
        Map<String, String> nameStats = keyValues(out, "desc_col_name");
        soft.assertThat(nameStats).containsEntry("num_nulls", "0").containsEntry("distinct_count", "4").containsEntry("max_col_len", "2");

        Map<String, String> ds = keyValues(out, "desc_ext_ds");
        soft.assertThat(ds).containsEntry("Type", "MANAGED").containsEntry("Provider", "parquet")
                .containsEntry("Location", "file:" + dbDir.resolve("ds_t")).containsEntry("Partition Provider", "Catalog");
        soft.assertThat(ds.get("Statistics")).as("table statistics").contains("6 rows");
        Map<String, String> hive = keyValues(out, "desc_ext_hive");
        soft.assertThat(hive).containsEntry("Type", "MANAGED").containsEntry("Provider", "hive")
                .containsEntry("Location", "file:" + dbDir.resolve("hive_t"));
        soft.assertThat(hive.get("Statistics")).as("table statistics").contains("4 rows");
        soft.assertThat(hive.get("Serde Library")).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");

        soft.assertThat(rows(out, "sel_hive_score")).as("a column added to a partitioned Hive table")
                .containsExactly(java.util.Arrays.asList("4", null), List.of("40", "2.5"));
        soft.assertThat(rows(out, "sel_view")).containsExactly(
                List.of("2024-02-01", "2"), List.of("2024-02-02", "1"), List.of("2024-02-03", "1"), List.of("2024-02-05", "2"));
        soft.assertThat(rows(out, "sel_renamed")).as("a renamed partitioned table keeps its partitions and data").containsExactly(
                List.of("2024-02-01", "2"), List.of("2024-02-02", "1"), List.of("2024-02-03", "1"), List.of("2024-02-05", "2"));
        soft.assertThat(keyValues(out, "desc_ext_renamed")).containsEntry("Location", "file:" + dbDir.resolve("ds_renamed"));
        soft.assertThat(column(out, "show_parts_after_drop", 0))
                .containsExactly("ds=2024-02-01", "ds=2024-02-02", "ds=2024-02-03", "ds=2024-02-05");
        soft.assertThat(rows(out, "show_tables_after_drop")).isEmpty();
        soft.assertThat(column(out, "show_dbs_after_drop", 0)).doesNotContain(db);
        soft.assertThat(Files.exists(dbDir.resolve("ds_t"))).as("ds_t's directory moved by the rename").isFalse();
        soft.assertThat(Files.exists(dbDir.resolve("ds_renamed"))).as("ds_renamed's directory deleted with the managed table").isFalse();
        soft.assertThat(Files.exists(dbDir.resolve("hive_t"))).as("hive_t's directory deleted with the managed table").isFalse();
        soft.assertThat(Files.exists(dbDir)).as("database directory deleted with the database").isFalse();

        soft.assertThat(calls).as("metastore calls of this run").containsKeys(expectedCalls.toArray(String[]::new));
        soft.assertAll();
    }

    private static Spark.Script script(String db, Path dbDir) {
        return new Spark.Script()
                .add("create_db", "CREATE DATABASE " + db + " COMMENT 'made by Spark'")
                .add("show_dbs", "SHOW DATABASES")
                .add("desc_db", "DESCRIBE DATABASE EXTENDED " + db)
                // Hive serde table
                .add("create_hive", "CREATE TABLE " + db + ".hive_t (id INT, name STRING) PARTITIONED BY (ds STRING) STORED AS PARQUET")
                .add("ins_hive_static", "INSERT INTO " + db + ".hive_t PARTITION (ds='2024-01-01') VALUES (1, 'a'), (2, 'b')")
                .add("ins_hive_dynamic", "INSERT INTO " + db + ".hive_t PARTITION (ds) VALUES (3, 'c', '2024-01-02'), (4, 'd', '2024-01-03')")
                .add("ovw_hive_static", "INSERT OVERWRITE TABLE " + db + ".hive_t PARTITION (ds='2024-01-01') VALUES (10, 'aa')")
                .add("ovw_hive_dynamic", "INSERT OVERWRITE TABLE " + db + ".hive_t PARTITION (ds) VALUES (30, 'cc', '2024-01-02')")
                .add("sel_hive", "SELECT id, name, ds FROM " + db + ".hive_t ORDER BY id")
                .add("show_parts_hive", "SHOW PARTITIONS " + db + ".hive_t")
                .add("explain_hive_pruned", "EXPLAIN SELECT id FROM " + db + ".hive_t WHERE ds = '2024-01-03'")
                .add("sel_hive_pruned", "SELECT id FROM " + db + ".hive_t WHERE ds = '2024-01-03'")
                .add("add_columns", "ALTER TABLE " + db + ".hive_t ADD COLUMNS (score DOUBLE)")
                .add("ins_hive_score", "INSERT INTO " + db + ".hive_t PARTITION (ds='2024-01-04') VALUES (40, 'dd', 2.5)")
                .add("sel_hive_score", "SELECT id, score FROM " + db + ".hive_t WHERE id IN (4, 40) ORDER BY id")
                .add("analyze_hive", "ANALYZE TABLE " + db + ".hive_t COMPUTE STATISTICS")
                .add("desc_ext_hive", "DESCRIBE EXTENDED " + db + ".hive_t")
                // Datasource table
                .add("create_ds", "CREATE TABLE " + db + ".ds_t (id INT, name STRING, ds STRING) USING parquet PARTITIONED BY (ds)")
                .add("ins_ds_dynamic", "INSERT INTO " + db + ".ds_t VALUES (1, 'a', '2024-02-01'), (2, 'b', '2024-02-02'), (3, 'c', '2024-02-03')")
                .add("ins_ds_static", "INSERT INTO " + db + ".ds_t PARTITION (ds='2024-02-01') VALUES (4, 'd')")
                .add("ovw_ds_static", "INSERT OVERWRITE TABLE " + db + ".ds_t PARTITION (ds='2024-02-02') VALUES (20, 'bb')")
                .add("ovw_ds_dynamic", "INSERT OVERWRITE TABLE " + db + ".ds_t PARTITION (ds) VALUES (30, 'cc', '2024-02-03')")
                .add("sel_ds", "SELECT id, name, ds FROM " + db + ".ds_t ORDER BY id, ds")
                .add("add_part", "ALTER TABLE " + db + ".ds_t ADD PARTITION (ds='2024-02-09')")
                .copyFiles("copy_files", dbDir.resolve("ds_t/ds=2024-02-01"), dbDir.resolve("ds_t/ds=2024-02-05"))
                .add("repair", "MSCK REPAIR TABLE " + db + ".ds_t")
                .add("show_parts_after_repair", "SHOW PARTITIONS " + db + ".ds_t")
                .add("sel_copied", "SELECT id, name FROM " + db + ".ds_t WHERE ds = '2024-02-05' ORDER BY id")
                .add("explain_pruned", "EXPLAIN SELECT id, name FROM " + db + ".ds_t WHERE ds = '2024-02-02'")
                .add("sel_pruned", "SELECT id, name FROM " + db + ".ds_t WHERE ds = '2024-02-02'")
                .add("count_all", "SELECT count(*) FROM " + db + ".ds_t")
                .add("analyze_ds", "ANALYZE TABLE " + db + ".ds_t COMPUTE STATISTICS")
                .add("analyze_cols", "ANALYZE TABLE " + db + ".ds_t COMPUTE STATISTICS FOR COLUMNS id, name")
                .add("desc_col_id", "DESCRIBE EXTENDED " + db + ".ds_t id")
                .add("desc_col_name", "DESCRIBE EXTENDED " + db + ".ds_t name")
                .add("desc_ext_ds", "DESCRIBE EXTENDED " + db + ".ds_t")
                .add("drop_part", "ALTER TABLE " + db + ".ds_t DROP PARTITION (ds='2024-02-09')")
                .add("show_parts_after_drop", "SHOW PARTITIONS " + db + ".ds_t")
                .add("create_view", "CREATE VIEW " + db + ".per_day AS SELECT ds, count(*) AS n FROM " + db + ".ds_t GROUP BY ds")
                .add("sel_view", "SELECT ds, n FROM " + db + ".per_day ORDER BY ds")
                .add("drop_view", "DROP VIEW " + db + ".per_day")
                .add("rename_ds", "ALTER TABLE " + db + ".ds_t RENAME TO " + db + ".ds_renamed")
                .add("sel_renamed", "SELECT ds, count(*) FROM " + db + ".ds_renamed GROUP BY ds ORDER BY ds")
                .add("desc_ext_renamed", "DESCRIBE EXTENDED " + db + ".ds_renamed")
                .add("drop_ds", "DROP TABLE " + db + ".ds_renamed")
                .add("drop_hive", "DROP TABLE " + db + ".hive_t")
                .add("show_tables_after_drop", "SHOW TABLES IN " + db)
                .add("drop_db", "DROP DATABASE " + db)
                .add("show_dbs_after_drop", "SHOW DATABASES");
    }

    static List<List<String>> rows(EngineOutput out, String label) {
        return out.statement(label).rows();
    }

    static List<String> column(EngineOutput out, String label, int index) {
        return out.statement(label).rows().stream().map(r -> r.get(index)).toList();
    }

    /** DESCRIBE output as first column → second column (the first occurrence of each key). */
    static Map<String, String> keyValues(EngineOutput out, String label) {
        Map<String, String> values = new HashMap<>();
        for (List<String> row : out.statement(label).rows()) {
            if (row.size() >= 2 && row.get(0) != null) {
                values.putIfAbsent(row.get(0).trim(), row.get(1) == null ? null : row.get(1).trim());
            }
        }
        return values;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new HashMap<>();
        after.forEach((method, n) -> {
            long d = n - before.getOrDefault(method, 0L);
            if (d > 0) {
                delta.put(method, d);
            }
        });
        return delta;
    }
}
