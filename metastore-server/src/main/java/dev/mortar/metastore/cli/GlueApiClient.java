package dev.mortar.metastore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A client of a Mortar server's Glue-compatible API: AWS JSON 1.1 over HTTP ({@code POST /} with
 * {@code X-Amz-Target: AWSGlue.<Operation>}), signed with Signature Version 4 by the AWS SDK's own signer
 * when access keys are given. Answers are the operation's output shape as JSON, so that members the
 * AWS models do not have (GetCrawler's {@code MortarProgress}) are readable too.
 */
final class GlueApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    /** An access key pair to sign requests with. */
    record Credentials(String accessKeyId, String secretAccessKey) {}

    /** The API's error answer: its {@code __type} (without a namespace), message and HTTP status. */
    static final class GlueApiException extends Exception {
        private final String type;
        private final int status;

        GlueApiException(String type, String message, int status) {
            super(message);
            this.type = type;
            this.status = status;
        }

        String type() {
            return type;
        }

        int status() {
            return status;
        }
    }

    private final URI endpoint;
    private final String region;
    private final Optional<Credentials> credentials;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();

    GlueApiClient(URI endpoint, String region, Optional<Credentials> credentials) {
        this.endpoint = endpoint.getPath().isEmpty() ? endpoint.resolve("/") : endpoint;
        this.region = region;
        this.credentials = credentials;
    }

    URI endpoint() {
        return endpoint;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A text answer of the server's HTTP API and its headers. */
    record TextAnswer(String body, HttpHeaders headers) {
        Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /** A path segment with what a URI path cannot hold escaped ({@code /jobs/<segment>/...}). */
    static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Every item of a paginated listing: {@code listField} of each page, following {@code NextToken}. */
    void pages(String operation, ObjectNode input, String listField, Consumer<JsonNode> each) throws GlueApiException, IOException, InterruptedException {
        String token = null;
        do {
            ObjectNode page = input.deepCopy();
            if (token != null) {
                page.put("NextToken", token);
            }
            JsonNode answer = call(operation, page);
            answer.path(listField).forEach(each);
            token = answer.hasNonNull("NextToken") && !answer.path("NextToken").asText().isEmpty() ? answer.path("NextToken").asText() : null;
        } while (token != null);
    }

    /** A GET of a path of the server's HTTP API (signed when keys are given); the body as text, or the Glue error of the answer. */
    TextAnswer get(String pathAndQuery) throws GlueApiException, IOException, InterruptedException {
        URI uri = endpoint.resolve(pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET();
        if (credentials.isPresent()) {
            SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri);
            var signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(AwsCredentialsIdentity.create(credentials.get().accessKeyId(), credentials.get().secretAccessKey()))
                    .request(unsigned.build())
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "glue")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
                if (!h.getKey().equalsIgnoreCase("Host")) {
                    h.getValue().forEach(v -> request.header(h.getKey(), v));
                }
            }
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new IOException("Cannot connect to the Mortar server at " + endpoint + " (is it running? --endpoint sets where)", e);
        }
        if (response.statusCode() / 100 != 2) {
            JsonNode answer;
            try {
                answer = JSON.readTree(response.body());
            } catch (IOException e) {
                throw new IOException("The server at " + endpoint + " answered GET " + pathAndQuery + " with HTTP " + response.statusCode());
            }
            String type = answer.path("__type").asText("HTTP " + response.statusCode());
            String message = answer.has("message") ? answer.path("message").asText() : answer.path("Message").asText("");
            throw new GlueApiException(type.substring(type.lastIndexOf('#') + 1), message, response.statusCode());
        }
        return new TextAnswer(response.body(), response.headers());
    }

    JsonNode call(String operation, ObjectNode input) throws GlueApiException, IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(input);
        Map<String, String> headers = Map.of("Content-Type", CONTENT_TYPE, "X-Amz-Target", "AWSGlue." + operation);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (credentials.isPresent()) {
            SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint);
            headers.forEach(unsigned::putHeader);
            var signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(AwsCredentialsIdentity.create(credentials.get().accessKeyId(), credentials.get().secretAccessKey()))
                    .request(unsigned.build())
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "glue")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
                // Java's client writes Host itself, from the same URI the signature was made for.
                if (!h.getKey().equalsIgnoreCase("Host")) {
                    h.getValue().forEach(v -> request.header(h.getKey(), v));
                }
            }
        } else {
            headers.forEach(request::header);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.ConnectException e) {
            throw new IOException("Cannot connect to the Mortar server at " + endpoint + " (is it running? --endpoint sets where)", e);
        }
        JsonNode answer;
        try {
            answer = response.body().length == 0 ? object() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException("The server at " + endpoint + " answered " + operation + " with HTTP " + response.statusCode() + " and no Glue JSON", e);
        }
        if (response.statusCode() / 100 != 2) {
            String type = answer.path("__type").asText("HTTP " + response.statusCode());
            String message = answer.has("message") ? answer.path("message").asText() : answer.path("Message").asText("");
            throw new GlueApiException(type.substring(type.lastIndexOf('#') + 1), message, response.statusCode());
        }
        return answer;
    }
}
