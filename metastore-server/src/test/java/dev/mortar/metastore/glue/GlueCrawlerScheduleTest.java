package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Crawler;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.S3Target;
import software.amazon.awssdk.services.glue.model.ScheduleState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crawler schedules through the AWS SDK on every supported store: CreateCrawler and UpdateCrawler with a Schedule
 * (checked as a trigger's, the crawler SCHEDULED), StartCrawlerSchedule, StopCrawlerSchedule, UpdateCrawlerSchedule
 * with the service's errors for each state; refused requests change nothing.
 */
class GlueCrawlerScheduleTest {
    private static CrawlerTargets s3(String path) {
        return CrawlerTargets.builder().s3Targets(S3Target.builder().path(path).build()).build();
    }

    private static Crawler crawler(GlueClient glue, String name) {
        return glue.getCrawler(r -> r.name(name)).crawler();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void schedules(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-crawler-schedules-" + kind);
        try (TestServer server = TestServer.start(dir.resolve("server"), TestStores.fresh(kind, dir)); GlueClient glue = GlueClients.client(server)) {
            glue.createCrawler(r -> r.name("nightly").role("role").databaseName("d").targets(s3("/data/in")).schedule("cron(0 2 * * ? *)"));
            Crawler nightly = crawler(glue, "nightly");
            assertThat(nightly.schedule().scheduleExpression()).isEqualTo("cron(0 2 * * ? *)");
            assertThat(nightly.schedule().state()).isEqualTo(ScheduleState.SCHEDULED);

            glue.createCrawler(r -> r.name("manual").role("role").databaseName("d").targets(s3("/data/in")));
            assertThat(crawler(glue, "manual").schedule()).isNull();

            // a bad expression names the field at fault; nothing is created or changed
            assertThat(assertGlueError(() -> glue.createCrawler(r -> r.name("bad").role("role").targets(s3("/data/in")).schedule("cron(0 24 * * ? *)")),
                    "InvalidInputException").getMessage()).contains("Schedule", "Hours");
            assertThat(assertGlueError(() -> glue.createCrawler(r -> r.name("bad").role("role").targets(s3("/data/in")).schedule("cron(0 2 1 * MON *)")),
                    "InvalidInputException").getMessage()).contains("Day-of-week");
            assertGlueError(() -> glue.getCrawler(r -> r.name("bad")), "EntityNotFoundException");
            assertGlueError(() -> glue.updateCrawler(r -> r.name("nightly").schedule("daily")), "InvalidInputException");
            assertGlueError(() -> glue.updateCrawlerSchedule(r -> r.crawlerName("nightly").schedule("cron(70 2 * * ? *)")), "InvalidInputException");
            assertThat(crawler(glue, "nightly").schedule().scheduleExpression()).isEqualTo("cron(0 2 * * ? *)");

            // the schedule's states and the errors of each
            assertGlueError(() -> glue.startCrawlerSchedule(r -> r.crawlerName("nightly")), "SchedulerRunningException");
            glue.stopCrawlerSchedule(r -> r.crawlerName("nightly"));
            assertThat(crawler(glue, "nightly").schedule().state()).isEqualTo(ScheduleState.NOT_SCHEDULED);
            assertGlueError(() -> glue.stopCrawlerSchedule(r -> r.crawlerName("nightly")), "SchedulerNotRunningException");
            // a new expression for a stopped schedule leaves it stopped
            glue.updateCrawlerSchedule(r -> r.crawlerName("nightly").schedule("cron(30 3 * * ? *)"));
            nightly = crawler(glue, "nightly");
            assertThat(nightly.schedule().scheduleExpression()).isEqualTo("cron(30 3 * * ? *)");
            assertThat(nightly.schedule().state()).isEqualTo(ScheduleState.NOT_SCHEDULED);
            glue.startCrawlerSchedule(r -> r.crawlerName("nightly"));
            assertThat(crawler(glue, "nightly").schedule().state()).isEqualTo(ScheduleState.SCHEDULED);
            // UpdateCrawler without a Schedule keeps it and its state
            glue.updateCrawler(r -> r.name("nightly").description("every night"));
            nightly = crawler(glue, "nightly");
            assertThat(nightly.description()).isEqualTo("every night");
            assertThat(nightly.schedule().scheduleExpression()).isEqualTo("cron(30 3 * * ? *)");
            assertThat(nightly.schedule().state()).isEqualTo(ScheduleState.SCHEDULED);

            assertGlueError(() -> glue.startCrawlerSchedule(r -> r.crawlerName("manual")), "NoScheduleException");
            assertGlueError(() -> glue.stopCrawlerSchedule(r -> r.crawlerName("manual")), "SchedulerNotRunningException");
            // a crawler given a schedule by UpdateCrawler is scheduled
            glue.updateCrawler(r -> r.name("manual").schedule("cron(0 12 ? * MON-FRI *)"));
            assertThat(crawler(glue, "manual").schedule().state()).isEqualTo(ScheduleState.SCHEDULED);
            // a blank schedule removes it
            glue.updateCrawlerSchedule(r -> r.crawlerName("manual").schedule(""));
            assertThat(crawler(glue, "manual").schedule()).isNull();
            assertGlueError(() -> glue.startCrawlerSchedule(r -> r.crawlerName("manual")), "NoScheduleException");

            for (String op : List.of("start", "stop", "update")) {
                assertGlueError(() -> {
                    switch (op) {
                        case "start" -> glue.startCrawlerSchedule(r -> r.crawlerName("nope"));
                        case "stop" -> glue.stopCrawlerSchedule(r -> r.crawlerName("nope"));
                        default -> glue.updateCrawlerSchedule(r -> r.crawlerName("nope").schedule("cron(0 2 * * ? *)"));
                    }
                }, "EntityNotFoundException");
            }

            assertThat(glue.getCrawlers(r -> r.maxResults(10)).crawlers()).extracting(c -> c.schedule() == null ? null : c.schedule().state())
                    .containsExactly(null, ScheduleState.SCHEDULED);
            // a deleted crawler's schedule goes with it
            glue.deleteCrawler(r -> r.name("nightly"));
            glue.createCrawler(r -> r.name("nightly").role("role").databaseName("d").targets(s3("/data/in")));
            assertThat(crawler(glue, "nightly").schedule()).isNull();
        }
    }
}
