package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerHistoryState;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.CsvHeaderOption;
import software.amazon.awssdk.services.glue.model.S3Target;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Custom classifiers on every supported store: the V4 migration, their versions, and a crawl that uses one, on embedded
 * H2 and the machine's MariaDB (127.0.0.1:3306, root) and PostgreSQL (127.0.0.1:5432).
 */
class GlueClassifierBackendsTest {
    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void classifiersAreKeptAndUsedOnEveryStore(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-classifier-store-" + kind);
        Path data = dir.resolve("data");
        GlueCrawlerDatasets.text(data.resolve("people/p.csv"), "name;city\nann;paris\nbob;rome\n");
        try (TestServer server = TestServer.start(dir, TestStores.fresh(kind, dir)); GlueClient glue = GlueClients.client(server)) {
            glue.createClassifier(r -> r.csvClassifier(c -> c.name("semicolons").delimiter(";").containsHeader(CsvHeaderOption.PRESENT)
                    .header("who", "where")));
            assertGlueError(() -> glue.createClassifier(r -> r.csvClassifier(c -> c.name("semicolons"))), "AlreadyExistsException");
            glue.updateClassifier(r -> r.csvClassifier(c -> c.name("semicolons").allowSingleColumn(false)));
            assertThat(glue.getClassifier(r -> r.name("semicolons")).classifier().csvClassifier().version()).isEqualTo(2L);

            glue.createCrawler(r -> r.name("people").role("role").databaseName("crm").classifiers("semicolons")
                    .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path(data.toUri().toString()).build()).build()));
            glue.startCrawler(r -> r.name("people"));
            CrawlerHistory run = GlueCrawlerDatasets.awaitRuns(glue, "people", 1).get(0);
            assertThat(run.state()).as(run.errorMessage()).isEqualTo(CrawlerHistoryState.COMPLETED);
            assertThat(glue.getTable(r -> r.databaseName("crm").name("people")).table().storageDescriptor().columns())
                    .extracting(c -> c.name() + " " + c.type()).containsExactly("who string", "where string");

            glue.deleteClassifier(r -> r.name("semicolons"));
            assertGlueError(() -> glue.getClassifier(r -> r.name("semicolons")), "EntityNotFoundException");
            server.deleteData();
        }
    }
}
