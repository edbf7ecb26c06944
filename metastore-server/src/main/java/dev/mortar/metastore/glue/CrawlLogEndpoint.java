package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.mortar.metastore.store.CatalogStore.queryOne;

/**
 * {@code GET /crawlers/{name}/runs/{crawlId}/log}: the decision log of one crawl run, as text (one decision a
 * line, {@code KIND subject: reason}) or, with {@code ?format=json} or {@code Accept: application/json}, as
 * {@code {"CrawlerName", "CrawlId", "State", "Entries": [{"Kind", "Subject", "Message"}]}}. Unknown crawlers and
 * runs are 404 with the Glue error body; when access keys are configured the request must be signed (SigV4), as
 * Glue calls are.
 */
final class CrawlLogEndpoint implements HttpHandler {
    private static final Pattern PATH = Pattern.compile("^/crawlers/([^/]+)/runs/([^/]+)/log/?$");

    private final GlueContext ctx;
    private final SigV4Verifier verifier;

    CrawlLogEndpoint(GlueContext ctx, SigV4Verifier verifier) {
        this.ctx = ctx;
        this.verifier = verifier;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    throw new GlueException("MethodNotAllowedException", 405, "Crawl logs are read with GET, not " + exchange.getRequestMethod());
                }
                if (verifier.enabled()) {
                    verifier.verify(new SigV4Verifier.SignedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                            exchange.getRequestURI().getRawQuery(), name -> exchange.getRequestHeaders().get(name), new byte[0]));
                }
                Matcher m = PATH.matcher(exchange.getRequestURI().getRawPath());
                if (!m.matches()) {
                    throw new GlueException("EntityNotFoundException", 404, "No such resource " + exchange.getRequestURI().getRawPath()
                            + "; crawl logs are at /crawlers/{name}/runs/{crawlId}/log");
                }
                String crawler = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
                String crawlId = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
                boolean json = "format=json".equals(exchange.getRequestURI().getRawQuery())
                        || Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept")).orElse("").contains("application/json");
                record Found(String state, Optional<JsonNode> log) {}
                Found found = ctx.tx(c -> {
                    if (queryOne(c, "SELECT crawler_name FROM g_crawlers WHERE crawler_name = ?", rs -> rs.getString(1), crawler).isEmpty()) {
                        throw new GlueException("EntityNotFoundException", 404, "Crawler entry with name " + crawler + " does not exist");
                    }
                    Optional<String> state = queryOne(c, "SELECT crawl_state FROM g_crawls WHERE crawl_id = ? AND crawler_name = ?", rs -> rs.getString(1),
                            crawlId, crawler);
                    if (state.isEmpty()) {
                        throw new GlueException("EntityNotFoundException", 404, "Crawler " + crawler + " has no run " + crawlId);
                    }
                    return new Found(state.get(), CrawlerStateStore.log(c, crawler, crawlId));
                });
                JsonNode entries = found.log().orElse(HiveShapes.JSON.createArrayNode());
                if (json) {
                    ObjectNode out = HiveShapes.JSON.createObjectNode().put("CrawlerName", crawler).put("CrawlId", crawlId).put("State", found.state());
                    out.set("Entries", entries);
                    respond(exchange, 200, "application/json", out.toString().getBytes(StandardCharsets.UTF_8));
                } else {
                    StringBuilder text = new StringBuilder();
                    text.append("# crawler ").append(crawler).append(", run ").append(crawlId).append(", ").append(found.state());
                    text.append(found.log().isEmpty() ? " (no decisions recorded yet: the log is written when the run ends)" : "").append('\n');
                    entries.forEach(e -> text.append(e.path("Kind").asText()).append(' ').append(e.path("Subject").asText()).append(": ")
                            .append(e.path("Message").asText()).append('\n'));
                    respond(exchange, 200, "text/plain; charset=utf-8", text.toString().getBytes(StandardCharsets.UTF_8));
                }
            } catch (GlueException e) {
                ObjectNode body = HiveShapes.JSON.createObjectNode().put("__type", e.type()).put("message", e.getMessage());
                respond(exchange, e.status(), "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
