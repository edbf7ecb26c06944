package dev.mortar.etl;

import java.time.Duration;

/** A run that went on longer than its timeout and was stopped: nothing of it was committed. */
public class JobTimeoutException extends JobException {
    private final Duration timeout;

    public JobTimeoutException(String message, Duration timeout) {
        super(message);
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
