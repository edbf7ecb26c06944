package dev.mortar.scheduler.engine;

import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.trigger.TriggerType;

import java.time.Instant;
import java.util.Objects;

/**
 * An ACTIVATED SCHEDULED trigger and its watermark: every tick at or before {@code firedThrough} is done (fired,
 * skipped, or before the trigger was activated or its schedule last changed). The control plane sets it to the time of
 * StartTrigger, of CreateTrigger with StartOnCreation and of an UpdateTrigger, and to the tick of every firing or skip.
 */
public record ScheduledTrigger(Trigger trigger, Instant firedThrough) {
    public ScheduledTrigger {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(firedThrough, "firedThrough");
        if (trigger.type() != TriggerType.SCHEDULED || trigger.schedule().isEmpty()) {
            throw new IllegalArgumentException("Trigger " + trigger.name() + " is not a SCHEDULED trigger with a schedule");
        }
    }
}
