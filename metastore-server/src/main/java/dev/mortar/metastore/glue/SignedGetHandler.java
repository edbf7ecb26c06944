package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A read-only resource next to the Glue API, at a path of its own: GET only, signed (SigV4) as Glue calls are when access
 * keys are set, a path that does not match is 404, and failures answer with the Glue error body.
 */
abstract class SignedGetHandler implements HttpHandler {
    private final SigV4Verifier verifier;
    private final Pattern path;
    private final String what;
    private final String where;

    /**
     * @param what  what the resource holds, for errors ("Crawl logs")
     * @param where its path template, for errors ("/crawlers/{name}/runs/{crawlId}/log")
     */
    SignedGetHandler(SigV4Verifier verifier, Pattern path, String what, String where) {
        this.verifier = verifier;
        this.path = path;
        this.what = what;
        this.where = where;
    }

    /** Answers a GET whose path matched. */
    protected abstract void answer(HttpExchange exchange, Matcher path) throws IOException;

    @Override
    public final void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    throw new GlueException("MethodNotAllowedException", 405, what + " are read with GET, not " + exchange.getRequestMethod());
                }
                if (verifier.enabled()) {
                    verifier.verify(new SigV4Verifier.SignedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                            exchange.getRequestURI().getRawQuery(), name -> exchange.getRequestHeaders().get(name), new byte[0]));
                }
                Matcher m = path.matcher(exchange.getRequestURI().getRawPath());
                if (!m.matches()) {
                    throw new GlueException("EntityNotFoundException", 404, "No such resource " + exchange.getRequestURI().getRawPath() + "; "
                            + what.toLowerCase(java.util.Locale.ROOT) + " are at " + where);
                }
                answer(exchange, m);
            } catch (GlueException e) {
                ObjectNode body = HiveShapes.JSON.createObjectNode().put("__type", e.type()).put("message", e.getMessage());
                respond(exchange, e.status(), "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
