package dev.mortar.scheduler.trigger;

/** What makes a trigger fire: its schedule, its predicate over ended runs, StartTrigger, or events. */
public enum TriggerType {
    SCHEDULED, CONDITIONAL, ON_DEMAND,
    /** Stored and listed; nothing fires it yet, since Mortar has no event source. */
    EVENT
}
