package dev.mortar.scheduler.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How the scheduler loop runs.
 *
 * @param leaseDuration how long a leader lease lasts unrenewed: how long a dead leader holds things up
 * @param pollInterval  the longest sleep between passes (the next tick, a renewal and a wake-up can end it sooner)
 * @param misfireGrace  how late a tick may be noticed and still fire on time; at least the lease duration, so that a
 *                      takeover fires what fell due while the old leader died. Older ticks were missed.
 * @param catchUp       whether the latest missed tick of each trigger runs once ({@code mortar.scheduler.catchup})
 * @param runEndBatch   how many ended runs a pass evaluates at most
 */
public record SchedulerSettings(Duration leaseDuration, Duration pollInterval, Duration misfireGrace, boolean catchUp,
                                int runEndBatch) {
    public static final SchedulerSettings DEFAULTS =
            new SchedulerSettings(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(60), false, 100);

    public SchedulerSettings {
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(misfireGrace, "misfireGrace");
        if (!leaseDuration.isPositive() || !pollInterval.isPositive()) {
            throw new IllegalArgumentException("Lease duration and poll interval must be positive: " + leaseDuration + ", " + pollInterval);
        }
        if (pollInterval.compareTo(leaseDuration.dividedBy(3)) > 0) {
            throw new IllegalArgumentException("Poll interval " + pollInterval + " must be at most a third of the lease duration "
                    + leaseDuration + ", to renew the lease in time");
        }
        if (misfireGrace.compareTo(leaseDuration) < 0) {
            throw new IllegalArgumentException("Misfire grace " + misfireGrace + " must be at least the lease duration " + leaseDuration
                    + ", or ticks due during a takeover would be skipped");
        }
        if (runEndBatch < 1) {
            throw new IllegalArgumentException("Run end batch must be at least 1: " + runEndBatch);
        }
    }

    public SchedulerSettings withCatchUp(boolean newCatchUp) {
        return new SchedulerSettings(leaseDuration, pollInterval, misfireGrace, newCatchUp, runEndBatch);
    }
}
