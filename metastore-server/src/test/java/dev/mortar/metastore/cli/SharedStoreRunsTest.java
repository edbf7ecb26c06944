package dev.mortar.metastore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortar.metastore.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several real server processes on one MariaDB or PostgreSQL store, crawling with their embedded workers from one
 * queue: a run started through one server is stopped through another; a server that starts leaves a live run of
 * another alone; a server killed with SIGKILL mid-crawl has its run taken over by a surviving server once its lease
 * expired (MariaDB, three attempts allowed) or failed (PostgreSQL, one attempt allowed), and the crawler runs again.
 */
class SharedStoreRunsTest {
    private static final Pattern UP = Pattern.compile("Mortar is up: HMS thrift://localhost:(\\d+), HTTP http://localhost:(\\d+).*");
    private static final int LEASE_SECONDS = 3;

    private final List<Server> servers = new ArrayList<>();

    /** A server process, its HTTP port and what it printed. */
    private record Server(String name, Process process, int httpPort, List<String> output) {
        GlueApiClient glue() {
            return new GlueApiClient(URI.create("http://127.0.0.1:" + httpPort), "us-east-1", Optional.empty());
        }

        boolean printed(String text) {
            return output.stream().anyMatch(l -> l.contains(text));
        }
    }

    private final List<Server> started = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        // what each server printed, and its threads, for a failure's reader
        Path logs = Files.createDirectories(Path.of("target", "shared-store-runs"));
        for (Server s : servers) {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            new ProcessBuilder(jcmd.toString(), String.valueOf(s.process().pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(logs.resolve(s.name() + "-" + s.process().pid() + ".threads").toFile()).start().waitFor();
            s.process().destroyForcibly().waitFor();
        }
        for (Server s : started) {
            Files.write(logs.resolve(s.name() + "-" + s.process().pid() + ".log"), s.output());
        }
    }

    private Server start(String name, Map<String, String> store, Path dir, int maxAttempts) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), MortarCli.class.getName(), "server",
                "--data-dir", dir.resolve(name).toString(), "--bind", "127.0.0.1",
                "--thrift-port", "0", "--http-port", "0", "--gateway-port", "0", "--gateway-http-port", "0",
                "--set", "mortar.gateway.enabled=false", "--set", "mortar.crawler.lease.seconds=" + LEASE_SECONDS,
                "--set", "mortar.crawler.task.max.attempts=" + maxAttempts, "--set", "mortar.crawler.embedded.workers=1"));
        store.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        int port = Await.until("server " + name + " to start", Duration.ofMinutes(2), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("Server " + name + " exited: " + String.join("\n", output));
            }
            return output.stream().map(UP::matcher).filter(Matcher::matches).findFirst().map(m -> Integer.parseInt(m.group(2)));
        });
        Server server = new Server(name, process, port, output);
        servers.add(server);
        started.add(server);
        return server;
    }

    private static JsonNode crawler(Server server, String name) throws Exception {
        return server.glue().call("GetCrawler", GlueApiClient.object().put("Name", name)).path("Crawler");
    }

    private static JsonNode runs(Server server, String name) throws Exception {
        return server.glue().call("ListCrawls", GlueApiClient.object().put("CrawlerName", name)).path("Crawls");
    }

    private static JsonNode awaitRunEnded(Server server, String name, int count) throws Exception {
        return Await.until(count + " ended runs of " + name, Duration.ofMinutes(2), () -> {
            JsonNode runs = runs(server, name);
            return runs.size() == count && !runs.get(0).path("State").asText().equals("RUNNING") ? Optional.of(runs.get(0)) : Optional.empty();
        });
    }

    /** Which server holds the crawler's run, from the worker id in its progress (the holder's pid). */
    private Server holder(Server through, String name) throws Exception {
        String worker = Await.until("a holder of " + name, Duration.ofMinutes(1), () -> {
            JsonNode p = crawler(through, name).path("MortarProgress");
            return p.hasNonNull("Worker") ? Optional.of(p.get("Worker").asText()) : Optional.empty();
        });
        return servers.stream().filter(s -> worker.contains("-" + s.process().pid() + "-")).findFirst()
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
        Server a = start("a", store, dir, takeOver ? 3 : 1);
        Server b = start("b", store, dir, takeOver ? 3 : 1);

        var create = GlueApiClient.object().put("Name", "held").put("Role", "r").put("DatabaseName", "held");
        create.putObject("Targets").putArray("S3Targets").addObject().put("Path", "gated:" + data);
        a.glue().call("CreateCrawler", create);

        // started through a, held between two files by whichever server's worker leased it
        a.glue().call("StartCrawler", GlueApiClient.object().put("Name", "held"));
        Await.until("the crawl to reach the held file", Duration.ofMinutes(1), () -> Files.exists(entered) ? Optional.of(true) : Optional.empty());
        Server holder = holder(b, "held");

        // a third server starting on the same store leaves the live run alone
        Server c = start("c", store, dir, takeOver ? 3 : 1);
        assertThat(crawler(c, "held").path("State").asText()).isEqualTo("RUNNING");
        assertThat(runs(c, "held")).singleElement().satisfies(r -> assertThat(r.path("State").asText()).isEqualTo("RUNNING"));
        c.process().destroy();
        c.process().waitFor();
        servers.remove(c);

        // stopped through the server that did not start it; the holder hears it at its next heartbeat
        Server other = holder == a ? b : a;
        b.glue().call("StopCrawler", GlueApiClient.object().put("Name", "held"));
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
        a.glue().call("StartCrawler", GlueApiClient.object().put("Name", "held"));
        Await.until("the crawl to reach the held file again", Duration.ofMinutes(1), () -> Files.exists(entered) ? Optional.of(true) : Optional.empty());
        Server killed = holder(a, "held");
        Server survivor = killed == a ? b : a;
        Files.delete(entered);
        killed.process().destroyForcibly().waitFor();
        servers.remove(killed);
        if (takeOver) {
            // once the lease expired, the survivor's worker leases the run again and finishes it
            Await.until("the survivor to take the run over", Duration.ofMinutes(1), () -> Files.exists(entered) ? Optional.of(true) : Optional.empty());
            assertThat(crawler(survivor, "held").path("MortarProgress").path("Attempt").asInt()).isEqualTo(2);
            Files.writeString(release, "");
            JsonNode done = awaitRunEnded(survivor, "held", 2);
            assertThat(done.path("State").asText()).isEqualTo("COMPLETED");
            assertThat(survivor.glue().call("GetPartitions", GlueApiClient.object().put("DatabaseName", "held").put("TableName", "t"))
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
        survivor.glue().call("StartCrawler", GlueApiClient.object().put("Name", "held"));
        assertThat(awaitRunEnded(survivor, "held", 3).path("State").asText()).isEqualTo("COMPLETED");
        assertThat(survivor.glue().call("GetTables", GlueApiClient.object().put("DatabaseName", "held")).path("TableList"))
                .extracting(t -> t.path("Name").asText()).containsExactly("t");
    }
}
