package dev.mortar.scheduler.workflow;

import dev.mortar.scheduler.trigger.CrawlState;
import dev.mortar.scheduler.trigger.JobRunState;

import java.util.Collection;

/**
 * A workflow run's Statistics: every job run and crawl the run started is one action, counted by its state. Running
 * covers STARTING, RUNNING and STOPPING job runs and RUNNING and CANCELLING crawls; stopped covers CANCELLED crawls;
 * errored covers ERROR and EXPIRED.
 */
public record WorkflowRunStatistics(int totalActions, int timeoutActions, int failedActions, int stoppedActions, int succeededActions,
                                    int runningActions, int erroredActions, int waitingActions) {

    /** {@code states}: the current state of each run, a {@link JobRunState} or a {@link CrawlState}. */
    public static WorkflowRunStatistics of(Collection<? extends Enum<?>> states) {
        int timeout = 0;
        int failed = 0;
        int stopped = 0;
        int succeeded = 0;
        int running = 0;
        int errored = 0;
        int waiting = 0;
        for (Enum<?> state : states) {
            switch (state) {
                case JobRunState job -> {
                    switch (job) {
                        case STARTING, RUNNING, STOPPING -> running++;
                        case WAITING -> waiting++;
                        case SUCCEEDED -> succeeded++;
                        case FAILED -> failed++;
                        case TIMEOUT -> timeout++;
                        case STOPPED -> stopped++;
                        case ERROR, EXPIRED -> errored++;
                    }
                }
                case CrawlState crawl -> {
                    switch (crawl) {
                        case RUNNING, CANCELLING -> running++;
                        case SUCCEEDED -> succeeded++;
                        case FAILED -> failed++;
                        case CANCELLED -> stopped++;
                        case ERROR -> errored++;
                    }
                }
                default -> throw new IllegalArgumentException("Not a job run or crawl state: " + state);
            }
        }
        return new WorkflowRunStatistics(states.size(), timeout, failed, stopped, succeeded, running, errored, waiting);
    }

    /** Whether some action has not ended. */
    public boolean hasUnfinishedActions() {
        return runningActions + waitingActions > 0;
    }
}
