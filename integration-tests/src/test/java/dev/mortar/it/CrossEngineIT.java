package dev.mortar.it;

import dev.mortar.it.support.Await;
import dev.mortar.it.support.EngineOutput;
import dev.mortar.it.support.ItEnvironment;
import dev.mortar.it.support.MortarServer;
import dev.mortar.it.support.Spark;
import dev.mortar.it.support.Spark.HiveClient;
import dev.mortar.it.support.Statements;
import dev.mortar.it.support.Trino;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.S3Target;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Mortar server and one warehouse, engines one after another: Spark writes tables, Trino
 * reads them and writes its own, Spark reads Trino's and drops everything. Each engine sees the
 * same rows the other wrote. Beforehand a crawler run through the Glue API registers a table in
 * {@code my-database} (a name the Glue catalog takes and Hive's rules allow), which Spark reads
 * as {@code `my-database`} and Trino as {@code "my-database"}, through the HMS and Glue APIs.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossEngineIT {
    private static final String DB = "xdb";
    private static final List<List<String>> SPARK_ROWS = List.of(
            List.of("1", "spark-a", "1.5", "2024-03-01"), List.of("2", "spark-b", "2.25", "2024-03-01"), List.of("3", "spark-c", "-4.0", "2024-03-02"));
    /** The rows DuckDB writes for the crawler to register in {@link #GLUE_DB}. */
    private static final List<List<String>> ORDERS = List.of(List.of("1", "order-1"), List.of("2", "order-2"), List.of("3", "order-3"));
    private static final String GLUE_DB = "my-database";
    private static final List<List<String>> TRINO_ROWS = List.of(
            List.of("10", "trino-a", "0.5", "2024-04-01"), List.of("11", "trino-b", "7.75", "2024-04-02"), List.of("12", "trino-c", "1.0E10", "2024-04-02"));

    private Path work;
    private MortarServer mortar;

    @BeforeAll
    void startMortar() {
        work = ItEnvironment.workDir("CrossEngineIT");
        mortar = MortarServer.start(work);
    }

    @AfterAll
    void stopMortar() {
        if (mortar != null) {
            System.out.println(mortar.report(work));
            mortar.close();
        }
    }

    /** Parquet written by DuckDB, crawled into {@link #GLUE_DB} through the Glue API; the crawl's state. */
    private String crawlIntoHyphenatedDatabase() throws Exception {
        Path lake = work.resolve("glue-lake");
        Files.createDirectories(lake.resolve("orders"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads = 1");
            s.execute("COPY (SELECT i AS id, 'order-' || i AS name FROM range(1, 4) t(i)) TO '" + lake.resolve("orders/orders.parquet") + "' (FORMAT PARQUET)");
        }
        try (GlueClient glue = glue()) {
            glue.createCrawler(r -> r.name("orders").role("arn:aws:iam::123456789012:role/glue").databaseName(GLUE_DB)
                    .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path(lake.toUri().toString()).build()).build()));
            glue.startCrawler(r -> r.name("orders"));
            AtomicReference<String> state = new AtomicReference<>();
            Await.until("the crawler's run ends", Duration.ofMinutes(3), null, () -> {
                List<CrawlerHistory> crawls = glue.listCrawls(r -> r.crawlerName("orders")).crawls();
                if (crawls.isEmpty() || crawls.get(0).stateAsString().equals("RUNNING")) {
                    return false;
                }
                state.set(crawls.get(0).stateAsString() + " " + crawls.get(0).summary() + " " + crawls.get(0).errorMessage());
                return true;
            });
            return state.get();
        }
    }

    private GlueClient glue() {
        return GlueClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + mortar.httpPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMORTARIT", "mortar-it-secret")))
                .build();
    }

    @Test
    void sparkAndTrinoReadEachOthersTables() throws Exception {
        SoftAssertions soft = new SoftAssertions();

        // 0. A crawler registers a table in a database whose name has a hyphen
        assertThat(crawlIntoHyphenatedDatabase()).startsWith("COMPLETED");

        // 1. Spark (built-in Hive 2.3 client) writes a datasource table and a Hive serde table
        EngineOutput written = Spark.run(mortar, HiveClient.BUILTIN_2_3, work, "spark-write", new Spark.Script()
                .add("create_db", "CREATE DATABASE " + DB)
                .add("create_ds", "CREATE TABLE " + DB + ".spark_ds (id INT, name STRING, amount DOUBLE, ds STRING) USING parquet PARTITIONED BY (ds)")
                .add("insert_ds", "INSERT INTO " + DB + ".spark_ds VALUES (1, 'spark-a', 1.5, '2024-03-01'), (2, 'spark-b', 2.25, '2024-03-01'), (3, 'spark-c', -4.0, '2024-03-02')")
                .add("create_hive", "CREATE TABLE " + DB + ".spark_hive (id INT, name STRING, amount DOUBLE) PARTITIONED BY (ds STRING) STORED AS PARQUET")
                .add("insert_hive", "INSERT INTO " + DB + ".spark_hive PARTITION (ds) SELECT id, name, amount, ds FROM " + DB + ".spark_ds")
                .add("select_ds", "SELECT id, name, amount, ds FROM " + DB + ".spark_ds ORDER BY id")
                .add("select_hive", "SELECT id, name, amount, ds FROM " + DB + ".spark_hive ORDER BY id")
                .add("select_glue_db", "SELECT id, name FROM `" + GLUE_DB + "`.orders ORDER BY id"));
        soft.assertThat(written.errors()).as("Spark statements that failed (writing)").isEmpty();
        soft.assertThat(written.statement("select_glue_db").rows()).as("Spark reads `my-database`.orders").isEqualTo(ORDERS);
        soft.assertThat(written.statement("select_ds").rows()).isEqualTo(SPARK_ROWS);
        soft.assertThat(written.statement("select_hive").rows()).isEqualTo(SPARK_ROWS);

        // 2. Trino reads Spark's tables and writes its own
        try (Trino trino = Trino.start(mortar, work)) {
            Statements sql = new Statements(trino);
            soft.assertThat(sql.run("read spark_ds", "SELECT id, name, amount, ds FROM hive.xdb.spark_ds ORDER BY id").rows()).isEqualTo(SPARK_ROWS);
            soft.assertThat(sql.run("read spark_hive", "SELECT id, name, amount, ds FROM hive.xdb.spark_hive ORDER BY id").rows()).isEqualTo(SPARK_ROWS);
            soft.assertThat(sql.run("spark partitions", "SELECT ds FROM hive.xdb.\"spark_ds$partitions\" ORDER BY ds").column(0))
                    .containsExactly("2024-03-01", "2024-03-02");
            Trino.Result pruned = sql.run("pruned read of spark_ds", "SELECT id FROM hive.xdb.spark_ds WHERE ds = '2024-03-02'");
            soft.assertThat(pruned.rows()).containsExactly(List.of("3"));
            soft.assertThat(pruned.processedRows()).as("rows Trino read from Spark's partition").isEqualTo(1);

            for (String format : List.of("PARQUET", "ORC")) {
                String table = "hive.xdb.trino_" + format.toLowerCase();
                sql.run("create " + table, "CREATE TABLE " + table + " (id integer, name varchar, amount double, ds varchar)"
                        + " WITH (format = '" + format + "', partitioned_by = ARRAY['ds'])");
                sql.run("insert " + table, "INSERT INTO " + table
                        + " VALUES (10, 'trino-a', 0.5, '2024-04-01'), (11, 'trino-b', 7.75, '2024-04-02'), (12, 'trino-c', 1e10, '2024-04-02')");
                soft.assertThat(sql.run("select " + table, "SELECT id, name, amount, ds FROM " + table + " ORDER BY id").rows())
                        .extracting(r -> r.get(0)).containsExactly("10", "11", "12");
            }
            soft.assertThat(sql.run("read my-database (hive)", "SELECT id, name FROM hive.\"" + GLUE_DB + "\".orders ORDER BY id").rows()).isEqualTo(ORDERS);
            soft.assertThat(sql.run("read my-database (glue)", "SELECT id, name FROM glue.\"" + GLUE_DB + "\".orders ORDER BY id").rows()).isEqualTo(ORDERS);
            soft.assertThat(sql.failures()).as("Trino statements that failed").isEmpty();
        }
        try (GlueClient glue = glue()) {
            glue.deleteDatabase(r -> r.name(GLUE_DB));
        }

        // 3. Spark (Hive 4.0.1 client) reads Trino's tables, then drops every table and the database
        EngineOutput read = Spark.run(mortar, HiveClient.HIVE_4_0_1, work, "spark-read", new Spark.Script()
                .add("read_parquet", "SELECT id, name, amount, ds FROM " + DB + ".trino_parquet ORDER BY id")
                .add("read_orc", "SELECT id, name, amount, ds FROM " + DB + ".trino_orc ORDER BY id")
                .add("partitions_parquet", "SHOW PARTITIONS " + DB + ".trino_parquet")
                .add("pruned_orc", "SELECT id FROM " + DB + ".trino_orc WHERE ds = '2024-04-02' ORDER BY id")
                .add("drop_trino_parquet", "DROP TABLE " + DB + ".trino_parquet")
                .add("drop_trino_orc", "DROP TABLE " + DB + ".trino_orc")
                .add("drop_spark_ds", "DROP TABLE " + DB + ".spark_ds")
                .add("drop_spark_hive", "DROP TABLE " + DB + ".spark_hive")
                .add("drop_db", "DROP DATABASE " + DB)
                .add("show_dbs", "SHOW DATABASES"));
        soft.assertThat(read.errors()).as("Spark statements that failed (reading)").isEmpty();
        soft.assertThat(read.statement("read_parquet").rows()).isEqualTo(TRINO_ROWS);
        soft.assertThat(read.statement("read_orc").rows()).isEqualTo(TRINO_ROWS);
        soft.assertThat(read.statement("partitions_parquet").rows()).containsExactly(List.of("ds=2024-04-01"), List.of("ds=2024-04-02"));
        soft.assertThat(read.statement("pruned_orc").rows()).containsExactly(List.of("11"), List.of("12"));
        soft.assertThat(read.statement("show_dbs").rows()).containsExactly(List.of("default"));
        soft.assertThat(Files.exists(mortar.warehouse().resolve(DB + ".db"))).as("database directory deleted").isFalse();
        soft.assertAll();
    }
}
