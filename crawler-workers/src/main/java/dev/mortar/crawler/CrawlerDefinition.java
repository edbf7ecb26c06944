package dev.mortar.crawler;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A crawler's definition (the members of the Glue API's CreateCrawler/UpdateCrawler) as what one run covers:
 * its {@code S3Targets} with exclusions and {@code SampleSize}, {@code TablePrefix}, and its policy from
 * {@code SchemaChangePolicy}, {@code RecrawlPolicy} and {@code Configuration}. The same in the server and in
 * worker processes, which get the definition with their task.
 */
public final class CrawlerDefinition {
    private CrawlerDefinition() {}

    /** What a run of the crawler covers; an incomplete or inconsistent definition is an IllegalArgumentException saying why. */
    public static CrawlTarget target(String crawler, JsonNode definition) {
        List<CrawlTarget.Include> includes = new ArrayList<>();
        definition.path("Targets").path("S3Targets").forEach(t -> {
            List<String> exclusions = new ArrayList<>();
            t.path("Exclusions").forEach(e -> exclusions.add(e.asText()));
            OptionalInt sample = t.hasNonNull("SampleSize") ? OptionalInt.of(t.get("SampleSize").asInt()) : OptionalInt.empty();
            includes.add(new CrawlTarget.Include(t.path("Path").asText(), exclusions, sample));
        });
        String database = definition.path("DatabaseName").asText("");
        if (database.isEmpty()) {
            throw new IllegalArgumentException("Crawler " + crawler + " has no DatabaseName to write tables to");
        }
        return new CrawlTarget(database, definition.path("TablePrefix").asText(""), includes, policy(definition));
    }

    /** The crawl policy of a definition; an inconsistent one is an IllegalArgumentException with the service's message. */
    public static CrawlPolicy policy(JsonNode definition) {
        JsonNode scp = definition.path("SchemaChangePolicy");
        CrawlPolicy.UpdateBehavior update = CrawlPolicy.UpdateBehavior.valueOf(scp.path("UpdateBehavior").asText("UPDATE_IN_DATABASE"));
        CrawlPolicy.DeleteBehavior delete = CrawlPolicy.DeleteBehavior.valueOf(scp.path("DeleteBehavior").asText("DEPRECATE_IN_DATABASE"));
        String recrawl = definition.path("RecrawlPolicy").path("RecrawlBehavior").asText("CRAWL_EVERYTHING");
        if (recrawl.equals("CRAWL_EVENT_MODE")) {
            throw new IllegalArgumentException("RecrawlBehavior CRAWL_EVENT_MODE needs an event queue (S3Target.EventQueueArn), which this endpoint does not read; "
                    + "use CRAWL_EVERYTHING or CRAWL_NEW_FOLDERS_ONLY");
        }
        CrawlerConfiguration configuration = CrawlerConfiguration.parse(definition.path("Configuration").isTextual() ? definition.path("Configuration").asText() : null);
        return new CrawlPolicy(update, delete, CrawlPolicy.RecrawlBehavior.valueOf(recrawl), false, OptionalInt.empty(), false, false)
                .withConfiguration(configuration);
    }
}
