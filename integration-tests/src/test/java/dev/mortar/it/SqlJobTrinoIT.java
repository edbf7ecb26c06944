package dev.mortar.it;

import dev.mortar.it.support.ItEnvironment;
import dev.mortar.it.support.MortarServer;
import dev.mortar.it.support.Trino;
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
 * Trino 476 writes a partitioned text table into Mortar; a SQL job, started through the Glue API and run by the server's
 * job workers, reads it through the catalog and writes a partitioned Parquet table (then replaces one partition); Trino
 * reads exactly the job's rows from the output table.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlJobTrinoIT {
    private Path work;
    private MortarServer mortar;
    private Trino trino;

    @BeforeAll
    void start() {
        work = ItEnvironment.workDir("SqlJobTrinoIT");
        mortar = MortarServer.start(work);
        trino = Trino.start(mortar, work);
    }

    @AfterAll
    void stop() {
        try {
            if (trino != null) {
                trino.close();
            }
        } finally {
            if (mortar != null) {
                mortar.close();
            }
        }
    }

    @Test
    void trinoReadsTheTableAJobWrote() {
        trino.query("CREATE SCHEMA hive.src");
        trino.query("CREATE SCHEMA hive.out");
        trino.query("CREATE TABLE hive.src.events (id bigint, name varchar, amount integer, dt varchar) "
                + "WITH (format = 'TEXTFILE', partitioned_by = ARRAY['dt'])");
        trino.query("INSERT INTO hive.src.events VALUES (1, 'apple', 10, '2024-01-01'), (2, 'pear', 20, '2024-01-01'), (3, 'plum', 7, '2024-01-02')");

        Path script = work.resolve("daily.sql");
        try {
            Files.writeString(script, """
                    CREATE TABLE ${out}.daily PARTITIONED BY (dt) AS
                    SELECT id, upper(name) AS name, amount * 2 AS doubled, dt FROM src.events;
                    INSERT OVERWRITE TABLE ${out}.daily PARTITION (dt = '2024-01-02') SELECT 30, 'FIG', 1
                    """);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // the job runs on the server's job workers, started and followed through the Glue API
        try (GlueClient glue = GlueClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + mortar.httpPort())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "any"))).build()) {
            glue.createJob(r -> r.name("daily").role("any").command(c -> c.name("glueetl").scriptLocation(script.toString())));
            String runId = glue.startJobRun(r -> r.jobName("daily").arguments(Map.of("--out", "out"))).jobRunId();
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            JobRun run;
            do {
                sleep();
                run = glue.getJobRun(r -> r.jobName("daily").runId(runId)).jobRun();
            } while (!run.jobRunState().equals(JobRunState.SUCCEEDED) && !run.jobRunState().equals(JobRunState.FAILED) && Instant.now().isBefore(deadline));
            assertThat(run.jobRunState()).as(run.errorMessage()).isEqualTo(JobRunState.SUCCEEDED);
        }

        assertThat(trino.query("SELECT dt, count(*), sum(doubled), array_join(array_agg(name ORDER BY id), ',') FROM hive.out.daily GROUP BY dt ORDER BY dt").rows())
                .containsExactly(List.of("2024-01-01", "2", "60", "APPLE,PEAR"), List.of("2024-01-02", "1", "1", "FIG"));
        assertThat(trino.query("SELECT count(*) FROM hive.out.daily WHERE dt = '2024-01-01'").rows()).containsExactly(List.of("2"));
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
