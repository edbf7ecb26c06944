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
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.GlueException;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.RecrawlPolicy;
import software.amazon.awssdk.services.glue.model.S3Target;
import software.amazon.awssdk.services.glue.model.SchemaChangePolicy;
import software.amazon.awssdk.services.glue.model.Table;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;

/** Crawler Configuration, SchemaChangePolicy and RecrawlPolicy through the AWS SDK's Glue client, and the decision log over HTTP. */
class GlueCrawlerPolicyTest {
    static TestServer server;
    static GlueClient glue;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

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

    private static CrawlerTargets s3(Path path) {
        return CrawlerTargets.builder().s3Targets(S3Target.builder().path(path.toString()).build()).build();
    }

    private static List<String> columns(List<Column> columns) {
        return columns.stream().map(c -> c.name() + " " + c.type()).toList();
    }

    private static List<List<String>> partitions(String db, String table) {
        List<List<String>> out = new ArrayList<>();
        glue.getPartitionsPaginator(r -> r.databaseName(db).tableName(table)).forEach(page -> page.partitions().forEach(p -> out.add(p.values())));
        out.sort(Comparator.comparing(v -> String.join("/", v)));
        return out;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(GlueClients.endpoint(server) + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void deleteTree(Path p) throws Exception {
        try (Stream<Path> paths = Files.walk(p)) {
            paths.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }

    @Test
    void invalidConfigurationAndPolicyCombinationsAreRefusedAndChangeNothing(@TempDir Path dir) {
        GlueException bad = assertGlueError(() -> glue.createCrawler(r -> r.name("cfg").role("role").databaseName("db").targets(s3(dir))
                .configuration("{\"Version\":1.0,\"CrawlerOutput\":{\"Partitions\":{\"UpdateBehavior\":\"LOG\"}}}")), "InvalidInputException");
        assertThat(bad.awsErrorDetails().errorMessage()).isEqualTo("CrawlerOutput.Partitions contains unsupported keys: UpdateBehavior.");
        assertGlueError(() -> glue.createCrawler(r -> r.name("cfg").role("role").databaseName("db").targets(s3(dir)).configuration("{nope")),
                "InvalidInputException");
        assertGlueError(() -> glue.createCrawler(r -> r.name("cfg").role("role").databaseName("db").targets(s3(dir))
                .configuration("{\"Version\":1.0,\"Grouping\":{\"TableLevelConfiguration\":0}}")), "InvalidInputException");
        GlueException newOnly = assertGlueError(() -> glue.createCrawler(r -> r.name("cfg").role("role").databaseName("db").targets(s3(dir))
                .recrawlPolicy(RecrawlPolicy.builder().recrawlBehavior("CRAWL_NEW_FOLDERS_ONLY").build())), "InvalidInputException");
        assertThat(newOnly.awsErrorDetails().errorMessage())
                .isEqualTo("The SchemaChangePolicy for \"Crawl new folders only\" Amazon S3 target can have only LOG DeleteBehavior value and LOG UpdateBehavior value.");
        assertGlueError(() -> glue.createCrawler(r -> r.name("cfg").role("role").databaseName("db").targets(s3(dir))
                .schemaChangePolicy(SchemaChangePolicy.builder().updateBehavior("SOMETIMES").build())), "ValidationException");
        assertGlueError(() -> glue.createCrawler(r -> r.name("cfg").role("role").databaseName("db")
                .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path(dir.toString()).sampleSize(250).build()).build())), "ValidationException");
        assertGlueError(() -> glue.getCrawler(r -> r.name("cfg")), "EntityNotFoundException");

        String config = "{\"Version\":1.0,\"Grouping\":{\"TableGroupingPolicy\":\"CombineCompatibleSchemas\"},"
                + "\"CrawlerOutput\":{\"Tables\":{\"AddOrUpdateBehavior\":\"MergeNewColumns\"},\"Partitions\":{\"AddOrUpdateBehavior\":\"InheritFromTable\"}}}";
        glue.createCrawler(r -> r.name("cfg").role("role").databaseName("db").targets(s3(dir)).configuration(config)
                .schemaChangePolicy(SchemaChangePolicy.builder().updateBehavior("LOG").deleteBehavior("LOG").build())
                .recrawlPolicy(RecrawlPolicy.builder().recrawlBehavior("CRAWL_NEW_FOLDERS_ONLY").build()));
        assertThat(glue.getCrawler(r -> r.name("cfg")).crawler().configuration()).isEqualTo(config);
        // an update that would leave new-folders-only with UPDATE_IN_DATABASE is refused, and the crawler keeps its definition
        assertGlueError(() -> glue.updateCrawler(r -> r.name("cfg").schemaChangePolicy(SchemaChangePolicy.builder()
                .updateBehavior("UPDATE_IN_DATABASE").deleteBehavior("LOG").build())), "InvalidInputException");
        assertGlueError(() -> glue.updateCrawler(r -> r.name("cfg").configuration("{\"Version\":2}")), "InvalidInputException");
        var kept = glue.getCrawler(r -> r.name("cfg")).crawler();
        assertThat(kept.schemaChangePolicy().updateBehaviorAsString()).isEqualTo("LOG");
        assertThat(kept.configuration()).isEqualTo(config);
        assertThat(kept.version()).isEqualTo(1L);
        glue.deleteCrawler(r -> r.name("cfg"));
    }

    @Test
    void groupingPoliciesAndTheDecisionLog(@TempDir Path dir) throws Exception {
        GlueCrawlerDatasets.text(dir.resolve("lake/2023/a.json"), "{\"id\": 1, \"name\": \"a\", \"city\": \"x\"}\n");
        GlueCrawlerDatasets.text(dir.resolve("lake/2024/a.json"), "{\"id\": 2, \"name\": \"b\", \"city\": \"y\", \"zip\": 5}\n");
        GlueCrawlerDatasets.text(dir.resolve("other/orders/a.csv"), "order_id,total\n1,2.5\n2,3\n");
        GlueCrawlerDatasets.text(dir.resolve("other/orders/b.csv"), "order_id,total\n3,2.5\n4,3\n");
        GlueCrawlerDatasets.text(dir.resolve("other/people/a.csv"), "name,age\nann,3\nbob,4\n");
        glue.createCrawler(r -> r.name("grouping").role("role").databaseName("grouped").tablePrefix("g_")
                .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path(dir.resolve("lake").toString()).build(),
                        S3Target.builder().path(dir.resolve("other").toString()).sampleSize(1).build()).build()));
        glue.startCrawler(r -> r.name("grouping"));
        CrawlerHistory run = GlueCrawlerDatasets.awaitRuns(glue, "grouping", 1).get(0);

        assertThat(glue.getTables(r -> r.databaseName("grouped")).tableList()).extracting(Table::name).containsExactly("g_lake", "g_orders", "g_people");
        Table lake = glue.getTable(r -> r.databaseName("grouped").name("g_lake")).table();
        assertThat(columns(lake.storageDescriptor().columns())).containsExactly("id bigint", "name string", "city string", "zip bigint");
        assertThat(columns(lake.partitionKeys())).containsExactly("partition_0 int");
        assertThat(partitions("grouped", "g_lake")).containsExactly(List.of("2023"), List.of("2024"));
        Partition p2023 = glue.getPartition(r -> r.databaseName("grouped").tableName("g_lake").partitionValues("2023")).partition();
        assertThat(columns(p2023.storageDescriptor().columns())).containsExactly("id bigint", "name string", "city string");

        JsonNode summary = JSON.readTree(run.summary());
        assertThat(summary.at("/FILE/SEEN/Count").asInt()).isEqualTo(5);
        assertThat(summary.at("/FILE/READ/Count").asInt()).isEqualTo(4);
        assertThat(summary.at("/BYTES/READ/Count").asLong()).isPositive();
        assertThat(summary.at("/DecisionLog/Kinds/CLASSIFY").asInt()).isEqualTo(4);
        assertThat(summary.at("/DecisionLog/Kinds/SKIP").asInt()).isEqualTo(1);
        assertThat(summary.at("/DecisionLog/Tables").toString()).contains("g_lake: location file:" + dir.resolve("lake"));

        HttpResponse<String> text = get("/crawlers/grouping/runs/" + run.crawlId() + "/log");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(text.body()).contains("# crawler grouping, run " + run.crawlId() + ", COMPLETED")
                .contains("GROUP file:" + dir.resolve("lake") + ": 2 sibling folder(s) below are one table")
                .contains("GROUP file:" + dir.resolve("other") + ": not one table: the schemas of orders and people below the include path are 0% alike")
                .contains("CLASSIFY file:" + dir.resolve("lake/2023/a.json") + ": classified as json")
                .contains("HEADER file:" + dir.resolve("other/people/a.csv") + ": first row taken as the header")
                .contains("SKIP file:" + dir.resolve("other/orders/b.csv") + ": not read: SampleSize 1 files per folder")
                .contains("CHANGE g_lake: created with columns id bigint, name string, city string, zip bigint");
        HttpResponse<String> json = get("/crawlers/grouping/runs/" + run.crawlId() + "/log?format=json");
        assertThat(json.statusCode()).isEqualTo(200);
        JsonNode log = JSON.readTree(json.body());
        assertThat(log.path("State").asText()).isEqualTo("COMPLETED");
        assertThat(log.path("Entries").size()).isEqualTo(summary.at("/DecisionLog/Entries").asInt());
        assertThat(log.at("/Entries/0/Kind").asText()).isEqualTo("INCLUDE");
        assertThat(get("/crawlers/grouping/runs/nope/log").statusCode()).isEqualTo(404);
        HttpResponse<String> unknown = get("/crawlers/nobody/runs/" + run.crawlId() + "/log");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("__type").asText()).isEqualTo("EntityNotFoundException");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(GlueClients.endpoint(server) + "/crawlers/grouping/runs/" + run.crawlId() + "/log"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

        // CombineCompatibleSchemas: the dissimilar CSV folders become one table
        glue.createCrawler(r -> r.name("combined").role("role").databaseName("combined").targets(s3(dir.resolve("other")))
                .configuration("{\"Version\":1.0,\"Grouping\":{\"TableGroupingPolicy\":\"CombineCompatibleSchemas\"}}"));
        glue.startCrawler(r -> r.name("combined"));
        GlueCrawlerDatasets.awaitRuns(glue, "combined", 1);
        Table other = glue.getTable(r -> r.databaseName("combined").name("other")).table();
        assertThat(columns(other.storageDescriptor().columns())).containsExactly("order_id bigint", "total double", "name string", "age bigint");
        assertThat(columns(other.partitionKeys())).containsExactly("partition_0 string");
        assertThat(partitions("combined", "other")).containsExactly(List.of("orders"), List.of("people"));
    }

    @Test
    void newFoldersOnlyAndDeleteBehaviours(@TempDir Path dir) throws Exception {
        for (int p = 1; p <= 3; p++) {
            GlueCrawlerDatasets.text(dir.resolve("sales/day=" + p + "/a.json"), "{\"id\": " + p + "}\n");
        }
        GlueCrawlerDatasets.text(dir.resolve("refunds/a.json"), "{\"ref\": \"r\", \"amount\": 2}\n");
        glue.createCrawler(r -> r.name("shop").role("role").databaseName("shop").targets(s3(dir)));
        glue.startCrawler(r -> r.name("shop"));
        GlueCrawlerDatasets.awaitRuns(glue, "shop", 1);
        assertThat(columns(glue.getTable(r -> r.databaseName("shop").name("sales")).table().partitionKeys())).containsExactly("day int");

        // new folders only: an old folder's files are not read (a changed schema there is not seen), new ones are
        glue.updateCrawler(r -> r.name("shop").schemaChangePolicy(SchemaChangePolicy.builder().updateBehavior("LOG").deleteBehavior("LOG").build())
                .recrawlPolicy(RecrawlPolicy.builder().recrawlBehavior("CRAWL_NEW_FOLDERS_ONLY").build()));
        GlueCrawlerDatasets.text(dir.resolve("sales/day=1/b.json"), "{\"id\": 9, \"unseen\": true}\n");
        GlueCrawlerDatasets.text(dir.resolve("sales/day=4/a.json"), "{\"id\": 4}\n");
        glue.startCrawler(r -> r.name("shop"));
        JsonNode second = JSON.readTree(GlueCrawlerDatasets.awaitRuns(glue, "shop", 2).get(0).summary());
        assertThat(second.at("/FILE/SEEN/Count").asInt()).isEqualTo(1);
        assertThat(second.at("/FILE/READ/Count").asInt()).isEqualTo(1);
        assertThat(second.at("/PARTITION/ADD/Count").asInt()).isEqualTo(1);
        assertThat(partitions("shop", "sales")).containsExactly(List.of("1"), List.of("2"), List.of("3"), List.of("4"));
        assertThat(columns(glue.getTable(r -> r.databaseName("shop").name("sales")).table().storageDescriptor().columns())).containsExactly("id bigint");

        // deprecate (the default DeleteBehavior of a full crawl): the gone table and partition are marked
        glue.updateCrawler(r -> r.name("shop").schemaChangePolicy(SchemaChangePolicy.builder().updateBehavior("UPDATE_IN_DATABASE")
                .deleteBehavior("DEPRECATE_IN_DATABASE").build()).recrawlPolicy(RecrawlPolicy.builder().recrawlBehavior("CRAWL_EVERYTHING").build()));
        deleteTree(dir.resolve("refunds"));
        deleteTree(dir.resolve("sales/day=2"));
        glue.startCrawler(r -> r.name("shop"));
        JsonNode third = JSON.readTree(GlueCrawlerDatasets.awaitRuns(glue, "shop", 3).get(0).summary());
        assertThat(third.get("TablesDeleted").toString()).isEqualTo("[\"refunds\"]");
        assertThat(third.at("/PARTITION/DELETE/Count").asInt()).isEqualTo(1);
        assertThat(glue.getTable(r -> r.databaseName("shop").name("refunds")).table().parameters()).containsKey("DEPRECATED_BY_CRAWLER");
        assertThat(glue.getPartition(r -> r.databaseName("shop").tableName("sales").partitionValues("2")).partition().parameters())
                .containsKey("DEPRECATED_BY_CRAWLER");
        assertThat(glue.getCrawlerMetrics(r -> r.crawlerNameList("shop")).crawlerMetricsList().get(0).tablesDeleted()).isEqualTo(1);
        // the unseen column of day=1 is picked up now that everything is crawled
        assertThat(columns(glue.getTable(r -> r.databaseName("shop").name("sales")).table().storageDescriptor().columns()))
                .containsExactly("id bigint", "unseen boolean");

        // delete: the deprecated table and partition go
        glue.updateCrawler(r -> r.name("shop").schemaChangePolicy(SchemaChangePolicy.builder().updateBehavior("UPDATE_IN_DATABASE")
                .deleteBehavior("DELETE_FROM_DATABASE").build()));
        glue.startCrawler(r -> r.name("shop"));
        JsonNode fourth = JSON.readTree(GlueCrawlerDatasets.awaitRuns(glue, "shop", 4).get(0).summary());
        assertThat(fourth.get("TablesDeleted").toString()).isEqualTo("[\"refunds\"]");
        assertGlueError(() -> glue.getTable(r -> r.databaseName("shop").name("refunds")), "EntityNotFoundException");
        assertThat(partitions("shop", "sales")).containsExactly(List.of("1"), List.of("3"), List.of("4"));
        glue.deleteCrawler(r -> r.name("shop"));
    }
}
