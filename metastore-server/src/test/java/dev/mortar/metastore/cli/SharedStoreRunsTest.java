package dev.mortar.metastore.cli;

import dev.mortar.testing.Await;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mortar.testing.TestStores;
import dev.mortar.testing.ServerProcess;
import dev.mortar.testing.ServerProcesses;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several real server processes on one MariaDB or PostgreSQL store, crawling with their embedded workers from one
 * queue: a run started through one server is stopped through another; a server that starts leaves a live run of
 * another alone; a server killed with SIGKILL mid-crawl has its run taken over by a surviving server once its lease
 * expired (MariaDB, three attempts allowed) or failed (PostgreSQL, one attempt allowed), and the crawler runs again.
 */
class SharedStoreRunsTest {
    private static final int LEASE_SECONDS = 3;

    @RegisterExtension
    final ServerProcesses processes = new ServerProcesses();
    private final List<ServerProcess> servers = new ArrayList<>();

    private static GlueApiClient glue(ServerProcess server) {
        return new GlueApiClient(URI.create("http://127.0.0.1:" + server.httpPort()), "us-east-1", Optional.empty());
    }

    private ServerProcess start(String name, Map<String, String> store, Path dir, int maxAttempts) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(store);
        settings.putAll(Map.of("mortar.gateway.enabled", "false", "mortar.crawler.lease.seconds", String.valueOf(LEASE_SECONDS),
                "mortar.crawler.task.max.attempts", String.valueOf(maxAttempts), "mortar.crawler.embedded.workers", "1"));
        ServerProcess server = processes.start(name, dir.resolve(name), settings);
        servers.add(server);
        return server;
    }

    private static JsonNode crawler(ServerProcess server, String name) throws Exception {
        return glue(server).call("GetCrawler", GlueApiClient.object().put("Name", name)).path("Crawler");
    }

    private static JsonNode runs(ServerProcess server, String name) throws Exception {
        return glue(server).call("ListCrawls", GlueApiClient.object().put("CrawlerName", name)).path("Crawls");
    }

    private static JsonNode awaitRunEnded(ServerProcess server, String name, int count) throws Exception {
        return Await.until(count + " ended runs of " + name, Duration.ofMinutes(2), () -> {
            JsonNode runs = runs(server, name);
            return runs.size() == count && !runs.get(0).path("State").asText().equals("RUNNING") ? Optional.of(runs.get(0)) : Optional.empty();
        });
    }

    /** Which server holds the crawler's run, from the worker id in its progress (the holder's pid). */
    private ServerProcess holder(ServerProcess through, String name) throws Exception {
        String worker = Await.until("a holder of " + name, Duration.ofMinutes(1), () -> {
            JsonNode p = crawler(through, name).path("MortarProgress");
            return p.hasNonNull("Worker") ? Optional.of(p.get("Worker").asText()) : Optional.empty();
        });
        return servers.stream().filter(s -> worker.contains("-" + s.pid() + "-")).findFirst()
                .orElseThrow(() -> new AssertionError("No server of this test holds the run: " + worker));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgres"})
    void runsAreSharedStoppedAndTakenOverAcrossServers(String kind, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Map<String, String> store = TestStores.fresh(kind, dir);
        boolean takeOver = kind.equals("mariadb");
        Path data = dir.resolve("data");
        for (String file : List.of("t/p=1/a.json", "t/p=2/block.json", "t/p=3/c.json")) {
            Files.createDirectories(data.resolve(file).getParent());
            Files.writeString(data.resolve(file), "{\"a\": 1}\n");
        }
        Path entered = data.resolve("t/p=2/.block.json.entered");
        Path release = data.resolve("t/p=2/.block.json.release");
        ServerProcess a = start("a", store, dir, takeOver ? 3 : 1);
        ServerProcess b = start("b", store, dir, takeOver ? 3 : 1);

        var create = GlueApiClient.object().put("Name", "held").put("Role", "r").put("DatabaseName", "held");
        create.putObject("Targets").putArray("S3Targets").addObject().put("Path", "gated:" + data);
        glue(a).call("CreateCrawler", create);

        // started through a, held between two files by whichever server's worker leased it
        glue(a).call("StartCrawler", GlueApiClient.object().put("Name", "held"));
        Await.until("the crawl to reach the held file", Duration.ofMinutes(1), () -> Files.exists(entered) ? Optional.of(true) : Optional.empty());
        ServerProcess holder = holder(b, "held");

        // a third server starting on the same store leaves the live run alone
        ServerProcess c = start("c", store, dir, takeOver ? 3 : 1);
        assertThat(crawler(c, "held").path("State").asText()).isEqualTo("RUNNING");
        assertThat(runs(c, "held")).singleElement().satisfies(r -> assertThat(r.path("State").asText()).isEqualTo("RUNNING"));
        c.stop();
        servers.remove(c);

        // stopped through the server that did not start it; the holder hears it at its next heartbeat
        ServerProcess other = holder == a ? b : a;
        glue(b).call("StopCrawler", GlueApiClient.object().put("Name", "held"));
        assertThat(crawler(a, "held").path("State").asText()).isEqualTo("STOPPING");
        Await.until("the holder to hear the stop", Duration.ofMinutes(1), () -> holder.printed("stop requested for task") ? Optional.of(true) : Optional.empty());
        Files.writeString(release, "");
        JsonNode stopped = awaitRunEnded(other, "held", 1);
        assertThat(stopped.path("State").asText()).isEqualTo("STOPPED");
        assertThat(crawler(other, "held").path("State").asText()).isEqualTo("READY");
        assertThat(crawler(other, "held").path("LastCrawl").path("Status").asText()).isEqualTo("CANCELLED");

        // held again, then its holder is killed
        Files.delete(release);
        Files.delete(entered);
        glue(a).call("StartCrawler", GlueApiClient.object().put("Name", "held"));
        Await.until("the crawl to reach the held file again", Duration.ofMinutes(1), () -> Files.exists(entered) ? Optional.of(true) : Optional.empty());
        ServerProcess killed = holder(a, "held");
        ServerProcess survivor = killed == a ? b : a;
        Files.delete(entered);
        killed.kill();
        servers.remove(killed);
        if (takeOver) {
            // once the lease expired, the survivor's worker leases the run again and finishes it
            Await.until("the survivor to take the run over", Duration.ofMinutes(1), () -> Files.exists(entered) ? Optional.of(true) : Optional.empty());
            assertThat(crawler(survivor, "held").path("MortarProgress").path("Attempt").asInt()).isEqualTo(2);
            Files.writeString(release, "");
            JsonNode done = awaitRunEnded(survivor, "held", 2);
            assertThat(done.path("State").asText()).isEqualTo("COMPLETED");
            assertThat(glue(survivor).call("GetPartitions", GlueApiClient.object().put("DatabaseName", "held").put("TableName", "t"))
                    .path("Partitions")).hasSize(3);
        } else {
            // one attempt allowed: once the lease expired, the survivor fails the run
            JsonNode failed = awaitRunEnded(survivor, "held", 2);
            assertThat(failed.path("State").asText()).isEqualTo("FAILED");
            assertThat(failed.path("ErrorMessage").asText()).contains("expired on attempt 1 of 1");
            Files.writeString(release, "");
        }
        assertThat(crawler(survivor, "held").path("State").asText()).isEqualTo("READY");

        // and the crawler runs again, to completion
        glue(survivor).call("StartCrawler", GlueApiClient.object().put("Name", "held"));
        assertThat(awaitRunEnded(survivor, "held", 3).path("State").asText()).isEqualTo("COMPLETED");
        assertThat(glue(survivor).call("GetTables", GlueApiClient.object().put("DatabaseName", "held")).path("TableList"))
                .extracting(t -> t.path("Name").asText()).containsExactly("t");
    }
}
