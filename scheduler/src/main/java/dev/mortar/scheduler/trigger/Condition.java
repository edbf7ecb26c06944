package dev.mortar.scheduler.trigger;

import java.util.Objects;
import java.util.Optional;

/**
 * One condition of a predicate: a job's run or a crawler's crawl ended in a state. The operator and the state are
 * optional here because the wire may omit them; {@link TriggerRules} refuses a condition without them.
 */
public sealed interface Condition {
    Optional<LogicalOperator> logicalOperator();

    RunTarget target();

    /** Whether a run of {@link #target()} that ended in {@code state} (a {@link JobRunState} or {@link CrawlState}) meets it. */
    boolean isMetBy(Enum<?> state);

    static JobCondition job(String jobName, JobRunState state) {
        return new JobCondition(Optional.of(LogicalOperator.EQUALS), jobName, Optional.of(state));
    }

    static CrawlerCondition crawler(String crawlerName, CrawlState state) {
        return new CrawlerCondition(Optional.of(LogicalOperator.EQUALS), crawlerName, Optional.of(state));
    }

    record JobCondition(Optional<LogicalOperator> logicalOperator, String jobName, Optional<JobRunState> state) implements Condition {
        public JobCondition {
            Objects.requireNonNull(logicalOperator, "logicalOperator");
            Objects.requireNonNull(jobName, "jobName");
            Objects.requireNonNull(state, "state");
        }

        @Override
        public RunTarget target() {
            return RunTarget.job(jobName);
        }

        @Override
        public boolean isMetBy(Enum<?> ended) {
            return state.isPresent() && state.get() == ended;
        }
    }

    record CrawlerCondition(Optional<LogicalOperator> logicalOperator, String crawlerName, Optional<CrawlState> crawlState)
            implements Condition {
        public CrawlerCondition {
            Objects.requireNonNull(logicalOperator, "logicalOperator");
            Objects.requireNonNull(crawlerName, "crawlerName");
            Objects.requireNonNull(crawlState, "crawlState");
        }

        @Override
        public RunTarget target() {
            return RunTarget.crawler(crawlerName);
        }

        @Override
        public boolean isMetBy(Enum<?> ended) {
            return crawlState.isPresent() && crawlState.get() == ended;
        }
    }
}
