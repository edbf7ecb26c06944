package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.crawl.CrawlRuns;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /crawlers/{name}/runs/{crawlId}/log}: the decision log of one crawl run, as text (one decision a
 * line, {@code KIND subject: reason}) or, with {@code ?format=json} or {@code Accept: application/json}, as
 * {@code {"CrawlerName", "CrawlId", "State", "Entries": [{"Kind", "Subject", "Message"}]}}. Unknown crawlers and
 * runs are 404 with the Glue error body; when access keys are configured the request must be signed (SigV4), as
 * Glue calls are.
 */
final class CrawlLogEndpoint extends SignedGetHandler {
    private final CrawlRuns runs;

    CrawlLogEndpoint(CrawlRuns runs, SigV4Verifier verifier) {
        super(verifier, Pattern.compile("^/crawlers/([^/]+)/runs/([^/]+)/log/?$"), "Crawl logs", "/crawlers/{name}/runs/{crawlId}/log");
        this.runs = runs;
    }

    @Override
    protected void answer(HttpExchange exchange, Matcher m) throws IOException {
        String crawler = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        String crawlId = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        boolean json = "format=json".equals(exchange.getRequestURI().getRawQuery())
                || Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept")).orElse("").contains("application/json");
        CrawlRuns.RunLog found;
        try {
            found = runs.runLog(crawler, crawlId);
        } catch (ControlException.NotFound e) {
            throw new GlueException("EntityNotFoundException", 404, e.getMessage());
        }
        ArrayNode entries = HiveShapes.JSON.createArrayNode();
        found.log().ifPresent(log -> log.entries().forEach(e -> entries.addObject().put("Kind", e.kind().name()).put("Subject", e.subject())
                .put("Message", e.message())));
        if (json) {
            ObjectNode out = HiveShapes.JSON.createObjectNode().put("CrawlerName", crawler).put("CrawlId", crawlId).put("State", found.state().name());
            out.set("Entries", entries);
            respond(exchange, 200, "application/json", out.toString().getBytes(StandardCharsets.UTF_8));
        } else {
            StringBuilder text = new StringBuilder();
            text.append("# crawler ").append(crawler).append(", run ").append(crawlId).append(", ").append(found.state().name());
            text.append(found.log().isEmpty() ? " (no decisions recorded yet: the log is written when the run ends)" : "").append('\n');
            entries.forEach(e -> text.append(e.path("Kind").asText()).append(' ').append(e.path("Subject").asText()).append(": ")
                    .append(e.path("Message").asText()).append('\n'));
            respond(exchange, 200, "text/plain; charset=utf-8", text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
