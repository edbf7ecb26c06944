package dev.mortar.scheduler.trigger;

import dev.mortar.scheduler.InvalidDefinitionException;

/** A trigger definition or state change the service would refuse; the message names the trigger part at fault. */
public final class InvalidTriggerException extends InvalidDefinitionException {
    InvalidTriggerException(String message) {
        super(message);
    }
}
