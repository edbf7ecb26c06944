package dev.mortar.metastore.glue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.mortar.metastore.config.MortarConfig;
import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.ControlPlane;
import dev.mortar.metastore.hms.HmsContext;
import dev.mortar.metastore.server.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The Glue-compatible API on the HTTP port: the AWS JSON 1.1 protocol as the AWS SDKs, boto3 and the
 * AWS CLI speak it. {@code POST /} with {@code X-Amz-Target: AWSGlue.<Operation>} and a JSON body of the
 * operation's input shape; answers are the output shape, or HTTP 4xx/5xx with
 * {@code {"__type": "<ErrorType>", "message": "..."}}; every answer carries {@code x-amzn-RequestId}.
 * When access keys are configured, a request runs only with a valid Signature Version 4 of one of them.
 */
public final class GlueEndpoint implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(GlueEndpoint.class);
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String TARGET_PREFIX = "AWSGlue.";
    /** Larger than any catalog request (a BatchCreatePartition of 100 partitions with their schemas is well under). */
    private static final int MAX_REQUEST_BYTES = 32 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Map<String, GlueOperation> operations;
    private final SigV4Verifier verifier;
    private final Histogram latency;
    private final Counter errors;
    private HttpHandler crawlRunLogs;
    private HttpHandler jobRunLogs;
    private SigV4Verifier signatures;

    GlueEndpoint(Map<String, GlueOperation> operations, SigV4Verifier verifier, Metrics metrics) {
        this.operations = Collections.unmodifiableMap(new TreeMap<>(operations));
        this.verifier = verifier;
        this.latency = Histogram.builder()
                .name("mortar_glue_call_duration_seconds")
                .help("Duration of Glue API calls by operation")
                .labelNames("operation")
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(metrics.registry());
        this.errors = Counter.builder()
                .name("mortar_glue_call_errors_total")
                .help("Glue API calls answered with an error, by operation and error type")
                .labelNames("operation", "error")
                .register(metrics.registry());
    }

    /** The endpoint over the HMS interface of this server and its control plane, with the settings in {@code mortar.glue.*}. */
    public static GlueEndpoint create(MortarConfig config, HmsContext hmsContext, ThriftHiveMetastore.Iface hms, Metrics metrics, ControlPlane control) {
        GlueContext ctx = new GlueContext(hms, hmsContext.store, config.get("mortar.glue.catalog.id"), config.getInt("mortar.store.pool.size"));
        Map<String, GlueOperation> operations = new TreeMap<>();
        TableVersions versions = new TableVersions(ctx);
        new DatabaseOperations(ctx).register(operations);
        new TableOperations(ctx, versions).register(operations);
        new PartitionOperations(ctx).register(operations);
        new StatisticsOperations(ctx).register(operations);
        new FunctionOperations(ctx).register(operations);
        new CrawlerOperations(control.crawlers(), control.crawls(), control.scheduling().crawlerSchedules()).register(operations);
        new ClassifierOperations(control.classifiers()).register(operations);
        new ConnectionOperations(control.connections()).register(operations);
        new JobOperations(control.jobs(), control.jobRuns(), control.bookmarks()).register(operations);
        new TriggerOperations(control.scheduling().triggers(), control.tags()).register(operations);
        new WorkflowOperations(control.scheduling().workflows(), control.scheduling().triggers(), control.jobs()).register(operations);
        new TagOperations(ctx, control.tags()).register(operations);
        SigV4Verifier verifier = new SigV4Verifier(SigV4Verifier.parseKeys(config.get("mortar.glue.access.keys")), Clock.systemUTC());
        LOG.info("Glue API: {} operations{}", operations.size(), verifier.enabled() ? ", requests must be signed (SigV4)" : ", unsigned requests accepted");
        GlueEndpoint endpoint = new GlueEndpoint(operations, verifier, metrics);
        endpoint.crawlRunLogs = new CrawlLogEndpoint(control.crawls(), verifier);
        endpoint.jobRunLogs = new JobLogEndpoint(control.jobRuns(), verifier);
        endpoint.signatures = verifier;
        return endpoint;
    }

    /** {@code GET /crawlers/{name}/runs/{crawlId}/log}, to mount next to the Glue API on the HTTP port. */
    public HttpHandler crawlRunLogs() {
        return crawlRunLogs;
    }

    /** {@code GET /jobs/{name}/runs/{runId}/log}, to mount next to the Glue API on the HTTP port. */
    public HttpHandler jobRunLogs() {
        return jobRunLogs;
    }

    /** A read-only JSON resource to mount next to the Glue API, guarded as Glue calls are (GET, SigV4 when keys are set). */
    public HttpHandler signedReads(SignedReads.Resource resource) {
        return new SignedReads(signatures, resource);
    }

    /** The access keys ({@code AKID -> secret}) of {@code mortar.glue.access.keys}; empty when requests need no signature. */
    public static Map<String, String> accessKeys(MortarConfig config) {
        return SigV4Verifier.parseKeys(config.get("mortar.glue.access.keys"));
    }

    /** Names of the operations served. */
    public java.util.Set<String> operations() {
        return operations.keySet();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        long start = System.nanoTime();
        String operation = "-";
        try (exchange) {
            try {
                String path = exchange.getRequestURI().getRawPath();
                if (!"/".equals(path) && !path.isEmpty()) {
                    throw new GlueException("UnknownOperationException", 404, "No Glue API at " + path + "; send requests to /");
                }
                if (!"POST".equals(exchange.getRequestMethod())) {
                    throw new GlueException("UnknownOperationException", 405, "The Glue API takes POST requests, not " + exchange.getRequestMethod());
                }
                byte[] body = readBody(exchange.getRequestBody());
                if (verifier.enabled()) {
                    verifier.verify(new SigV4Verifier.SignedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                            exchange.getRequestURI().getRawQuery(), name -> exchange.getRequestHeaders().get(name), body));
                }
                String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                if (target == null || !target.startsWith(TARGET_PREFIX)) {
                    throw GlueException.unknownOperation("Missing or unknown X-Amz-Target header" + (target == null ? "" : " '" + target + "'")
                            + "; Glue operations are AWSGlue.<Operation>");
                }
                operation = target.substring(TARGET_PREFIX.length());
                GlueOperation handler = operations.get(operation);
                if (handler == null) {
                    String unknown = operation;
                    operation = "-";
                    throw GlueException.unknownOperation("Operation " + unknown + " is not supported by this endpoint; see docs/GLUE-API.md");
                }
                ObjectNode input = parse(body);
                LOG.debug("Glue {} {}", operation, requestId);
                ObjectNode output;
                try {
                    output = handler.handle(GlueRequest.of(input));
                } catch (ControlException e) {
                    throw GlueException.of(e);
                }
                respond(exchange, 200, JSON.writeValueAsBytes(output));
            } catch (GlueException e) {
                errors.labelValues(operation, e.type()).inc();
                if (e.status() >= 500) {
                    LOG.error("Glue {} failed ({}): {}", operation, requestId, e.getMessage());
                }
                respond(exchange, e.status(), error(e.type(), e.getMessage()));
            } catch (RuntimeException e) {
                errors.labelValues(operation, "InternalServiceException").inc();
                LOG.error("Glue {} failed ({})", operation, requestId, e);
                // the cause is in the server log under the request id; the answer names no Java internals
                respond(exchange, 500, error("InternalServiceException", "The server failed to answer " + operation + " (request " + requestId
                        + "); its log has the cause"));
            }
        } finally {
            latency.labelValues(operation).observe((System.nanoTime() - start) / 1e9);
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
        if (body.length > MAX_REQUEST_BYTES) {
            throw new GlueException("SerializationException", 413, "Request body is larger than " + MAX_REQUEST_BYTES + " bytes");
        }
        return body;
    }

    private static ObjectNode parse(byte[] body) {
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw GlueException.serialization("Request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw GlueException.serialization("Cannot read request body: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            return JSON.createObjectNode();
        }
        if (!(node instanceof ObjectNode object)) {
            throw GlueException.serialization("Request body must be a JSON object, not " + node.getNodeType().name().toLowerCase());
        }
        return object;
    }

    /** The error body: botocore and the AWS SDKs read {@code __type} and {@code message} (or {@code Message}). */
    private static byte[] error(String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("__type", type);
        body.put("message", message);
        body.put("Message", message);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
