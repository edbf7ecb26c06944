package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BatchStopJobRunResponse;
import software.amazon.awssdk.services.glue.model.Job;
import software.amazon.awssdk.services.glue.model.JobCommand;
import software.amazon.awssdk.services.glue.model.JobRun;
import software.amazon.awssdk.services.glue.model.JobRunState;
import software.amazon.awssdk.services.glue.model.JobUpdate;
import software.amazon.awssdk.services.glue.model.WorkerType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs through the AWS SDK's Glue client on every supported store (the control plane's V1 migration): CreateJob,
 * GetJob, GetJobs, ListJobs, BatchGetJobs, UpdateJob, DeleteJob and tags with the service's shapes, defaults and
 * errors; StartJobRun, GetJobRun(s), BatchStopJobRun on a server that runs no jobs (runs stay queued), with argument
 * precedence, concurrency, queuing and stops of queued runs. Refused requests change nothing.
 */
class GlueJobApiTest {
    private static final String ARN = "arn:aws:glue:us-east-1:123456789012:job/";

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void jobsAndQueuedRuns(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-jobs-" + kind);
        Map<String, String> store = new java.util.HashMap<>(TestStores.fresh(kind, dir));
        // no job workers: runs stay queued, so that what the API does with them is seen alone
        store.put("mortar.jobs.embedded.workers", "0");
        try (TestServer server = TestServer.start(dir, store); GlueClient glue = GlueClients.client(server)) {
            definitions(glue);
            queuedRuns(glue);
        }
    }

    private static void definitions(GlueClient glue) {
        assertGlueError(() -> glue.getJob(r -> r.jobName("etl")), "EntityNotFoundException");
        glue.createJob(r -> r.name("etl").role("arn:aws:iam::123456789012:role/glue").description("daily orders")
                .command(JobCommand.builder().name("glueetl").scriptLocation("/scripts/etl.sql").build())
                .defaultArguments(Map.of("--job-bookmark-option", "job-bookmark-enable", "--day", "2024-01-01"))
                .nonOverridableArguments(Map.of("--env", "prod")).tags(Map.of("team", "data")));
        Job etl = glue.getJob(r -> r.jobName("etl")).job();
        assertThat(etl.name()).isEqualTo("etl");
        assertThat(etl.role()).isEqualTo("arn:aws:iam::123456789012:role/glue");
        assertThat(etl.description()).isEqualTo("daily orders");
        assertThat(etl.command().name()).isEqualTo("glueetl");
        assertThat(etl.command().scriptLocation()).isEqualTo("/scripts/etl.sql");
        assertThat(etl.defaultArguments()).isEqualTo(Map.of("--job-bookmark-option", "job-bookmark-enable", "--day", "2024-01-01"));
        assertThat(etl.nonOverridableArguments()).isEqualTo(Map.of("--env", "prod"));
        // the service's defaults for what was not set
        assertThat(etl.executionProperty().maxConcurrentRuns()).isEqualTo(1);
        assertThat(etl.glueVersion()).isEqualTo("5.1");
        assertThat(etl.timeout()).isEqualTo(480);
        assertThat(etl.maxRetries()).isZero();
        assertThat(etl.jobModeAsString()).isEqualTo("SCRIPT");
        assertThat(etl.maxCapacity()).isEqualTo(10.0);
        assertThat(etl.executionClass()).isNull();
        assertThat(etl.createdOn()).isNotNull();

        glue.createJob(r -> r.name("py").role("glue").glueVersion("3.0").maxRetries(2).timeout(30)
                .command(JobCommand.builder().name("pythonshell").scriptLocation("/scripts/report.py").pythonVersion("3.9").build())
                .executionProperty(p -> p.maxConcurrentRuns(3)).tags(Map.of("team", "bi")));
        Job py = glue.getJob(r -> r.jobName("py")).job();
        assertThat(py.command().pythonVersion()).isEqualTo("3.9");
        assertThat(py.maxCapacity()).isEqualTo(0.0625);
        assertThat(py.timeout()).isEqualTo(30);
        assertThat(py.maxRetries()).isEqualTo(2);
        assertThat(py.executionProperty().maxConcurrentRuns()).isEqualTo(3);

        // refusals, each changing nothing
        assertGlueError(() -> glue.createJob(r -> r.name("etl").role("glue").command(c -> c.name("glueetl").scriptLocation("/x.sql"))), "AlreadyExistsException");
        assertGlueError(() -> glue.createJob(r -> r.name("bad").role("glue").command(c -> c.name("glueetl").scriptLocation("/x.sql")).timeout(20000)),
                "InvalidInputException");
        assertGlueError(() -> glue.createJob(r -> r.name("bad").role("glue").command(c -> c.name("glueetl").scriptLocation("/x.sql")).maxRetries(11)),
                "InvalidInputException");
        assertGlueError(() -> glue.createJob(r -> r.name("bad").role("glue").command(c -> c.name("glueetl").scriptLocation("/x.sql")).maxCapacity(10.0)
                .workerType(WorkerType.G_1_X).numberOfWorkers(2)), "InvalidInputException");
        assertGlueError(() -> glue.createJob(r -> r.name("bad").role("glue").command(c -> c.name("sparkish").scriptLocation("/x.sql"))), "InvalidInputException");
        assertGlueError(() -> glue.createJob(r -> r.name("bad").role("glue").command(c -> c.name("glueetl"))), "InvalidInputException");
        assertGlueError(() -> glue.getJob(r -> r.jobName("bad")), "EntityNotFoundException");

        // listings
        assertThat(glue.listJobs(r -> r.maxResults(1)).jobNames()).containsExactly("etl");
        String token = glue.listJobs(r -> r.maxResults(1)).nextToken();
        assertThat(glue.listJobs(r -> r.maxResults(1).nextToken(token)).jobNames()).containsExactly("py");
        assertThat(glue.listJobs(r -> r.tags(Map.of("team", "bi"))).jobNames()).containsExactly("py");
        assertThat(glue.getJobs(r -> r.maxResults(10)).jobs()).extracting(Job::name).containsExactly("etl", "py");
        var batch = glue.batchGetJobs(r -> r.jobNames("py", "nope"));
        assertThat(batch.jobs()).extracting(Job::name).containsExactly("py");
        assertThat(batch.jobsNotFound()).containsExactly("nope");

        // tags on the ARN clients build
        assertThat(glue.getTags(r -> r.resourceArn(ARN + "etl")).tags()).isEqualTo(Map.of("team", "data"));
        glue.tagResource(r -> r.resourceArn(ARN + "etl").tagsToAdd(Map.of("cost", "42")));
        glue.untagResource(r -> r.resourceArn(ARN + "etl").tagsToRemove("team"));
        assertThat(glue.getTags(r -> r.resourceArn(ARN + "etl")).tags()).isEqualTo(Map.of("cost", "42"));
        assertGlueError(() -> glue.getTags(r -> r.resourceArn(ARN + "nope")), "EntityNotFoundException");
        assertGlueError(() -> glue.getTags(r -> r.resourceArn("not-an-arn")), "InvalidInputException");

        // UpdateJob replaces the definition; the Glue version stays
        glue.updateJob(r -> r.jobName("py").jobUpdate(JobUpdate.builder().role("glue2")
                .command(JobCommand.builder().name("pythonshell").scriptLocation("/scripts/report2.py").build()).build()));
        Job updated = glue.getJob(r -> r.jobName("py")).job();
        assertThat(updated.role()).isEqualTo("glue2");
        assertThat(updated.command().scriptLocation()).isEqualTo("/scripts/report2.py");
        assertThat(updated.glueVersion()).isEqualTo("3.0");
        assertThat(updated.timeout()).isEqualTo(2880);
        assertThat(updated.maxRetries()).isZero();
        assertThat(updated.executionProperty().maxConcurrentRuns()).isEqualTo(1);
        assertGlueError(() -> glue.updateJob(r -> r.jobName("py").jobUpdate(JobUpdate.builder().jobRunQueuingEnabled(true).build())), "InvalidInputException");
        assertGlueError(() -> glue.updateJob(r -> r.jobName("nope").jobUpdate(JobUpdate.builder().role("r")
                .command(c -> c.name("glueetl").scriptLocation("/x.sql")).build())), "EntityNotFoundException");

        // DeleteJob of a missing job succeeds, as the service's does
        assertThat(glue.deleteJob(r -> r.jobName("nope")).jobName()).isEqualTo("nope");
    }

    private static void queuedRuns(GlueClient glue) {
        String first = glue.startJobRun(r -> r.jobName("etl").arguments(Map.of("--day", "2024-02-02", "--env", "test", "--extra", "x"))).jobRunId();
        assertThat(first).matches("jr_[0-9a-f]{64}");
        JobRun run = glue.getJobRun(r -> r.jobName("etl").runId(first).predecessorsIncluded(true)).jobRun();
        assertThat(run.jobRunState()).isEqualTo(JobRunState.STARTING);
        assertThat(run.attempt()).isZero();
        // non-overridable over the run's over the job's defaults
        assertThat(run.arguments()).isEqualTo(Map.of("--job-bookmark-option", "job-bookmark-enable", "--day", "2024-02-02", "--env", "prod", "--extra", "x"));
        assertThat(run.timeout()).isEqualTo(480);
        assertThat(run.glueVersion()).isEqualTo("5.1");
        assertThat(run.logGroupName()).isEqualTo("/aws-glue/jobs");

        // MaxConcurrentRuns 1: a second run is refused, unless the run queues
        assertGlueError(() -> glue.startJobRun(r -> r.jobName("etl")), "ConcurrentRunsExceededException");
        String waiting = glue.startJobRun(r -> r.jobName("etl").jobRunQueuingEnabled(true)).jobRunId();
        assertThat(glue.getJobRun(r -> r.jobName("etl").runId(waiting)).jobRun().jobRunState()).isEqualTo(JobRunState.WAITING);
        assertThat(glue.getJobRuns(r -> r.jobName("etl")).jobRuns()).extracting(JobRun::id).containsExactly(waiting, first);
        assertThat(glue.getJobRuns(r -> r.jobName("etl").maxResults(1)).jobRuns()).extracting(JobRun::id).containsExactly(waiting);
        String page = glue.getJobRuns(r -> r.jobName("etl").maxResults(1)).nextToken();
        assertThat(glue.getJobRuns(r -> r.jobName("etl").maxResults(1).nextToken(page)).jobRuns()).extracting(JobRun::id).containsExactly(first);

        // stopping the queued run frees its slot for the waiting one
        BatchStopJobRunResponse stopped = glue.batchStopJobRun(r -> r.jobName("etl").jobRunIds(first, "jr_nope"));
        assertThat(stopped.successfulSubmissions()).singleElement().satisfies(s -> assertThat(s.jobRunId()).isEqualTo(first));
        assertThat(stopped.errors()).singleElement().satisfies(e -> {
            assertThat(e.jobRunId()).isEqualTo("jr_nope");
            assertThat(e.errorDetail().errorCode()).isEqualTo("EntityNotFoundException");
        });
        JobRun ended = glue.getJobRun(r -> r.jobName("etl").runId(first)).jobRun();
        assertThat(ended.jobRunState()).isEqualTo(JobRunState.STOPPED);
        assertThat(ended.completedOn()).isNotNull();
        assertThat(glue.getJobRun(r -> r.jobName("etl").runId(waiting)).jobRun().jobRunState()).isEqualTo(JobRunState.STARTING);
        assertThat(glue.batchStopJobRun(r -> r.jobName("etl").jobRunIds(first)).errors()).singleElement()
                .satisfies(e -> assertThat(e.errorDetail().errorCode()).isEqualTo("InvalidInputException"));

        // a retry of an ended run names it
        glue.batchStopJobRun(r -> r.jobName("etl").jobRunIds(waiting));
        String retry = glue.startJobRun(r -> r.jobName("etl").jobRunId(first)).jobRunId();
        JobRun retried = glue.getJobRun(r -> r.jobName("etl").runId(retry)).jobRun();
        assertThat(retry).isEqualTo(first + "_attempt_1");
        assertThat(retried.attempt()).isEqualTo(1);
        assertThat(retried.previousRunId()).isEqualTo(first);
        assertThat(retried.arguments()).containsEntry("--day", "2024-02-02");

        // refusals
        assertGlueError(() -> glue.startJobRun(r -> r.jobName("nope")), "EntityNotFoundException");
        assertGlueError(() -> glue.getJobRun(r -> r.jobName("etl").runId("jr_nope")), "EntityNotFoundException");
        assertGlueError(() -> glue.startJobRun(r -> r.jobName("py").arguments(Map.of("--job-bookmark-option", "sometimes"))), "InvalidInputException");
        assertGlueError(() -> glue.startJobRun(r -> r.jobName("py").arguments(Map.of("--job-bookmark-from", "jr_1"))), "InvalidInputException");
        assertGlueError(() -> glue.getJobBookmark(r -> r.jobName("etl")), "EntityNotFoundException");
        assertThat(glue.getJobRuns(r -> r.jobName("py")).jobRuns()).isEmpty();

        // a job with runs in progress is not deleted; once they end it is, with its runs and tags
        assertGlueError(() -> glue.deleteJob(r -> r.jobName("etl")), "InvalidInputException");
        glue.batchStopJobRun(r -> r.jobName("etl").jobRunIds(retry));
        glue.deleteJob(r -> r.jobName("etl"));
        assertGlueError(() -> glue.getJobRuns(r -> r.jobName("etl")), "EntityNotFoundException");
        assertThat(glue.listJobs(r -> r.maxResults(10)).jobNames()).isEqualTo(List.of("py"));
    }
}
