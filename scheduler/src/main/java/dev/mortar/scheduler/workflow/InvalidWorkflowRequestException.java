package dev.mortar.scheduler.workflow;

import dev.mortar.scheduler.InvalidDefinitionException;

/** A workflow request the service would refuse as invalid input (Glue's {@code InvalidInputException}). */
public final class InvalidWorkflowRequestException extends InvalidDefinitionException {
    InvalidWorkflowRequestException(String message) {
        super(message);
    }
}
