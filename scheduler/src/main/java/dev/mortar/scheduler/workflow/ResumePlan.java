package dev.mortar.scheduler.workflow;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What ResumeWorkflowRun does. {@code nodeIds}: the selected nodes without those downstream of other selected ones, in
 * the order asked (the response's NodeIds, and the jobs and crawlers the new run starts). {@code rerun}: those and
 * everything downstream of them, which the new run runs again. {@code kept}: every other node, copied into the new run's
 * graph with its details from the resumed run (their runs count for the new run's conditions).
 */
public record ResumePlan(List<WorkflowNode> nodeIds, Set<String> rerun, Set<String> kept) {
    public ResumePlan {
        nodeIds = List.copyOf(nodeIds);
        rerun = Set.copyOf(Objects.requireNonNull(rerun, "rerun"));
        kept = Set.copyOf(Objects.requireNonNull(kept, "kept"));
    }
}
