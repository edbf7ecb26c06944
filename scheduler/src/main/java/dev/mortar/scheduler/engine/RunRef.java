package dev.mortar.scheduler.engine;

import dev.mortar.scheduler.trigger.RunTarget;

import java.util.Objects;

/** One run of a job or one crawl, by id: a predecessor run as JobRun.PredecessorRuns lists it. */
public record RunRef(RunTarget target, String runId) {
    public RunRef {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(runId, "runId");
    }
}
