package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerHistoryState;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.LastCrawlStatus;
import software.amazon.awssdk.services.glue.model.S3Target;
import software.amazon.awssdk.services.glue.model.Table;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crawl held between two files (its file system waits on a {@code block*} file): StopCrawler ends it there,
 * with nothing half-written; a server stopped under it leaves it RUNNING, and the next start on the same store
 * fails it and readies its crawler.
 */
class GlueCrawlerRecoveryTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void release() {
        BlockingFileSystem.release.countDown();
    }

    private static void dataset(Path dir) throws Exception {
        GlueCrawlerDatasets.text(dir.resolve("t/p=1/a.json"), "{\"a\": 1}\n");
        GlueCrawlerDatasets.text(dir.resolve("t/p=2/block.json"), "{\"a\": 2}\n");
        GlueCrawlerDatasets.text(dir.resolve("t/p=3/c.json"), "{\"a\": 3}\n");
        GlueCrawlerDatasets.text(dir.resolve("t/p=4/d.json"), "{\"a\": 4}\n");
    }

    private static CrawlerTargets blocking(Path dir) {
        return CrawlerTargets.builder().s3Targets(S3Target.builder().path("blocking:" + dir).build()).build();
    }

    @Test
    void stopCrawlerTakesEffectBetweenFilesAndWritesNothing(@TempDir Path dir) throws Exception {
        dataset(dir.resolve("data"));
        BlockingFileSystem.reset();
        try (TestServer server = TestServer.start(dir.resolve("server"), Map.of()); GlueClient glue = GlueClients.client(server)) {
            glue.createCrawler(r -> r.name("held").role("role").databaseName("held").targets(blocking(dir.resolve("data"))));
            long startedBefore = System.currentTimeMillis();
            glue.startCrawler(r -> r.name("held"));
            assertThat(BlockingFileSystem.entered.await(60, TimeUnit.SECONDS)).isTrue();
            // while it runs, the time since the crawl began
            var running = glue.getCrawler(r -> r.name("held")).crawler();
            assertThat(running.stateAsString()).isEqualTo("RUNNING");
            assertThat(running.crawlElapsedTime()).isBetween(0L, System.currentTimeMillis() - startedBefore + 1000);
            glue.stopCrawler(r -> r.name("held"));
            assertThat(glue.getCrawler(r -> r.name("held")).crawler().stateAsString()).isEqualTo("STOPPING");
            BlockingFileSystem.release.countDown();
            CrawlerHistory run = GlueCrawlerDatasets.awaitRuns(glue, "held", 1).get(0);
            assertThat(run.state()).isEqualTo(CrawlerHistoryState.STOPPED);
            JsonNode summary = JSON.readTree(run.summary());
            assertThat(summary.at("/FILE/READ/Count").asInt()).isEqualTo(2);
            assertThat(summary.at("/FILE/SEEN/Count").asInt()).isEqualTo(4);
            assertThat(summary.at("/DecisionLog/Kinds/STOP").asInt()).isEqualTo(1);
            assertThat(glue.getTables(r -> r.databaseName("held")).tableList()).isEmpty();
            assertThat(glue.getCrawler(r -> r.name("held")).crawler().lastCrawl().status()).isEqualTo(LastCrawlStatus.CANCELLED);
            assertThat(glue.getCrawler(r -> r.name("held")).crawler().crawlElapsedTime()).isZero();
            server.deleteData();
        }
    }

    @Test
    void aRunInterruptedByAServerStopIsFailedAtTheNextStart(@TempDir Path dir) throws Exception {
        dataset(dir.resolve("data"));
        BlockingFileSystem.reset();
        Path store = dir.resolve("server");
        try (TestServer first = TestServer.start(store, Map.of()); GlueClient glue = GlueClients.client(first)) {
            glue.createCrawler(r -> r.name("cut").role("role").databaseName("cut").targets(blocking(dir.resolve("data"))));
            glue.startCrawler(r -> r.name("cut"));
            assertThat(BlockingFileSystem.entered.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(glue.getCrawler(r -> r.name("cut")).crawler().stateAsString()).isEqualTo("RUNNING");
        }
        // the run is still held in the stopped server's thread; its store says RUNNING until the next start
        try (TestServer second = TestServer.start(store, Map.of()); GlueClient glue = GlueClients.client(second)) {
            var crawler = glue.getCrawler(r -> r.name("cut")).crawler();
            assertThat(crawler.stateAsString()).isEqualTo("READY");
            assertThat(crawler.lastCrawl().status()).isEqualTo(LastCrawlStatus.FAILED);
            assertThat(crawler.lastCrawl().errorMessage()).contains("The server stopped during the run");
            List<CrawlerHistory> runs = glue.listCrawls(r -> r.crawlerName("cut")).crawls();
            assertThat(runs).singleElement().satisfies(run -> {
                assertThat(run.state()).isEqualTo(CrawlerHistoryState.FAILED);
                assertThat(run.endTime()).isNotNull();
            });
            // the crawler runs again, to completion
            BlockingFileSystem.release.countDown();
            glue.startCrawler(r -> r.name("cut"));
            List<CrawlerHistory> after = GlueCrawlerDatasets.awaitRuns(glue, "cut", 2);
            assertThat(after.get(0).state()).isEqualTo(CrawlerHistoryState.COMPLETED);
            assertThat(glue.getTables(r -> r.databaseName("cut")).tableList()).extracting(Table::name).containsExactly("t");
            second.deleteData();
        }
    }
}
