package dev.mortar.metastore.control.schedule;

import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.workflow.WorkflowRunStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One run of a workflow: its status, properties, the snapshot of the workflow's triggers it took when it started, and,
 * for a resumed run, the run it resumed and the graph nodes it kept from it.
 */
public record WorkflowRunRecord(String runId, String workflowName, WorkflowRunStatus status, Instant started, Optional<Instant> completed,
                                Optional<String> previousRunId, Map<String, String> properties, List<Trigger> triggers, Set<String> keptNodes,
                                Optional<String> error) {
    public WorkflowRunRecord {
        properties = Map.copyOf(properties);
        triggers = List.copyOf(triggers);
        keptNodes = Set.copyOf(keptNodes);
    }
}
