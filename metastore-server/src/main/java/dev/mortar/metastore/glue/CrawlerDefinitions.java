package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.crawler.CrawlPolicy;
import dev.mortar.crawler.CrawlTarget;
import dev.mortar.crawler.CrawlerDefinition;
import dev.mortar.crawler.CrawlerConfiguration;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A stored crawler definition (the members of CreateCrawler/UpdateCrawler) as a crawl's target and policy:
 * {@code SchemaChangePolicy}, {@code RecrawlPolicy}, {@code Configuration}, {@code TablePrefix} and the
 * {@code S3Targets} with their exclusions and {@code SampleSize}. Checks the definition as a whole, as the
 * service does when a crawler is created or updated.
 */
final class CrawlerDefinitions {
    static final List<String> UPDATE_BEHAVIORS = List.of("LOG", "UPDATE_IN_DATABASE");
    static final List<String> DELETE_BEHAVIORS = List.of("LOG", "DELETE_FROM_DATABASE", "DEPRECATE_IN_DATABASE");
    static final List<String> RECRAWL_BEHAVIORS = List.of("CRAWL_EVERYTHING", "CRAWL_NEW_FOLDERS_ONLY", "CRAWL_EVENT_MODE");
    /** The service's bounds of {@code S3Target.SampleSize}: files read per leaf folder. */
    static final int SAMPLE_SIZE_MIN = 1;
    static final int SAMPLE_SIZE_MAX = 249;

    private CrawlerDefinitions() {}

    /** Checks the members of a request that only the whole definition can check, with the service's error types. */
    static void validateRequest(GlueRequest request) {
        request.object("SchemaChangePolicy").ifPresent(p -> {
            p.enumValue("UpdateBehavior", UPDATE_BEHAVIORS);
            p.enumValue("DeleteBehavior", DELETE_BEHAVIORS);
        });
        request.object("RecrawlPolicy").ifPresent(p -> p.enumValue("RecrawlBehavior", RECRAWL_BEHAVIORS));
        request.object("Targets").ifPresent(t -> {
            for (GlueRequest s3 : t.objects("S3Targets", 0, Integer.MAX_VALUE).orElse(List.of())) {
                s3.integer("SampleSize", SAMPLE_SIZE_MIN, SAMPLE_SIZE_MAX);
            }
        });
    }

    /** The crawl policy of a definition; an inconsistent definition is {@code InvalidInputException}. */
    static CrawlPolicy policy(JsonNode definition) {
        try {
            return CrawlerDefinition.policy(definition);
        } catch (IllegalArgumentException e) {
            throw GlueException.invalidInput(e.getMessage());
        }
    }

    /** What a run of the crawler covers. */
    static CrawlTarget target(String crawler, JsonNode definition) {
        try {
            return CrawlerDefinition.target(crawler, definition);
        } catch (IllegalArgumentException e) {
            throw GlueException.invalidInput(e.getMessage());
        }
    }

    /** Validates a complete definition (after an UpdateCrawler's changes are applied). */
    static void validate(ObjectNode definition) {
        policy(definition);
    }
}
