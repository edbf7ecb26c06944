package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerHistoryState;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.S3Target;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crawlers on every supported store: the V3 migration, the conditional state change of StartCrawler and
 * the run records, on embedded H2 and the machine's MariaDB (127.0.0.1:3306, root) and PostgreSQL (127.0.0.1:5432).
 */
class GlueCrawlerBackendsTest {

    private static Map<String, String> freshStore(String kind, Path dir) throws Exception {
        String name = "mortar_crawl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return switch (kind) {
            case "h2" -> Map.of("mortar.store.url", "jdbc:h2:file:" + dir.resolve("catalog-h2") + ";DB_CLOSE_ON_EXIT=FALSE");
            case "mariadb" -> {
                try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/", "root", "");
                     Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
                }
                yield Map.of("mortar.store.url", "jdbc:mysql://127.0.0.1:3306/" + name, "mortar.store.user", "root", "mortar.store.password", "");
            }
            case "postgres" -> {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                     Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
                yield Map.of("mortar.store.url", "jdbc:postgresql://127.0.0.1:5432/" + name, "mortar.store.user", "postgres", "mortar.store.password", "");
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void crawlerRunsAndIsRecordedOnEveryStore(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-crawl-store-" + kind);
        Path data = dir.resolve("data");
        GlueCrawlerDatasets.text(data.resolve("orders/region=eu/o.csv"), "id,total\n1,2.5\n2,4\n");
        GlueCrawlerDatasets.text(data.resolve("orders/region=us/o.csv"), "id,total\n3,1.5\n4,9\n");
        try (TestServer server = TestServer.start(dir, freshStore(kind, dir)); GlueClient glue = GlueClients.client(server)) {
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
            glue.deleteCrawler(r -> r.name("orders"));
            assertGlueError(() -> glue.listCrawls(r -> r.crawlerName("orders")), "EntityNotFoundException");
            server.deleteData();
        }
    }
}
