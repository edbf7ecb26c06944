package dev.mortar.scheduler.workflow;

import java.util.Objects;

/** A node of a workflow graph: a trigger, a job or a crawler, with the id the graph's edges use. */
public record WorkflowNode(NodeType type, String name, String uniqueId) {
    public WorkflowNode {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uniqueId, "uniqueId");
    }
}
