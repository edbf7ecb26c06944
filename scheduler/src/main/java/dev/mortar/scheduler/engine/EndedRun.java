package dev.mortar.scheduler.engine;

import dev.mortar.scheduler.trigger.CrawlState;
import dev.mortar.scheduler.trigger.JobRunState;
import dev.mortar.scheduler.trigger.RunTarget;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A job run or a crawl that has ended for good: for a job run, after its retries (a FAILED attempt that the job's
 * MaxRetries will retry has not ended). {@code origin} is empty for a run that no trigger started (StartJobRun,
 * StartCrawler), which never satisfies a condition.
 */
public sealed interface EndedRun {
    RunTarget target();

    String runId();

    /** A {@link JobRunState} or a {@link CrawlState}, terminal. */
    Enum<?> state();

    Instant endedAt();

    Optional<RunOrigin> origin();

    default RunRef ref() {
        return new RunRef(target(), runId());
    }

    record JobRunEnded(String jobName, String runId, JobRunState state, Instant endedAt, Optional<RunOrigin> origin)
            implements EndedRun {
        public JobRunEnded {
            Objects.requireNonNull(jobName, "jobName");
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(endedAt, "endedAt");
            Objects.requireNonNull(origin, "origin");
            if (!state.isTerminal()) {
                throw new IllegalArgumentException("Job run " + runId + " of " + jobName + " has not ended: " + state);
            }
        }

        @Override
        public RunTarget target() {
            return RunTarget.job(jobName);
        }
    }

    record CrawlEnded(String crawlerName, String runId, CrawlState state, Instant endedAt, Optional<RunOrigin> origin)
            implements EndedRun {
        public CrawlEnded {
            Objects.requireNonNull(crawlerName, "crawlerName");
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(endedAt, "endedAt");
            Objects.requireNonNull(origin, "origin");
            if (!state.isTerminal()) {
                throw new IllegalArgumentException("Crawl " + runId + " of " + crawlerName + " has not ended: " + state);
            }
        }

        @Override
        public RunTarget target() {
            return RunTarget.crawler(crawlerName);
        }
    }
}
