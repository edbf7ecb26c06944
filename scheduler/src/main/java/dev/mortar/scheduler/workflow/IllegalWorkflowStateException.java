package dev.mortar.scheduler.workflow;

/** A workflow run is not in a state that allows the request (Glue's {@code IllegalWorkflowStateException}). */
public final class IllegalWorkflowStateException extends RuntimeException {
    IllegalWorkflowStateException(String message) {
        super(message);
    }
}
