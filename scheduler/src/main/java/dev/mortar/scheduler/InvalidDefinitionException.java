package dev.mortar.scheduler;

/**
 * A definition the service would refuse: a schedule, a trigger, a workflow request. The message names the field or
 * the rule at fault and is meant for the client as it is; the control plane maps this to its invalid-input error
 * (Glue's {@code InvalidInputException}) and changes nothing.
 */
public class InvalidDefinitionException extends RuntimeException {
    public InvalidDefinitionException(String message) {
        super(message);
    }
}
