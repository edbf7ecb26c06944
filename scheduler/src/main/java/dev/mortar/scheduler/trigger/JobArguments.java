package dev.mortar.scheduler.trigger;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a run's arguments come together, as StartJobRun merges them: the job's DefaultArguments, overridden by the run's
 * Arguments (a trigger action's), overridden by the job's NonOverridableArguments. The engine passes an action's
 * arguments as they are; the control plane, which has the job, merges with this.
 */
public final class JobArguments {
    public static final String WORKFLOW_NAME = "--WORKFLOW_NAME";
    public static final String WORKFLOW_RUN_ID = "--WORKFLOW_RUN_ID";

    private JobArguments() {
    }

    /** The arguments a run gets, in order: defaults first, then keys the run adds. */
    public static Map<String, String> merge(Map<String, String> jobDefaults, Map<String, String> jobNonOverridable,
                                            Map<String, String> runArguments) {
        Map<String, String> merged = new LinkedHashMap<>(jobDefaults);
        merged.putAll(runArguments);
        merged.putAll(jobNonOverridable);
        return Collections.unmodifiableMap(merged);
    }

    /** {@link #merge}, plus the two arguments every job run of a workflow run receives, which nothing overrides. */
    public static Map<String, String> mergeInWorkflowRun(Map<String, String> jobDefaults, Map<String, String> jobNonOverridable,
                                                         Map<String, String> runArguments, String workflowName, String workflowRunId) {
        Map<String, String> merged = new LinkedHashMap<>(merge(jobDefaults, jobNonOverridable, runArguments));
        merged.put(WORKFLOW_NAME, workflowName);
        merged.put(WORKFLOW_RUN_ID, workflowRunId);
        return Collections.unmodifiableMap(merged);
    }
}
