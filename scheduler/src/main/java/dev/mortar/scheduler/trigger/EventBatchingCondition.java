package dev.mortar.scheduler.trigger;

import java.util.OptionalInt;

/** An EVENT trigger's batching: fire after {@code batchSize} events or {@code batchWindowSeconds} after the first. */
public record EventBatchingCondition(int batchSize, OptionalInt batchWindowSeconds) {
    /** The window when none is given, as the service echoes it. */
    public static final int DEFAULT_BATCH_WINDOW_SECONDS = 900;
}
