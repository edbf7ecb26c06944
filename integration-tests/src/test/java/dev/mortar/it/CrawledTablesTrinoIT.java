package dev.mortar.it;

import dev.mortar.it.support.Await;
import dev.mortar.it.support.ItEnvironment;
import dev.mortar.it.support.MortarServer;
import dev.mortar.it.support.Statements;
import dev.mortar.it.support.Trino;
import dev.mortar.testing.S3ProxyServer;
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
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.S3Target;
import software.amazon.awssdk.services.glue.model.Table;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crawler run through the Glue API registers a partitioned Parquet dataset and a CSV file that another
 * writer (DuckDB) made, and Trino 476 reads exactly the rows written, through the HMS Thrift API (catalog
 * {@code hive}) and the Glue API (catalog {@code glue}). The same Parquet dataset on a real S3-API server
 * (S3Proxy), crawled at {@code s3://}, is read by Trino's native S3 file system at the location the crawler
 * registered (catalog {@code s3lake}).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrawledTablesTrinoIT {
    private static final List<List<String>> SALES = List.of(
            List.of("1", "item-1", "1.25", "2024-01-02", "2024", "1"), List.of("2", "item-2", "2.50", "2024-01-03", "2024", "1"),
            List.of("3", "item-3", "3.75", "2024-01-04", "2024", "1"), List.of("4", "item-4", "5.00", "2024-01-05", "2024", "2"),
            List.of("5", "item-5", "6.25", "2024-01-06", "2024", "2"), List.of("6", "item-6", "7.50", "2024-01-07", "2024", "2"));
    private static final List<List<String>> PEOPLE = List.of(
            List.of("1", "p1", "0.5"), List.of("2", "p2", "1.0"), List.of("3", "p3", "1.5"));

    private Path work;
    private Path data;
    private MortarServer mortar;
    private Trino trino;
    private GlueClient glue;
    private S3ProxyServer s3;

    @BeforeAll
    void start() throws Exception {
        work = ItEnvironment.workDir("CrawledTablesTrinoIT");
        data = work.resolve("lake");
        writeDatasets(data);
        s3 = S3ProxyServer.start(work);
        mortar = MortarServer.start(work, s3.settings());
        glue = GlueClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + mortar.httpPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMORTARIT", "mortar-it-secret")))
                .build();
        trino = Trino.start(mortar, work, Map.of("s3lake", trinoHiveCatalog(s3, mortar)));
    }

    /** A Trino hive catalog on the Mortar server that reads the S3 server through Trino's native S3 file system. */
    private static Map<String, String> trinoHiveCatalog(S3ProxyServer s3, MortarServer mortar) {
        return Map.of("connector.name", "hive", "hive.metastore.uri", mortar.thriftUri(), "fs.native-s3.enabled", "true",
                "s3.endpoint", s3.endpoint().toString(), "s3.region", "us-east-1", "s3.path-style-access", "true",
                "s3.aws-access-key", S3ProxyServer.ACCESS_KEY, "s3.aws-secret-key", S3ProxyServer.SECRET_KEY);
    }

    /** Hive-partitioned Parquet ({@code sales/year=2024/month=01/...}) and a CSV file with a header, written by DuckDB. */
    private static void writeDatasets(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("people"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads = 1");
            s.execute("COPY (SELECT i AS id, 'item-' || i AS name, CAST(i * 1.25 AS DECIMAL(9,2)) AS amount, DATE '2024-01-01' + CAST(i AS INTEGER) AS day, "
                    + "'2024' AS year, CASE WHEN i <= 3 THEN '01' ELSE '02' END AS month FROM range(1, 7) t(i)) "
                    + "TO '" + dir.resolve("sales") + "' (FORMAT PARQUET, PARTITION_BY (year, month))");
            s.execute("COPY (SELECT i AS id, 'p' || i AS name, i * 0.5 AS score FROM range(1, 4) t(i)) "
                    + "TO '" + dir.resolve("people/people.csv") + "' (FORMAT CSV, HEADER)");
        }
    }

    @AfterAll
    void stop() {
        try {
            if (glue != null) {
                glue.close();
            }
            if (trino != null) {
                trino.close();
            }
        } finally {
            if (mortar != null) {
                System.out.println(mortar.report(work));
                mortar.close();
            }
            if (s3 != null) {
                s3.close();
            }
        }
    }

    /** Runs the crawler once and returns its finished run. */
    private CrawlerHistory crawl(String crawler) {
        glue.startCrawler(r -> r.name(crawler));
        AtomicReference<CrawlerHistory> run = new AtomicReference<>();
        Await.until("the crawler's run ends", Duration.ofMinutes(3), null, () -> {
            List<CrawlerHistory> crawls = glue.listCrawls(r -> r.crawlerName(crawler)).crawls();
            if (crawls.isEmpty() || crawls.get(0).stateAsString().equals("RUNNING")) {
                return false;
            }
            run.set(crawls.get(0));
            return true;
        });
        return run.get();
    }

    private static List<String> columns(List<Column> columns) {
        return columns.stream().map(c -> c.name() + " " + c.type()).toList();
    }

    @Test
    void trinoReadsTheRowsOfCrawledTables() {
        glue.createCrawler(r -> r.name("lake").role("arn:aws:iam::123456789012:role/glue").databaseName("crawled")
                .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path(data.toUri().toString()).build()).build()));
        CrawlerHistory run = crawl("lake");
        assertThat(run.stateAsString()).as(run.toString()).isEqualTo("COMPLETED");
        assertThat(run.summary()).contains("\"TablesCreated\":[\"people\",\"sales\"]").contains("\"Errors\":[]");

        Table sales = glue.getTable(r -> r.databaseName("crawled").name("sales")).table();
        assertThat(columns(sales.storageDescriptor().columns())).containsExactly("id bigint", "name string", "amount decimal(9,2)", "day date");
        assertThat(columns(sales.partitionKeys())).containsExactly("year int", "month int");
        Table people = glue.getTable(r -> r.databaseName("crawled").name("people")).table();
        assertThat(columns(people.storageDescriptor().columns())).containsExactly("id bigint", "name string", "score double");

        Statements sql = new Statements(trino);
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(sql.run("parquet (hive)", "SELECT id, name, amount, day, year, month FROM hive.crawled.sales ORDER BY id").rows())
                .containsExactlyElementsOf(SALES);
        Trino.Result pruned = sql.run("pruned parquet (hive)", "SELECT id FROM hive.crawled.sales WHERE month = 2 ORDER BY id");
        soft.assertThat(pruned.column(0)).containsExactly("4", "5", "6");
        soft.assertThat(pruned.processedRows()).as("rows Trino read for month = 2").isEqualTo(3);
        soft.assertThat(sql.run("partitions (hive)", "SELECT year, month FROM hive.crawled.\"sales$partitions\" ORDER BY month").rows())
                .containsExactly(List.of("2024", "1"), List.of("2024", "2"));
        soft.assertThat(sql.run("parquet (glue)", "SELECT id, name, amount, day, year, month FROM glue.crawled.sales ORDER BY id").rows())
                .containsExactlyElementsOf(SALES);
        soft.assertThat(sql.run("csv (hive)", "SELECT id, name, score FROM hive.crawled.people ORDER BY id").rows()).containsExactlyElementsOf(PEOPLE);
        soft.assertThat(sql.run("csv (glue)", "SELECT sum(id), count(*) FROM glue.crawled.people").rows()).containsExactly(List.of("6", "3"));
        soft.assertThat(sql.failures()).as("statements that failed").isEmpty();
        soft.assertAll();
    }

    @Test
    void trinoReadsACrawledTableAtItsS3Location() {
        s3.createBucket("lake");
        s3.upload(data.resolve("sales"), "lake", "raw/sales/");
        glue.createCrawler(r -> r.name("s3lake").role("arn:aws:iam::123456789012:role/glue").databaseName("s3crawled")
                .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path("s3://lake/raw/sales").build()).build()));
        CrawlerHistory run = crawl("s3lake");
        assertThat(run.stateAsString()).as(run.toString()).isEqualTo("COMPLETED");
        assertThat(run.summary()).contains("\"TablesCreated\":[\"sales\"]").contains("\"Errors\":[]");
        Table sales = glue.getTable(r -> r.databaseName("s3crawled").name("sales")).table();
        assertThat(sales.storageDescriptor().location()).isEqualTo("s3://lake/raw/sales");
        assertThat(columns(sales.storageDescriptor().columns())).containsExactly("id bigint", "name string", "amount decimal(9,2)", "day date");

        Statements sql = new Statements(trino);
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(sql.run("parquet on s3", "SELECT id, name, amount, day, year, month FROM s3lake.s3crawled.sales ORDER BY id").rows())
                .containsExactlyElementsOf(SALES);
        soft.assertThat(sql.run("pruned parquet on s3", "SELECT count(*) FROM s3lake.s3crawled.sales WHERE month = 1").rows())
                .containsExactly(List.of("3"));
        soft.assertThat(sql.failures()).as("statements that failed").isEmpty();
        soft.assertAll();
    }
}
