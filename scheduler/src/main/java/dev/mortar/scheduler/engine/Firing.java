package dev.mortar.scheduler.engine;

import dev.mortar.scheduler.trigger.Action;

import java.util.List;
import java.util.Objects;

/**
 * A decision: trigger {@code triggerName} fires, and its actions start, each as a run with TriggerName
 * {@code triggerName}, PredecessorRuns {@code predecessors}, in {@code chain}. When {@code startsWorkflowRun}, the
 * control plane first creates workflow run {@code chain.id()} of {@code chain.workflowName()} (with the snapshot of
 * the workflow's triggers and its run properties) and the job runs get {@code --WORKFLOW_NAME} and
 * {@code --WORKFLOW_RUN_ID}. The action arguments are the action's; the control plane merges them with the job's
 * ({@link dev.mortar.scheduler.trigger.JobArguments}).
 */
public record Firing(String triggerName, FiringCause cause, Chain chain, boolean startsWorkflowRun,
                     List<RunRef> predecessors, List<Action> actions) {
    public Firing {
        Objects.requireNonNull(triggerName, "triggerName");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(chain, "chain");
        predecessors = List.copyOf(predecessors);
        actions = List.copyOf(actions);
        if (startsWorkflowRun && !chain.isWorkflowRun()) {
            throw new IllegalArgumentException("Firing of " + triggerName + " starts a workflow run but its chain is not one");
        }
    }

    /** The origin every run of this firing records. */
    public RunOrigin origin() {
        return new RunOrigin(triggerName, chain);
    }
}
