package dev.mortar.scheduler.engine;

import java.time.Duration;

/**
 * How the scheduler waits between passes. It may return early: the control plane wakes it when a run ends, so the
 * dependent runs start at once rather than at the next poll.
 */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
}
