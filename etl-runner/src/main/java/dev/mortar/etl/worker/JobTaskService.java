package dev.mortar.etl.worker;

import java.util.List;
import java.util.Optional;

/**
 * The server's side of running job runs, as a worker sees it: lease a run, renew the lease while it runs (sending its
 * new log lines, hearing a stop), and end it with its outcome. The server binds it directly for its embedded workers.
 */
public interface JobTaskService {
    /** The oldest waiting run, leased for {@code leaseSeconds}; empty when none waits. */
    Optional<JobTask> lease(String workerId, int leaseSeconds);

    /** Renews the lease; throws {@link LeaseLostException} when this worker no longer holds it. */
    Heartbeat heartbeat(String taskId, String token, List<String> logLines);

    /** Ends the run with its outcome; throws {@link LeaseLostException} when this worker no longer holds it. */
    void end(String taskId, String token, JobOutcome outcome);

    /** The server's answer to a heartbeat: whether the run was asked to stop. */
    record Heartbeat(boolean stopRequested) {}

    /** The lease is no longer this worker's (it expired, or the run ended): the run must stop without committing. */
    final class LeaseLostException extends RuntimeException {
        public LeaseLostException(String message) {
            super(message);
        }
    }
}
