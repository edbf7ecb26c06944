package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.crawler.CrawlPolicy;
import dev.mortar.crawler.CrawlTarget;
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
        JsonNode scp = definition.path("SchemaChangePolicy");
        CrawlPolicy.UpdateBehavior update = CrawlPolicy.UpdateBehavior.valueOf(scp.path("UpdateBehavior").asText("UPDATE_IN_DATABASE"));
        CrawlPolicy.DeleteBehavior delete = CrawlPolicy.DeleteBehavior.valueOf(scp.path("DeleteBehavior").asText("DEPRECATE_IN_DATABASE"));
        String recrawl = definition.path("RecrawlPolicy").path("RecrawlBehavior").asText("CRAWL_EVERYTHING");
        if (recrawl.equals("CRAWL_EVENT_MODE")) {
            throw GlueException.invalidInput("RecrawlBehavior CRAWL_EVENT_MODE needs an event queue (S3Target.EventQueueArn), which this endpoint does not read; "
                    + "use CRAWL_EVERYTHING or CRAWL_NEW_FOLDERS_ONLY");
        }
        CrawlerConfiguration configuration;
        try {
            configuration = CrawlerConfiguration.parse(definition.path("Configuration").isTextual() ? definition.path("Configuration").asText() : null);
            return new CrawlPolicy(update, delete, CrawlPolicy.RecrawlBehavior.valueOf(recrawl), false, OptionalInt.empty(), false, false)
                    .withConfiguration(configuration);
        } catch (IllegalArgumentException e) {
            throw GlueException.invalidInput(e.getMessage());
        }
    }

    /** What a run of the crawler covers. */
    static CrawlTarget target(String crawler, JsonNode definition) {
        List<CrawlTarget.Include> includes = new ArrayList<>();
        definition.path("Targets").path("S3Targets").forEach(t -> {
            List<String> exclusions = new ArrayList<>();
            t.path("Exclusions").forEach(e -> exclusions.add(e.asText()));
            OptionalInt sample = t.hasNonNull("SampleSize") ? OptionalInt.of(t.get("SampleSize").asInt()) : OptionalInt.empty();
            includes.add(new CrawlTarget.Include(t.path("Path").asText(), exclusions, sample));
        });
        String database = definition.path("DatabaseName").asText("");
        if (database.isEmpty()) {
            throw GlueException.invalidInput("Crawler " + crawler + " has no DatabaseName to write tables to");
        }
        return new CrawlTarget(database, definition.path("TablePrefix").asText(""), includes, policy(definition));
    }

    /** Validates a complete definition (after an UpdateCrawler's changes are applied). */
    static void validate(ObjectNode definition) {
        policy(definition);
    }
}
