package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A read-only HTTP resource next to the Glue API, guarded as Glue calls are: GET only, and when access keys are
 * configured a valid Signature Version 4 of one of them; refusals carry the Glue error body.
 */
public final class SignedReads implements HttpHandler {
    /** Answers one GET with a JSON body. */
    @FunctionalInterface
    public interface Resource {
        ObjectNode read(HttpExchange exchange);
    }

    private final SigV4Verifier verifier;
    private final Resource resource;

    SignedReads(SigV4Verifier verifier, Resource resource) {
        this.verifier = verifier;
        this.resource = resource;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 200;
            ObjectNode body;
            try {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    throw new GlueException("MethodNotAllowedException", 405, exchange.getRequestURI().getRawPath() + " is read with GET, not " + exchange.getRequestMethod());
                }
                if (verifier.enabled()) {
                    verifier.verify(new SigV4Verifier.SignedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                            exchange.getRequestURI().getRawQuery(), name -> exchange.getRequestHeaders().get(name), new byte[0]));
                }
                body = resource.read(exchange);
            } catch (GlueException e) {
                status = e.status();
                body = HiveShapes.JSON.createObjectNode().put("__type", e.type()).put("message", e.getMessage());
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
