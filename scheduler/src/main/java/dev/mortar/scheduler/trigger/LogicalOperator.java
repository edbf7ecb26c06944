package dev.mortar.scheduler.trigger;

/** The one comparison a condition makes; required on the wire all the same. */
public enum LogicalOperator {
    EQUALS
}
