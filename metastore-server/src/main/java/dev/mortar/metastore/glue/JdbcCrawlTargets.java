package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.crawler.CrawlReport;
import dev.mortar.crawler.CrawlReport.FileError;
import dev.mortar.catalog.CatalogWriter;
import dev.mortar.crawler.jdbc.JdbcCrawler;
import dev.mortar.crawler.jdbc.JdbcInclude;
import dev.mortar.crawler.jdbc.JdbcSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The {@code JdbcTargets} of a crawler run: each names a catalog connection, read through this endpoint's own
 * GetConnection, and an include path that {@link JdbcCrawler} crawls through the connection's JDBC URL.
 */
final class JdbcCrawlTargets {
    private final Map<String, GlueOperation> operations;

    JdbcCrawlTargets(Map<String, GlueOperation> operations) {
        this.operations = operations;
    }

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

    /** Crawls every JDBC target of the definition and adds what it did to {@code report}. */
    CrawlReport crawl(JsonNode targets, CatalogWriter catalog, String database, String tablePrefix, boolean updateTables, CrawlReport report,
                      BooleanSupplier cancelled) {
        List<String> created = new ArrayList<>(report.tablesCreated());
        List<String> updated = new ArrayList<>(report.tablesUpdated());
        List<FileError> errors = new ArrayList<>(report.errors());
        for (JsonNode target : targets.path("JdbcTargets")) {
            if (cancelled.getAsBoolean()) {
                break;
            }
            String connection = target.path("ConnectionName").asText();
            String path = target.path("Path").asText();
            List<String> exclusions = new ArrayList<>();
            target.path("Exclusions").forEach(e -> exclusions.add(e.asText()));
            JdbcSource source;
            try {
                source = source(connection);
            } catch (GlueException e) {
                errors.add(new FileError(connection + ":" + path, e.getMessage()));
                continue;
            }
            CrawlReport jdbc = new JdbcCrawler(catalog).crawl(source, new JdbcInclude(path, exclusions), database, tablePrefix, updateTables, cancelled);
            created.addAll(jdbc.tablesCreated());
            updated.addAll(jdbc.tablesUpdated());
            errors.addAll(jdbc.errors());
        }
        return new CrawlReport(created, updated, report.tablesDeleted(), report.partitionsAdded(), report.partitionsDeleted(), report.filesSeen(),
                report.filesRead(), report.bytesRead(), errors, report.log(), report.state());
    }

    private JdbcSource source(String connection) {
        ObjectNode out = operations.get("GetConnection").handle(GlueRequest.of(HiveShapes.JSON.createObjectNode().put("Name", connection)));
        JsonNode c = out.path("Connection");
        if (!"JDBC".equals(c.path("ConnectionType").asText())) {
            throw GlueException.invalidInput("Connection " + connection + " is of type " + c.path("ConnectionType").asText() + ", not JDBC");
        }
        JsonNode properties = c.path("ConnectionProperties");
        if (!properties.hasNonNull("JDBC_CONNECTION_URL")) {
            throw GlueException.invalidInput("Connection " + connection + " has no JDBC_CONNECTION_URL; crawlers read only through one (SECRET_ID and HOST/PORT are not supported)");
        }
        return new JdbcSource(connection, properties.get("JDBC_CONNECTION_URL").asText(), properties.path("USERNAME").asText(null),
                properties.path("PASSWORD").asText(null));
    }
}
