package dev.mortar.metastore.glue;

import java.util.List;


/**
 * The {@code JdbcTargets} of a crawler definition: each names a catalog connection and an include path that the
 * run crawls through the connection's JDBC URL.
 */
final class JdbcCrawlTargets {
    private JdbcCrawlTargets() {}

    /** Checks the {@code JdbcTargets} of a crawler definition (CreateCrawler, UpdateCrawler). */
    static void validate(GlueRequest targets) {
        for (GlueRequest jdbc : targets.objects("JdbcTargets", 0, Integer.MAX_VALUE).orElse(List.of())) {
            jdbc.requiredString("ConnectionName", 1, Integer.MAX_VALUE);
            jdbc.requiredString("Path", 1, Integer.MAX_VALUE);
            jdbc.strings("Exclusions", 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE);
            for (String entry : jdbc.strings("EnableAdditionalMetadata", 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE).orElse(List.of())) {
                if (!entry.equals("COMMENTS") && !entry.equals("RAWTYPES")) {
                    throw GlueException.validation("Value '" + entry + "' at 'enableAdditionalMetadata' failed to satisfy constraint: Member must satisfy enum value set: [COMMENTS, RAWTYPES]");
                }
            }
        }
    }
}
