package dev.mortar.scheduler.trigger;

import java.util.EnumSet;
import java.util.Set;

/** The service's job run states. A condition watches one of {@link #WATCHABLE}. */
public enum JobRunState {
    STARTING, RUNNING, STOPPING, STOPPED, SUCCEEDED, FAILED, TIMEOUT, ERROR, WAITING, EXPIRED;

    /** The states a condition may name. */
    public static final Set<JobRunState> WATCHABLE = Set.copyOf(EnumSet.of(SUCCEEDED, STOPPED, FAILED, TIMEOUT));

    public boolean isTerminal() {
        return switch (this) {
            case STOPPED, SUCCEEDED, FAILED, TIMEOUT, ERROR, EXPIRED -> true;
            default -> false;
        };
    }
}
