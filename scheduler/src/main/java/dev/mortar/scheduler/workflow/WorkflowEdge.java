package dev.mortar.scheduler.workflow;

import java.util.Objects;

/** An edge: trigger to the job or crawler it starts, or job or crawler to the conditional trigger that watches it. */
public record WorkflowEdge(String sourceId, String destinationId) {
    public WorkflowEdge {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(destinationId, "destinationId");
    }
}
