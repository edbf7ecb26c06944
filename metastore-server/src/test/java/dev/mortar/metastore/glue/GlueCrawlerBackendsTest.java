package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerHistoryState;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.S3Target;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crawlers on every supported store: the V3 migration, the conditional state change of StartCrawler and
 * the run records, on embedded H2 and the machine's MariaDB (127.0.0.1:3306, root) and PostgreSQL (127.0.0.1:5432).
 */
class GlueCrawlerBackendsTest {



    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void crawlerRunsAndIsRecordedOnEveryStore(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-crawl-store-" + kind);
        Path data = dir.resolve("data");
        GlueCrawlerDatasets.text(data.resolve("orders/region=eu/o.csv"), "id,total\n1,2.5\n2,4\n");
        GlueCrawlerDatasets.text(data.resolve("orders/region=us/o.csv"), "id,total\n3,1.5\n4,9\n");
        try (TestServer server = TestServer.start(dir, TestStores.fresh(kind, dir)); GlueClient glue = GlueClients.client(server)) {
            glue.createCrawler(r -> r.name("orders").role("role").databaseName("shop").tablePrefix("raw_")
                    .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path(data.toUri().toString()).build()).build()));
            assertGlueError(() -> glue.createCrawler(r -> r.name("orders").role("role").databaseName("shop")
                    .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path("/x").build()).build())), "AlreadyExistsException");
            glue.startCrawler(r -> r.name("orders"));
            List<CrawlerHistory> runs = GlueCrawlerDatasets.awaitRuns(glue, "orders", 1);
            assertThat(runs).singleElement().satisfies(run -> {
                assertThat(run.state()).isEqualTo(CrawlerHistoryState.COMPLETED);
                assertThat(run.errorMessage()).isNull();
            });
            assertThat(glue.getTable(r -> r.databaseName("shop").name("raw_orders")).table().storageDescriptor().columns())
                    .extracting(c -> c.name() + " " + c.type()).containsExactly("id bigint", "total double");
            assertThat(glue.getPartitions(r -> r.databaseName("shop").tableName("raw_orders")).partitions()).hasSize(2);
            assertThat(glue.getCrawlerMetrics(r -> r.crawlerNameList("orders")).crawlerMetricsList().get(0).tablesCreated()).isEqualTo(1);
            // the folder state kept in the store (V5) drives a new-folders-only recrawl
            GlueCrawlerDatasets.text(data.resolve("orders/region=ap/o.csv"), "id,total\n5,1.5\n6,2\n");
            glue.updateCrawler(r -> r.name("orders").schemaChangePolicy(s -> s.updateBehavior("LOG").deleteBehavior("LOG"))
                    .recrawlPolicy(p -> p.recrawlBehavior("CRAWL_NEW_FOLDERS_ONLY")));
            glue.startCrawler(r -> r.name("orders"));
            CrawlerHistory recrawl = GlueCrawlerDatasets.awaitRuns(glue, "orders", 2).get(0);
            assertThat(recrawl.state()).isEqualTo(CrawlerHistoryState.COMPLETED);
            assertThat(recrawl.summary()).contains("\"FILE\":{\"SEEN\":{\"Count\":1},\"READ\":{\"Count\":1}}");
            assertThat(glue.getPartitions(r -> r.databaseName("shop").tableName("raw_orders")).partitions()).hasSize(3);
            glue.deleteCrawler(r -> r.name("orders"));
            assertGlueError(() -> glue.listCrawls(r -> r.crawlerName("orders")), "EntityNotFoundException");
            server.deleteData();
        }
    }
}
