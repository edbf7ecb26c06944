package dev.mortar.metastore.control.schedule;

import java.time.Instant;
import java.util.Optional;

/** A stored workflow, with its latest run. */
public record WorkflowRecord(String name, WorkflowDefinition definition, Instant created, Instant modified, Optional<WorkflowRunRecord> lastRun) {}
