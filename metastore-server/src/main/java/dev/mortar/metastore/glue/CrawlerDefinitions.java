package dev.mortar.metastore.glue;

import java.util.List;

/** The service's value sets and limits of crawler definition members, checked on CreateCrawler and UpdateCrawler requests. */
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
}
