package dev.mortar.it;

import dev.mortar.it.support.EngineOutput;
import dev.mortar.it.support.ItEnvironment;
import dev.mortar.it.support.MortarServer;
import dev.mortar.it.support.Spark;
import dev.mortar.it.support.Spark.HiveClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.JobRun;
import software.amazon.awssdk.services.glue.model.JobRunState;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SQL job started through the Glue API runs on the server's job workers and writes a partitioned Parquet table;
 * Spark 4.0.1 (Hive support, its built-in Hive 2.3 client) reads exactly the job's rows, and its partitions.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlJobSparkIT {
    private Path work;
    private MortarServer mortar;

    @BeforeAll
    void start() {
        work = ItEnvironment.workDir("SqlJobSparkIT");
        mortar = MortarServer.start(work);
    }

    @AfterAll
    void stop() {
        if (mortar != null) {
            mortar.close();
        }
    }

    @Test
    void sparkReadsTheTableAJobWrote() throws Exception {
        Path script = work.resolve("daily.sql");
        Files.writeString(script, """
                CREATE TABLE ${out}.daily PARTITIONED BY (dt) AS
                SELECT id, upper(name) AS name, amount * 2 AS doubled, dt
                FROM (VALUES (1, 'apple', 10, '2024-01-01'), (2, 'pear', 20, '2024-01-01'), (3, 'plum', 7, '2024-01-02')) AS t(id, name, amount, dt)
                """);
        try (GlueClient glue = GlueClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + mortar.httpPort())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any"))).build()) {
            glue.createDatabase(r -> r.databaseInput(d -> d.name("jobs_out")));
            glue.createJob(r -> r.name("daily").role("any").command(c -> c.name("glueetl").scriptLocation(script.toString())));
            String runId = glue.startJobRun(r -> r.jobName("daily").arguments(Map.of("--out", "jobs_out"))).jobRunId();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            JobRun run;
            do {
                Thread.sleep(200);
                run = glue.getJobRun(r -> r.jobName("daily").runId(runId)).jobRun();
            } while (!run.jobRunState().equals(JobRunState.SUCCEEDED) && !run.jobRunState().equals(JobRunState.FAILED) && Instant.now().isBefore(deadline));
            assertThat(run.jobRunState()).as(run.errorMessage()).isEqualTo(JobRunState.SUCCEEDED);
        }

        EngineOutput out = Spark.run(mortar, HiveClient.BUILTIN_2_3, work, "spark-job-output", new Spark.Script()
                .add("parts", "SHOW PARTITIONS jobs_out.daily")
                .add("by_day", "SELECT dt, count(*), sum(doubled), concat_ws(',', sort_array(collect_list(name))) FROM jobs_out.daily GROUP BY dt ORDER BY dt")
                .add("pruned", "SELECT id FROM jobs_out.daily WHERE dt = '2024-01-02'"));
        assertThat(out.errors()).as("statements that failed").isEmpty();
        assertThat(out.statement("parts").rows()).containsExactly(List.of("dt=2024-01-01"), List.of("dt=2024-01-02"));
        assertThat(out.statement("by_day").rows()).containsExactly(List.of("2024-01-01", "2", "60", "APPLE,PEAR"), List.of("2024-01-02", "1", "14", "PLUM"));
        assertThat(out.statement("pruned").rows()).containsExactly(List.of("3"));
    }
}
