package dev.mortar.scheduler.workflow;

import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.Condition;
import dev.mortar.scheduler.trigger.CrawlState;
import dev.mortar.scheduler.trigger.JobRunState;
import dev.mortar.scheduler.trigger.Logical;
import dev.mortar.scheduler.trigger.Predicate;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.trigger.TriggerDefinition;
import dev.mortar.scheduler.trigger.TriggerRules;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A workflow's graph from its triggers, resume of chosen nodes, run statistics, statuses and properties. */
class WorkflowGraphTest {
    private final TriggerRules rules = new TriggerRules(Duration.ofMinutes(1), () -> Instant.parse("2026-01-01T00:00:00Z"));
    // start -> extract, crawl raw; join: extract SUCCEEDED AND raw SUCCEEDED -> load; alert: load FAILED -> notify
    private final List<Trigger> triggers = List.of(
            rules.create(TriggerDefinition.onDemand("start", Action.job("extract"), Action.crawler("raw")).inWorkflow("etl"), false),
            rules.create(TriggerDefinition.conditional("join", Predicate.of(Logical.AND, Condition.job("extract", JobRunState.SUCCEEDED),
                    Condition.crawler("raw", CrawlState.SUCCEEDED)), Action.job("load")).inWorkflow("etl"), true),
            rules.create(TriggerDefinition.conditional("alert", Predicate.of(Logical.AND, Condition.job("load", JobRunState.FAILED)),
                    Action.job("notify")).inWorkflow("etl"), true));
    private final WorkflowGraph graph = WorkflowGraph.of("etl", triggers);

    private String id(NodeType type, String name) {
        return graph.node(type, name).orElseThrow().uniqueId();
    }

    @Test
    void nodesAndEdgesFromTheTriggers() {
        assertThat(graph.nodes()).extracting(WorkflowNode::type, WorkflowNode::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple(NodeType.TRIGGER, "start"), org.assertj.core.groups.Tuple.tuple(NodeType.JOB, "extract"),
                org.assertj.core.groups.Tuple.tuple(NodeType.CRAWLER, "raw"), org.assertj.core.groups.Tuple.tuple(NodeType.TRIGGER, "join"),
                org.assertj.core.groups.Tuple.tuple(NodeType.JOB, "load"), org.assertj.core.groups.Tuple.tuple(NodeType.TRIGGER, "alert"),
                org.assertj.core.groups.Tuple.tuple(NodeType.JOB, "notify"));
        assertThat(graph.edges()).containsExactly(
                new WorkflowEdge(id(NodeType.TRIGGER, "start"), id(NodeType.JOB, "extract")),
                new WorkflowEdge(id(NodeType.TRIGGER, "start"), id(NodeType.CRAWLER, "raw")),
                new WorkflowEdge(id(NodeType.TRIGGER, "join"), id(NodeType.JOB, "load")),
                new WorkflowEdge(id(NodeType.JOB, "extract"), id(NodeType.TRIGGER, "join")),
                new WorkflowEdge(id(NodeType.CRAWLER, "raw"), id(NodeType.TRIGGER, "join")),
                new WorkflowEdge(id(NodeType.TRIGGER, "alert"), id(NodeType.JOB, "notify")),
                new WorkflowEdge(id(NodeType.JOB, "load"), id(NodeType.TRIGGER, "alert")));
    }

    @Test
    void nodeIdsAreStableAndShapedAsTheService() {
        assertThat(id(NodeType.JOB, "extract")).matches("wnode_[0-9a-f]{64}");
        assertThat(WorkflowGraph.of("etl", triggers.reversed()).node(NodeType.JOB, "extract").orElseThrow().uniqueId())
                .isEqualTo(id(NodeType.JOB, "extract"));
        assertThat(WorkflowGraph.of("other", triggers).node(NodeType.JOB, "extract").orElseThrow().uniqueId())
                .isNotEqualTo(id(NodeType.JOB, "extract"));
        assertThat(graph.node(NodeType.JOB, "raw")).isEmpty();
    }

    @Test
    void resumeRerunsTheChosenNodesAndWhatIsDownstream() {
        Set<String> attempted = Set.of(id(NodeType.JOB, "extract"), id(NodeType.CRAWLER, "raw"), id(NodeType.JOB, "load"));
        ResumePlan plan = graph.resume("wr_1", WorkflowRunStatus.COMPLETED, attempted,
                List.of(id(NodeType.JOB, "load"), id(NodeType.JOB, "extract")));
        assertThat(plan.nodeIds()).extracting(WorkflowNode::name).containsExactly("extract");
        assertThat(plan.rerun()).containsExactlyInAnyOrder(id(NodeType.JOB, "extract"), id(NodeType.TRIGGER, "join"), id(NodeType.JOB, "load"),
                id(NodeType.TRIGGER, "alert"), id(NodeType.JOB, "notify"));
        assertThat(plan.kept()).containsExactlyInAnyOrder(id(NodeType.TRIGGER, "start"), id(NodeType.CRAWLER, "raw"));

        ResumePlan two = graph.resume("wr_1", WorkflowRunStatus.COMPLETED, attempted,
                List.of(id(NodeType.CRAWLER, "raw"), id(NodeType.JOB, "extract")));
        assertThat(two.nodeIds()).extracting(WorkflowNode::name).containsExactly("raw", "extract");
    }

    @Test
    void resumeIsRefusedAsTheServiceRefusesIt() {
        Set<String> attempted = Set.of(id(NodeType.JOB, "extract"));
        assertThatThrownBy(() -> graph.resume("wr_1", WorkflowRunStatus.RUNNING, attempted, List.of(id(NodeType.JOB, "extract"))))
                .isInstanceOf(IllegalWorkflowStateException.class)
                .hasMessage("Workflow run wr_1 of etl is RUNNING; only a COMPLETED run can be resumed");
        assertThatThrownBy(() -> graph.resume("wr_1", WorkflowRunStatus.COMPLETED, attempted, List.of()))
                .isInstanceOf(InvalidWorkflowRequestException.class).hasMessage("NodeIds cannot be empty");
        assertThatThrownBy(() -> graph.resume("wr_1", WorkflowRunStatus.COMPLETED, attempted, List.of("wnode_x")))
                .hasMessage("Node wnode_x is not in the graph of workflow etl");
        String start = id(NodeType.TRIGGER, "start");
        assertThatThrownBy(() -> graph.resume("wr_1", WorkflowRunStatus.COMPLETED, attempted, List.of(start)))
                .hasMessage("Node " + start + " is trigger start; only job and crawler nodes can be resumed");
        String notify = id(NodeType.JOB, "notify");
        assertThatThrownBy(() -> graph.resume("wr_1", WorkflowRunStatus.COMPLETED, attempted, List.of(notify)))
                .hasMessage("Node " + notify + " (job notify) had no run attempt in workflow run wr_1");
    }

    @Test
    void statisticsCountEveryActionByItsState() {
        assertThat(WorkflowRunStatistics.of(List.of(JobRunState.SUCCEEDED, JobRunState.FAILED, JobRunState.RUNNING, JobRunState.STARTING,
                JobRunState.WAITING, JobRunState.TIMEOUT, JobRunState.STOPPED, JobRunState.ERROR, CrawlState.SUCCEEDED, CrawlState.CANCELLED,
                CrawlState.RUNNING, CrawlState.FAILED, CrawlState.ERROR)))
                .isEqualTo(new WorkflowRunStatistics(13, 1, 2, 2, 2, 3, 2, 1));
        assertThat(WorkflowRunStatistics.of(List.of())).isEqualTo(new WorkflowRunStatistics(0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void aRunWhoseJobsFailedStillCompletes() {
        WorkflowRunStatistics failed = WorkflowRunStatistics.of(List.of(JobRunState.SUCCEEDED, JobRunState.FAILED));
        assertThat(WorkflowRuns.statusAfter(WorkflowRunStatus.RUNNING, failed, false)).isEqualTo(WorkflowRunStatus.COMPLETED);
        assertThat(WorkflowRuns.statusAfter(WorkflowRunStatus.RUNNING, failed, true)).isEqualTo(WorkflowRunStatus.RUNNING);
        WorkflowRunStatistics running = WorkflowRunStatistics.of(List.of(JobRunState.SUCCEEDED, JobRunState.RUNNING));
        assertThat(WorkflowRuns.statusAfter(WorkflowRunStatus.RUNNING, running, false)).isEqualTo(WorkflowRunStatus.RUNNING);
        assertThat(WorkflowRuns.statusAfter(WorkflowRunStatus.STOPPING, running, false)).isEqualTo(WorkflowRunStatus.STOPPING);
        assertThat(WorkflowRuns.statusAfter(WorkflowRunStatus.STOPPING, failed, true)).isEqualTo(WorkflowRunStatus.STOPPED);
        assertThat(WorkflowRuns.statusAfter(WorkflowRunStatus.ERROR, failed, false)).isEqualTo(WorkflowRunStatus.ERROR);
    }

    @Test
    void onlyARunningRunStops() {
        assertThat(WorkflowRuns.stop("etl", "wr_1", WorkflowRunStatus.RUNNING)).isEqualTo(WorkflowRunStatus.STOPPING);
        assertThatThrownBy(() -> WorkflowRuns.stop("etl", "wr_1", WorkflowRunStatus.COMPLETED))
                .isInstanceOf(IllegalWorkflowStateException.class)
                .hasMessage("Workflow run wr_1 of etl is COMPLETED; only a RUNNING run can be stopped");
    }

    @Test
    void runProperties() {
        assertThat(WorkflowRuns.startProperties(Map.of("a", "1", "b", "2"), Map.of("b", "3"))).isEqualTo(Map.of("a", "1", "b", "3"));
        assertThat(WorkflowRuns.putProperties(Map.of("a", "1", "b", "2"), Map.of("c", "4", "a", "0")))
                .isEqualTo(Map.of("a", "0", "b", "2", "c", "4"));
    }
}
