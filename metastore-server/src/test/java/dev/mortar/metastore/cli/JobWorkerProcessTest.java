package dev.mortar.metastore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.TestServer;
import dev.mortar.testing.Await;
import dev.mortar.testing.ServerProcess;
import dev.mortar.testing.ServerProcesses;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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
 * Job runs whose holder dies: in `mortar worker` processes (mortar.jobs.workers=external), a worker killed with
 * SIGKILL mid-run has its run failed once its lease expired and retried on another worker; and two real server
 * processes on one MariaDB store, where the server holding a run is killed and the other fails and retries it. Runs in
 * worker processes read and write the catalog over the HMS port and reach the server's Glue API from Python.
 */
class JobWorkerProcessTest {
    private static final int LEASE_SECONDS = 3;
    /** A script that holds its first attempt (until the process that runs it is gone) and succeeds on its retry. */
    private static final String HELD_ONCE = """
            import os, sys, time, pathlib, boto3
            run_id = sys.argv[sys.argv.index('--JOB_RUN_ID') + 1]
            marker = pathlib.Path(sys.argv[sys.argv.index('--marker') + 1])
            role = boto3.client('glue').get_job(JobName=sys.argv[sys.argv.index('--JOB_NAME') + 1])['Job']['Role']
            print('attempt of', run_id, 'for role', role, flush=True)
            if not run_id.endswith('_attempt_1'):
                parent = os.getppid()
                marker.write_text(run_id)
                while os.getppid() == parent:
                    time.sleep(0.2)
            """;

    @RegisterExtension
    final ServerProcesses processes = new ServerProcesses();

    private static GlueApiClient glue(int httpPort) {
        return new GlueApiClient(URI.create("http://127.0.0.1:" + httpPort), "us-east-1", Optional.empty());
    }

    private static ObjectNode job(String name, String command, Path script, int maxRetries) {
        ObjectNode create = GlueApiClient.object().put("Name", name).put("Role", "role-of-" + name).put("MaxRetries", maxRetries);
        create.putObject("Command").put("Name", command).put("ScriptLocation", script.toString());
        return create;
    }

    private static JsonNode awaitRun(GlueApiClient glue, String job, String runId, String state) throws Exception {
        return Await.until("run " + runId + " " + state, Duration.ofMinutes(2), () -> {
            JsonNode run = glue.call("GetJobRun", GlueApiClient.object().put("JobName", job).put("RunId", runId)).path("JobRun");
            return run.path("JobRunState").asText().equals(state) ? Optional.of(run) : Optional.empty();
        });
    }

    private static Process worker(String id, TestServer server, Path logs) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), MortarCli.class.getName(), "worker",
                "--server", "127.0.0.1:" + server.server.workerPort(), "--id", id, "--lease-seconds", String.valueOf(LEASE_SECONDS), "--poll-ms", "200",
                "--job-slots", "1"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logs.resolve(id + ".log").toFile()).start();
    }

    @Test
    void workerProcessesRunJobsAndAKilledWorkersRunIsRetried(@TempDir Path dir) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("held.py"), HELD_ONCE);
        Files.writeString(scripts.resolve("numbers.sql"), "CREATE TABLE curated.numbers AS SELECT range AS n FROM range(10);\n");
        List<Process> workers = new ArrayList<>();
        try (TestServer server = TestServer.start(dir.resolve("server"), Map.of("mortar.jobs.workers", "external", "mortar.worker.port", "0",
                "mortar.gateway.enabled", "false"))) {
            GlueApiClient glue = glue(server.server.httpPort());
            ObjectNode db = GlueApiClient.object();
            db.putObject("DatabaseInput").put("Name", "curated").put("LocationUri", "file:" + dir.resolve("curated"));
            glue.call("CreateDatabase", db);
            glue.call("CreateJob", job("held", "pythonshell", scripts.resolve("held.py"), 1));
            glue.call("CreateJob", job("numbers", "glueetl", scripts.resolve("numbers.sql"), 0));

            Path marker = dir.resolve("marker");
            ObjectNode start = GlueApiClient.object().put("JobName", "held");
            start.putObject("Arguments").put("--marker", marker.toString());
            String first = glue.call("StartJobRun", start).path("JobRunId").asText();
            // no worker yet: the run waits, queued
            assertThat(glue.call("GetJobRun", GlueApiClient.object().put("JobName", "held").put("RunId", first)).path("JobRun").path("JobRunState").asText())
                    .isEqualTo("STARTING");
            Process a = worker("worker-a", server, logs);
            workers.add(a);
            Await.untilTrue("worker-a runs the first attempt", Duration.ofMinutes(2), () -> Files.exists(marker));
            a.destroyForcibly().waitFor();

            // the lease expires: the run fails, and its retry waits for a worker
            JsonNode failed = awaitRun(glue, "held", first, "FAILED");
            assertThat(failed.path("ErrorMessage").asText()).contains("worker-a", "lease expired");
            Process b = worker("worker-b", server, logs);
            workers.add(b);
            JsonNode retry = awaitRun(glue, "held", first + "_attempt_1", "SUCCEEDED");
            assertThat(retry.path("Attempt").asInt()).isEqualTo(1);
            assertThat(retry.path("PreviousRunId").asText()).isEqualTo(first);
            assertThat(server.server.control().jobRuns().log("held", first + "_attempt_1"))
                    .contains("on worker-b", "attempt of " + first + "_attempt_1 for role role-of-held");

            // a SQL job on a worker process, writing through the HMS port
            String sql = glue.call("StartJobRun", GlueApiClient.object().put("JobName", "numbers")).path("JobRunId").asText();
            JsonNode numbers = awaitRun(glue, "numbers", sql, "SUCCEEDED");
            assertThat(numbers.path("MortarRunFigures").path("RowsWritten").asLong()).isEqualTo(10);
            JsonNode table = glue.call("GetTable", GlueApiClient.object().put("DatabaseName", "curated").put("Name", "numbers")).path("Table");
            assertThat(table.path("StorageDescriptor").path("Location").asText()).isEqualTo("file:" + dir.resolve("curated/numbers"));
            assertThat(Files.list(dir.resolve("curated/numbers")).filter(p -> p.toString().endsWith(".parquet")).count()).isPositive();
        } finally {
            for (Process p : workers) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aServerKilledMidRunHasItsRunFailedAndRetriedByAnother(@TempDir Path dir) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(TestStores.fresh("mariadb", dir));
        settings.putAll(Map.of("mortar.gateway.enabled", "false", "mortar.jobs.lease.seconds", String.valueOf(LEASE_SECONDS),
                "mortar.jobs.embedded.workers", "1"));
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("held.py"), HELD_ONCE);
        ServerProcess a = processes.start("a", dir.resolve("a"), settings);
        GlueApiClient glueA = glue(a.httpPort());
        glueA.call("CreateJob", job("held", "pythonshell", scripts.resolve("held.py"), 1));
        Path marker = dir.resolve("marker");
        ObjectNode start = GlueApiClient.object().put("JobName", "held");
        start.putObject("Arguments").put("--marker", marker.toString());
        String first = glueA.call("StartJobRun", start).path("JobRunId").asText();
        Await.untilTrue("server a runs the first attempt", Duration.ofMinutes(2), () -> Files.exists(marker));

        ServerProcess b = processes.start("b", dir.resolve("b"), settings);
        GlueApiClient glueB = glue(b.httpPort());
        // a server starting leaves the live run alone
        assertThat(glueB.call("GetJobRun", GlueApiClient.object().put("JobName", "held").put("RunId", first)).path("JobRun").path("JobRunState").asText())
                .isEqualTo("RUNNING");
        a.kill();
        JsonNode failed = awaitRun(glueB, "held", first, "FAILED");
        assertThat(failed.path("ErrorMessage").asText()).contains("lease expired");
        JsonNode retry = awaitRun(glueB, "held", first + "_attempt_1", "SUCCEEDED");
        assertThat(retry.path("PreviousRunId").asText()).isEqualTo(first);
        // exactly one retry, and the first attempt never ran twice
        assertThat(glueB.call("GetJobRuns", GlueApiClient.object().put("JobName", "held")).path("JobRuns")).hasSize(2);
    }
}
