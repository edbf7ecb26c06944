package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.Await;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Action;
import software.amazon.awssdk.services.glue.model.BatchGetWorkflowsResponse;
import software.amazon.awssdk.services.glue.model.Condition;
import software.amazon.awssdk.services.glue.model.Edge;
import software.amazon.awssdk.services.glue.model.JobCommand;
import software.amazon.awssdk.services.glue.model.JobRun;
import software.amazon.awssdk.services.glue.model.JobRunState;
import software.amazon.awssdk.services.glue.model.ListWorkflowsResponse;
import software.amazon.awssdk.services.glue.model.LogicalOperator;
import software.amazon.awssdk.services.glue.model.Node;
import software.amazon.awssdk.services.glue.model.NodeType;
import software.amazon.awssdk.services.glue.model.ResumeWorkflowRunResponse;
import software.amazon.awssdk.services.glue.model.TriggerType;
import software.amazon.awssdk.services.glue.model.Workflow;
import software.amazon.awssdk.services.glue.model.WorkflowGraph;
import software.amazon.awssdk.services.glue.model.WorkflowRun;
import software.amazon.awssdk.services.glue.model.WorkflowRunStatistics;
import software.amazon.awssdk.services.glue.model.WorkflowRunStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workflows through the AWS SDK's Glue client on every supported store: definitions (create, update keeping what is
 * left out, get with the graph of its triggers, list, batch, tags, delete with its triggers); a run of an ON_DEMAND
 * starting trigger and a conditional trigger over Python shell jobs on the server's job workers, which the server's
 * scheduler carries to COMPLETED with its graph, statistics and properties; StopWorkflowRun of a completed run refused
 * and of a running one carried out; ResumeWorkflowRun of the failed node; MaxConcurrentRuns.
 */
class GlueWorkflowApiTest {
    private static final String ARN = "arn:aws:glue:us-east-1:123456789012:workflow/";
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void workflows(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-workflows-" + kind);
        try (TestServer server = TestServer.start(dir.resolve("server"), TestStores.fresh(kind, dir)); GlueClient glue = GlueClients.client(server)) {
            Path scripts = dir.resolve("scripts");
            Files.createDirectories(scripts);
            Files.writeString(scripts.resolve("extract.py"), "print('extracted')\n");
            Files.writeString(scripts.resolve("load.py"), "print('loaded')\n");
            Files.writeString(scripts.resolve("boom.py"), "raise ValueError('boom')\n");
            Files.writeString(scripts.resolve("sleepy.py"), "import time\nprint('sleeping', flush=True)\ntime.sleep(600)\n");
            for (String job : List.of("extract", "load", "boom", "sleepy")) {
                glue.createJob(r -> r.name(job).role("glue").command(JobCommand.builder().name("pythonshell").scriptLocation(scripts.resolve(job + ".py").toString()).build()));
            }
            definitions(glue);
            String runId = completedRun(glue);
            properties(glue, runId);
            resume(glue, runId);
            concurrencyAndStop(glue);
            deletes(glue);
        }
    }

    private static void definitions(GlueClient glue) {
        assertGlueError(() -> glue.getWorkflow(r -> r.name("daily")), "EntityNotFoundException");
        assertThat(glue.createWorkflow(r -> r.name("daily").description("orders every day").defaultRunProperties(Map.of("env", "prod", "day", "1"))
                .tags(Map.of("team", "data"))).name()).isEqualTo("daily");
        Workflow daily = glue.getWorkflow(r -> r.name("daily")).workflow();
        assertThat(daily.name()).isEqualTo("daily");
        assertThat(daily.description()).isEqualTo("orders every day");
        assertThat(daily.defaultRunProperties()).isEqualTo(Map.of("env", "prod", "day", "1"));
        assertThat(daily.createdOn()).isNotNull();
        assertThat(daily.lastModifiedOn()).isNotNull();
        assertThat(daily.maxConcurrentRuns()).isNull();
        assertThat(daily.lastRun()).isNull();
        assertThat(daily.graph()).isNull();
        assertGlueError(() -> glue.createWorkflow(r -> r.name("daily")), "AlreadyExistsException");
        assertGlueError(() -> glue.createWorkflow(r -> r.name("bad").maxConcurrentRuns(0)), "InvalidInputException");
        assertGlueError(() -> glue.createWorkflow(r -> r.description("no name")), "ValidationException");
        assertGlueError(() -> glue.getWorkflow(r -> r.name("bad")), "EntityNotFoundException");

        // members left out keep their values
        assertThat(glue.updateWorkflow(r -> r.name("daily").maxConcurrentRuns(1)).name()).isEqualTo("daily");
        glue.updateWorkflow(r -> r.name("daily").description("orders, daily"));
        daily = glue.getWorkflow(r -> r.name("daily")).workflow();
        assertThat(daily.description()).isEqualTo("orders, daily");
        assertThat(daily.defaultRunProperties()).isEqualTo(Map.of("env", "prod", "day", "1"));
        assertThat(daily.maxConcurrentRuns()).isEqualTo(1);
        assertGlueError(() -> glue.updateWorkflow(r -> r.name("nope").description("x")), "EntityNotFoundException");
        assertGlueError(() -> glue.updateWorkflow(r -> r.name("daily").maxConcurrentRuns(-1)), "InvalidInputException");
        assertThat(glue.getWorkflow(r -> r.name("daily")).workflow().maxConcurrentRuns()).isEqualTo(1);

        glue.createWorkflow(r -> r.name("other"));
        glue.createWorkflow(r -> r.name("slow").maxConcurrentRuns(1));
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListWorkflowsResponse page = glue.listWorkflows(r -> r.maxResults(2).nextToken(next));
            assertThat(page.workflows()).hasSizeLessThanOrEqualTo(2);
            names.addAll(page.workflows());
            token = page.nextToken();
        } while (token != null);
        assertThat(names).containsExactly("daily", "other", "slow");
        assertGlueError(() -> glue.listWorkflows(r -> r.maxResults(26)), "ValidationException");

        BatchGetWorkflowsResponse batch = glue.batchGetWorkflows(r -> r.names("other", "nope", "daily"));
        assertThat(batch.workflows()).extracting(Workflow::name).containsExactly("other", "daily");
        assertThat(batch.missingWorkflows()).containsExactly("nope");
        assertGlueError(() -> glue.batchGetWorkflows(r -> r.names(List.of())), "ValidationException");

        assertThat(glue.getTags(r -> r.resourceArn(ARN + "daily")).tags()).isEqualTo(Map.of("team", "data"));
        glue.tagResource(r -> r.resourceArn(ARN + "other").tagsToAdd(Map.of("tier", "bronze")));
        assertThat(glue.getTags(r -> r.resourceArn(ARN + "other")).tags()).isEqualTo(Map.of("tier", "bronze"));

        // the graph: the starting trigger starts extract; when extract succeeds, the conditional trigger starts load and boom
        glue.createTrigger(r -> r.name("daily-start").workflowName("daily").type(TriggerType.ON_DEMAND).actions(Action.builder().jobName("extract").build()));
        glue.createTrigger(r -> r.name("daily-then").workflowName("daily").type(TriggerType.CONDITIONAL).startOnCreation(true)
                .predicate(p -> p.conditions(Condition.builder().logicalOperator(LogicalOperator.EQUALS).jobName("extract").state("SUCCEEDED").build()))
                .actions(Action.builder().jobName("load").build(), Action.builder().jobName("boom").build()));
        assertGlueError(() -> glue.createTrigger(r -> r.name("daily-again").workflowName("daily").type(TriggerType.ON_DEMAND)
                .actions(Action.builder().jobName("load").build())), "InvalidInputException");
        assertThat(glue.getTrigger(r -> r.name("daily-then")).trigger().workflowName()).isEqualTo("daily");

        WorkflowGraph graph = glue.getWorkflow(r -> r.name("daily").includeGraph(true)).workflow().graph();
        assertThat(graph.nodes()).extracting(Node::type, Node::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple(NodeType.TRIGGER, "daily-start"), org.assertj.core.groups.Tuple.tuple(NodeType.JOB, "extract"),
                org.assertj.core.groups.Tuple.tuple(NodeType.TRIGGER, "daily-then"), org.assertj.core.groups.Tuple.tuple(NodeType.JOB, "load"),
                org.assertj.core.groups.Tuple.tuple(NodeType.JOB, "boom"));
        Map<String, String> ids = graph.nodes().stream().collect(Collectors.toMap(Node::name, Node::uniqueId));
        assertThat(ids.values()).allMatch(id -> id.matches("wnode_[0-9a-f]{64}"));
        assertThat(graph.edges()).extracting(Edge::sourceId, Edge::destinationId).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(ids.get("daily-start"), ids.get("extract")),
                org.assertj.core.groups.Tuple.tuple(ids.get("extract"), ids.get("daily-then")),
                org.assertj.core.groups.Tuple.tuple(ids.get("daily-then"), ids.get("load")),
                org.assertj.core.groups.Tuple.tuple(ids.get("daily-then"), ids.get("boom")));
        Node then = graph.nodes().get(2);
        assertThat(then.triggerDetails().trigger().name()).isEqualTo("daily-then");
        assertThat(then.triggerDetails().trigger().workflowName()).isEqualTo("daily");
        assertThat(then.triggerDetails().trigger().predicate().conditions().getFirst().jobName()).isEqualTo("extract");
        assertThat(graph.nodes().get(1).jobDetails()).isNull();
    }

    private static WorkflowRun awaitRun(GlueClient glue, String workflow, String runId, WorkflowRunStatus status) throws Exception {
        Await.untilTrue("workflow run " + runId + " " + status, RUN_LIMIT,
                () -> glue.getWorkflowRun(r -> r.name(workflow).runId(runId)).run().status() == status);
        return glue.getWorkflowRun(r -> r.name(workflow).runId(runId).includeGraph(true)).run();
    }

    private static Node node(WorkflowRun run, String name) {
        return run.graph().nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static String completedRun(GlueClient glue) throws Exception {
        String runId = glue.startWorkflowRun(r -> r.name("daily").runProperties(Map.of("day", "2"))).runId();
        assertThat(runId).matches("wr_[0-9a-f]{64}");
        WorkflowRun run = awaitRun(glue, "daily", runId, WorkflowRunStatus.COMPLETED);
        assertThat(run.name()).isEqualTo("daily");
        assertThat(run.workflowRunId()).isEqualTo(runId);
        assertThat(run.previousRunId()).isNull();
        assertThat(run.workflowRunProperties()).isEqualTo(Map.of("env", "prod", "day", "2"));
        assertThat(run.startedOn()).isNotNull();
        assertThat(run.completedOn()).isNotNull();
        // a run whose job failed still completes; its graph says which failed
        WorkflowRunStatistics stats = run.statistics();
        assertThat(stats.totalActions()).isEqualTo(3);
        assertThat(stats.succeededActions()).isEqualTo(2);
        assertThat(stats.failedActions()).isEqualTo(1);
        assertThat(stats.runningActions()).isZero();
        assertThat(stats.waitingActions()).isZero();
        assertThat(stats.timeoutActions()).isZero();
        JobRun extract = node(run, "extract").jobDetails().jobRuns().getFirst();
        assertThat(node(run, "extract").jobDetails().jobRuns()).hasSize(1);
        assertThat(extract.jobName()).isEqualTo("extract");
        assertThat(extract.jobRunState()).isEqualTo(JobRunState.SUCCEEDED);
        assertThat(extract.triggerName()).isEqualTo("daily-start");
        assertThat(extract.startedOn()).isNotNull();
        assertThat(node(run, "load").jobDetails().jobRuns().getFirst().jobRunState()).isEqualTo(JobRunState.SUCCEEDED);
        JobRun boom = node(run, "boom").jobDetails().jobRuns().getFirst();
        assertThat(boom.jobRunState()).isEqualTo(JobRunState.FAILED);
        assertThat(boom.triggerName()).isEqualTo("daily-then");
        assertThat(boom.errorMessage()).contains("boom");
        assertThat(node(run, "daily-then").triggerDetails().trigger().name()).isEqualTo("daily-then");
        assertThat(run.graph().edges()).hasSize(4);

        // without IncludeGraph, no graph; the workflow shows its last run; GetWorkflowRuns lists it
        assertThat(glue.getWorkflowRun(r -> r.name("daily").runId(runId)).run().graph()).isNull();
        Workflow daily = glue.getWorkflow(r -> r.name("daily")).workflow();
        assertThat(daily.lastRun().workflowRunId()).isEqualTo(runId);
        assertThat(daily.lastRun().status()).isEqualTo(WorkflowRunStatus.COMPLETED);
        assertThat(glue.getWorkflowRuns(r -> r.name("daily")).runs()).extracting(WorkflowRun::workflowRunId).containsExactly(runId);
        assertGlueError(() -> glue.getWorkflowRun(r -> r.name("daily").runId("wr_nope")), "EntityNotFoundException");
        assertGlueError(() -> glue.getWorkflowRuns(r -> r.name("nope")), "EntityNotFoundException");
        assertGlueError(() -> glue.startWorkflowRun(r -> r.name("nope")), "EntityNotFoundException");
        assertGlueError(() -> glue.startWorkflowRun(r -> r.name("other")), "InvalidInputException");

        assertThat(assertGlueError(() -> glue.stopWorkflowRun(r -> r.name("daily").runId(runId)), "IllegalWorkflowStateException").getMessage())
                .contains(runId);
        return runId;
    }

    private static void properties(GlueClient glue, String runId) {
        assertThat(glue.getWorkflowRunProperties(r -> r.name("daily").runId(runId)).runProperties()).isEqualTo(Map.of("env", "prod", "day", "2"));
        glue.putWorkflowRunProperties(r -> r.name("daily").runId(runId).runProperties(Map.of("day", "3", "checked", "yes")));
        assertThat(glue.getWorkflowRunProperties(r -> r.name("daily").runId(runId)).runProperties())
                .isEqualTo(Map.of("env", "prod", "day", "3", "checked", "yes"));
        assertGlueError(() -> glue.getWorkflowRunProperties(r -> r.name("daily").runId("wr_nope")), "EntityNotFoundException");
        assertGlueError(() -> glue.putWorkflowRunProperties(r -> r.name("daily").runId("wr_nope").runProperties(Map.of("a", "b"))), "EntityNotFoundException");
        // the workflow's defaults are not touched
        assertThat(glue.getWorkflow(r -> r.name("daily")).workflow().defaultRunProperties()).isEqualTo(Map.of("env", "prod", "day", "1"));
    }

    private static void resume(GlueClient glue, String runId) throws Exception {
        WorkflowRun original = glue.getWorkflowRun(r -> r.name("daily").runId(runId).includeGraph(true)).run();
        String boomNode = node(original, "boom").uniqueId();
        String originalBoomRun = node(original, "boom").jobDetails().jobRuns().getFirst().id();
        String originalExtractRun = node(original, "extract").jobDetails().jobRuns().getFirst().id();
        assertGlueError(() -> glue.resumeWorkflowRun(r -> r.name("daily").runId(runId).nodeIds(node(original, "daily-then").uniqueId())), "InvalidInputException");

        ResumeWorkflowRunResponse resumed = glue.resumeWorkflowRun(r -> r.name("daily").runId(runId).nodeIds(boomNode));
        assertThat(resumed.runId()).isNotEqualTo(runId).matches("wr_[0-9a-f]{64}");
        assertThat(resumed.nodeIds()).containsExactly(boomNode);
        WorkflowRun again = awaitRun(glue, "daily", resumed.runId(), WorkflowRunStatus.COMPLETED);
        assertThat(again.previousRunId()).isEqualTo(runId);
        assertThat(again.workflowRunProperties()).containsEntry("day", "3");
        // the rerun node has a new run; the kept nodes show the original run's
        JobRun rerun = node(again, "boom").jobDetails().jobRuns().getFirst();
        assertThat(rerun.id()).isNotEqualTo(originalBoomRun);
        assertThat(rerun.jobRunState()).isEqualTo(JobRunState.FAILED);
        assertThat(node(again, "extract").jobDetails().jobRuns()).extracting(JobRun::id).containsExactly(originalExtractRun);
        assertThat(again.statistics().totalActions()).isEqualTo(1);
        assertThat(again.statistics().failedActions()).isEqualTo(1);
        assertThat(glue.getWorkflowRuns(r -> r.name("daily")).runs()).extracting(WorkflowRun::workflowRunId).containsExactly(resumed.runId(), runId);
        List<String> paged = new ArrayList<>();
        String first = glue.getWorkflowRuns(r -> r.name("daily").maxResults(1)).nextToken();
        assertThat(first).isNotNull();
        glue.getWorkflowRuns(r -> r.name("daily").maxResults(1).nextToken(first)).runs().forEach(r -> paged.add(r.workflowRunId()));
        assertThat(paged).containsExactly(runId);
        // a run can be resumed more than once
        ResumeWorkflowRunResponse twice = glue.resumeWorkflowRun(r -> r.name("daily").runId(runId).nodeIds(boomNode));
        assertThat(twice.nodeIds()).containsExactly(boomNode);
        assertThat(awaitRun(glue, "daily", twice.runId(), WorkflowRunStatus.COMPLETED).previousRunId()).isEqualTo(runId);
    }

    private static void concurrencyAndStop(GlueClient glue) throws Exception {
        glue.createTrigger(r -> r.name("slow-start").workflowName("slow").type(TriggerType.ON_DEMAND).actions(Action.builder().jobName("sleepy").build()));
        String running = glue.startWorkflowRun(r -> r.name("slow")).runId();
        assertThat(glue.getWorkflowRun(r -> r.name("slow").runId(running)).run().status()).isEqualTo(WorkflowRunStatus.RUNNING);
        assertThat(assertGlueError(() -> glue.startWorkflowRun(r -> r.name("slow")), "ConcurrentRunsExceededException").getMessage())
                .contains("Concurrent runs exceeded for workflow: slow");
        assertThat(glue.getWorkflowRuns(r -> r.name("slow")).runs()).hasSize(1);

        glue.stopWorkflowRun(r -> r.name("slow").runId(running));
        WorkflowRun stopped = awaitRun(glue, "slow", running, WorkflowRunStatus.STOPPED);
        assertThat(node(stopped, "sleepy").jobDetails().jobRuns().getFirst().jobRunState()).isEqualTo(JobRunState.STOPPED);
        assertThat(stopped.statistics().stoppedActions()).isEqualTo(1);
        assertGlueError(() -> glue.stopWorkflowRun(r -> r.name("slow").runId(running)), "IllegalWorkflowStateException");
        assertGlueError(() -> glue.resumeWorkflowRun(r -> r.name("slow").runId(running).nodeIds(node(stopped, "sleepy").uniqueId())),
                "IllegalWorkflowStateException");
    }

    private static void deletes(GlueClient glue) {
        assertThat(glue.deleteWorkflow(r -> r.name("daily")).name()).isEqualTo("daily");
        assertGlueError(() -> glue.getWorkflow(r -> r.name("daily")), "EntityNotFoundException");
        assertGlueError(() -> glue.getTrigger(r -> r.name("daily-start")), "EntityNotFoundException");
        assertGlueError(() -> glue.getTags(r -> r.resourceArn(ARN + "daily")), "EntityNotFoundException");
        assertThat(glue.deleteWorkflow(r -> r.name("daily")).name()).isEqualTo("daily");
        assertThat(glue.listWorkflows(r -> r.maxResults(25)).workflows()).containsExactly("other", "slow");
    }
}
