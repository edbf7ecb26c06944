package dev.mortar.metastore.control.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a job: how it was started, its state and times, its error, and what it did.
 *
 * @param runningSince when a worker took it; ExecutionTime counts from here
 * @param bookmarkRun the job bookmark's run number under which this run's reads were recorded
 */
public record JobRunRecord(String id, String jobName, int attempt, Optional<String> previousRunId, Optional<String> triggerName, JobRunState state,
                           Instant started, Instant modified, Optional<Instant> completed, Optional<Instant> runningSince, RunSettings settings,
                           Optional<String> error, Optional<RunFigures> figures, Optional<Long> bookmarkRun, Optional<RunOrigin> origin) {

    /** A run a trigger started: the trigger, the chain of runs it belongs to, and its workflow run when in one (then the chain id is the workflow run id). */
    public record RunOrigin(String triggerName, String chainId, Optional<String> workflowName) {}

    /** What a run was started with: arguments merged as the service merges them, and the job's settings with the run's overrides. */
    public record RunSettings(Map<String, String> arguments, int timeoutMinutes, Optional<String> workerType, Optional<Integer> numberOfWorkers,
                              Optional<Double> maxCapacity, Optional<String> securityConfiguration, Optional<Integer> notifyDelayAfter,
                              Optional<String> executionClass, boolean queuing, String glueVersion, String jobMode, List<Predecessor> predecessors) {
        public RunSettings {
            arguments = Map.copyOf(arguments);
            predecessors = List.copyOf(predecessors);
        }
    }

    /** A run that led to this one (a trigger's condition). */
    public record Predecessor(String jobName, String runId) {}

    /** What a successful run read and wrote. */
    public record RunFigures(long rowsRead, long filesRead, long bytesRead, long rowsWritten, long filesWritten, long bytesWritten, List<Output> outputs) {
        public RunFigures {
            outputs = List.copyOf(outputs);
        }
    }

    /** A partition (no values: a whole table) that the run added, appended to or replaced. */
    public record Output(String table, List<String> values, String location, String change) {
        public Output {
            values = List.copyOf(values);
        }
    }

    /** Seconds the run held a worker: from when one took it to its end (or now). */
    public long executionSeconds(Instant now) {
        return runningSince.map(from -> Duration.between(from, completed.orElse(now)).toSeconds()).orElse(0L);
    }
}
