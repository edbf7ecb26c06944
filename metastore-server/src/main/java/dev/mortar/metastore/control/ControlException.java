package dev.mortar.metastore.control;

/**
 * The control plane's errors: a small closed set that each protocol maps to its own error types in one place
 * (the Glue API to {@code EntityNotFoundException}, {@code CrawlerRunningException}, ...; the worker protocol to
 * its exceptions). Messages name the object; they never carry Java class names.
 */
public abstract sealed class ControlException extends RuntimeException {
    protected ControlException(String message) {
        super(message);
    }

    /** The named object does not exist. */
    public static final class NotFound extends ControlException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** An object of that name exists already. */
    public static final class AlreadyExists extends ControlException {
        public AlreadyExists(String message) {
            super(message);
        }
    }

    /** The request is malformed or names something unusable. */
    public static final class InvalidInput extends ControlException {
        public InvalidInput(String message) {
            super(message);
        }
    }

    /** The object's state does not allow the change. */
    public static final class Conflict extends ControlException {
        /** Why: which state stood in the way. */
        public enum Reason {
            /** A crawler's run is on. */
            RUNNING,
            /** A crawler has no run to stop. */
            NOT_RUNNING,
            /** A crawler's run is stopping already. */
            STOPPING,
            /** A job's concurrent runs are all taken and it does not queue (or a workflow's). */
            CONCURRENT_RUNS,
            /** A workflow run's status does not allow the request (stop a run that is not RUNNING, resume one not COMPLETED). */
            WORKFLOW_STATE,
            /** A crawler has no schedule to start. */
            NO_SCHEDULE,
            /** A crawler's schedule is on already. */
            SCHEDULE_RUNNING,
            /** A crawler's schedule is not on. */
            SCHEDULE_NOT_RUNNING
        }

        private final Reason reason;

        public Conflict(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** A run's lease is not (or no longer) held with this token: wrong token, expired, or leased again. */
    public static final class LeaseLost extends ControlException {
        public LeaseLost(String message) {
            super(message);
        }
    }
}
