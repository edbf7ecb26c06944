package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.ConnectionInput;
import software.amazon.awssdk.services.glue.model.ConnectionType;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerHistoryState;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.JdbcTarget;
import software.amazon.awssdk.services.glue.model.Table;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crawlers with {@code JdbcTargets} through the Glue API: connections to the machine's MariaDB and PostgreSQL,
 * a database and a schema made for the test, and the tables, columns, parameters and run records the crawl writes.
 */
class GlueCrawlerJdbcTest {
    static final String NAME = "mortar_gluejdbc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static TestServer server;
    static GlueClient glue;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        try (var c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/", "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + NAME);
            s.execute("CREATE TABLE " + NAME + ".orders (id BIGINT PRIMARY KEY, total DECIMAL(12,2), placed DATETIME, status VARCHAR(20), paid BOOLEAN)");
            s.execute("CREATE TABLE " + NAME + ".audit_log (id INT, line TEXT)");
            // the crawler logs in as a reader of that database only, with a password
            s.execute("CREATE USER '" + NAME + "'@'%' IDENTIFIED BY 'reader-secret'");
            s.execute("GRANT SELECT ON " + NAME + ".* TO '" + NAME + "'@'%'");
        }
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + NAME);
            s.execute("CREATE TABLE " + NAME + ".customers (id integer, email text, born date, score double precision, tags text[])");
        }
        server = TestServer.start();
        glue = GlueClients.client(server);
    }

    @AfterAll
    static void stop() throws Exception {
        glue.close();
        server.close();
        server.deleteData();
        try (var c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/", "root", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + NAME);
            s.execute("DROP USER IF EXISTS '" + NAME + "'@'%'");
        }
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + NAME + " CASCADE");
        }
    }

    private static List<String> columns(List<Column> columns) {
        return columns.stream().map(c -> c.name() + " " + c.type()).toList();
    }

    private static void connection(String name, String url, String user, String password) {
        glue.createConnection(r -> r.connectionInput(ConnectionInput.builder().name(name).connectionType(ConnectionType.JDBC)
                .connectionPropertiesWithStrings(Map.of("JDBC_CONNECTION_URL", url, "USERNAME", user, "PASSWORD", password)).build()));
    }

    @Test
    void jdbcTargetsBecomeOneTablePerSourceTable() throws Exception {
        connection("maria", "jdbc:mysql://127.0.0.1:3306/" + NAME, NAME, "reader-secret");
        // the machine's PostgreSQL trusts local logins, so any password is accepted
        connection("pg", "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "unused");
        connection("maria-wrong-password", "jdbc:mysql://127.0.0.1:3306/" + NAME, NAME, "not-the-password");
        glue.createCrawler(r -> r.name("databases").role("arn:aws:iam::123456789012:role/glue").databaseName("sources").tablePrefix("src_")
                .targets(CrawlerTargets.builder().jdbcTargets(
                        JdbcTarget.builder().connectionName("maria").path(NAME + "/%").exclusions("**/audit_*").build(),
                        JdbcTarget.builder().connectionName("pg").path("postgres/" + NAME + "/%").build(),
                        JdbcTarget.builder().connectionName("no-such-connection").path("db/%").build(),
                        JdbcTarget.builder().connectionName("maria-wrong-password").path(NAME + "/%").build()).build()));
        glue.startCrawler(r -> r.name("databases"));
        List<CrawlerHistory> runs = GlueCrawlerDatasets.awaitRuns(glue, "databases", 1);

        CrawlerHistory run = runs.get(0);
        assertThat(run.state()).isEqualTo(CrawlerHistoryState.COMPLETED);
        JsonNode summary = JSON.readTree(run.summary());
        assertThat(summary.at("/TABLE/ADD/Count").asInt()).isEqualTo(2);
        assertThat(summary.get("Errors")).hasSize(2);
        assertThat(summary.at("/Errors/0/Path").asText()).isEqualTo("no-such-connection:db/%");
        assertThat(summary.at("/Errors/0/Message").asText()).isEqualTo("Connection not found: no-such-connection");
        assertThat(summary.at("/Errors/1/Path").asText()).isEqualTo("maria-wrong-password:" + NAME + "/%");
        assertThat(summary.at("/Errors/1/Message").asText()).startsWith("Cannot read through connection maria-wrong-password: ").contains("Access denied");

        String orders = "src_" + NAME + "_orders";
        String customers = "src_postgres_" + NAME + "_customers";
        assertThat(glue.getTables(r -> r.databaseName("sources")).tableList()).extracting(Table::name).containsExactlyInAnyOrder(orders, customers);
        Table o = glue.getTable(r -> r.databaseName("sources").name(orders)).table();
        assertThat(o.tableType()).isEqualTo("EXTERNAL_TABLE");
        assertThat(columns(o.storageDescriptor().columns())).containsExactly("id bigint", "total decimal(12,2)", "placed timestamp", "status string", "paid boolean");
        assertThat(o.storageDescriptor().location()).isEqualTo(NAME + ".orders");
        assertThat(o.partitionKeys()).isEmpty();
        assertThat(o.parameters()).containsEntry("classification", "mysql").containsEntry("connectionName", "maria")
                .containsEntry("typeOfData", "table").containsEntry("compressionType", "none");
        Table c = glue.getTable(r -> r.databaseName("sources").name(customers)).table();
        assertThat(columns(c.storageDescriptor().columns())).containsExactly("id int", "email string", "born date", "score double", "tags array<string>");
        assertThat(c.storageDescriptor().location()).isEqualTo("postgres." + NAME + ".customers");
        assertThat(c.parameters()).containsEntry("classification", "postgresql").containsEntry("connectionName", "pg").containsEntry("typeOfData", "table");

        // Through the Hive Metastore API too: the location is the source table's name, and no directory was made for it
        try (var hms = server.client()) {
            assertThat(hms.getTable("sources", orders).getSd().getLocation()).isEqualTo(NAME + ".orders");
        }
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of(NAME + ".orders"))).isFalse();

        // A changed source table is updated by the next run
        try (var conn = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/", "root", ""); Statement s = conn.createStatement()) {
            s.execute("ALTER TABLE " + NAME + ".orders ADD COLUMN note VARCHAR(200)");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        glue.startCrawler(r -> r.name("databases"));
        JsonNode second = JSON.readTree(GlueCrawlerDatasets.awaitRuns(glue, "databases", 2).get(0).summary());
        assertThat(second.at("/TABLE/ADD/Count").asInt()).isZero();
        assertThat(second.get("TablesUpdated")).hasSize(1);
        assertThat(second.at("/TablesUpdated/0").asText()).isEqualTo(orders);
        assertThat(columns(glue.getTable(r -> r.databaseName("sources").name(orders)).table().storageDescriptor().columns()))
                .containsExactly("id bigint", "total decimal(12,2)", "placed timestamp", "status string", "paid boolean", "note string");

        // A table the catalog refuses (its name would pass 128 characters) is an error of that table; the others are written
        String prefix = "p".repeat(100);
        glue.createCrawler(r -> r.name("long-names").role("arn:aws:iam::123456789012:role/glue").databaseName("longnames").tablePrefix(prefix)
                .targets(CrawlerTargets.builder().jdbcTargets(JdbcTarget.builder().connectionName("maria").path(NAME + "/%").build()).build()));
        glue.startCrawler(r -> r.name("long-names"));
        CrawlerHistory refused = GlueCrawlerDatasets.awaitRuns(glue, "long-names", 1).get(0);
        assertThat(refused.state()).isEqualTo(CrawlerHistoryState.COMPLETED);
        JsonNode refusedSummary = JSON.readTree(refused.summary());
        assertThat(refusedSummary.get("Errors")).hasSize(2);
        assertThat(refusedSummary.at("/Errors/0/Message").asText()).startsWith("Cannot write table: ");
        assertThat(glue.getTables(r -> r.databaseName("longnames")).tableList()).isEmpty();
    }
}
