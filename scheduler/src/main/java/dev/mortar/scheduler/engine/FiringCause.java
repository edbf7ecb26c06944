package dev.mortar.scheduler.engine;

import java.time.Instant;
import java.util.Objects;

/** Why a trigger fires, and so how the control plane claims the firing exactly once (see {@link RunLauncher}). */
public sealed interface FiringCause {
    /**
     * A tick of the schedule. Claimed by moving the trigger's watermark from {@code expectedFiredThrough} to
     * {@code tick} (compare-and-set). {@code caughtUp} when the tick was missed while no scheduler ran and fires
     * because catch-up is on.
     */
    record ScheduledTick(Instant tick, Instant expectedFiredThrough, boolean caughtUp) implements FiringCause {
        public ScheduledTick {
            Objects.requireNonNull(tick, "tick");
            Objects.requireNonNull(expectedFiredThrough, "expectedFiredThrough");
        }
    }

    /** A run ended and the predicate holds in its chain. Claimed by recording (trigger, chain) once (a unique key). */
    record ConditionsMet(RunRef endedRun) implements FiringCause {
        public ConditionsMet {
            Objects.requireNonNull(endedRun, "endedRun");
        }
    }

    /** StartTrigger on an ON_DEMAND trigger: the API call itself is the one firing. */
    record OnDemand() implements FiringCause {
    }

    /** StartWorkflowRun: the workflow's starting trigger fires in the new run; the API call is the one firing. */
    record WorkflowRunStarted() implements FiringCause {
    }
}
