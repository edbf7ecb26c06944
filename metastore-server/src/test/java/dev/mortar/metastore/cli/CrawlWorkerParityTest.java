package dev.mortar.metastore.cli;

import dev.mortar.testing.Await;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One crawler definition (custom grok and CSV classifiers, a JDBC target on MariaDB, new folders only) crawled by a
 * server's own workers and by a {@code mortar worker} process of another server: the same tables and the same
 * decision log, on the first run and on a recrawl that finds new folders.
 */
class CrawlWorkerParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Members that differ between any two catalogs: times, versions, ids. */
    private static final List<String> VOLATILE = List.of("CreateTime", "UpdateTime", "LastAccessTime", "LastAnalyzedTime", "VersionId", "CatalogId",
            "CreatedBy", "IsRegisteredWithLakeFormation", "transient_lastDdlTime");

    private static void write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static GlueApiClient glue(TestServer server) {
        return new GlueApiClient(URI.create("http://127.0.0.1:" + server.server.httpPort()), "us-east-1", Optional.empty());
    }

    private static void define(GlueApiClient glue, Path lake, String database, String jdbcUrl) throws Exception {
        ObjectNode grok = GlueApiClient.object();
        grok.putObject("GrokClassifier").put("Name", "applog").put("Classification", "app-log")
                .put("GrokPattern", "%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} %{ORDER_ID:order} qty=%{INT:qty:int}").put("CustomPatterns", "ORDER_ID ORD-%{INT}");
        glue.call("CreateClassifier", grok);
        ObjectNode csv = GlueApiClient.object();
        csv.putObject("CsvClassifier").put("Name", "names").put("Delimiter", ";").put("ContainsHeader", "PRESENT");
        glue.call("CreateClassifier", csv);
        ObjectNode connection = GlueApiClient.object();
        connection.putObject("ConnectionInput").put("Name", "shop").put("ConnectionType", "JDBC").putObject("ConnectionProperties")
                .put("JDBC_CONNECTION_URL", jdbcUrl).put("USERNAME", database).put("PASSWORD", "parity-secret");
        glue.call("CreateConnection", connection);
        ObjectNode crawler = GlueApiClient.object().put("Name", "lake").put("Role", "r").put("DatabaseName", "lake");
        crawler.putArray("Classifiers").add("applog").add("names");
        ObjectNode targets = crawler.putObject("Targets");
        targets.putArray("S3Targets").addObject().put("Path", lake.toString());
        targets.putArray("JdbcTargets").addObject().put("ConnectionName", "shop").put("Path", database + "/%");
        crawler.putObject("SchemaChangePolicy").put("UpdateBehavior", "LOG").put("DeleteBehavior", "LOG");
        crawler.putObject("RecrawlPolicy").put("RecrawlBehavior", "CRAWL_NEW_FOLDERS_ONLY");
        glue.call("CreateCrawler", crawler);
    }

    private static JsonNode run(GlueApiClient glue, int count) throws Exception {
        glue.call("StartCrawler", GlueApiClient.object().put("Name", "lake"));
        return Await.until("run " + count + " of lake to end", Duration.ofMinutes(2), () -> {
            JsonNode runs = glue.call("ListCrawls", GlueApiClient.object().put("CrawlerName", "lake")).path("Crawls");
            return runs.size() == count && !runs.get(0).path("State").asText().equals("RUNNING") ? Optional.of(runs.get(0)) : Optional.empty();
        });
    }

    /** The database's tables without what differs between any two catalogs. */
    private static JsonNode tables(GlueApiClient glue) throws Exception {
        ArrayNode tables = (ArrayNode) glue.call("GetTables", GlueApiClient.object().put("DatabaseName", "lake")).path("TableList");
        tables.forEach(CrawlWorkerParityTest::strip);
        return tables;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            VOLATILE.forEach(object::remove);
            for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
                strip(it.next());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(CrawlWorkerParityTest::strip);
        }
    }

    private static JsonNode log(TestServer server, JsonNode run) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server.httpPort()
                + "/crawlers/lake/runs/" + run.path("CrawlId").asText() + "/log?format=json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).path("Entries");
    }

    private static JsonNode summary(JsonNode run) throws Exception {
        return JSON.readTree(run.path("Summary").asText());
    }

    @Test
    void theServersWorkersAndAWorkerProcessCrawlAlike(@TempDir Path lake, @TempDir Path dir) throws Exception {
        String database = "mortar_parity_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (var c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/", "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            s.execute("CREATE TABLE " + database + ".orders (id BIGINT PRIMARY KEY, total DECIMAL(12,2), placed DATETIME, status VARCHAR(20))");
            s.execute("CREATE USER '" + database + "'@'%' IDENTIFIED BY 'parity-secret'");
            s.execute("GRANT SELECT ON " + database + ".* TO '" + database + "'@'%'");
        }
        write(lake.resolve("applog/day=1/app.log"), "2024-05-01T10:00:00Z INFO ORD-0001 qty=3\n2024-05-01T10:00:01Z WARN ORD-0002 qty=12\n");
        write(lake.resolve("applog/day=2/app.log"), "2024-05-02T09:00:00Z ERROR ORD-0003 qty=1\n");
        write(lake.resolve("names/a.csv"), "first;last\nann;smith\nbob;doe\n");
        write(lake.resolve("events/e.json"), "{\"id\": 1, \"kind\": \"click\"}\n{\"id\": 2, \"kind\": \"view\"}\n");
        List<Process> workers = new ArrayList<>();
        try (TestServer inServer = TestServer.start(dir.resolve("in-server"), Map.of());
             TestServer external = TestServer.start(dir.resolve("external"), Map.of("mortar.crawler.workers", "external", "mortar.worker.port", "0"))) {
            String jdbcUrl = "jdbc:mysql://127.0.0.1:3306/" + database;
            GlueApiClient a = glue(inServer);
            GlueApiClient b = glue(external);
            define(a, lake, database, jdbcUrl);
            define(b, lake, database, jdbcUrl);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            workers.add(new ProcessBuilder(java.toString(), "-Xmx192m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    MortarCli.class.getName(), "worker", "--server", "127.0.0.1:" + external.server.workerPort(), "--id", "parity", "--poll-ms", "100")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("worker.log").toFile()).start());

            JsonNode firstA = run(a, 1);
            JsonNode firstB = run(b, 1);
            assertThat(firstA.path("State").asText()).as(firstA.toString()).isEqualTo("COMPLETED");
            assertThat(firstB.path("State").asText()).as(Files.readString(dir.resolve("worker.log"))).isEqualTo("COMPLETED");
            JsonNode tables = tables(a);
            assertThat(tables).extracting(t -> t.path("Name").asText()).containsExactly("applog", "events", database + "_orders", "names");
            assertThat(tables(b)).isEqualTo(tables);
            assertThat(log(external, firstB)).isEqualTo(log(inServer, firstA));
            assertThat(summary(firstB)).isEqualTo(summary(firstA));
            assertThat(tables.get(0).path("Parameters").path("classification").asText()).isEqualTo("app-log");
            assertThat(tables.get(3).path("StorageDescriptor").path("Columns")).extracting(col -> col.path("Name").asText()).containsExactly("first", "last");

            // a recrawl reads only the new folders: a new partition of a known table, and a new table
            write(lake.resolve("applog/day=3/app.log"), "2024-05-03T08:00:00Z INFO ORD-0004 qty=7\n");
            write(lake.resolve("visits/v.csv"), "id,page\n1,home\n");
            JsonNode secondA = run(a, 2);
            JsonNode secondB = run(b, 2);
            assertThat(secondA.path("State").asText()).isEqualTo("COMPLETED");
            assertThat(secondB.path("State").asText()).isEqualTo("COMPLETED");
            JsonNode logA = log(inServer, secondA);
            assertThat(log(external, secondB)).isEqualTo(logA);
            assertThat(logA.toString()).contains("folder seen by the last run: not listed (CRAWL_NEW_FOLDERS_ONLY)").contains("new folder below the known table applog");
            assertThat(summary(secondB)).isEqualTo(summary(secondA));
            assertThat(summary(secondA).at("/FILE/READ/Count").asInt()).isEqualTo(2);
            assertThat(tables(b)).isEqualTo(tables(a));
            assertThat(a.call("GetPartitions", GlueApiClient.object().put("DatabaseName", "lake").put("TableName", "applog")).path("Partitions")).hasSize(3);
        } finally {
            for (Process p : workers) {
                p.destroyForcibly().waitFor();
            }
            try (var c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/", "root", ""); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database);
                s.execute("DROP USER IF EXISTS '" + database + "'@'%'");
            }
        }
    }
}
