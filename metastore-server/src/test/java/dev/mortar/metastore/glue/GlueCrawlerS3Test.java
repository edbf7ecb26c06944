package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.metastore.TestServer;
import dev.mortar.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerHistoryState;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.S3Target;
import software.amazon.awssdk.services.glue.model.Table;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Crawlers over {@code s3://} and {@code s3a://} include paths, run through the Glue API, reading a real S3-API
 * server (S3Proxy) through Hadoop's S3A connector with the server's {@code mortar.s3.*} settings.
 */
class GlueCrawlerS3Test {
    static S3ProxyServer s3;
    static TestServer server;
    static GlueClient glue;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start(@TempDir Path work) throws Exception {
        s3 = S3ProxyServer.start(work);
        // path-style requests (which S3Proxy needs) asked for with an S3A option passed through as is
        java.util.Map<String, String> settings = new java.util.HashMap<>(s3.settings());
        settings.remove("mortar.s3.path.style.access");
        settings.put("fs.s3a.path.style.access", "true");
        server = TestServer.start(settings);
        glue = GlueClients.client(server);
    }

    @AfterAll
    static void stop() throws Exception {
        glue.close();
        server.close();
        server.deleteData();
        s3.close();
    }

    private static List<String> columns(List<Column> columns) {
        return columns.stream().map(c -> c.name() + " " + c.type()).toList();
    }

    private static List<Partition> partitions(String db, String table) {
        List<Partition> out = new ArrayList<>();
        glue.getPartitionsPaginator(r -> r.databaseName(db).tableName(table)).forEach(page -> out.addAll(page.partitions()));
        out.sort(Comparator.comparing(p -> String.join("/", p.values())));
        return out;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void crawlsS3PathsIntoTablesWhoseLocationsEnginesRead(@TempDir Path dir) throws Exception {
        s3.createBucket("datalake");
        Path parquet = dir.resolve("part-0.parquet");
        GlueCrawlerDatasets.parquet(parquet, false);
        s3.put("datalake", "raw/sales/year=2024/month=01/part-0.parquet", parquet);
        s3.put("datalake", "raw/sales/year=2024/month=02/part-0.parquet", parquet);
        s3.put("datalake", "raw/sales/_SUCCESS", new byte[0]);
        s3.put("datalake", "raw/events/dt=2024-05-01/a.json", utf8("{\"id\": 1, \"kind\": \"click\"}\n{\"id\": 2, \"kind\": \"view\", \"ms\": 3.5}\n"));
        s3.put("datalake", "raw/people/people.csv", utf8("name|age|joined\nann|31|2020-01-05\nbob|42|2021-03-09\n"));
        s3.put("datalake", "raw/tmp/skip.csv", utf8("a,b\n1,2\n3,4\n"));

        glue.createCrawler(r -> r.name("s3-lake").role("arn:aws:iam::123456789012:role/glue").databaseName("s3lake")
                .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path("s3://datalake/raw").exclusions("tmp/**").build()).build()));
        glue.startCrawler(r -> r.name("s3-lake"));
        List<CrawlerHistory> runs = GlueCrawlerDatasets.awaitRuns(glue, "s3-lake", 1);

        assertThat(runs.get(0).state()).isEqualTo(CrawlerHistoryState.COMPLETED);
        JsonNode summary = JSON.readTree(runs.get(0).summary());
        assertThat(summary.at("/TABLE/ADD/Count").asInt()).isEqualTo(3);
        assertThat(summary.at("/PARTITION/ADD/Count").asInt()).isEqualTo(3);
        assertThat(summary.at("/FILE/READ/Count").asInt()).isEqualTo(4);
        assertThat(summary.get("Errors")).isEmpty();
        assertThat(glue.getTables(r -> r.databaseName("s3lake")).tableList()).extracting(Table::name).containsExactly("events", "people", "sales");

        Table sales = glue.getTable(r -> r.databaseName("s3lake").name("sales")).table();
        assertThat(sales.parameters()).containsEntry("classification", "parquet");
        assertThat(sales.storageDescriptor().location()).isEqualTo("s3://datalake/raw/sales");
        assertThat(columns(sales.storageDescriptor().columns())).containsExactly("id bigint", "amount decimal(9,2)", "ts timestamp",
                "address struct<city:string,zip:int>");
        assertThat(columns(sales.partitionKeys())).containsExactly("year int", "month int");
        assertThat(partitions("s3lake", "sales")).extracting(Partition::values, p -> p.storageDescriptor().location()).containsExactly(
                tuple(List.of("2024", "01"), "s3://datalake/raw/sales/year=2024/month=01"),
                tuple(List.of("2024", "02"), "s3://datalake/raw/sales/year=2024/month=02"));

        Table events = glue.getTable(r -> r.databaseName("s3lake").name("events")).table();
        assertThat(events.parameters()).containsEntry("classification", "json");
        assertThat(events.storageDescriptor().location()).isEqualTo("s3://datalake/raw/events");
        assertThat(columns(events.storageDescriptor().columns())).containsExactly("id bigint", "kind string", "ms double");
        assertThat(partitions("s3lake", "events")).extracting(Partition::values, p -> p.storageDescriptor().location())
                .containsExactly(tuple(List.of("2024-05-01"), "s3://datalake/raw/events/dt=2024-05-01"));

        Table people = glue.getTable(r -> r.databaseName("s3lake").name("people")).table();
        assertThat(people.parameters()).containsEntry("classification", "csv").containsEntry("delimiter", "|");
        assertThat(people.storageDescriptor().location()).isEqualTo("s3://datalake/raw/people");
        assertThat(columns(people.storageDescriptor().columns())).containsExactly("name string", "age bigint", "joined date");

        // The same table through the Hive Metastore API, as engines read it: the location as given.
        try (var hms = server.client()) {
            assertThat(hms.getTable("s3lake", "sales").getSd().getLocation()).isEqualTo("s3://datalake/raw/sales");
            assertThat(hms.listPartitionNames("s3lake", "sales", (short) -1)).containsExactly("year=2024/month=01", "year=2024/month=02");
        }

        // An s3a:// include path of the same data: locations keep the s3a scheme.
        glue.createCrawler(r -> r.name("s3a-lake").role("arn:aws:iam::123456789012:role/glue").databaseName("s3alake")
                .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path("s3a://datalake/raw/sales").build()).build()));
        glue.startCrawler(r -> r.name("s3a-lake"));
        assertThat(GlueCrawlerDatasets.awaitRuns(glue, "s3a-lake", 1).get(0).state()).isEqualTo(CrawlerHistoryState.COMPLETED);
        Table s3aSales = glue.getTable(r -> r.databaseName("s3alake").name("sales")).table();
        assertThat(s3aSales.storageDescriptor().location()).isEqualTo("s3a://datalake/raw/sales");
        assertThat(partitions("s3alake", "sales")).extracting(p -> p.storageDescriptor().location())
                .containsExactly("s3a://datalake/raw/sales/year=2024/month=01", "s3a://datalake/raw/sales/year=2024/month=02");
    }

    @Test
    void aMissingBucketOrPathFailsTheRunWithItsReasonAndTheServerKeepsServing() throws Exception {
        s3.createBucket("emptybucket");
        glue.createCrawler(r -> r.name("s3-missing").role("arn:aws:iam::123456789012:role/glue").databaseName("s3missing")
                .targets(CrawlerTargets.builder().s3Targets(
                        S3Target.builder().path("s3://no-such-bucket/data").build(),
                        S3Target.builder().path("s3a://emptybucket/no/such/path").build()).build()));
        glue.startCrawler(r -> r.name("s3-missing"));
        CrawlerHistory run = GlueCrawlerDatasets.awaitRuns(glue, "s3-missing", 1).get(0);
        assertThat(run.state()).isEqualTo(CrawlerHistoryState.FAILED);
        assertThat(run.errorMessage()).startsWith("Include path s3://no-such-bucket/data cannot be read: ").contains("no-such-bucket")
                .endsWith("; Include path s3a://emptybucket/no/such/path does not exist");
        assertThat(glue.getCrawler(r -> r.name("s3-missing")).crawler().lastCrawl().statusAsString()).isEqualTo("FAILED");
        assertThat(glue.getCrawler(r -> r.name("s3-missing")).crawler().lastCrawl().errorMessage()).isEqualTo(run.errorMessage());
        assertThat(glue.getDatabases(r -> r.maxResults(100)).databaseList()).extracting(d -> d.name()).doesNotContain("s3missing");
    }
}
