package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS JSON 1.1 protocol on the wire, with a plain HTTP client: headers, error bodies, epoch-second
 * timestamps, and bad input (malformed JSON, unknown operations, missing or oversized members) that
 * gets the service's error type, changes nothing and leaves the server serving.
 */
class GlueProtocolTest {
    static TestServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    record Answer(int status, JsonNode body, HttpResponse<String> response) {
        String type() {
            return body.path("__type").asText(null);
        }
    }

    static Answer call(String target, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(GlueClients.endpoint(server).resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        return new Answer(response.statusCode(), json, response);
    }

    static Answer op(String operation, String body) throws Exception {
        return call("AWSGlue." + operation, body);
    }

    private static void assertError(Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        assertThat(answer.type()).as(answer.body().toString()).isEqualTo(type);
        assertThat(answer.body().path("message").asText()).isNotBlank();
        assertThat(answer.body().path("Message").asText()).isEqualTo(answer.body().path("message").asText());
        assertThat(answer.response().headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
    }

    private static Set<String> databases() throws Exception {
        Set<String> names = new HashSet<>();
        op("GetDatabases", "{}").body().path("DatabaseList").forEach(d -> names.add(d.path("Name").asText()));
        return names;
    }

    @Test
    void everyAnswerCarriesARequestIdAndTheJsonContentType() throws Exception {
        Set<String> ids = new HashSet<>();
        for (Answer a : new Answer[] {op("GetDatabases", "{}"), op("GetDatabase", "{\"Name\":\"missing\"}"), call(null, "{}"), op("NoSuchOperation", "{}")}) {
            String id = a.response().headers().firstValue("x-amzn-RequestId").orElseThrow();
            assertThat(ids.add(id)).isTrue();
            assertThat(a.response().headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        }
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(GlueClients.endpoint(server).resolve("/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("x-amzn-RequestId")).isPresent();
        HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(GlueClients.endpoint(server).resolve("/api/x"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(elsewhere.headers().firstValue("x-amzn-RequestId")).isPresent();
        // The endpoints already on the port are unchanged.
        assertThat(http.send(HttpRequest.newBuilder(GlueClients.endpoint(server).resolve("/health")).GET().build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("UP");
        assertThat(http.send(HttpRequest.newBuilder(GlueClients.endpoint(server).resolve("/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("mortar_glue_call_duration_seconds");
    }

    @Test
    void timestampsAreEpochSecondsAndShapesUseTheModelNames() throws Exception {
        assertThat(op("CreateDatabase", "{\"DatabaseInput\":{\"Name\":\"wire\",\"Parameters\":{\"k\":\"v\"}}}").status()).isEqualTo(200);
        Answer got = op("GetDatabase", "{\"Name\":\"wire\"}");
        JsonNode db = got.body().path("Database");
        assertThat(db.path("CreateTime").isNumber()).isTrue();
        assertThat(db.path("CreateTime").asLong()).isBetween(System.currentTimeMillis() / 1000 - 60, System.currentTimeMillis() / 1000 + 60);
        assertThat(db.path("Parameters").path("k").asText()).isEqualTo("v");
        assertThat(op("CreateTable", "{\"DatabaseName\":\"wire\",\"TableInput\":{\"Name\":\"t\",\"LastAccessTime\":1.7E9,"
                + "\"StorageDescriptor\":{\"Columns\":[{\"Name\":\"a\",\"Type\":\"int\"}],\"Location\":\"" + server.dataDir.resolve("t").toUri() + "\"}}}").status())
                .isEqualTo(200);
        JsonNode table = op("GetTable", "{\"DatabaseName\":\"wire\",\"Name\":\"t\"}").body().path("Table");
        assertThat(table.path("LastAccessTime").asLong()).isEqualTo(1_700_000_000L);
        assertThat(table.path("UpdateTime").isNumber()).isTrue();
        assertThat(table.path("VersionId").asText()).isEqualTo("0");
        assertThat(table.path("StorageDescriptor").path("Columns").get(0).path("Name").asText()).isEqualTo("a");
        // An empty body is the empty input; unknown members are ignored, as by the service.
        assertThat(op("GetDatabases", "").status()).isEqualTo(200);
        assertThat(op("GetDatabase", "{\"Name\":\"wire\",\"SomethingNew\":{\"x\":1}}").status()).isEqualTo(200);
    }

    @Test
    void badRequestsGetTheServiceErrorTypeAndChangeNothing() throws Exception {
        Set<String> before = databases();
        assertError(op("CreateDatabase", "{\"DatabaseInput\":{\"Name\":\"broken\""), 400, "SerializationException");
        assertError(op("CreateDatabase", "[1,2]"), 400, "SerializationException");
        assertError(op("CreateDatabase", "{\"DatabaseInput\":{\"Name\":\"x\"}} trailing"), 400, "SerializationException");
        assertError(op("CreateDatabase", "{\"DatabaseInput\":\"broken\"}"), 400, "SerializationException");
        assertError(op("CreateDatabase", "{\"DatabaseInput\":{\"Name\":42}}"), 400, "SerializationException");
        assertError(op("CreateDatabase", "{}"), 400, "ValidationException");
        assertError(op("CreateDatabase", "{\"DatabaseInput\":{}}"), 400, "ValidationException");
        assertError(op("CreateDatabase", "{\"DatabaseInput\":{\"Name\":\"\"}}"), 400, "ValidationException");
        Answer tooLong = op("CreateDatabase", "{\"DatabaseInput\":{\"Name\":\"" + "n".repeat(256) + "\"}}");
        assertError(tooLong, 400, "ValidationException");
        assertThat(tooLong.body().path("message").asText()).contains("at 'databaseInput.name' failed to satisfy constraint: Member must have length less than or equal to 255");
        assertError(op("CreateDatabase", "{\"DatabaseInput\":{\"Name\":\"bad name!\"}}"), 400, "InvalidInputException");
        assertError(op("CreateDatabase", "{\"DatabaseInput\":{\"Name\":\"p\",\"Parameters\":{\"k\":1}}}"), 400, "SerializationException");
        assertError(op("GetDatabases", "{\"MaxResults\":\"ten\"}"), 400, "SerializationException");
        assertError(op("GetDatabases", "{\"MaxResults\":0}"), 400, "ValidationException");
        assertError(op("NoSuchOperation", "{}"), 400, "UnknownOperationException");
        assertError(call("DynamoDB_20120810.ListTables", "{}"), 400, "UnknownOperationException");
        assertError(call(null, "{}"), 400, "UnknownOperationException");
        assertError(op("GetDatabase", "{\"Name\":\"missing\"}"), 400, "EntityNotFoundException");
        assertError(op("GetTables", "{\"DatabaseName\":\"default\",\"NextToken\":\"forged\"}"), 400, "InvalidInputException");
        assertThat(databases()).isEqualTo(before);
        // A partition batch with one invalid member is refused whole.
        op("CreateDatabase", "{\"DatabaseInput\":{\"Name\":\"wire2\"}}");
        op("CreateTable", "{\"DatabaseName\":\"wire2\",\"TableInput\":{\"Name\":\"p\",\"PartitionKeys\":[{\"Name\":\"ds\",\"Type\":\"string\"}],"
                + "\"StorageDescriptor\":{\"Columns\":[{\"Name\":\"a\",\"Type\":\"int\"}],\"Location\":\"" + server.dataDir.resolve("p").toUri() + "\"}}}");
        assertError(op("BatchCreatePartition", "{\"DatabaseName\":\"wire2\",\"TableName\":\"p\",\"PartitionInputList\":[{\"Values\":[\"a\"]},{\"Values\":[\"\"]}]}"),
                400, "ValidationException");
        assertThat(op("GetPartitions", "{\"DatabaseName\":\"wire2\",\"TableName\":\"p\"}").body().path("Partitions")).isEmpty();
        // And the server goes on serving.
        assertThat(op("GetDatabase", "{\"Name\":\"wire2\"}").status()).isEqualTo(200);
    }
}
