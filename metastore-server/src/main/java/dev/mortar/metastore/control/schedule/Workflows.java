package dev.mortar.metastore.control.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.crawl.CrawlRuns;
import dev.mortar.metastore.control.job.JobRunRecord;
import dev.mortar.metastore.control.job.JobRuns;
import dev.mortar.metastore.control.tag.Tags;
import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.scheduler.InvalidDefinitionException;
import dev.mortar.scheduler.engine.Chain;
import dev.mortar.scheduler.engine.Firing;
import dev.mortar.scheduler.engine.FiringCause;
import dev.mortar.scheduler.engine.IdGenerator;
import dev.mortar.scheduler.engine.TriggerEvaluator;
import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.RunTarget;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.workflow.IllegalWorkflowStateException;
import dev.mortar.scheduler.workflow.NodeType;
import dev.mortar.scheduler.workflow.ResumePlan;
import dev.mortar.scheduler.workflow.WorkflowGraph;
import dev.mortar.scheduler.workflow.WorkflowNode;
import dev.mortar.scheduler.workflow.WorkflowRunStatistics;
import dev.mortar.scheduler.workflow.WorkflowRunStatus;
import dev.mortar.scheduler.workflow.WorkflowRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import dev.mortar.metastore.store.CatalogStore;

/**
 * Workflows and their runs: definitions; StartWorkflowRun (the run snapshots the workflow's triggers and its starting
 * trigger's actions start); the run's graph with the runs of each node; properties; StopWorkflowRun; ResumeWorkflowRun.
 * A run's conditions are then the scheduler's ({@link SchedulerStoreView}); its status settles there.
 */
public final class Workflows {
    private static final Logger LOG = LoggerFactory.getLogger(Workflows.class);
    public static final int MAX_DESCRIPTION = 120_000;

    /** A crawl a workflow run started, as a graph node's CrawlerDetails lists it. */
    public record NodeCrawl(String crawlId, String state, Instant started, Optional<Instant> completed, Optional<String> error) {}

    /** A run's graph with, per node id, the job runs and crawls of the run (a resumed run's kept nodes: of the run it resumed). */
    public record RunGraph(WorkflowGraph graph, Map<String, List<JobRunRecord>> jobRuns, Map<String, List<NodeCrawl>> crawls) {}

    /** ResumeWorkflowRun's answer: the new run and the nodes it starts from. */
    public record Resumed(String runId, List<String> nodeIds) {}

    private final CatalogDatabase database;
    private final InstantSource clock;
    private final RunStarter starter;
    private final JobRuns jobRuns;
    private final CrawlRuns crawls;
    private final TriggerEvaluator evaluator;
    private final IdGenerator ids;
    private final Runnable wake;

    Workflows(CatalogDatabase database, InstantSource clock, RunStarter starter, JobRuns jobRuns, CrawlRuns crawls, TriggerEvaluator evaluator,
              IdGenerator ids, Runnable wake) {
        this.database = database;
        this.clock = clock;
        this.starter = starter;
        this.jobRuns = jobRuns;
        this.crawls = crawls;
        this.evaluator = evaluator;
        this.ids = ids;
        this.wake = wake;
    }

    static ControlException notFound(String name) {
        return new ControlException.NotFound("Workflow with name " + name + " not found");
    }

    // ---- definitions

    public void create(String name, WorkflowDefinition definition, Map<String, String> tags) {
        checkName(name);
        check(definition);
        long now = clock.millis();
        database.inTransaction(c -> {
            if (workflow(c, name, false).isPresent()) {
                throw new ControlException.AlreadyExists("Workflow with name " + name + " already exists");
            }
            CatalogStore.update(c, "INSERT INTO c_workflows (workflow_name, definition, created_at, updated_at, version_no) VALUES (?, ?, ?, ?, 1)", name, write(definition),
                    now, now);
            Tags.set(c, Tags.Kind.WORKFLOW, name, tags);
            return null;
        });
        LOG.info("Workflow {}: created", name);
    }

    /** Replaces the definition with what {@code change} makes of the stored one. */
    public void update(String name, java.util.function.UnaryOperator<WorkflowDefinition> change) {
        database.inTransaction(c -> {
            WorkflowRecord stored = workflow(c, name, true).orElseThrow(() -> notFound(name));
            WorkflowDefinition next = change.apply(stored.definition());
            check(next);
            CatalogStore.update(c, "UPDATE c_workflows SET definition = ?, updated_at = ?, version_no = version_no + 1 WHERE workflow_name = ?", write(next), clock.millis(), name);
            return null;
        });
        LOG.info("Workflow {}: updated", name);
    }

    public WorkflowRecord get(String name) {
        return database.inTransaction(c -> workflow(c, name, false).orElseThrow(() -> notFound(name)));
    }

    public List<WorkflowRecord> batch(List<String> names) {
        return database.inTransaction(c -> {
            List<WorkflowRecord> found = new ArrayList<>();
            for (String name : new LinkedHashSet<>(names)) {
                workflow(c, name, false).ifPresent(found::add);
            }
            return found;
        });
    }

    public List<String> names(Optional<String> after, int limit) {
        return database.inTransaction(c -> query(c, "SELECT workflow_name FROM c_workflows WHERE workflow_name > ? ORDER BY workflow_name LIMIT " + limit,
                rs -> rs.getString(1), after.orElse("")));
    }

    /** Deletes the workflow with its triggers and runs; a missing one is no error. */
    public void delete(String name) {
        boolean deleted = database.inTransaction(c -> {
            if (workflow(c, name, true).isEmpty()) {
                return false;
            }
            for (Trigger t : SchedulerTables.triggersOfWorkflow(c, name)) {
                CatalogStore.update(c, "DELETE FROM c_trigger_firings WHERE trigger_name = ?", t.name());
                Tags.delete(c, Tags.Kind.TRIGGER, t.name());
            }
            CatalogStore.update(c, "DELETE FROM c_triggers WHERE workflow_name = ?", name);
            CatalogStore.update(c, "DELETE FROM c_workflow_runs WHERE workflow_name = ?", name);
            CatalogStore.update(c, "DELETE FROM c_workflows WHERE workflow_name = ?", name);
            Tags.delete(c, Tags.Kind.WORKFLOW, name);
            return true;
        });
        if (deleted) {
            LOG.info("Workflow {}: deleted with its triggers and runs", name);
        }
    }

    /** The workflow's graph, from its triggers as they are now. */
    public WorkflowGraph graph(String name) {
        return database.inTransaction(c -> {
            workflow(c, name, false).orElseThrow(() -> notFound(name));
            return WorkflowGraph.of(name, SchedulerTables.triggersOfWorkflow(c, name));
        });
    }

    // ---- runs

    /** StartWorkflowRun: a new run with the workflow's triggers as they are now; its starting trigger's actions start. */
    public String startRun(String name, Map<String, String> properties) {
        String runId = ids.newWorkflowRunId();
        RunStarter.Started started = starter.started();
        database.inTransaction(c -> {
            WorkflowRecord workflow = workflow(c, name, true).orElseThrow(() -> notFound(name));
            Optional<Integer> max = workflow.definition().maxConcurrentRuns();
            if (max.isPresent() && SchedulerTables.activeRuns(c, name) >= max.get()) {
                throw new ControlException.Conflict(ControlException.Conflict.Reason.CONCURRENT_RUNS, "Concurrent runs exceeded for workflow: " + name + ".");
            }
            Trigger starting = SchedulerTables.triggersOfWorkflow(c, name).stream().filter(Trigger::startsWorkflow).findFirst()
                    .orElseThrow(() -> new ControlException.InvalidInput("Workflow " + name + " has no starting trigger (ON_DEMAND, SCHEDULED or EVENT) to run"));
            long now = clock.millis();
            starter.createWorkflowRun(c, name, runId, properties, now);
            starter.startActions(c, evaluator.workflowRunStarted(starting, runId), started);
            SchedulerTables.settle(c, runId, now);
            return null;
        });
        started.tell();
        wake.run();
        return runId;
    }

    public WorkflowRunRecord run(String name, String runId) {
        return database.inTransaction(c -> {
            workflow(c, name, false).orElseThrow(() -> notFound(name));
            return runOf(c, name, runId);
        });
    }

    private static WorkflowRunRecord runOf(Connection c, String name, String runId) throws SQLException {
        return SchedulerTables.workflowRun(c, runId, false).filter(r -> r.workflowName().equals(name))
                .orElseThrow(() -> new ControlException.NotFound("Workflow run " + runId + " of workflow " + name + " not found"));
    }

    /** Runs of the workflow, newest first, after the run {@code after}. */
    public List<WorkflowRunRecord> runs(String name, Optional<String> after, int limit) {
        return database.inTransaction(c -> {
            workflow(c, name, false).orElseThrow(() -> notFound(name));
            return SchedulerTables.workflowRuns(c, name, limit, after);
        });
    }

    public WorkflowRunStatistics statistics(String runId) {
        return database.inTransaction(c -> WorkflowRunStatistics.of(SchedulerTables.actionStates(c, runId)));
    }

    /** The run's graph (from its snapshot) with the runs of each job and crawler node. */
    public RunGraph runGraph(WorkflowRunRecord run) {
        return database.inTransaction(c -> {
            WorkflowGraph graph = WorkflowGraph.of(run.workflowName(), run.triggers());
            Map<String, List<JobRunRecord>> jobs = new LinkedHashMap<>();
            Map<String, List<NodeCrawl>> crawlsOfNodes = new LinkedHashMap<>();
            for (WorkflowNode node : graph.nodes()) {
                String chain = chainOf(c, run, node.uniqueId());
                if (node.type() == NodeType.JOB) {
                    jobs.put(node.uniqueId(), JobRuns.runsOfChain(c, chain).stream().filter(r -> r.jobName().equals(node.name())).toList());
                } else if (node.type() == NodeType.CRAWLER) {
                    crawlsOfNodes.put(node.uniqueId(), query(c, "SELECT crawl_id, crawl_state, started_at, ended_at, error_message FROM g_crawls "
                            + "WHERE chain_id = ? AND crawler_name = ? ORDER BY started_at", Workflows::crawl, chain, node.name()));
                }
            }
            return new RunGraph(graph, jobs, crawlsOfNodes);
        });
    }

    /** The run whose runs a node shows: the run itself, or for a node a resumed run kept, the run it was kept from. */
    private static String chainOf(Connection c, WorkflowRunRecord run, String nodeId) throws SQLException {
        WorkflowRunRecord at = run;
        while (at.keptNodes().contains(nodeId) && at.previousRunId().isPresent()) {
            Optional<WorkflowRunRecord> previous = SchedulerTables.workflowRun(c, at.previousRunId().get(), false);
            if (previous.isEmpty()) {
                break;
            }
            at = previous.get();
        }
        return at.runId();
    }

    private static NodeCrawl crawl(ResultSet rs) throws SQLException {
        long ended = rs.getLong(4);
        Optional<Instant> endedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ended));
        return new NodeCrawl(rs.getString(1), SchedulerTables.crawlState(rs.getString(2)).name(), Instant.ofEpochMilli(rs.getLong(3)), endedAt,
                Optional.ofNullable(rs.getString(5)));
    }

    public Map<String, String> runProperties(String name, String runId) {
        return run(name, runId).properties();
    }

    /** PutWorkflowRunProperties: the given keys overwrite, the others stay. */
    public void putRunProperties(String name, String runId, Map<String, String> properties) {
        database.inTransaction(c -> {
            workflow(c, name, false).orElseThrow(() -> notFound(name));
            WorkflowRunRecord run = SchedulerTables.workflowRun(c, runId, true).filter(r -> r.workflowName().equals(name))
                    .orElseThrow(() -> new ControlException.NotFound("Workflow run " + runId + " of workflow " + name + " not found"));
            CatalogStore.update(c, "UPDATE c_workflow_runs SET properties = ?, modified_at = ? WHERE run_id = ?",
                    SchedulerTables.writeMap(WorkflowRuns.putProperties(run.properties(), properties)), clock.millis(), runId);
            return null;
        });
    }

    /** StopWorkflowRun: the run goes STOPPING, its running job runs and crawls are stopped, nothing new starts; STOPPED once they have ended. */
    public void stopRun(String name, String runId) {
        record Running(List<JobRunRecord> jobs, List<String> crawlers) {}
        Running running = database.inTransaction(c -> {
            workflow(c, name, false).orElseThrow(() -> notFound(name));
            WorkflowRunRecord run = SchedulerTables.workflowRun(c, runId, true).filter(r -> r.workflowName().equals(name))
                    .orElseThrow(() -> new ControlException.NotFound("Workflow run " + runId + " of workflow " + name + " not found"));
            WorkflowRunStatus next;
            try {
                next = WorkflowRuns.stop(name, runId, run.status());
            } catch (IllegalWorkflowStateException e) {
                throw new ControlException.Conflict(ControlException.Conflict.Reason.WORKFLOW_STATE, e.getMessage());
            }
            CatalogStore.update(c, "UPDATE c_workflow_runs SET run_status = ?, modified_at = ? WHERE run_id = ?", next.name(), clock.millis(), runId);
            List<JobRunRecord> jobs = JobRuns.runsOfChain(c, runId).stream().filter(r -> !r.state().ended()).toList();
            List<String> crawlers = query(c, "SELECT crawler_name FROM g_crawls WHERE chain_id = ? AND crawl_state = 'RUNNING'", rs -> rs.getString(1), runId);
            return new Running(jobs, crawlers);
        });
        LOG.info("Workflow {}: run {} STOPPING; stopping {} job runs and {} crawls", name, runId, running.jobs().size(), running.crawlers().size());
        for (JobRunRecord job : running.jobs()) {
            jobRuns.stop(job.jobName(), List.of(job.id()));
        }
        for (String crawler : running.crawlers()) {
            try {
                crawls.stop(crawler);
            } catch (ControlException e) {
                LOG.info("Workflow {}: crawl of {} not stopped: {}", name, crawler, e.getMessage());
            }
        }
        database.inTransaction(c -> {
            SchedulerTables.settle(c, runId, clock.millis());
            return null;
        });
        wake.run();
    }

    /** ResumeWorkflowRun: a new run that reruns the chosen nodes and everything after them, and keeps the rest of the old run. */
    public Resumed resumeRun(String name, String runId, List<String> nodeIds) {
        String newRunId = ids.newWorkflowRunId();
        RunStarter.Started started = starter.started();
        List<String> roots = database.inTransaction(c -> {
            WorkflowRecord workflow = workflow(c, name, true).orElseThrow(() -> notFound(name));
            WorkflowRunRecord run = runOf(c, name, runId);
            WorkflowGraph graph = WorkflowGraph.of(name, run.triggers());
            Set<String> attempted = new LinkedHashSet<>();
            RunGraph details = runGraph(run);
            details.jobRuns().forEach((node, runs) -> {
                if (!runs.isEmpty()) {
                    attempted.add(node);
                }
            });
            details.crawls().forEach((node, runs) -> {
                if (!runs.isEmpty()) {
                    attempted.add(node);
                }
            });
            ResumePlan plan;
            try {
                plan = graph.resume(runId, run.status(), attempted, nodeIds);
            } catch (IllegalWorkflowStateException e) {
                throw new ControlException.Conflict(ControlException.Conflict.Reason.WORKFLOW_STATE, e.getMessage());
            } catch (InvalidDefinitionException e) {
                throw new ControlException.InvalidInput(e.getMessage());
            }
            Optional<Integer> max = workflow.definition().maxConcurrentRuns();
            if (max.isPresent() && SchedulerTables.activeRuns(c, name) >= max.get()) {
                throw new ControlException.Conflict(ControlException.Conflict.Reason.CONCURRENT_RUNS, "Concurrent runs exceeded for workflow: " + name + ".");
            }
            long now = clock.millis();
            SchedulerTables.insertWorkflowRun(c, newRunId, name, WorkflowRunStatus.RUNNING, now, Optional.of(runId), run.properties(), run.triggers(),
                    List.copyOf(plan.kept()), Optional.empty());
            Chain chain = Chain.workflowRun(name, newRunId);
            for (WorkflowNode node : plan.nodeIds()) {
                RunTarget target = node.type() == NodeType.JOB ? RunTarget.job(node.name()) : RunTarget.crawler(node.name());
                for (Trigger trigger : run.triggers()) {
                    Optional<Action> action = trigger.actions().stream().filter(a -> a.target().equals(target)).findFirst();
                    if (action.isPresent()) {
                        starter.startActions(c, new Firing(trigger.name(), new FiringCause.WorkflowRunStarted(), chain, false, List.of(), List.of(action.get())),
                                started);
                        break;
                    }
                }
            }
            SchedulerTables.settle(c, newRunId, now);
            return plan.nodeIds().stream().map(WorkflowNode::uniqueId).toList();
        });
        started.tell();
        wake.run();
        LOG.info("Workflow {}: run {} resumes run {} from {} node(s)", name, newRunId, runId, roots.size());
        return new Resumed(newRunId, roots);
    }

    // ---- rows

    static Optional<WorkflowRecord> workflow(Connection c, String name, boolean lock) throws SQLException {
        Optional<WorkflowRecord> found = queryOne(c, "SELECT workflow_name, definition, created_at, updated_at FROM c_workflows WHERE workflow_name = ?"
                + (lock ? " FOR UPDATE" : ""), rs -> new WorkflowRecord(rs.getString(1), read(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(3)),
                Instant.ofEpochMilli(rs.getLong(4)), Optional.empty()), name);
        if (found.isEmpty()) {
            return found;
        }
        Optional<WorkflowRunRecord> last = SchedulerTables.workflowRuns(c, name, 1, Optional.empty()).stream().findFirst();
        WorkflowRecord w = found.get();
        return Optional.of(new WorkflowRecord(w.name(), w.definition(), w.created(), w.modified(), last));
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 255 || name.chars().anyMatch(ch -> ch < 0x20 && ch != '\t')) {
            throw new ControlException.InvalidInput("A workflow name is 1 to 255 characters on one line");
        }
    }

    private static void check(WorkflowDefinition d) {
        if (d.description().isPresent() && d.description().get().length() > MAX_DESCRIPTION) {
            throw new ControlException.InvalidInput("Description has " + d.description().get().length() + " characters; at most " + MAX_DESCRIPTION);
        }
        if (d.maxConcurrentRuns().isPresent() && d.maxConcurrentRuns().get() < 1) {
            throw new ControlException.InvalidInput("MaxConcurrentRuns must be at least 1, not " + d.maxConcurrentRuns().get());
        }
    }

    private static String write(WorkflowDefinition d) {
        ObjectNode o = SchedulerTables.JSON.createObjectNode();
        d.description().ifPresent(v -> o.put("description", v));
        ObjectNode properties = o.putObject("properties");
        new java.util.TreeMap<>(d.defaultRunProperties()).forEach(properties::put);
        d.maxConcurrentRuns().ifPresent(v -> o.put("maxConcurrentRuns", v));
        return o.toString();
    }

    private static WorkflowDefinition read(String json) {
        try {
            JsonNode o = SchedulerTables.JSON.readTree(json);
            Map<String, String> properties = new LinkedHashMap<>();
            o.path("properties").properties().forEach(e -> properties.put(e.getKey(), e.getValue().asText()));
            return new WorkflowDefinition(o.hasNonNull("description") ? Optional.of(o.get("description").asText()) : Optional.empty(), properties,
                    o.hasNonNull("maxConcurrentRuns") ? Optional.of(o.get("maxConcurrentRuns").asInt()) : Optional.empty());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Stored workflow is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
