package dev.mortar.crawler;

import dev.mortar.crawler.classify.CustomClassifier;
import dev.mortar.crawler.jdbc.JdbcInclude;
import dev.mortar.crawler.jdbc.JdbcSource;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one crawl run needs, wherever it runs: what it covers and its policy, the crawler's custom
 * classifiers in its order, its JDBC targets with their connections, and the folder state of the crawler's
 * last finished run.
 */
public record CrawlAssignment(CrawlTarget target, List<CustomClassifier> classifiers, List<JdbcTarget> jdbcTargets, CrawlState previous) {
    public CrawlAssignment {
        Objects.requireNonNull(target, "target");
        classifiers = List.copyOf(classifiers);
        jdbcTargets = List.copyOf(jdbcTargets);
        Objects.requireNonNull(previous, "previous");
    }

    /** A crawl of file-system targets only, with the built-in classifiers and no earlier state. */
    public static CrawlAssignment of(CrawlTarget target) {
        return new CrawlAssignment(target, List.of(), List.of(), CrawlState.empty());
    }

    /**
     * One JDBC target: the include path read through its connection, or, when the connection is missing or
     * unusable, why (the run reports it as an error of this target and goes on).
     */
    public record JdbcTarget(String connectionName, JdbcInclude include, Optional<JdbcSource> source, Optional<String> connectionError) {
        public JdbcTarget {
            Objects.requireNonNull(connectionName, "connectionName");
            Objects.requireNonNull(include, "include");
            if (source.isPresent() == connectionError.isPresent()) {
                throw new IllegalArgumentException("A JDBC target has either its connection or the reason it has none");
            }
        }
    }
}
