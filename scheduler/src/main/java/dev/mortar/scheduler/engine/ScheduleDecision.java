package dev.mortar.scheduler.engine;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What a SCHEDULED trigger needs at a given time. */
public sealed interface ScheduleDecision {
    /** Nothing is due; {@code nextTick} is when something will be (empty: never again). */
    record NotDue(Optional<Instant> nextTick) implements ScheduleDecision {
        public NotDue {
            Objects.requireNonNull(nextTick, "nextTick");
        }
    }

    /** A tick is due (on time, or caught up): fire it. Older missed ticks, if any, are skipped by the same claim. */
    record Fire(Firing firing) implements ScheduleDecision {
        public Fire {
            Objects.requireNonNull(firing, "firing");
        }
    }

    /** Only missed ticks are due and catch-up is off: move past them without runs. */
    record Skip(SkippedTicks skipped) implements ScheduleDecision {
        public Skip {
            Objects.requireNonNull(skipped, "skipped");
        }
    }
}
