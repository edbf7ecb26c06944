package dev.mortar.metastore.control.job;

/**
 * The states of a job run, as the service names them. A run is queued STARTING (or WAITING when its job's concurrent
 * runs are full and queuing is on), RUNNING once a worker holds it, and ends SUCCEEDED, FAILED, TIMEOUT, STOPPED (after
 * STOPPING) or ERROR (it could not start: its job was gone). EXPIRED is the service's and never set here.
 */
public enum JobRunState {
    STARTING, RUNNING, STOPPING, STOPPED, SUCCEEDED, FAILED, TIMEOUT, ERROR, WAITING, EXPIRED;

    public boolean ended() {
        return switch (this) {
            case STOPPED, SUCCEEDED, FAILED, TIMEOUT, ERROR, EXPIRED -> true;
            case STARTING, RUNNING, STOPPING, WAITING -> false;
        };
    }

    /** Whether the run holds one of its job's concurrent-run slots. */
    public boolean active() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }
}
