package dev.mortar.scheduler.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * Ticks of {@code triggerName} missed while no scheduler ran, through {@code latestMissed}, that do not fire (catch-up
 * is off). Recorded by moving the watermark from {@code expectedFiredThrough} to {@code latestMissed}, with no runs.
 */
public record SkippedTicks(String triggerName, Instant expectedFiredThrough, Instant latestMissed) {
    public SkippedTicks {
        Objects.requireNonNull(triggerName, "triggerName");
        Objects.requireNonNull(expectedFiredThrough, "expectedFiredThrough");
        Objects.requireNonNull(latestMissed, "latestMissed");
    }
}
