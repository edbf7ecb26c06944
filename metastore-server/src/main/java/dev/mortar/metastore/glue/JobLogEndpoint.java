package dev.mortar.metastore.glue;

import com.sun.net.httpserver.HttpExchange;
import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.job.JobRuns;

import java.io.IOException;
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
final class JobLogEndpoint extends SignedGetHandler {
    private final JobRuns runs;

    JobLogEndpoint(JobRuns runs, SigV4Verifier verifier) {
        super(verifier, Pattern.compile("^/jobs/([^/]+)/runs/([^/]+)/log/?$"), "Job run logs", "/jobs/{name}/runs/{runId}/log");
        this.runs = runs;
    }

    @Override
    protected void answer(HttpExchange exchange, Matcher path) throws IOException {
        String job = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
        String runId = URLDecoder.decode(path.group(2), StandardCharsets.UTF_8);
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
    }
}
