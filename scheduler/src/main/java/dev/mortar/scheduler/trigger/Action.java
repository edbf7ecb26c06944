package dev.mortar.scheduler.trigger;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** What a trigger starts when it fires: a job run or a crawl. */
public sealed interface Action {
    RunTarget target();

    static JobAction job(String jobName) {
        return new JobAction(jobName, Map.of(), OptionalInt.empty(), Optional.empty(), OptionalInt.empty());
    }

    static JobAction job(String jobName, Map<String, String> arguments) {
        return new JobAction(jobName, arguments, OptionalInt.empty(), Optional.empty(), OptionalInt.empty());
    }

    static CrawlerAction crawler(String crawlerName) {
        return new CrawlerAction(crawlerName);
    }

    /**
     * A job run. {@code arguments} are the run's Arguments as StartJobRun takes them (merged over the job's defaults,
     * under its non-overridable ones: see {@link JobArguments}); {@code timeoutMinutes} and the others override the
     * job's values for this run only.
     */
    record JobAction(String jobName, Map<String, String> arguments, OptionalInt timeoutMinutes,
                     Optional<String> securityConfiguration, OptionalInt notifyDelayAfterMinutes) implements Action {
        public JobAction {
            Objects.requireNonNull(jobName, "jobName");
            arguments = Map.copyOf(arguments);
            Objects.requireNonNull(timeoutMinutes, "timeoutMinutes");
            Objects.requireNonNull(securityConfiguration, "securityConfiguration");
            Objects.requireNonNull(notifyDelayAfterMinutes, "notifyDelayAfterMinutes");
        }

        @Override
        public RunTarget target() {
            return RunTarget.job(jobName);
        }
    }

    record CrawlerAction(String crawlerName) implements Action {
        public CrawlerAction {
            Objects.requireNonNull(crawlerName, "crawlerName");
        }

        @Override
        public RunTarget target() {
            return RunTarget.crawler(crawlerName);
        }
    }
}
