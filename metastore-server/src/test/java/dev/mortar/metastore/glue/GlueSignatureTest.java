package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Database;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With access keys configured, only requests signed (AWS Signature Version 4) with one of them run. */
class GlueSignatureTest {
    static TestServer server;
    static GlueClient glue;
    static final HttpClient http = HttpClient.newHttpClient();
    /** Headers Java's HTTP client sets itself; it sends the same values that were signed. */
    static final Set<String> RESTRICTED = Set.of("host", "content-length");

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("mortar.glue.access.keys", GlueClients.ACCESS_KEY + ":" + GlueClients.SECRET_KEY + ", AKIDSECOND:second/secret+key"));
        glue = GlueClients.client(server);
    }

    @AfterAll
    static void stop() throws Exception {
        glue.close();
        server.close();
        server.deleteData();
    }

    private static List<String> databases() {
        return glue.getDatabases(r -> { }).databaseList().stream().map(Database::name).toList();
    }

    @Test
    void requestsSignedWithAConfiguredKeyRun() {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("signed")));
        try (GlueClient second = GlueClients.client(server, "AKIDSECOND", "second/secret+key")) {
            assertThat(second.getDatabase(r -> r.name("signed")).database().name()).isEqualTo("signed");
        }
    }

    @Test
    void wrongOrMissingSignaturesAreRefusedAndNothingRuns() throws Exception {
        try (GlueClient wrongSecret = GlueClients.client(server, GlueClients.ACCESS_KEY, "not-the-secret");
             GlueClient unknownKey = GlueClients.client(server, "AKIDUNKNOWN", GlueClients.SECRET_KEY)) {
            assertGlueError(() -> wrongSecret.createDatabase(r -> r.databaseInput(d -> d.name("forged1"))), "InvalidSignatureException", 403);
            assertGlueError(() -> unknownKey.createDatabase(r -> r.databaseInput(d -> d.name("forged2"))), "UnrecognizedClientException", 403);
        }
        String body = "{\"DatabaseInput\":{\"Name\":\"forged3\"}}";
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(GlueClients.endpoint(server).resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "AWSGlue.CreateDatabase")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(new ObjectMapper().readTree(unsigned.body()).path("__type").asText()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(unsigned.headers().firstValue("x-amzn-RequestId")).isPresent();

        // Signed, then altered: the body (or a signed header) is not what was signed.
        assertThat(sendSigned(body, "{\"DatabaseInput\":{\"Name\":\"forged4\"}}", "AWSGlue.CreateDatabase", Clock.systemUTC()).statusCode()).isEqualTo(403);
        HttpResponse<String> retargeted = sendSigned("{\"Name\":\"signed\"}", "{\"Name\":\"signed\"}", "AWSGlue.DeleteDatabase", Clock.systemUTC());
        assertThat(retargeted.statusCode()).isEqualTo(403);
        assertThat(retargeted.body()).contains("InvalidSignatureException");
        // Signed too long ago.
        HttpResponse<String> expired = sendSigned(body, body, "AWSGlue.CreateDatabase", Clock.fixed(Instant.now().minusSeconds(900), ZoneOffset.UTC));
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.body()).contains("InvalidSignatureException").contains("Signature expired");
        // The same request, signed as it is sent, runs.
        assertThat(sendSigned("{\"DatabaseInput\":{\"Name\":\"raw_signed\"}}", "{\"DatabaseInput\":{\"Name\":\"raw_signed\"}}", "AWSGlue.CreateDatabase", Clock.systemUTC()).statusCode())
                .isEqualTo(200);

        assertThat(databases()).doesNotContain("forged1", "forged2", "forged3", "forged4").contains("raw_signed");
    }

    /**
     * Signs {@code signedBody} for GetDatabase's target with the SDK's own SigV4 signer, then sends
     * {@code sentBody} with the signed headers, and the target given (changed after signing when it differs).
     */
    private static HttpResponse<String> sendSigned(String signedBody, String sentBody, String target, Clock clock) throws Exception {
        var uri = GlueClients.endpoint(server);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).protocol("http").host(uri.getHost()).port(uri.getPort()).encodedPath("/")
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", "AWSGlue.CreateDatabase")
                .putHeader("Content-Length", String.valueOf(signedBody.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)).build();
        if (!target.equals("AWSGlue.CreateDatabase")) {
            request = request.toBuilder().putHeader("X-Amz-Target", "AWSGlue.GetDatabase").build();
        }
        SdkHttpRequest toSign = request;
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(GlueClients.ACCESS_KEY, GlueClients.SECRET_KEY))
                .request(toSign).payload(ContentStreamProvider.fromUtf8String(signedBody))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "glue").putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        HttpRequest.Builder send = HttpRequest.newBuilder(uri.resolve("/")).POST(HttpRequest.BodyPublishers.ofString(sentBody));
        signed.request().headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                values.forEach(v -> send.header(name, name.equalsIgnoreCase("X-Amz-Target") ? target : v));
            }
        });
        return http.send(send.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void malformedKeySettingStopsTheServerWithAClearMessage() {
        assertThatThrownBy(() -> TestServer.start(Map.of("mortar.glue.access.keys", "AKIDONLY")))
                .hasMessageContaining("mortar.glue.access.keys must be AKID:SECRET pairs");
    }
}
