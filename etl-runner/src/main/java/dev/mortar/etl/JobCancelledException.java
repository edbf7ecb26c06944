package dev.mortar.etl;

/** A run that stopped because it was asked to ({@link Cancellation}): nothing of it was committed. */
public class JobCancelledException extends JobException {
    private final String reason;

    public JobCancelledException(String reason) {
        super("Run stopped: " + reason);
        this.reason = reason;
    }

    public JobCancelledException(String reason, Throwable cause) {
        super("Run stopped: " + reason, cause);
        this.reason = reason;
    }

    /** The reason given to {@link Cancellation#cancel}. */
    public String reason() {
        return reason;
    }
}
