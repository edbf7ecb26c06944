package dev.mortar.scheduler.workflow;

/** The service's workflow run statuses. A run whose jobs failed still ends COMPLETED; its graph says which failed. */
public enum WorkflowRunStatus {
    RUNNING, COMPLETED, STOPPING, STOPPED, ERROR
}
