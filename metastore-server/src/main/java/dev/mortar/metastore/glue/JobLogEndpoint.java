package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.job.JobRuns;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /jobs/{name}/runs/{runId}/log}: the log of one job run as text, as far as it has been written (a running
 * run's log grows with each heartbeat of its worker): its states, statements with their timings and rows, a Python
 * job's stdout and stderr, and its error. The run's state is in the {@code X-Mortar-Run-State} header, so a reader
 * can follow a run until it ends. Unknown jobs and runs are 404 with the Glue error body; when access keys are
 * configured the request must be signed (SigV4), as Glue calls are.
 */
final class JobLogEndpoint implements HttpHandler {
    private static final Pattern PATH = Pattern.compile("^/jobs/([^/]+)/runs/([^/]+)/log/?$");

    private final JobRuns runs;
    private final SigV4Verifier verifier;

    JobLogEndpoint(JobRuns runs, SigV4Verifier verifier) {
        this.runs = runs;
        this.verifier = verifier;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    throw new GlueException("MethodNotAllowedException", 405, "Job run logs are read with GET, not " + exchange.getRequestMethod());
                }
                if (verifier.enabled()) {
                    verifier.verify(new SigV4Verifier.SignedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                            exchange.getRequestURI().getRawQuery(), name -> exchange.getRequestHeaders().get(name), new byte[0]));
                }
                Matcher m = PATH.matcher(exchange.getRequestURI().getRawPath());
                if (!m.matches()) {
                    throw new GlueException("EntityNotFoundException", 404, "No such resource " + exchange.getRequestURI().getRawPath()
                            + "; job run logs are at /jobs/{name}/runs/{runId}/log");
                }
                String job = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
                String runId = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
                String log;
                String state;
                try {
                    state = runs.run(job, runId).state().name();
                    log = runs.log(job, runId);
                } catch (ControlException.NotFound e) {
                    throw new GlueException("EntityNotFoundException", 404, e.getMessage());
                }
                exchange.getResponseHeaders().set("X-Mortar-Run-State", state);
                respond(exchange, 200, "text/plain; charset=utf-8", log.getBytes(StandardCharsets.UTF_8));
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
