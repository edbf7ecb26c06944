package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerHistoryState;
import software.amazon.awssdk.services.glue.model.CrawlerMetrics;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.S3Target;
import software.amazon.awssdk.services.glue.model.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** A crawl over generated Parquet, JSON (plain and gzip) and CSV folders: the tables, columns, partitions and run records it produces. */
class GlueCrawlerRunTest {
    static TestServer server;
    static GlueClient glue;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        glue = GlueClients.client(server);
    }

    @AfterAll
    static void stop() throws Exception {
        glue.close();
        server.close();
        server.deleteData();
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

    @Test
    void crawlRegistersTablesAndPartitionsAndARecrawlAddsNewOnes(@TempDir Path dir) throws Exception {
        GlueCrawlerDatasets.parquet(dir.resolve("sales/year=2024/month=01/part-0.parquet"), false);
        GlueCrawlerDatasets.parquet(dir.resolve("sales/year=2024/month=02/part-0.parquet"), false);
        GlueCrawlerDatasets.gzip(dir.resolve("events/dt=2024-05-01/a.json.gz"), """
                {"id": 1, "kind": "click", "ctx": {"page": "/", "ms": 12}}
                {"id": 2, "kind": "view", "ctx": {"page": "/a", "ms": 3.5}, "tags": ["x", "y"]}
                """);
        GlueCrawlerDatasets.text(dir.resolve("events/dt=2024-05-02/b.json"), "{\"id\": 3, \"kind\": \"click\", \"ok\": true}\n");
        GlueCrawlerDatasets.text(dir.resolve("people/people.csv"), """
                name|age|joined|score
                ann|31|2020-01-05|1.5
                bob|42|2021-03-09|2
                """);
        GlueCrawlerDatasets.text(dir.resolve("junk/blob.bin"), "\0\1\2 not a format anyone knows");
        GlueCrawlerDatasets.text(dir.resolve("sales/_SUCCESS"), "");

        glue.createCrawler(r -> r.name("lake").role("arn:aws:iam::123456789012:role/glue").databaseName("lake")
                .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path(dir.toString()).build()).build()));
        glue.startCrawler(r -> r.name("lake"));
        List<CrawlerHistory> runs = GlueCrawlerDatasets.awaitRuns(glue, "lake", 1);

        assertThat(glue.getTables(r -> r.databaseName("lake")).tableList()).extracting(Table::name).containsExactly("events", "people", "sales");

        Table sales = glue.getTable(r -> r.databaseName("lake").name("sales")).table();
        assertThat(sales.tableType()).isEqualTo("EXTERNAL_TABLE");
        assertThat(sales.parameters()).containsEntry("classification", "parquet");
        assertThat(columns(sales.storageDescriptor().columns())).containsExactly("id bigint", "amount decimal(9,2)", "ts timestamp",
                "address struct<city:string,zip:int>");
        assertThat(columns(sales.partitionKeys())).containsExactly("year int", "month int");
        assertThat(sales.storageDescriptor().location()).isEqualTo("file:" + dir.resolve("sales"));
        assertThat(sales.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        assertThat(sales.storageDescriptor().inputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
        assertThat(sales.storageDescriptor().outputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
        assertThat(partitions("lake", "sales")).extracting(Partition::values, p -> p.storageDescriptor().location()).containsExactly(
                tuple(List.of("2024", "01"), "file:" + dir.resolve("sales/year=2024/month=01")),
                tuple(List.of("2024", "02"), "file:" + dir.resolve("sales/year=2024/month=02")));

        Table events = glue.getTable(r -> r.databaseName("lake").name("events")).table();
        assertThat(events.parameters()).containsEntry("classification", "json");
        assertThat(columns(events.storageDescriptor().columns())).containsExactly("id bigint", "kind string", "ctx struct<page:string,ms:double>",
                "tags array<string>", "ok boolean");
        assertThat(events.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo("org.openx.data.jsonserde.JsonSerDe");
        assertThat(events.storageDescriptor().inputFormat()).isEqualTo("org.apache.hadoop.mapred.TextInputFormat");
        assertThat(columns(events.partitionKeys())).containsExactly("dt string");
        assertThat(partitions("lake", "events")).extracting(Partition::values).containsExactly(List.of("2024-05-01"), List.of("2024-05-02"));

        Table people = glue.getTable(r -> r.databaseName("lake").name("people")).table();
        assertThat(people.parameters()).containsEntry("classification", "csv").containsEntry("skip.header.line.count", "1").containsEntry("delimiter", "|");
        assertThat(columns(people.storageDescriptor().columns())).containsExactly("name string", "age bigint", "joined date", "score double");
        assertThat(people.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
        assertThat(people.storageDescriptor().serdeInfo().parameters()).containsEntry("field.delim", "|");
        assertThat(people.partitionKeys()).isEmpty();
        assertThat(partitions("lake", "people")).isEmpty();

        // The same tables through the Hive Metastore API, as engines read them.
        try (var hms = server.client()) {
            var hiveSales = hms.getTable("lake", "sales");
            assertThat(hiveSales.getSd().getCols()).extracting(c -> c.getName() + " " + c.getType())
                    .containsExactly("id bigint", "amount decimal(9,2)", "ts timestamp", "address struct<city:string,zip:int>");
            assertThat(hiveSales.getSd().getSerdeInfo().getSerializationLib()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
            assertThat(hms.listPartitionNames("lake", "sales", (short) -1)).containsExactly("year=2024/month=01", "year=2024/month=02");
            assertThat(hms.getTable("lake", "people").getSd().getSerdeInfo().getParameters()).containsEntry("field.delim", "|");
        }

        CrawlerHistory first = runs.get(0);
        assertThat(first.state()).isEqualTo(CrawlerHistoryState.COMPLETED);
        assertThat(first.endTime()).isAfterOrEqualTo(first.startTime());
        JsonNode summary = JSON.readTree(first.summary());
        assertThat(summary.at("/TABLE/ADD/Count").asInt()).isEqualTo(3);
        assertThat(summary.at("/TABLE/UPDATE/Count").asInt()).isZero();
        assertThat(summary.at("/PARTITION/ADD/Count").asInt()).isEqualTo(4);
        assertThat(summary.at("/FILE/READ/Count").asInt()).isEqualTo(6);
        assertThat(summary.get("Errors")).hasSize(1);
        assertThat(summary.at("/Errors/0/Path").asText()).endsWith("junk/blob.bin");
        assertThat(summary.at("/Errors/0/Message").asText()).contains("No classifier recognised");
        CrawlerMetrics metrics = glue.getCrawlerMetrics(r -> r.crawlerNameList("lake")).crawlerMetricsList().get(0);
        assertThat(metrics.tablesCreated()).isEqualTo(3);
        assertThat(metrics.tablesUpdated()).isZero();

        // Re-crawl: a new month whose files carry a new column.
        GlueCrawlerDatasets.parquet(dir.resolve("sales/year=2024/month=03/part-0.parquet"), true);
        glue.startCrawler(r -> r.name("lake"));
        runs = GlueCrawlerDatasets.awaitRuns(glue, "lake", 2);
        assertThat(runs).hasSize(2);
        JsonNode second = JSON.readTree(runs.get(0).summary());
        assertThat(second.at("/TABLE/ADD/Count").asInt()).isZero();
        assertThat(second.get("TablesUpdated")).hasSize(1);
        assertThat(second.at("/TablesUpdated/0").asText()).isEqualTo("sales");
        assertThat(second.at("/PARTITION/ADD/Count").asInt()).isEqualTo(1);
        assertThat(columns(glue.getTable(r -> r.databaseName("lake").name("sales")).table().storageDescriptor().columns()))
                .containsExactly("id bigint", "amount decimal(9,2)", "ts timestamp", "address struct<city:string,zip:int>", "note string");
        assertThat(partitions("lake", "sales")).extracting(Partition::values)
                .containsExactly(List.of("2024", "01"), List.of("2024", "02"), List.of("2024", "03"));
        metrics = glue.getCrawlerMetrics(r -> r.crawlerNameList("lake")).crawlerMetricsList().get(0);
        assertThat(metrics.tablesCreated()).isZero();
        assertThat(metrics.tablesUpdated()).isEqualTo(1);
        // Exclusions (globs relative to the include path) and a TablePrefix, through a second crawler.
        glue.createCrawler(r -> r.name("lake_csv").role("role").databaseName("lake").tablePrefix("only_")
                .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path("file://" + dir).exclusions("sales/**", "events/**", "junk/*").build()).build()));
        glue.startCrawler(r -> r.name("lake_csv"));
        JsonNode onlyCsv = JSON.readTree(GlueCrawlerDatasets.awaitRuns(glue, "lake_csv", 1).get(0).summary());
        assertThat(onlyCsv.get("TablesCreated")).hasSize(1);
        assertThat(onlyCsv.at("/TablesCreated/0").asText()).isEqualTo("only_people");
        assertThat(onlyCsv.at("/FILE/READ/Count").asInt()).isEqualTo(1);
        assertThat(onlyCsv.get("Errors")).isEmpty();

        assertThat(glue.listCrawls(r -> r.crawlerName("lake").filters(f -> f.fieldName("STATE").filterOperator("EQ").fieldValue("COMPLETED"))).crawls())
                .hasSize(2);
    }
}
