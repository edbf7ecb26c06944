package dev.mortar.metastore.gateway;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.HiveJdbc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerHistoryState;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.CsvHeaderOption;
import software.amazon.awssdk.services.glue.model.S3Target;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tables a crawl registers from CSV are read right by an engine: quoted fields (OpenCSVSerde) lose their quotes, and a
 * header that a custom CSV classifier declared is skipped. Crawled through the AWS SDK's Glue client, queried through
 * the Hive JDBC driver.
 */
class GatewayCrawledCsvTest {
    @Test
    void quotedFieldsAndForcedHeadersAreReadAsTheCrawlerRecordedThem(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("contacts"));
        Files.writeString(data.resolve("contacts/a.csv"), "id,name,city\n1,\"Smith, Ann\",Paris\n2,bob,\"Rome\"\n");
        Files.createDirectories(data.resolve("cities"));
        Files.writeString(data.resolve("cities/c.csv"), "city,country\nParis,France\nRome,Italy\n");
        try (TestServer server = TestServer.start(Map.of("mortar.gateway.duckdb.memory.limit", "256MB", "mortar.gateway.duckdb.threads", "2"));
             GlueClient glue = GlueClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.server.httpPort())).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMORTARTEST", "mortar-test-secret"))).build()) {
            glue.createClassifier(r -> r.csvClassifier(c -> c.name("with-header").delimiter(",").containsHeader(CsvHeaderOption.PRESENT)));
            glue.createCrawler(r -> r.name("csv").role("role").databaseName("crm").classifiers("with-header")
                    .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path(data.toString()).build()).build()));
            glue.startCrawler(r -> r.name("csv"));
            CrawlerHistory run = awaitRun(glue, "csv");
            assertThat(run.state()).as(run.errorMessage()).isEqualTo(CrawlerHistoryState.COMPLETED);

            try (Connection connection = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/crm", "analyst", "any")) {
                assertThat(HiveJdbc.rows(connection, "SELECT id, name, city FROM contacts ORDER BY id"))
                        .containsExactly(List.of(1L, "Smith, Ann", "Paris"), List.of(2L, "bob", "Rome"));
                // All strings: only the classifier's ContainsHeader=PRESENT keeps "city,country" out of the rows.
                assertThat(HiveJdbc.rows(connection, "SELECT city, country FROM cities ORDER BY city"))
                        .containsExactly(List.of("Paris", "France"), List.of("Rome", "Italy"));
            }
            server.deleteData();
        }
    }

    private static CrawlerHistory awaitRun(GlueClient glue, String crawler) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            List<CrawlerHistory> crawls = glue.listCrawls(r -> r.crawlerName(crawler)).crawls();
            if (!crawls.isEmpty() && crawls.get(0).state() != CrawlerHistoryState.RUNNING
                    && glue.getCrawler(r -> r.name(crawler)).crawler().stateAsString().equals("READY")) {
                return crawls.get(0);
            }
            assertThat(System.nanoTime()).as("crawler %s did not finish", crawler).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

}
