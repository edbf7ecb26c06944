package dev.mortar.scheduler.workflow;

import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.Condition;
import dev.mortar.scheduler.trigger.RunTarget;
import dev.mortar.scheduler.trigger.Trigger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A workflow's graph, made from its triggers: a node per trigger and per job and crawler they start or watch; edges
 * from a trigger to what it starts and from a job or crawler to each conditional trigger that watches it. Node ids
 * are {@code wnode_} and 64 hex digits, the same for the same workflow, type and name, so a graph and its runs' graphs
 * agree.
 */
public record WorkflowGraph(String workflowName, List<WorkflowNode> nodes, List<WorkflowEdge> edges) {
    public WorkflowGraph {
        Objects.requireNonNull(workflowName, "workflowName");
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** The graph of {@code triggers} (the workflow's, or a run's snapshot), nodes in the order they first appear. */
    public static WorkflowGraph of(String workflowName, Collection<Trigger> triggers) {
        Map<String, WorkflowNode> nodes = new LinkedHashMap<>();
        Set<WorkflowEdge> edges = new LinkedHashSet<>();
        for (Trigger trigger : triggers) {
            WorkflowNode triggerNode = node(nodes, workflowName, NodeType.TRIGGER, trigger.name());
            for (Action action : trigger.actions()) {
                edges.add(new WorkflowEdge(triggerNode.uniqueId(), node(nodes, workflowName, action.target()).uniqueId()));
            }
            if (trigger.predicate().isPresent()) {
                for (Condition condition : trigger.predicate().get().conditions()) {
                    edges.add(new WorkflowEdge(node(nodes, workflowName, condition.target()).uniqueId(), triggerNode.uniqueId()));
                }
            }
        }
        return new WorkflowGraph(workflowName, List.copyOf(nodes.values()), List.copyOf(edges));
    }

    public Optional<WorkflowNode> node(String uniqueId) {
        return nodes.stream().filter(n -> n.uniqueId().equals(uniqueId)).findFirst();
    }

    public Optional<WorkflowNode> node(NodeType type, String name) {
        return nodes.stream().filter(n -> n.type() == type && n.name().equals(name)).findFirst();
    }

    /** {@code from} and every node reachable from them. */
    public Set<String> downstreamOf(Collection<String> from) {
        Set<String> reached = new LinkedHashSet<>(from);
        Deque<String> queue = new ArrayDeque<>(from);
        while (!queue.isEmpty()) {
            String id = queue.poll();
            for (WorkflowEdge edge : edges) {
                if (edge.sourceId().equals(id) && reached.add(edge.destinationId())) {
                    queue.add(edge.destinationId());
                }
            }
        }
        return reached;
    }

    /**
     * ResumeWorkflowRun of a run with this graph, in {@code status}, whose job and crawler nodes {@code attempted} had
     * a run attempt, for {@code requested} node ids.
     */
    public ResumePlan resume(String runId, WorkflowRunStatus status, Set<String> attempted, List<String> requested) {
        if (status != WorkflowRunStatus.COMPLETED) {
            throw new IllegalWorkflowStateException("Workflow run " + runId + " of " + workflowName + " is " + status
                    + "; only a COMPLETED run can be resumed");
        }
        if (requested.isEmpty()) {
            throw new InvalidWorkflowRequestException("NodeIds cannot be empty");
        }
        List<WorkflowNode> selected = new ArrayList<>();
        for (String id : new LinkedHashSet<>(requested)) {
            WorkflowNode node = node(id).orElseThrow(() -> new InvalidWorkflowRequestException(
                    "Node " + id + " is not in the graph of workflow " + workflowName));
            if (node.type() == NodeType.TRIGGER) {
                throw new InvalidWorkflowRequestException("Node " + id + " is trigger " + node.name()
                        + "; only job and crawler nodes can be resumed");
            }
            if (!attempted.contains(id)) {
                throw new InvalidWorkflowRequestException("Node " + id + " (" + node.type().name().toLowerCase(java.util.Locale.ROOT) + " "
                        + node.name() + ") had no run attempt in workflow run " + runId);
            }
            selected.add(node);
        }
        List<WorkflowNode> roots = selected.stream().filter(node -> selected.stream()
                .filter(other -> other != node)
                .noneMatch(other -> downstreamOf(List.of(other.uniqueId())).contains(node.uniqueId()))).toList();
        if (roots.isEmpty()) {
            // selected nodes that are all downstream of each other (a cycle): the first asked for stands for them
            roots = List.of(selected.getFirst());
        }
        Set<String> rerun = downstreamOf(roots.stream().map(WorkflowNode::uniqueId).toList());
        Set<String> kept = new LinkedHashSet<>();
        nodes.stream().map(WorkflowNode::uniqueId).filter(id -> !rerun.contains(id)).forEach(kept::add);
        return new ResumePlan(roots, rerun, kept);
    }

    private static WorkflowNode node(Map<String, WorkflowNode> nodes, String workflowName, RunTarget target) {
        return node(nodes, workflowName, target instanceof RunTarget.Job ? NodeType.JOB : NodeType.CRAWLER, target.name());
    }

    private static WorkflowNode node(Map<String, WorkflowNode> nodes, String workflowName, NodeType type, String name) {
        return nodes.computeIfAbsent(type + "\u0000" + name, key -> new WorkflowNode(type, name, uniqueId(workflowName, type, name)));
    }

    static String uniqueId(String workflowName, NodeType type, String name) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha256.digest((workflowName + "\u0000" + type + "\u0000" + name).getBytes(StandardCharsets.UTF_8));
            return "wnode_" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
