package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BatchDeleteConnectionResponse;
import software.amazon.awssdk.services.glue.model.Connection;
import software.amazon.awssdk.services.glue.model.ConnectionInput;
import software.amazon.awssdk.services.glue.model.ConnectionPropertyKey;
import software.amazon.awssdk.services.glue.model.ConnectionType;
import software.amazon.awssdk.services.glue.model.GetConnectionsResponse;
import software.amazon.awssdk.services.glue.model.PhysicalConnectionRequirements;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections through the AWS SDK's Glue client (CreateConnection, GetConnection, GetConnections, UpdateConnection,
 * DeleteConnection, BatchDeleteConnection) on every supported store (the V7 migration): shapes, filters, paging,
 * hidden passwords, tags and the service's errors, which change nothing.
 */
class GlueConnectionApiTest {
    /** A connection's ARN as clients build it (Terraform without an account id leaves it empty). */
    static final String TAG_ARN = "arn:aws:glue:us-east-1::connection/";

    static ConnectionInput jdbc(String name, String url) {
        return ConnectionInput.builder().name(name).connectionType(ConnectionType.JDBC).description("the " + name + " database")
                .matchCriteria("sales", "prod")
                .connectionPropertiesWithStrings(Map.of("JDBC_CONNECTION_URL", url, "USERNAME", "reader", "PASSWORD", "s3cret"))
                .physicalConnectionRequirements(PhysicalConnectionRequirements.builder().availabilityZone("local").build())
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void connectionsAreCreatedReadUpdatedAndDeleted(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-connections-" + kind);
        Map<String, String> store = TestStores.fresh(kind, dir);
        try {
            connectionsOn(store, dir);
        } finally {
            dropStore(store);
        }
    }

    /** Drops the MariaDB or PostgreSQL database a fresh store was made in. */
    private static void dropStore(Map<String, String> store) throws Exception {
        String url = store.get("mortar.store.url");
        String name = url.substring(url.lastIndexOf('/') + 1);
        if (url.startsWith("jdbc:mysql:")) {
            try (var c = java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/", "root", ""); var s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name);
            }
        } else if (url.startsWith("jdbc:postgresql:")) {
            try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", ""); var s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name);
            }
        }
    }

    private static void connectionsOn(Map<String, String> store, Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir, store); GlueClient glue = GlueClients.client(server)) {
            Instant before = Instant.now().minusSeconds(2);
            assertThat(glue.createConnection(r -> r.connectionInput(jdbc("orders-db", "jdbc:mysql://127.0.0.1:3306/orders")).tags(Map.of("team", "a")))
                    .createConnectionStatusAsString()).isEqualTo("READY");
            glue.createConnection(r -> r.connectionInput(jdbc("users-db", "jdbc:postgresql://127.0.0.1:5432/users")));
            glue.createConnection(r -> r.connectionInput(ConnectionInput.builder().name("net").connectionType(ConnectionType.NETWORK)
                    .connectionProperties(Map.of()).build()));

            Connection orders = glue.getConnection(r -> r.name("orders-db")).connection();
            assertThat(orders.name()).isEqualTo("orders-db");
            assertThat(orders.description()).isEqualTo("the orders-db database");
            assertThat(orders.connectionType()).isEqualTo(ConnectionType.JDBC);
            assertThat(orders.matchCriteria()).containsExactly("sales", "prod");
            assertThat(orders.connectionProperties()).isEqualTo(Map.of(ConnectionPropertyKey.JDBC_CONNECTION_URL, "jdbc:mysql://127.0.0.1:3306/orders",
                    ConnectionPropertyKey.USERNAME, "reader", ConnectionPropertyKey.PASSWORD, "s3cret"));
            assertThat(orders.physicalConnectionRequirements().availabilityZone()).isEqualTo("local");
            assertThat(orders.creationTime()).isBetween(before, Instant.now().plusSeconds(2));
            assertThat(orders.lastUpdatedTime()).isEqualTo(orders.creationTime());
            assertThat(orders.statusAsString()).isEqualTo("READY");
            assertThat(glue.getConnection(r -> r.name("orders-db").hidePassword(true)).connection().connectionPropertiesAsStrings())
                    .isEqualTo(Map.of("JDBC_CONNECTION_URL", "jdbc:mysql://127.0.0.1:3306/orders", "USERNAME", "reader"));

            assertThat(glue.getConnections(r -> r.hidePassword(true)).connectionList()).extracting(Connection::name).containsExactly("net", "orders-db", "users-db");
            assertThat(glue.getConnections(r -> r.filter(f -> f.connectionType(ConnectionType.JDBC))).connectionList())
                    .extracting(Connection::name).containsExactly("orders-db", "users-db");
            assertThat(glue.getConnections(r -> r.filter(f -> f.matchCriteria("prod"))).connectionList())
                    .extracting(Connection::name).containsExactly("orders-db", "users-db");
            assertThat(glue.getConnections(r -> r.filter(f -> f.matchCriteria("prod", "other"))).connectionList()).isEmpty();
            GetConnectionsResponse page = glue.getConnections(r -> r.maxResults(2));
            assertThat(page.connectionList()).extracting(Connection::name).containsExactly("net", "orders-db");
            assertThat(glue.getConnections(r -> r.maxResults(2).nextToken(page.nextToken())).connectionList()).extracting(Connection::name).containsExactly("users-db");
            assertThat(glue.getConnectionsPaginator(r -> r.maxResults(1)).stream().flatMap(p -> p.connectionList().stream()).map(Connection::name).toList())
                    .containsExactly("net", "orders-db", "users-db");

            // Errors change nothing
            assertGlueError(() -> glue.createConnection(r -> r.connectionInput(jdbc("orders-db", "jdbc:mysql://elsewhere/x"))), "AlreadyExistsException");
            assertGlueError(() -> glue.getConnection(r -> r.name("nope")), "EntityNotFoundException");
            assertGlueError(() -> glue.deleteConnection(r -> r.connectionName("nope")), "EntityNotFoundException");
            assertGlueError(() -> glue.updateConnection(r -> r.name("nope").connectionInput(jdbc("nope", "jdbc:mysql://h/x"))), "EntityNotFoundException");
            assertGlueError(() -> glue.createConnection(r -> r.connectionInput(ConnectionInput.builder().name("nourl").connectionType(ConnectionType.JDBC)
                    .connectionPropertiesWithStrings(Map.of("USERNAME", "u", "PASSWORD", "p")).build())), "InvalidInputException");
            assertGlueError(() -> glue.createConnection(r -> r.connectionInput(ConnectionInput.builder().name("badurl").connectionType(ConnectionType.JDBC)
                    .connectionPropertiesWithStrings(Map.of("JDBC_CONNECTION_URL", "mysql://h/x", "USERNAME", "u", "PASSWORD", "p")).build())), "InvalidInputException");
            assertGlueError(() -> glue.createConnection(r -> r.connectionInput(ConnectionInput.builder().name("nologin").connectionType(ConnectionType.JDBC)
                    .connectionPropertiesWithStrings(Map.of("JDBC_CONNECTION_URL", "jdbc:mysql://h/x")).build())), "InvalidInputException");
            assertGlueError(() -> glue.createConnection(r -> r.connectionInput(ConnectionInput.builder().name("badkey").connectionType(ConnectionType.JDBC)
                    .connectionPropertiesWithStrings(Map.of("JDBC_CONNECTION_URL", "jdbc:mysql://h/x", "USER", "u")).build())), "ValidationException");
            assertGlueError(() -> glue.createConnection(r -> r.connectionInput(ConnectionInput.builder().name("notype")
                    .connectionPropertiesWithStrings(Map.of("JDBC_CONNECTION_URL", "jdbc:mysql://h/x")).build())), "ValidationException");
            assertThat(glue.getConnections(r -> r.hidePassword(true)).connectionList()).extracting(Connection::name).containsExactly("net", "orders-db", "users-db");
            assertThat(glue.getConnection(r -> r.name("orders-db")).connection().connectionPropertiesAsStrings())
                    .containsEntry("JDBC_CONNECTION_URL", "jdbc:mysql://127.0.0.1:3306/orders");

            // Update replaces the definition; a new name renames
            glue.updateConnection(r -> r.name("orders-db").connectionInput(ConnectionInput.builder().name("orders-db").connectionType(ConnectionType.JDBC)
                    .connectionPropertiesWithStrings(Map.of("JDBC_CONNECTION_URL", "jdbc:mysql://127.0.0.1:3306/orders2", "USERNAME", "writer", "PASSWORD", "x")).build()));
            Connection changed = glue.getConnection(r -> r.name("orders-db")).connection();
            assertThat(changed.connectionPropertiesAsStrings()).containsEntry("JDBC_CONNECTION_URL", "jdbc:mysql://127.0.0.1:3306/orders2").containsEntry("USERNAME", "writer");
            assertThat(changed.description()).isNull();
            assertThat(changed.matchCriteria()).isEmpty();
            assertThat(changed.creationTime()).isEqualTo(orders.creationTime());
            assertThat(changed.lastUpdatedTime()).isAfterOrEqualTo(orders.lastUpdatedTime());
            assertGlueError(() -> glue.updateConnection(r -> r.name("orders-db").connectionInput(jdbc("users-db", "jdbc:mysql://h/x"))), "AlreadyExistsException");
            // Tags given at creation are kept; a renamed connection keeps its tags
            assertThat(glue.getTags(r -> r.resourceArn(TAG_ARN + "orders-db")).tags()).isEqualTo(Map.of("team", "a"));
            glue.tagResource(r -> r.resourceArn(TAG_ARN + "users-db").tagsToAdd(Map.of("tier", "gold", "owner", "bi")));
            glue.untagResource(r -> r.resourceArn(TAG_ARN + "users-db").tagsToRemove("owner"));
            glue.updateConnection(r -> r.name("users-db").connectionInput(jdbc("people-db", "jdbc:postgresql://127.0.0.1:5432/users")));
            assertGlueError(() -> glue.getConnection(r -> r.name("users-db")), "EntityNotFoundException");
            assertThat(glue.getConnection(r -> r.name("people-db")).connection().connectionType()).isEqualTo(ConnectionType.JDBC);
            assertThat(glue.getTags(r -> r.resourceArn(TAG_ARN + "people-db")).tags()).isEqualTo(Map.of("tier", "gold"));
            assertGlueError(() -> glue.getTags(r -> r.resourceArn(TAG_ARN + "users-db")), "EntityNotFoundException");
            assertGlueError(() -> glue.createConnection(r -> r.connectionInput(jdbc("tagged-badly", "jdbc:mysql://h/x")).tags(Map.of("aws:owner", "x"))),
                    "InvalidInputException");
            assertGlueError(() -> glue.getConnection(r -> r.name("tagged-badly")), "EntityNotFoundException");

            glue.deleteConnection(r -> r.connectionName("net"));
            assertGlueError(() -> glue.getConnection(r -> r.name("net")), "EntityNotFoundException");
            BatchDeleteConnectionResponse batch = glue.batchDeleteConnection(r -> r.connectionNameList("orders-db", "missing", "people-db"));
            assertThat(batch.succeeded()).containsExactly("orders-db", "people-db");
            assertThat(batch.errors()).containsOnlyKeys("missing");
            assertThat(batch.errors().get("missing").errorCode()).isEqualTo("EntityNotFoundException");
            assertThat(glue.getConnections(r -> r.maxResults(10)).connectionList()).isEmpty();
            // deleted connections took their tags with them
            glue.createConnection(r -> r.connectionInput(jdbc("people-db", "jdbc:postgresql://127.0.0.1:5432/users")));
            assertThat(glue.getTags(r -> r.resourceArn(TAG_ARN + "people-db")).tags()).isEmpty();
            glue.deleteConnection(r -> r.connectionName("people-db"));
            server.deleteData();
        }
    }
}
