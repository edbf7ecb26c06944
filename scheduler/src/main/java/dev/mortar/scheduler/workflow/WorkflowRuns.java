package dev.mortar.scheduler.workflow;

import java.util.LinkedHashMap;
import java.util.Map;

/** How a workflow run's status and properties change. */
public final class WorkflowRuns {
    private WorkflowRuns() {
    }

    /**
     * The status after a change in a run (an action ended, a firing was decided): a RUNNING run completes and a
     * STOPPING one stops once no action is unfinished and no firing is still to start ({@code firingsPending}), whatever
     * the actions' outcomes.
     */
    public static WorkflowRunStatus statusAfter(WorkflowRunStatus current, WorkflowRunStatistics statistics, boolean firingsPending) {
        boolean settled = !statistics.hasUnfinishedActions() && !firingsPending;
        return switch (current) {
            case RUNNING -> settled ? WorkflowRunStatus.COMPLETED : WorkflowRunStatus.RUNNING;
            case STOPPING -> statistics.hasUnfinishedActions() ? WorkflowRunStatus.STOPPING : WorkflowRunStatus.STOPPED;
            default -> current;
        };
    }

    /** StopWorkflowRun: a RUNNING run goes STOPPING (its running actions are stopped; nothing new starts). */
    public static WorkflowRunStatus stop(String workflowName, String runId, WorkflowRunStatus current) {
        if (current != WorkflowRunStatus.RUNNING) {
            throw new IllegalWorkflowStateException("Workflow run " + runId + " of " + workflowName + " is " + current
                    + "; only a RUNNING run can be stopped");
        }
        return WorkflowRunStatus.STOPPING;
    }

    /** A new run's properties: the workflow's DefaultRunProperties overlaid with StartWorkflowRun's RunProperties. */
    public static Map<String, String> startProperties(Map<String, String> defaults, Map<String, String> given) {
        Map<String, String> properties = new LinkedHashMap<>(defaults);
        properties.putAll(given);
        return Map.copyOf(properties);
    }

    /** PutWorkflowRunProperties: the given keys overwrite, the others stay. */
    public static Map<String, String> putProperties(Map<String, String> current, Map<String, String> given) {
        return startProperties(current, given);
    }
}
