package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Crawler;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerState;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.DynamoDBTarget;
import software.amazon.awssdk.services.glue.model.JdbcTarget;
import software.amazon.awssdk.services.glue.model.LastCrawlStatus;
import software.amazon.awssdk.services.glue.model.ListCrawlersResponse;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.S3Target;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;

/** Crawler definitions and run control through the AWS SDK: create, read, list, delete, start while running. */
class GlueCrawlerApiTest {
    static TestServer server;
    static GlueClient glue;

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

    private static CrawlerTargets s3(String path) {
        return CrawlerTargets.builder().s3Targets(S3Target.builder().path(path).build()).build();
    }

    @Test
    void crawlerDefinitionRoundTripsAndIsDeleted() {
        Instant before = Instant.now().minusSeconds(2);
        glue.createCrawler(r -> r.name("defs").role("arn:aws:iam::123456789012:role/crawler").databaseName("defs_db")
                .description("nightly").tablePrefix("raw_").targets(s3("/data/in")).schedule("cron(0 2 * * ? *)"));
        Crawler c = glue.getCrawler(r -> r.name("defs")).crawler();
        assertThat(c.name()).isEqualTo("defs");
        assertThat(c.role()).isEqualTo("arn:aws:iam::123456789012:role/crawler");
        assertThat(c.databaseName()).isEqualTo("defs_db");
        assertThat(c.description()).isEqualTo("nightly");
        assertThat(c.tablePrefix()).isEqualTo("raw_");
        assertThat(c.targets().s3Targets()).singleElement().satisfies(t -> assertThat(t.path()).isEqualTo("/data/in"));
        assertThat(c.schedule().scheduleExpression()).isEqualTo("cron(0 2 * * ? *)");
        assertThat(c.state()).isEqualTo(CrawlerState.READY);
        assertThat(c.creationTime()).isBetween(before, Instant.now().plusSeconds(2));
        assertThat(c.version()).isEqualTo(1L);
        assertThat(c.lastCrawl()).isNull();
        assertThat(c.schemaChangePolicy().updateBehaviorAsString()).isEqualTo("UPDATE_IN_DATABASE");
        assertThat(c.schemaChangePolicy().deleteBehaviorAsString()).isEqualTo("DEPRECATE_IN_DATABASE");
        assertThat(c.recrawlPolicy().recrawlBehaviorAsString()).isEqualTo("CRAWL_EVERYTHING");

        assertGlueError(() -> glue.createCrawler(r -> r.name("defs").role("r").databaseName("d").targets(s3("/x"))), "AlreadyExistsException");
        assertGlueError(() -> glue.createCrawler(r -> r.name("jdbc").role("r").databaseName("d")
                .targets(CrawlerTargets.builder().dynamoDBTargets(DynamoDBTarget.builder().path("orders").build()).build())), "InvalidInputException");
        assertGlueError(() -> glue.createCrawler(r -> r.name("jdbc").role("r").databaseName("d")
                .targets(CrawlerTargets.builder().jdbcTargets(JdbcTarget.builder().connectionName("c").build()).build())), "ValidationException");
        assertGlueError(() -> glue.getCrawler(r -> r.name("jdbc")), "EntityNotFoundException");

        glue.deleteCrawler(r -> r.name("defs"));
        assertGlueError(() -> glue.getCrawler(r -> r.name("defs")), "EntityNotFoundException");
        assertGlueError(() -> glue.deleteCrawler(r -> r.name("defs")), "EntityNotFoundException");
        assertGlueError(() -> glue.startCrawler(r -> r.name("defs")), "EntityNotFoundException");
        assertGlueError(() -> glue.listCrawls(r -> r.crawlerName("defs")), "EntityNotFoundException");
    }

    @Test
    void listCrawlersAndGetCrawlersPage() {
        for (String n : List.of("page_c", "page_a", "page_b")) {
            glue.createCrawler(r -> r.name(n).role("role").databaseName("d").targets(s3("/p/" + n)));
        }
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListCrawlersResponse page = glue.listCrawlers(r -> r.maxResults(1).nextToken(t));
            assertThat(page.crawlerNames()).hasSizeLessThanOrEqualTo(1);
            names.addAll(page.crawlerNames());
            token = page.nextToken();
        } while (token != null);
        assertThat(names.stream().filter(n -> n.startsWith("page_"))).containsExactly("page_a", "page_b", "page_c");
        List<Crawler> crawlers = glue.getCrawlers(r -> r.maxResults(1000)).crawlers();
        assertThat(crawlers.stream().filter(c -> c.name().startsWith("page_")).map(Crawler::name)).containsExactly("page_a", "page_b", "page_c");
        var batch = glue.batchGetCrawlers(r -> r.crawlerNames("page_c", "no_such_crawler", "page_a"));
        assertThat(batch.crawlers()).extracting(Crawler::name).containsExactly("page_c", "page_a");
        assertThat(batch.crawlers().get(0).targets().s3Targets()).extracting(S3Target::path).containsExactly("/p/page_c");
        assertThat(batch.crawlersNotFound()).containsExactly("no_such_crawler");
        List<String> tooMany = java.util.stream.IntStream.range(0, 101).mapToObj(i -> "c" + i).toList();
        assertGlueError(() -> glue.batchGetCrawlers(r -> r.crawlerNames(tooMany)), "ValidationException");
        assertThat(glue.getCrawlerMetrics(r -> r.crawlerNameList("page_b")).crawlerMetricsList()).singleElement()
                .satisfies(m -> {
                    assertThat(m.crawlerName()).isEqualTo("page_b");
                    assertThat(m.tablesCreated()).isZero();
                });
    }

    @Test
    void aCrawlerWithNoCrawlOnHasNoElapsedTime() {
        glue.createCrawler(r -> r.name("idle").role("role").databaseName("d").targets(s3("/p/idle")));
        assertThat(glue.getCrawler(r -> r.name("idle")).crawler().crawlElapsedTime()).isZero();
        assertThat(glue.getCrawlers(r -> r.maxResults(1000)).crawlers()).filteredOn(c -> c.name().equals("idle"))
                .singleElement().satisfies(c -> assertThat(c.crawlElapsedTime()).isZero());
        assertThat(glue.batchGetCrawlers(r -> r.crawlerNames("idle")).crawlers()).singleElement()
                .satisfies(c -> assertThat(c.crawlElapsedTime()).isZero());
    }

    @Test
    void listCrawlersFiltersOnTags() {
        glue.createCrawler(r -> r.name("tag_a").role("role").databaseName("d").targets(s3("/p/a")).tags(Map.of("team", "data", "env", "prod")));
        glue.createCrawler(r -> r.name("tag_b").role("role").databaseName("d").targets(s3("/p/b")).tags(Map.of("team", "data")));
        glue.createCrawler(r -> r.name("tag_c").role("role").databaseName("d").targets(s3("/p/c")));
        glue.tagResource(r -> r.resourceArn("arn:aws:glue:us-east-1:123456789012:crawler/tag_c").tagsToAdd(Map.of("team", "data", "env", "dev")));
        assertThat(glue.listCrawlers(r -> r.tags(Map.of("team", "data"))).crawlerNames()).containsExactly("tag_a", "tag_b", "tag_c");
        assertThat(glue.listCrawlers(r -> r.tags(Map.of("team", "data", "env", "prod"))).crawlerNames()).containsExactly("tag_a");
        assertThat(glue.listCrawlers(r -> r.tags(Map.of("team", "other"))).crawlerNames()).isEmpty();
        // pages count the crawlers that match
        ListCrawlersResponse first = glue.listCrawlers(r -> r.tags(Map.of("team", "data")).maxResults(2));
        assertThat(first.crawlerNames()).containsExactly("tag_a", "tag_b");
        assertThat(glue.listCrawlers(r -> r.tags(Map.of("team", "data")).maxResults(2).nextToken(first.nextToken())).crawlerNames()).containsExactly("tag_c");
        assertThat(glue.listCrawlers(r -> r.maxResults(1000)).crawlerNames()).contains("tag_a", "tag_b", "tag_c");
    }

    @Test
    void theDatabaseACrawlerWritesIsCheckedWhenTheCrawlerIsWritten() {
        var e = assertGlueError(() -> glue.createCrawler(r -> r.name("bad_db").role("role").databaseName("has;semicolon").targets(s3("/p/x"))),
                "InvalidInputException");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("has;semicolon is not a valid database name");
        assertGlueError(() -> glue.getCrawler(r -> r.name("bad_db")), "EntityNotFoundException");
        assertGlueError(() -> glue.createCrawler(r -> r.name("bad_db").role("role").databaseName("d".repeat(129)).targets(s3("/p/x"))),
                "InvalidInputException");

        // the names CreateDatabase takes, hyphens included
        glue.createCrawler(r -> r.name("good_db").role("role").databaseName("My-Database").targets(s3("/p/x")));
        assertGlueError(() -> glue.updateCrawler(r -> r.name("good_db").databaseName("white space")), "InvalidInputException");
        Crawler unchanged = glue.getCrawler(r -> r.name("good_db")).crawler();
        assertThat(unchanged.databaseName()).isEqualTo("My-Database");
        assertThat(unchanged.version()).isEqualTo(1L);
        glue.updateCrawler(r -> r.name("good_db").databaseName("my_other-db"));
        assertThat(glue.getCrawler(r -> r.name("good_db")).crawler().databaseName()).isEqualTo("my_other-db");
    }

    @Test
    void listCrawlsFiltersOnEveryField(@TempDir Path dir) throws Exception {
        GlueCrawlerDatasets.text(dir.resolve("t/a.csv"), "id,msg\n1,hello\n2,bye\n");
        glue.createCrawler(r -> r.name("filtered").role("role").databaseName("filtered_db").targets(s3(dir.toString())));
        glue.startCrawler(r -> r.name("filtered"));
        CrawlerHistory first = GlueCrawlerDatasets.awaitRuns(glue, "filtered", 1).get(0);
        glue.startCrawler(r -> r.name("filtered"));
        List<CrawlerHistory> runs = GlueCrawlerDatasets.awaitRuns(glue, "filtered", 2);
        CrawlerHistory second = runs.get(0);
        assertThat(runs).extracting(CrawlerHistory::crawlId).containsExactly(second.crawlId(), first.crawlId());
        assertThat(crawlIds("START_TIME", "GE", millis(first.startTime()))).containsExactly(second.crawlId(), first.crawlId());
        assertThat(crawlIds("START_TIME", "GT", millis(first.startTime()))).containsExactly(second.crawlId());
        assertThat(crawlIds("START_TIME", "LT", millis(second.startTime()))).containsExactly(first.crawlId());
        assertThat(crawlIds("START_TIME", "LE", millis(first.startTime()))).containsExactly(first.crawlId());
        assertThat(crawlIds("START_TIME", "EQ", millis(second.startTime()))).containsExactly(second.crawlId());
        assertThat(crawlIds("START_TIME", "NE", millis(second.startTime()))).containsExactly(first.crawlId());
        assertThat(crawlIds("END_TIME", "LE", millis(first.endTime()))).containsExactly(first.crawlId());
        assertThat(crawlIds("END_TIME", "GT", millis(first.endTime()))).containsExactly(second.crawlId());
        // ISO-8601 too, as other emulators take it
        assertThat(crawlIds("START_TIME", "GT", first.startTime().minusMillis(1).toString())).containsExactly(second.crawlId(), first.crawlId());
        assertThat(crawlIds("END_TIME", "GE", "2999-01-01T00:00:00")).isEmpty();
        assertThat(crawlIds("DPU_HOUR", "EQ", "0")).hasSize(2);
        assertThat(crawlIds("DPU_HOUR", "GT", "0.5")).isEmpty();
        assertThat(crawlIds("STATE", "EQ", "COMPLETED")).hasSize(2);
        assertThat(crawlIds("STATE", "NE", "COMPLETED")).isEmpty();
        assertThat(crawlIds("CRAWL_ID", "EQ", first.crawlId())).containsExactly(first.crawlId());
        assertThat(crawlIds("CRAWL_ID", "NE", first.crawlId())).containsExactly(second.crawlId());
        // filters combine
        assertThat(glue.listCrawls(r -> r.crawlerName("filtered").filters(
                f -> f.fieldName("STATE").filterOperator("EQ").fieldValue("COMPLETED"),
                f -> f.fieldName("START_TIME").filterOperator("LT").fieldValue(millis(second.startTime())))).crawls())
                .extracting(CrawlerHistory::crawlId).containsExactly(first.crawlId());

        var noValue = assertGlueError(() -> glue.listCrawls(r -> r.crawlerName("filtered").filters(f -> f.fieldName("STATE").filterOperator("EQ"))),
                "InvalidInputException");
        assertThat(noValue.awsErrorDetails().errorMessage()).startsWith("Invalid Filter Provided");
        assertGlueError(() -> glue.listCrawls(r -> r.crawlerName("filtered").filters(f -> f.fieldName("STATE").fieldValue("COMPLETED"))),
                "InvalidInputException");
        for (String field : List.of("STATE", "CRAWL_ID")) {
            for (String op : List.of("GT", "GE", "LT", "LE")) {
                var ordered = assertGlueError(() -> glue.listCrawls(r -> r.crawlerName("filtered").filters(f -> f.fieldName(field).filterOperator(op).fieldValue("x"))),
                        "InvalidInputException");
                assertThat(ordered.awsErrorDetails().errorMessage()).isEqualTo("Only EQ or NE operator is allowed for field : " + field);
            }
        }
        assertGlueError(() -> glue.listCrawls(r -> r.crawlerName("filtered").filters(f -> f.fieldName("START_TIME").filterOperator("GT").fieldValue("yesterday"))),
                "InvalidInputException");
        assertGlueError(() -> glue.listCrawls(r -> r.crawlerName("filtered").filters(f -> f.fieldName("DPU_HOUR").filterOperator("GT").fieldValue("lots"))),
                "InvalidInputException");
        assertGlueError(() -> glue.listCrawls(r -> r.crawlerName("filtered").filters(f -> f.fieldName("RUNTIME").filterOperator("GT").fieldValue("1"))),
                "ValidationException");
    }

    private static String millis(Instant t) {
        return Long.toString(t.toEpochMilli());
    }

    private static List<String> crawlIds(String field, String operator, String value) {
        return glue.listCrawls(r -> r.crawlerName("filtered").filters(f -> f.fieldName(field).filterOperator(operator).fieldValue(value))).crawls().stream()
                .map(CrawlerHistory::crawlId).toList();
    }

    @Test
    void aSecondStartWhileRunningFailsAndTheRunCompletes(@TempDir Path dir) throws Exception {
        // Enough partitions that the first run is still going when the second StartCrawler arrives.
        for (int i = 0; i < 150; i++) {
            GlueCrawlerDatasets.text(dir.resolve("logs/day=" + i + "/part.csv"), "id,msg\n" + i + ",hello\n" + (i + 1) + ",bye\n");
        }
        glue.createCrawler(r -> r.name("busy").role("role").databaseName("busy_db").targets(s3("file://" + dir)));
        glue.startCrawler(r -> r.name("busy"));
        assertGlueError(() -> glue.startCrawler(r -> r.name("busy")), "CrawlerRunningException");
        assertGlueError(() -> glue.deleteCrawler(r -> r.name("busy")), "CrawlerRunningException");

        GlueCrawlerDatasets.awaitRuns(glue, "busy", 1);
        Crawler c = glue.getCrawler(r -> r.name("busy")).crawler();
        assertThat(c.state()).isEqualTo(CrawlerState.READY);
        assertThat(c.crawlElapsedTime()).isZero();
        assertThat(c.lastCrawl().status()).isEqualTo(LastCrawlStatus.SUCCEEDED);
        assertThat(c.lastCrawl().errorMessage()).isNull();
        List<Partition> partitions = new ArrayList<>();
        glue.getPartitionsPaginator(r -> r.databaseName("busy_db").tableName("logs")).forEach(page -> partitions.addAll(page.partitions()));
        assertThat(partitions).hasSize(150);
        assertGlueError(() -> glue.stopCrawler(r -> r.name("busy")), "CrawlerNotRunningException");
    }

    @Test
    void stopCrawlerEndsTheRunAsCancelled(@TempDir Path dir) throws Exception {
        // Many files of dissimilar folders (one table each), so that the stop arrives while the run still reads them
        // (GlueCrawlerRecoveryTest holds a run between two files to show exactly where it stops).
        for (int i = 0; i < 120; i++) {
            GlueCrawlerDatasets.text(dir.resolve("t" + i + "/a.json"), "{\"n" + i + "\": " + i + "}\n");
        }
        glue.createCrawler(r -> r.name("stoppable").role("role").databaseName("stop_db").targets(s3(dir.toString())));
        glue.startCrawler(r -> r.name("stoppable"));
        glue.stopCrawler(r -> r.name("stoppable"));
        // A second stop finds the run stopping, or (when it already noticed the first) stopped.
        var again = org.assertj.core.api.Assertions.catchThrowableOfType(software.amazon.awssdk.services.glue.model.GlueException.class,
                () -> glue.stopCrawler(r -> r.name("stoppable")));
        assertThat(again).isNotNull();
        assertThat(again.awsErrorDetails().errorCode()).isIn("CrawlerStoppingException", "CrawlerNotRunningException");
        var runs = GlueCrawlerDatasets.awaitRuns(glue, "stoppable", 1);
        assertThat(runs).singleElement().satisfies(run -> assertThat(run.stateAsString()).isEqualTo("STOPPED"));
        Crawler c = glue.getCrawler(r -> r.name("stoppable")).crawler();
        assertThat(c.lastCrawl().status()).isEqualTo(LastCrawlStatus.CANCELLED);
        // a run stopped before a worker took it wrote nothing, not even its database
        boolean databaseCreated = glue.getDatabases(r -> { }).databaseList().stream().anyMatch(d -> d.name().equals("stop_db"));
        assertThat(databaseCreated ? glue.getTables(r -> r.databaseName("stop_db")).tableList().size() : 0).isLessThan(120);
    }
}
