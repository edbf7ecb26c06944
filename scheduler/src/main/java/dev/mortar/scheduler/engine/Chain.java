package dev.mortar.scheduler.engine;

import java.util.Objects;
import java.util.Optional;

/**
 * The runs that descend from one start: one firing of a SCHEDULED or ON_DEMAND trigger outside workflows, or one
 * workflow run (then {@code id} is the workflow run id). Conditions are judged within a chain, and a conditional
 * trigger fires at most once per chain.
 */
public record Chain(String id, Optional<String> workflowName) {
    public Chain {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workflowName, "workflowName");
    }

    public static Chain standalone(String id) {
        return new Chain(id, Optional.empty());
    }

    public static Chain workflowRun(String workflowName, String workflowRunId) {
        return new Chain(workflowRunId, Optional.of(workflowName));
    }

    public boolean isWorkflowRun() {
        return workflowName.isPresent();
    }
}
