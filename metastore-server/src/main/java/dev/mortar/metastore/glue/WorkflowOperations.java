package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.job.JobRecord;
import dev.mortar.metastore.control.job.JobRunRecord;
import dev.mortar.metastore.control.job.Jobs;
import dev.mortar.metastore.control.schedule.Triggers;
import dev.mortar.metastore.control.schedule.WorkflowDefinition;
import dev.mortar.metastore.control.schedule.WorkflowRecord;
import dev.mortar.metastore.control.schedule.WorkflowRunRecord;
import dev.mortar.metastore.control.schedule.Workflows;
import dev.mortar.metastore.control.tag.Tags;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.workflow.NodeType;
import dev.mortar.scheduler.workflow.WorkflowEdge;
import dev.mortar.scheduler.workflow.WorkflowGraph;
import dev.mortar.scheduler.workflow.WorkflowNode;
import dev.mortar.scheduler.workflow.WorkflowRunStatistics;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * CreateWorkflow, UpdateWorkflow, GetWorkflow, ListWorkflows, BatchGetWorkflows, DeleteWorkflow, StartWorkflowRun,
 * GetWorkflowRun, GetWorkflowRuns, GetWorkflowRunProperties, PutWorkflowRunProperties, StopWorkflowRun,
 * ResumeWorkflowRun: the Glue shapes of the control plane's {@link Workflows}. A run's graph shows, per job node, the job
 * runs the workflow run made (as GetJobRun renders them) and, per crawler node, its crawls; nodes not yet run have no
 * details.
 */
final class WorkflowOperations {
    private final Workflows workflows;
    private final Triggers triggers;
    private final Jobs jobs;

    WorkflowOperations(Workflows workflows, Triggers triggers, Jobs jobs) {
        this.workflows = workflows;
        this.triggers = triggers;
        this.jobs = jobs;
    }

    void register(Map<String, GlueOperation> ops) {
        ops.put("CreateWorkflow", this::createWorkflow);
        ops.put("UpdateWorkflow", this::updateWorkflow);
        ops.put("GetWorkflow", this::getWorkflow);
        ops.put("ListWorkflows", this::listWorkflows);
        ops.put("BatchGetWorkflows", this::batchGetWorkflows);
        ops.put("DeleteWorkflow", this::deleteWorkflow);
        ops.put("StartWorkflowRun", this::startWorkflowRun);
        ops.put("GetWorkflowRun", this::getWorkflowRun);
        ops.put("GetWorkflowRuns", this::getWorkflowRuns);
        ops.put("GetWorkflowRunProperties", this::getWorkflowRunProperties);
        ops.put("PutWorkflowRunProperties", this::putWorkflowRunProperties);
        ops.put("StopWorkflowRun", this::stopWorkflowRun);
        ops.put("ResumeWorkflowRun", this::resumeWorkflowRun);
    }

    // ---- definitions

    private ObjectNode createWorkflow(GlueRequest r) {
        String name = r.requiredName("Name");
        Map<String, String> tagged = r.stringMap("Tags", 1, 128, 0, 256).orElse(Map.of());
        if (tagged.size() > Tags.MAX_TAGS) {
            throw GlueException.invalidInput("A workflow has at most " + Tags.MAX_TAGS + " tags, not " + tagged.size());
        }
        WorkflowDefinition definition = new WorkflowDefinition(r.string("Description", 0, Workflows.MAX_DESCRIPTION), properties(r, "DefaultRunProperties"),
                maxConcurrentRuns(r));
        workflows.create(name, definition, tagged);
        return HiveShapes.JSON.createObjectNode().put("Name", name);
    }

    /** Members given replace the stored ones; those left out keep their values. */
    private ObjectNode updateWorkflow(GlueRequest r) {
        String name = r.requiredName("Name");
        Optional<String> description = r.string("Description", 0, Workflows.MAX_DESCRIPTION);
        Optional<Map<String, String>> properties = r.has("DefaultRunProperties") ? Optional.of(properties(r, "DefaultRunProperties")) : Optional.empty();
        Optional<Integer> max = maxConcurrentRuns(r);
        workflows.update(name, stored -> new WorkflowDefinition(description.isPresent() ? description : stored.description(),
                properties.orElse(stored.defaultRunProperties()), max.isPresent() ? max : stored.maxConcurrentRuns()));
        return HiveShapes.JSON.createObjectNode().put("Name", name);
    }

    private static Optional<Integer> maxConcurrentRuns(GlueRequest r) {
        return r.integer("MaxConcurrentRuns", Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A {@code WorkflowRunProperties} map: keys of 1 to 255 characters. */
    private static Map<String, String> properties(GlueRequest r, String member) {
        return r.stringMap(member, 1, GlueRequest.NAME_MAX, 0, Integer.MAX_VALUE).orElse(Map.of());
    }

    private ObjectNode getWorkflow(GlueRequest r) {
        String name = r.requiredName("Name");
        boolean graph = r.bool("IncludeGraph").orElse(false);
        return HiveShapes.JSON.createObjectNode().set("Workflow", workflowJson(workflows.get(name), graph));
    }

    private ObjectNode listWorkflows(GlueRequest r) {
        int max = r.integer("MaxResults", 1, 25).orElse(25);
        Optional<PageToken> token = PageToken.decode(r.string("NextToken", 0, Integer.MAX_VALUE), "ListWorkflows");
        List<String> page = workflows.names(token.map(t -> t.after().get(0)), max + 1);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode names = out.putArray("Workflows");
        page.stream().limit(max).forEach(names::add);
        if (page.size() > max) {
            out.put("NextToken", new PageToken("ListWorkflows", List.of(page.get(max - 1))).encode());
        }
        return out;
    }

    private ObjectNode batchGetWorkflows(GlueRequest r) {
        List<String> names = r.requiredStrings("Names", 1, 25, 1, GlueRequest.NAME_MAX);
        boolean graph = r.bool("IncludeGraph").orElse(false);
        List<WorkflowRecord> found = workflows.batch(names);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("Workflows");
        found.forEach(w -> list.add(workflowJson(w, graph)));
        ArrayNode missing = out.putArray("MissingWorkflows");
        names.stream().distinct().filter(n -> found.stream().noneMatch(w -> w.name().equals(n))).forEach(missing::add);
        return out;
    }

    private ObjectNode deleteWorkflow(GlueRequest r) {
        String name = r.requiredName("Name");
        workflows.delete(name);
        return HiveShapes.JSON.createObjectNode().put("Name", name);
    }

    // ---- runs

    private ObjectNode startWorkflowRun(GlueRequest r) {
        String name = r.requiredName("Name");
        String runId = workflows.startRun(name, properties(r, "RunProperties"));
        return HiveShapes.JSON.createObjectNode().put("RunId", runId);
    }

    private ObjectNode getWorkflowRun(GlueRequest r) {
        String name = r.requiredName("Name");
        String runId = r.requiredString("RunId", 1, GlueRequest.NAME_MAX);
        boolean graph = r.bool("IncludeGraph").orElse(false);
        return HiveShapes.JSON.createObjectNode().set("Run", runJson(workflows.run(name, runId), graph));
    }

    private ObjectNode getWorkflowRuns(GlueRequest r) {
        String name = r.requiredName("Name");
        boolean graph = r.bool("IncludeGraph").orElse(false);
        int max = r.integer("MaxResults", 1, 1000).orElse(100);
        Optional<PageToken> token = PageToken.decode(r.string("NextToken", 0, Integer.MAX_VALUE), "GetWorkflowRuns");
        List<WorkflowRunRecord> page = workflows.runs(name, token.map(t -> t.after().get(0)), max + 1);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("Runs");
        page.stream().limit(max).forEach(run -> list.add(runJson(run, graph)));
        if (page.size() > max) {
            out.put("NextToken", new PageToken("GetWorkflowRuns", List.of(page.get(max - 1).runId())).encode());
        }
        return out;
    }

    private ObjectNode getWorkflowRunProperties(GlueRequest r) {
        String name = r.requiredName("Name");
        String runId = r.requiredString("RunId", 1, GlueRequest.NAME_MAX);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ObjectNode properties = out.putObject("RunProperties");
        new TreeMap<>(workflows.runProperties(name, runId)).forEach(properties::put);
        return out;
    }

    private ObjectNode putWorkflowRunProperties(GlueRequest r) {
        String name = r.requiredName("Name");
        String runId = r.requiredString("RunId", 1, GlueRequest.NAME_MAX);
        if (!r.has("RunProperties")) {
            throw GlueException.invalidInput("RunProperties is required");
        }
        workflows.putRunProperties(name, runId, properties(r, "RunProperties"));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode stopWorkflowRun(GlueRequest r) {
        String name = r.requiredName("Name");
        workflows.stopRun(name, r.requiredString("RunId", 1, GlueRequest.NAME_MAX));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode resumeWorkflowRun(GlueRequest r) {
        String name = r.requiredName("Name");
        String runId = r.requiredString("RunId", 1, GlueRequest.NAME_MAX);
        List<String> nodeIds = r.requiredStrings("NodeIds", 0, Integer.MAX_VALUE, 1, GlueRequest.NAME_MAX);
        Workflows.Resumed resumed = workflows.resumeRun(name, runId, nodeIds);
        ObjectNode out = HiveShapes.JSON.createObjectNode().put("RunId", resumed.runId());
        resumed.nodeIds().forEach(out.putArray("NodeIds")::add);
        return out;
    }

    // ---- shapes

    private static double epochSeconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    private ObjectNode workflowJson(WorkflowRecord w, boolean includeGraph) {
        WorkflowDefinition d = w.definition();
        ObjectNode n = HiveShapes.JSON.createObjectNode().put("Name", w.name());
        d.description().ifPresent(v -> n.put("Description", v));
        ObjectNode properties = n.putObject("DefaultRunProperties");
        new TreeMap<>(d.defaultRunProperties()).forEach(properties::put);
        n.put("CreatedOn", epochSeconds(w.created()));
        n.put("LastModifiedOn", epochSeconds(w.modified()));
        w.lastRun().ifPresent(run -> n.set("LastRun", runJson(run, false)));
        if (includeGraph) {
            WorkflowGraph graph = workflows.graph(w.name());
            List<String> triggerNames = graph.nodes().stream().filter(node -> node.type() == NodeType.TRIGGER).map(WorkflowNode::name).toList();
            Map<String, Trigger> byName = new HashMap<>();
            triggers.batch(triggerNames).forEach(t -> byName.put(t.name(), t));
            n.set("Graph", graphJson(graph, byName::get, Map.of(), Map.of(), Map.of()));
        }
        d.maxConcurrentRuns().ifPresent(v -> n.put("MaxConcurrentRuns", v));
        return n;
    }

    private ObjectNode runJson(WorkflowRunRecord run, boolean includeGraph) {
        ObjectNode n = HiveShapes.JSON.createObjectNode().put("Name", run.workflowName()).put("WorkflowRunId", run.runId());
        run.previousRunId().ifPresent(v -> n.put("PreviousRunId", v));
        ObjectNode properties = n.putObject("WorkflowRunProperties");
        new TreeMap<>(run.properties()).forEach(properties::put);
        n.put("StartedOn", epochSeconds(run.started()));
        run.completed().ifPresent(t -> n.put("CompletedOn", epochSeconds(t)));
        n.put("Status", run.status().name());
        run.error().ifPresent(v -> n.put("ErrorMessage", v));
        WorkflowRunStatistics s = workflows.statistics(run.runId());
        n.putObject("Statistics").put("TotalActions", s.totalActions()).put("TimeoutActions", s.timeoutActions()).put("FailedActions", s.failedActions())
                .put("StoppedActions", s.stoppedActions()).put("SucceededActions", s.succeededActions()).put("RunningActions", s.runningActions())
                .put("ErroredActions", s.erroredActions()).put("WaitingActions", s.waitingActions());
        if (includeGraph) {
            Workflows.RunGraph graph = workflows.runGraph(run);
            Map<String, Trigger> byName = new HashMap<>();
            run.triggers().forEach(t -> byName.put(t.name(), t));
            List<String> jobNames = graph.graph().nodes().stream().filter(node -> node.type() == NodeType.JOB).map(WorkflowNode::name).toList();
            Map<String, JobRecord> jobsByName = new HashMap<>();
            jobs.jobs(jobNames).forEach(j -> jobsByName.put(j.name(), j));
            n.set("Graph", graphJson(graph.graph(), byName::get, graph.jobRuns(), graph.crawls(), jobsByName));
        }
        return n;
    }

    /** Nodes with their details, and edges; a trigger node shows its trigger, job and crawler nodes the runs given for them. */
    private static ObjectNode graphJson(WorkflowGraph graph, Function<String, Trigger> triggerOf, Map<String, List<JobRunRecord>> jobRuns,
                                        Map<String, List<Workflows.NodeCrawl>> crawls, Map<String, JobRecord> jobsByName) {
        ObjectNode g = HiveShapes.JSON.createObjectNode();
        ArrayNode nodes = g.putArray("Nodes");
        for (WorkflowNode node : graph.nodes()) {
            ObjectNode n = nodes.addObject().put("Type", node.type().name()).put("Name", node.name()).put("UniqueId", node.uniqueId());
            switch (node.type()) {
                case TRIGGER -> {
                    Trigger t = triggerOf.apply(node.name());
                    if (t != null) {
                        n.putObject("TriggerDetails").set("Trigger", TriggerOperations.triggerJson(t));
                    }
                }
                case JOB -> {
                    List<JobRunRecord> runs = jobRuns.getOrDefault(node.uniqueId(), List.of());
                    JobRecord job = jobsByName.get(node.name());
                    if (!runs.isEmpty() && job != null) {
                        ArrayNode list = n.putObject("JobDetails").putArray("JobRuns");
                        runs.forEach(run -> list.add(JobOperations.runJson(job, run)));
                    }
                }
                case CRAWLER -> {
                    List<Workflows.NodeCrawl> list = crawls.getOrDefault(node.uniqueId(), List.of());
                    if (!list.isEmpty()) {
                        ArrayNode out = n.putObject("CrawlerDetails").putArray("Crawls");
                        for (Workflows.NodeCrawl crawl : list) {
                            ObjectNode c = out.addObject().put("State", crawl.state()).put("StartedOn", epochSeconds(crawl.started()));
                            crawl.completed().ifPresent(t -> c.put("CompletedOn", epochSeconds(t)));
                            crawl.error().ifPresent(e -> c.put("ErrorMessage", e));
                            c.put("LogGroup", "/aws-glue/crawlers").put("LogStream", node.name());
                        }
                    }
                }
            }
        }
        ArrayNode edges = g.putArray("Edges");
        for (WorkflowEdge edge : graph.edges()) {
            edges.addObject().put("SourceId", edge.sourceId()).put("DestinationId", edge.destinationId());
        }
        return g;
    }
}
