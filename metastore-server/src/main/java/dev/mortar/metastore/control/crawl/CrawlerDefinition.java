package dev.mortar.metastore.control.crawl;

import dev.mortar.crawler.CrawlPolicy;
import dev.mortar.crawler.CrawlTarget;
import dev.mortar.crawler.CrawlerConfiguration;
import dev.mortar.metastore.control.ControlException;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a crawler is defined as (the members of CreateCrawler/UpdateCrawler): its role, the database it writes, its
 * targets, schedule, custom classifiers, table prefix, policies and configuration. Members that were not given are
 * empty, so a definition reads back as it was given; {@link #target(String)} applies the service's defaults.
 */
public record CrawlerDefinition(String role, Optional<String> databaseName, Optional<String> description, List<S3Target> s3Targets,
                                List<JdbcTarget> jdbcTargets, Optional<String> schedule, List<String> classifiers, Optional<String> tablePrefix,
                                Optional<SchemaChangePolicy> schemaChangePolicy, Optional<RecrawlBehavior> recrawlBehavior,
                                Optional<String> lineageSettings, Optional<LakeFormation> lakeFormation, Optional<String> configuration,
                                Optional<String> securityConfiguration) {
    public CrawlerDefinition {
        Objects.requireNonNull(role, "role");
        s3Targets = List.copyOf(s3Targets);
        jdbcTargets = List.copyOf(jdbcTargets);
        classifiers = List.copyOf(classifiers);
    }

    public enum UpdateBehavior { LOG, UPDATE_IN_DATABASE }

    public enum DeleteBehavior { LOG, DELETE_FROM_DATABASE, DEPRECATE_IN_DATABASE }

    public enum RecrawlBehavior { CRAWL_EVERYTHING, CRAWL_NEW_FOLDERS_ONLY, CRAWL_EVENT_MODE }

    public record S3Target(String path, List<String> exclusions, Optional<String> connectionName, OptionalInt sampleSize, Optional<String> eventQueueArn,
                           Optional<String> dlqEventQueueArn) {
        public S3Target {
            Objects.requireNonNull(path, "path");
            exclusions = List.copyOf(exclusions);
        }
    }

    public record JdbcTarget(String connectionName, String path, List<String> exclusions, List<String> enableAdditionalMetadata) {
        public JdbcTarget {
            Objects.requireNonNull(connectionName, "connectionName");
            Objects.requireNonNull(path, "path");
            exclusions = List.copyOf(exclusions);
            enableAdditionalMetadata = List.copyOf(enableAdditionalMetadata);
        }
    }

    public record SchemaChangePolicy(Optional<UpdateBehavior> updateBehavior, Optional<DeleteBehavior> deleteBehavior) {}

    public record LakeFormation(Optional<Boolean> useLakeFormationCredentials, Optional<String> accountId) {}

    /** The policy a run follows: the service's defaults for what was not given; an inconsistent definition is {@link ControlException.InvalidInput}. */
    public CrawlPolicy policy() {
        RecrawlBehavior recrawl = recrawlBehavior.orElse(RecrawlBehavior.CRAWL_EVERYTHING);
        if (recrawl == RecrawlBehavior.CRAWL_EVENT_MODE) {
            throw new ControlException.InvalidInput("RecrawlBehavior CRAWL_EVENT_MODE needs an event queue (S3Target.EventQueueArn), which this endpoint does not read; "
                    + "use CRAWL_EVERYTHING or CRAWL_NEW_FOLDERS_ONLY");
        }
        UpdateBehavior update = schemaChangePolicy.flatMap(SchemaChangePolicy::updateBehavior).orElse(UpdateBehavior.UPDATE_IN_DATABASE);
        DeleteBehavior delete = schemaChangePolicy.flatMap(SchemaChangePolicy::deleteBehavior).orElse(DeleteBehavior.DEPRECATE_IN_DATABASE);
        try {
            CrawlerConfiguration config = CrawlerConfiguration.parse(configuration.orElse(null));
            return new CrawlPolicy(CrawlPolicy.UpdateBehavior.valueOf(update.name()), CrawlPolicy.DeleteBehavior.valueOf(delete.name()),
                    CrawlPolicy.RecrawlBehavior.valueOf(recrawl.name()), false, OptionalInt.empty(), false, false).withConfiguration(config);
        } catch (IllegalArgumentException e) {
            throw new ControlException.InvalidInput(e.getMessage());
        }
    }

    /** What a run of the crawler covers. */
    public CrawlTarget target(String crawler) {
        String database = databaseName.orElse("");
        if (database.isEmpty()) {
            throw new ControlException.InvalidInput("Crawler " + crawler + " has no DatabaseName to write tables to");
        }
        List<CrawlTarget.Include> includes = s3Targets.stream().map(t -> new CrawlTarget.Include(t.path(), t.exclusions(), t.sampleSize())).toList();
        return new CrawlTarget(database, tablePrefix.orElse(""), includes, policy());
    }
}
