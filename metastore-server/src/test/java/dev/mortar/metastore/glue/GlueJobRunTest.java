package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.Await;
import dev.mortar.testing.HiveJdbc;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.CrawlerState;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.JobBookmarkEntry;
import software.amazon.awssdk.services.glue.model.JobCommand;
import software.amazon.awssdk.services.glue.model.JobRun;
import software.amazon.awssdk.services.glue.model.JobRunState;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.S3Target;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Job runs on a server's embedded job workers, driven through the AWS SDK's Glue client as the managed service's own
 * first example does it: a crawled table, a bookmarked SQL job that writes a partitioned table, run twice with a
 * new partition crawled in between (the second run reads only the new files), read back through the catalog and the
 * SQL gateway; a statement failing half-way leaves the output as it was and is retried per MaxRetries; Python shell
 * jobs that read their arguments with getResolvedOptions and call this server with boto3; a stop, a timeout, and a
 * PySpark script the server cannot run. The first example runs on H2, MariaDB and PostgreSQL.
 */
class GlueJobRunTest {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    TestServer server;
    GlueClient glue;

    private void start(String store) throws Exception {
        server = TestServer.start(dir.resolve("server"), TestStores.fresh(store, dir));
        glue = GlueClients.client(server);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            glue.close();
            server.close();
        }
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private JobRun await(String job, String runId) throws Exception {
        return Await.until("run " + runId + " of " + job + " ends", RUN_LIMIT, () -> {
            JobRun run = glue.getJobRun(r -> r.jobName(job).runId(runId)).jobRun();
            return switch (run.jobRunState()) {
                case SUCCEEDED, FAILED, TIMEOUT, STOPPED, ERROR -> Optional.of(run);
                default -> Optional.empty();
            };
        });
    }

    private void crawl(String crawler) throws Exception {
        glue.startCrawler(r -> r.name(crawler));
        Await.untilTrue("crawler " + crawler + " ran", RUN_LIMIT, () -> glue.getCrawler(r -> r.name(crawler)).crawler().state() == CrawlerState.READY
                && glue.getCrawler(r -> r.name(crawler)).crawler().lastCrawl() != null);
    }

    private String log(String job, String runId) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.httpPort()
                + "/jobs/" + job + "/runs/" + runId + "/log")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private List<List<String>> query(String sql) throws Exception {
        try (Connection c = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/default", "analyst", "")) {
            return HiveJdbc.stringRows(c, sql);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void theServicesFirstExampleWithBookmarksFailuresAndRetries(String store) throws Exception {
        start(store);
        Path lake = dir.resolve("lake");
        write(lake.resolve("orders/ds=2024-01-01/part-0.csv"), "id,amount\n1,12.5\n2,7.25\n");
        write(lake.resolve("orders/ds=2024-01-02/part-0.csv"), "id,amount\n3,30.0\n");
        glue.createCrawler(r -> r.name("raw").role("glue").databaseName("raw")
                .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path(lake.toString()).build()).build()));
        crawl("raw");
        glue.createDatabase(r -> r.databaseInput(d -> d.name("curated").locationUri("file:" + dir.resolve("curated"))));

        Path script = dir.resolve("scripts/transform.sql");
        write(script, """
                -- doubled amounts, partitioned as the input is
                CREATE TABLE IF NOT EXISTS `${output_database}`.`${output_table}` (id BIGINT, doubled DOUBLE) PARTITIONED BY (ds STRING);
                INSERT INTO ${output_database}.`${output_table}`
                SELECT id, amount * 2, ds FROM ${input_database}.${input_table};
                """);
        glue.createJob(r -> r.name("my-etl-job").role("arn:aws:iam::123456789012:role/glue")
                .command(JobCommand.builder().name("glueetl").scriptLocation(script.toString()).build())
                .defaultArguments(Map.of("--job-bookmark-option", "job-bookmark-enable")));
        Map<String, String> arguments = Map.of("--input_database", "raw", "--input_table", "orders", "--output_database", "curated",
                "--output_table", "my-transformed-table");
        String first = glue.startJobRun(r -> r.jobName("my-etl-job").arguments(arguments)).jobRunId();
        JobRun run1 = await("my-etl-job", first);
        assertThat(run1.jobRunState()).as(run1.errorMessage()).isEqualTo(JobRunState.SUCCEEDED);
        assertThat(run1.startedOn()).isNotNull();
        assertThat(run1.completedOn()).isNotNull();
        assertThat(partitions("curated", "my-transformed-table")).containsExactly(List.of("2024-01-01"), List.of("2024-01-02"));
        assertThat(query("SELECT ds, count(*), sum(doubled) FROM curated.`my-transformed-table` GROUP BY ds ORDER BY ds"))
                .containsExactly(List.of("2024-01-01", "2", "39.5"), List.of("2024-01-02", "1", "60.0"));
        assertThat(log("my-etl-job", first)).contains("RUNNING on", "Statement 2 (line 3) INSERT INTO: 3 rows", "SUCCEEDED");

        JobBookmarkEntry bookmark = glue.getJobBookmark(r -> r.jobName("my-etl-job")).jobBookmarkEntry();
        assertThat(bookmark.run()).isEqualTo(1);
        assertThat(bookmark.runId()).isEqualTo(first);
        assertThat(bookmark.jobBookmark()).contains("raw.orders");

        // a new partition arrives and is crawled: the next run reads only its file
        write(lake.resolve("orders/ds=2024-01-03/part-0.csv"), "id,amount\n4,1.0\n5,2.0\n");
        crawl("raw");
        String second = glue.startJobRun(r -> r.jobName("my-etl-job").arguments(arguments)).jobRunId();
        assertThat(await("my-etl-job", second).jobRunState()).isEqualTo(JobRunState.SUCCEEDED);
        assertThat(query("SELECT ds, count(*), sum(doubled) FROM curated.`my-transformed-table` GROUP BY ds ORDER BY ds")).containsExactly(
                List.of("2024-01-01", "2", "39.5"), List.of("2024-01-02", "1", "60.0"), List.of("2024-01-03", "2", "6.0"));
        assertThat(glue.getJobBookmark(r -> r.jobName("my-etl-job")).jobBookmarkEntry().run()).isEqualTo(2);

        // a paused run over a range reads what the runs after the first up to the second read, and saves nothing
        Map<String, String> range = new java.util.HashMap<>(arguments);
        range.putAll(Map.of("--output_table", "range-copy", "--job-bookmark-option", "job-bookmark-pause", "--job-bookmark-from", first,
                "--job-bookmark-to", second));
        String ranged = glue.startJobRun(r -> r.jobName("my-etl-job").arguments(range)).jobRunId();
        assertThat(await("my-etl-job", ranged).jobRunState()).isEqualTo(JobRunState.SUCCEEDED);
        assertThat(query("SELECT ds, count(*) FROM curated.`range-copy` GROUP BY ds")).containsExactly(List.of("2024-01-03", "2"));
        assertThat(log("my-etl-job", ranged)).contains("Bookmark range for raw.orders: 1 of 3 files");
        assertThat(glue.getJobBookmark(r -> r.jobName("my-etl-job")).jobBookmarkEntry().run()).isEqualTo(2);
        range.put("--job-bookmark-to", "jr_unknown");
        assertThat(catchThrowableOfType(software.amazon.awssdk.services.glue.model.InvalidInputException.class,
                () -> glue.startJobRun(r -> r.jobName("my-etl-job").arguments(range)))).hasMessageContaining("jr_unknown");

        // a statement failing half-way: nothing of the run is kept, and it is retried once (MaxRetries 1), reading the same input
        Path failing = dir.resolve("scripts/failing.sql");
        write(failing, """
                INSERT INTO curated.`my-transformed-table` SELECT id, amount, ds FROM raw.orders;
                SELECT no_such_column FROM raw.orders;
                """);
        glue.createJob(r -> r.name("failing").role("glue").maxRetries(1)
                .command(JobCommand.builder().name("glueetl").scriptLocation(failing.toString()).build()));
        String failed = glue.startJobRun(r -> r.jobName("failing")).jobRunId();
        JobRun failedRun = await("failing", failed);
        assertThat(failedRun.jobRunState()).isEqualTo(JobRunState.FAILED);
        assertThat(failedRun.errorMessage()).contains("Statement 2 (line 2)").contains("no_such_column");
        JobRun retry = Await.until("the retry ends", RUN_LIMIT, () -> glue.getJobRuns(r -> r.jobName("failing")).jobRuns().stream()
                .filter(r -> r.attempt() == 1 && r.jobRunState() == JobRunState.FAILED).findFirst());
        assertThat(retry.previousRunId()).isEqualTo(failed);
        assertThat(retry.id()).isEqualTo(failed + "_attempt_1");
        assertThat(glue.getJobRuns(r -> r.jobName("failing")).jobRuns()).hasSize(2);
        assertThat(query("SELECT count(*) FROM curated.`my-transformed-table`")).containsExactly(List.of("5"));
        assertThat(Files.list(dir.resolve("curated/my-transformed-table")).map(p -> p.getFileName().toString()).toList())
                .containsExactlyInAnyOrder("ds=2024-01-01", "ds=2024-01-02", "ds=2024-01-03");
    }

    @Test
    void pythonShellJobsStopsTimeoutsAndScriptsThisServerCannotRun() throws Exception {
        start("h2");
        Path scripts = dir.resolve("py");
        // started first: the shortest timeout the API allows is a minute
        write(scripts.resolve("slow.py"), "import time\nprint('sleeping', flush=True)\ntime.sleep(600)\n");
        glue.createJob(r -> r.name("slow").role("glue").timeout(1).executionProperty(p -> p.maxConcurrentRuns(2))
                .command(JobCommand.builder().name("pythonshell").scriptLocation("file:" + scripts.resolve("slow.py")).build()));
        String timingOut = glue.startJobRun(r -> r.jobName("slow")).jobRunId();

        write(scripts.resolve("report.py"), """
                import sys
                import boto3
                from awsglue.utils import getResolvedOptions
                args = getResolvedOptions(sys.argv, ['JOB_NAME', 'day'])
                print('job', args['JOB_NAME'], 'day', args['day'], 'run', sys.argv[sys.argv.index('--JOB_RUN_ID') + 1])
                job = boto3.client('glue').get_job(JobName=args['JOB_NAME'])['Job']
                print('role', job['Role'])
                print('a warning', file=sys.stderr)
                """);
        glue.createJob(r -> r.name("report").role("reporting-role")
                .command(JobCommand.builder().name("pythonshell").scriptLocation(scripts.resolve("report.py").toString()).pythonVersion("3.9").build()));
        String report = glue.startJobRun(r -> r.jobName("report").arguments(Map.of("--day", "2024-01-01"))).jobRunId();
        JobRun reported = await("report", report);
        assertThat(reported.jobRunState()).as(reported.errorMessage()).isEqualTo(JobRunState.SUCCEEDED);
        assertThat(reported.logGroupName()).isEqualTo("/aws-glue/python-jobs");
        assertThat(log("report", report)).contains("job report day 2024-01-01 run " + report, "role reporting-role", "a warning");

        // a run stopped while its script runs
        String stopped = glue.startJobRun(r -> r.jobName("slow").timeout(60)).jobRunId();
        Await.untilTrue("the script runs", RUN_LIMIT, () -> log("slow", stopped).contains("sleeping"));
        assertThat(glue.batchStopJobRun(r -> r.jobName("slow").jobRunIds(stopped)).successfulSubmissions()).hasSize(1);
        JobRun stoppedRun = await("slow", stopped);
        assertThat(stoppedRun.jobRunState()).isEqualTo(JobRunState.STOPPED);

        // a failing script: its error line is the run's error
        write(scripts.resolve("boom.py"), "raise ValueError('boom')\n");
        glue.createJob(r -> r.name("boom").role("glue").command(JobCommand.builder().name("pythonshell").scriptLocation(scripts.resolve("boom.py").toString()).build()));
        JobRun boom = await("boom", glue.startJobRun(r -> r.jobName("boom")).jobRunId());
        assertThat(boom.jobRunState()).isEqualTo(JobRunState.FAILED);
        assertThat(boom.errorMessage()).contains("ValueError: boom");

        // a PySpark script: this server says which engines run what
        glue.createJob(r -> r.name("spark").role("glue").command(JobCommand.builder().name("glueetl").scriptLocation(scripts.resolve("boom.py").toString()).build()));
        JobRun spark = await("spark", glue.startJobRun(r -> r.jobName("spark")).jobRunId());
        assertThat(spark.jobRunState()).isEqualTo(JobRunState.FAILED);
        assertThat(spark.errorMessage()).contains("PySpark", ".sql", "pythonshell");

        JobRun timedOut = await("slow", timingOut);
        assertThat(timedOut.jobRunState()).isEqualTo(JobRunState.TIMEOUT);
        assertThat(timedOut.errorMessage()).contains("timeout");
        assertThat(Set.of(timedOut.timeout())).containsExactly(1);
    }

    private List<List<String>> partitions(String database, String table) {
        return glue.getPartitions(r -> r.databaseName(database).tableName(table)).partitions().stream().map(Partition::values).sorted((a, b) -> a.toString()
                .compareTo(b.toString())).toList();
    }
}
