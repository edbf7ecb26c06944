package dev.mortar.scheduler.trigger;

import java.util.EnumSet;
import java.util.Set;

/** The service's crawl states. A condition watches one of {@link #WATCHABLE}. */
public enum CrawlState {
    RUNNING, CANCELLING, CANCELLED, SUCCEEDED, FAILED, ERROR;

    /** The states a condition may name. */
    public static final Set<CrawlState> WATCHABLE = Set.copyOf(EnumSet.of(SUCCEEDED, FAILED, CANCELLED));

    public boolean isTerminal() {
        return switch (this) {
            case CANCELLED, SUCCEEDED, FAILED, ERROR -> true;
            default -> false;
        };
    }
}
