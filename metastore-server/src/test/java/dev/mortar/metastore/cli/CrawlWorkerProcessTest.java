package dev.mortar.metastore.cli;

import dev.mortar.testing.Await;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crawls in separate worker processes (mortar.crawler.workers=external): two real `mortar worker` JVMs, one
 * killed in the middle of a crawl; its task is leased again by the other once the lease expired, and the
 * crawl ends with every table and partition exactly once.
 */
class CrawlWorkerProcessTest {
    private static final int TABLES = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Process worker(String id, TestServer server, Path logs) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx192m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                MortarCli.class.getName(), "worker", "--server", "127.0.0.1:" + server.server.workerPort(), "--id", id,
                "--lease-seconds", "3", "--heartbeat-ms", "200", "--poll-ms", "100");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logs.resolve(id + ".log").toFile()).start();
    }

    private static JsonNode crawler(GlueApiClient glue, String name) throws Exception {
        return glue.call("GetCrawler", GlueApiClient.object().put("Name", name)).path("Crawler");
    }

    @Test
    void aKilledWorkersTaskIsLeasedAgainAndTheCrawlEndsWithEveryPartitionOnce(@TempDir Path lake, @TempDir Path data, @TempDir Path logs) throws Exception {
        for (int i = 0; i < TABLES; i++) {
            for (int day = 1; day <= 2; day++) {
                Path file = lake.resolve(String.format("t%03d/dt=%d/part.csv", i, day));
                Files.createDirectories(file.getParent());
                // a column of its own per folder: folders this unlike are tables of their own, not partitions of one
                Files.writeString(file, String.format("id,name,c%03d\n1,a,x\n2,b,y\n", i));
            }
        }
        List<Process> workers = new ArrayList<>();
        try (TestServer server = TestServer.start(data, Map.of("mortar.crawler.workers", "external", "mortar.worker.port", "0", "mortar.crawler.task.max.attempts", "5"))) {
            String endpoint = "--endpoint=http://127.0.0.1:" + server.server.httpPort();
            GlueApiClient glue = new GlueApiClient(URI.create("http://127.0.0.1:" + server.server.httpPort()), "us-east-1", Optional.empty());
            assertThat(CliRun.of("crawler", "create", "big", endpoint, "-d", "big", "-p", lake.toString()).exitCode()).isZero();
            assertThat(CliRun.of("crawler", "start", "big", endpoint).out()).isEqualTo("Started crawler big\n");
            // queued, no worker yet: RUNNING with nothing seen
            assertThat(crawler(glue, "big").path("MortarProgress").path("Attempt").asInt()).isZero();

            Process a = worker("worker-a", server, logs);
            workers.add(a);
            JsonNode progress = Await.until("a heartbeat of worker-a with progress", Duration.ofMinutes(2), () -> {
                JsonNode p = crawler(glue, "big").path("MortarProgress");
                return "worker-a".equals(p.path("Worker").asText()) && p.path("TablesFound").asInt() > 0 ? Optional.of(p) : Optional.empty();
            });
            a.destroyForcibly().waitFor();
            assertThat(progress.path("Attempt").asInt()).isPositive();
            assertThat(progress.path("FilesSeen").asLong()).isPositive();
            assertThat(progress.path("BytesSeen").asLong()).isPositive();

            int tablesBefore;
            int partitionsBefore = 0;
            try (var hms = server.client()) {
                List<String> tables = hms.getAllTables("big");
                tablesBefore = tables.size();
                for (String t : tables) {
                    partitionsBefore += hms.listPartitionNames("big", t, (short) -1).size();
                }
            }
            assertThat(tablesBefore).as("worker-a was killed in the middle of the crawl").isLessThan(TABLES);

            // the run is still on, showing worker-a's last heartbeat
            CliRun status = CliRun.of("crawler", "status", "big", endpoint);
            assertThat(status.out().lines().toList().get(1)).startsWith("big   RUNNING  " + progress.path("FilesSeen").asText());
            CliRun again = CliRun.of("crawler", "start", "big", endpoint);
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.err()).isEqualTo("Error: CrawlerRunningException: Crawler with name big has already started\n");

            workers.add(worker("worker-b", server, logs));
            Await.until("the crawl to end", Duration.ofMinutes(3), () -> Optional.of(crawler(glue, "big")).filter(c -> c.path("State").asText().equals("READY")));

            JsonNode runs = glue.call("ListCrawls", GlueApiClient.object().put("CrawlerName", "big")).path("Crawls");
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).path("State").asText()).as(Files.readString(logs.resolve("worker-b.log"))).isEqualTo("COMPLETED");
            JsonNode summary = JSON.readTree(runs.get(0).path("Summary").asText());
            // the second attempt reports what it did: the tables and partitions worker-a had not written
            assertThat(summary.at("/TABLE/ADD/Count").asInt()).isEqualTo(TABLES - tablesBefore);
            assertThat(summary.at("/PARTITION/ADD/Count").asInt()).isEqualTo(2 * TABLES - partitionsBefore);
            assertThat(summary.at("/FILE/READ/Count").asInt()).isEqualTo(2 * TABLES);
            assertThat(summary.path("Errors")).isEmpty();

            try (var hms = server.client()) {
                assertThat(hms.getAllTables("big")).containsExactlyInAnyOrderElementsOf(IntStream.range(0, TABLES).mapToObj(i -> String.format("t%03d", i)).toList());
                for (int i = 0; i < TABLES; i++) {
                    String table = String.format("t%03d", i);
                    assertThat(hms.listPartitionNames("big", table, (short) -1)).as(table).containsExactly("dt=1", "dt=2");
                    assertThat(hms.getTable("big", table).getSd().getCols()).extracting(c -> c.getName() + " " + c.getType()).containsExactly("id bigint", "name string", String.format("c%03d string", i));
                }
            }
            var task = server.server.context().store.database().inTransaction(c -> queryOne(c,
                    "SELECT task_state, attempt, lease_owner FROM g_crawl_tasks WHERE crawler_name = ?",
                    rs -> rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3), "big")).orElseThrow();
            // attempt 2, or later if a busy machine stalled worker-a past a lease before it was killed
            assertThat(task).matches("DONE [2-5] worker-b");
            assertThat(crawler(glue, "big").path("LastCrawl").path("Status").asText()).isEqualTo("SUCCEEDED");
        } finally {
            for (Process p : workers) {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
