package dev.mortar.metastore.cli;

import dev.mortar.testing.Await;
import dev.mortar.metastore.TestServer;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** /metrics counts crawl runs (by state, with their durations, files read and tables and partitions written) and the partition cache's lookups. */
class CrawlAndCacheMetricsTest {
    private static String metrics(TestServer server) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).map(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("No series " + series + " in\n" + metrics));
    }

    @Test
    void crawlsAndTheCacheAreCounted(@TempDir Path lake) throws Exception {
        for (int day = 1; day <= 3; day++) {
            Path file = lake.resolve("events/day=" + day + "/e.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "{\"id\": " + day + "}\n");
        }
        try (TestServer server = TestServer.start()) {
            GlueApiClient glue = new GlueApiClient(URI.create("http://127.0.0.1:" + server.server.httpPort()), "us-east-1", Optional.empty());
            var create = GlueApiClient.object().put("Name", "m").put("Role", "r").put("DatabaseName", "m");
            create.putObject("Targets").putArray("S3Targets").addObject().put("Path", lake.toString());
            glue.call("CreateCrawler", create);
            glue.call("StartCrawler", GlueApiClient.object().put("Name", "m"));
            Await.until("the crawl to end", java.time.Duration.ofMinutes(2), () -> {
                String state = glue.call("GetCrawler", GlueApiClient.object().put("Name", "m")).path("Crawler").path("State").asText();
                return state.equals("READY") ? Optional.of(state) : Optional.empty();
            });

            String after = metrics(server);
            assertThat(value(after, "mortar_crawl_duration_seconds_count{state=\"COMPLETED\"}")).isEqualTo(1.0);
            assertThat(value(after, "mortar_crawl_files_read_total")).isEqualTo(3.0);
            assertThat(value(after, "mortar_crawl_tables_total{change=\"created\"}")).isEqualTo(1.0);
            assertThat(value(after, "mortar_crawl_partitions_added_total")).isEqualTo(3.0);

            double hits = value(after, "mortar_partition_cache_lookups_total{result=\"hit\"}");
            double misses = value(after, "mortar_partition_cache_lookups_total{result=\"miss\"}");
            try (HiveMetaStoreClient hms = server.client()) {
                hms.listPartitionNames("m", "events", (short) -1);
                hms.listPartitionNames("m", "events", (short) -1);
            }
            String later = metrics(server);
            // the first listing may fill the cache, the second is answered from it
            assertThat(value(later, "mortar_partition_cache_lookups_total{result=\"hit\"}") + value(later, "mortar_partition_cache_lookups_total{result=\"miss\"}"))
                    .isEqualTo(hits + misses + 2);
            assertThat(value(later, "mortar_partition_cache_lookups_total{result=\"hit\"}")).isGreaterThan(hits);
            assertThat(value(later, "mortar_partition_cache_tables")).isGreaterThanOrEqualTo(1.0);
        }
    }
}
