package dev.mortar.scheduler.engine;

import java.time.Instant;

/** What the loop tells the server, for its log and metrics (fire lag, runs started, leadership). Default: nothing. */
public interface SchedulerListener {
    SchedulerListener NONE = new SchedulerListener() {
    };

    /** This server became the leader under {@code grant}, or stopped being one ({@code grant} is then the lost one). */
    default void leadershipChanged(boolean leader, LeaseGrant grant) {
    }

    /** A firing went to the launcher at {@code at}; for a scheduled tick, {@code at} minus the tick is the fire lag. */
    default void fired(Firing firing, FireOutcome outcome, Instant at) {
    }

    default void skipped(SkippedTicks skipped, FireOutcome outcome) {
    }

    /** A pass failed (the store or launcher threw); the loop goes on after a poll interval. */
    default void passFailed(RuntimeException failure) {
    }
}
