package dev.mortar.scheduler.trigger;

/** How a predicate joins its conditions. */
public enum Logical {
    /** Every condition holds for the latest ended run of its job or crawler. */
    AND,
    /** One condition holds. */
    ANY
}
