package dev.mortar.metastore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.testing.Await;
import dev.mortar.testing.ServerProcess;
import dev.mortar.testing.ServerProcesses;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler with real processes in real time: two servers on one MariaDB store and a trigger every minute. Each
 * tick starts exactly one run, whichever server leads; the leader is killed with SIGKILL and the other takes over
 * within its lease, so no tick is missed and none runs twice.
 */
class SchedulerProcessTest {
    private static final int LEASE_SECONDS = 5;

    @RegisterExtension
    final ServerProcesses processes = new ServerProcesses();

    private static GlueApiClient glue(int httpPort) {
        return new GlueApiClient(URI.create("http://127.0.0.1:" + httpPort), "us-east-1", Optional.empty());
    }

    private static boolean leads(ServerProcess server) {
        try {
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return metrics.body().lines().anyMatch(line -> line.startsWith("mortar_scheduler_leader ") && line.trim().endsWith(" 1.0")
                    || line.equals("mortar_scheduler_leader 1"));
        } catch (Exception e) {
            return false;
        }
    }

    /** The ticks of the trigger's runs: the minute each started in. */
    private static List<Instant> runMinutes(GlueApiClient glue) throws Exception {
        List<Instant> minutes = new ArrayList<>();
        for (JsonNode run : glue.call("GetJobRuns", GlueApiClient.object().put("JobName", "tick").put("MaxResults", 200)).path("JobRuns")) {
            assertThat(run.path("TriggerName").asText()).isEqualTo("every-minute");
            minutes.add(Instant.ofEpochMilli((long) (run.path("StartedOn").asDouble() * 1000)).truncatedTo(ChronoUnit.MINUTES));
        }
        return minutes;
    }

    @Test
    void everyTickRunsOnceAcrossTwoServersAndTheKillOfTheLeader(@TempDir Path dir) throws Exception {
        Map<String, String> settings = new HashMap<>(TestStores.fresh("mariadb", dir));
        settings.putAll(Map.of("mortar.gateway.enabled", "false", "mortar.scheduler.lease.seconds", String.valueOf(LEASE_SECONDS),
                "mortar.scheduler.poll.millis", "500", "mortar.jobs.embedded.workers", "1"));
        Path script = Files.writeString(dir.resolve("tick.py"), "print('tick')\n");
        ServerProcess a = processes.start("a", dir.resolve("a"), settings);
        ServerProcess b = processes.start("b", dir.resolve("b"), settings);
        GlueApiClient glueA = glue(a.httpPort());
        GlueApiClient glueB = glue(b.httpPort());
        ObjectNode job = GlueApiClient.object().put("Name", "tick").put("Role", "r");
        job.putObject("Command").put("Name", "pythonshell").put("ScriptLocation", script.toString());
        job.putObject("ExecutionProperty").put("MaxConcurrentRuns", 10);
        glueA.call("CreateJob", job);
        ObjectNode trigger = GlueApiClient.object().put("Name", "every-minute").put("Type", "SCHEDULED").put("Schedule", "cron(* * * * ? *)")
                .put("StartOnCreation", true);
        trigger.putArray("Actions").addObject().put("JobName", "tick");
        glueB.call("CreateTrigger", trigger);
        Instant created = Instant.now();

        Await.untilTrue("two ticks have run", Duration.ofMinutes(4), () -> runMinutes(glueA).size() >= 2);
        ServerProcess leader = Await.until("a leader", Duration.ofMinutes(1),
                () -> leads(a) ? Optional.of(a) : leads(b) ? Optional.of(b) : Optional.empty());
        ServerProcess other = leader == a ? b : a;
        GlueApiClient otherGlue = leader == a ? glueB : glueA;
        leader.kill();
        Instant killed = Instant.now();
        Await.untilTrue("the other server leads", Duration.ofSeconds(LEASE_SECONDS * 6L), () -> leads(other));
        int before = runMinutes(otherGlue).size();
        Await.untilTrue("two more ticks have run", Duration.ofMinutes(4), () -> runMinutes(otherGlue).size() >= before + 2);

        List<Instant> minutes = runMinutes(otherGlue);
        // exactly once: no tick started two runs
        assertThat(new TreeSet<>(minutes)).hasSize(minutes.size());
        // none missed, across the kill: every minute from the first run to the last has its run
        TreeSet<Instant> sorted = new TreeSet<>(minutes);
        long span = ChronoUnit.MINUTES.between(sorted.first(), sorted.last()) + 1;
        assertThat(sorted).as("runs at %s (trigger created %s, leader killed %s)", sorted, created, killed).hasSize((int) span);
        assertThat(sorted.first()).isAfter(created.minusSeconds(60));
    }
}
