package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * CreateConnection, GetConnection, GetConnections, UpdateConnection, DeleteConnection, BatchDeleteConnection.
 * Connections are kept in {@code g_connections} ({@code V7__connections.sql}) as their {@code ConnectionInput};
 * crawlers' {@code JdbcTargets} read through the {@code JDBC} ones ({@code JDBC_CONNECTION_URL}, {@code USERNAME},
 * {@code PASSWORD}). Passwords are stored as given, like the service's without connection password encryption.
 */
final class ConnectionOperations {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionOperations.class);

    /** The model's {@code ConnectionType} values. */
    static final List<String> CONNECTION_TYPES = List.of("JDBC", "SFTP", "MONGODB", "KAFKA", "NETWORK", "MARKETPLACE", "CUSTOM", "SALESFORCE",
            "VIEW_VALIDATION_REDSHIFT", "VIEW_VALIDATION_ATHENA", "GOOGLEADS", "GOOGLESHEETS", "GOOGLEANALYTICS4", "SERVICENOW", "MARKETO",
            "SAPODATA", "ZENDESK", "JIRACLOUD", "NETSUITEERP", "HUBSPOT", "FACEBOOKADS", "INSTAGRAMADS", "ZOHOCRM", "SALESFORCEPARDOT",
            "SALESFORCEMARKETINGCLOUD", "ADOBEANALYTICS", "SLACK", "LINKEDIN", "MIXPANEL", "ASANA", "STRIPE", "SMARTSHEET", "DATADOG",
            "WOOCOMMERCE", "INTERCOM", "SNAPCHATADS", "PAYPAL", "QUICKBOOKS", "FACEBOOKPAGEINSIGHTS", "FRESHDESK", "TWILIO", "DOCUSIGNMONITOR",
            "FRESHSALES", "ZOOM", "GOOGLESEARCHCONSOLE", "SALESFORCECOMMERCECLOUD", "SAPCONCUR", "DYNATRACE", "MICROSOFTDYNAMIC365FINANCEANDOPS",
            "MICROSOFTTEAMS", "BLACKBAUDRAISEREDGENXT", "MAILCHIMP", "GITLAB", "PENDO", "PRODUCTBOARD", "CIRCLECI", "PIPEDIVE", "SENDGRID",
            "AZURECOSMOS", "AZURESQL", "BIGQUERY", "BLACKBAUD", "CLOUDERAHIVE", "CLOUDERAIMPALA", "CLOUDWATCH", "CLOUDWATCHMETRICS", "CMDB",
            "DATALAKEGEN2", "DB2", "DB2AS400", "DOCUMENTDB", "DOMO", "DYNAMODB", "GOOGLECLOUDSTORAGE", "HBASE", "KUSTOMER",
            "MICROSOFTDYNAMICS365CRM", "MONDAY", "MYSQL", "OKTA", "OPENSEARCH", "ORACLE", "PIPEDRIVE", "POSTGRESQL", "SAPHANA", "SQLSERVER",
            "SYNAPSE", "TERADATA", "TERADATANOS", "TIMESTREAM", "TPCDS", "VERTICA");

    /** The model's {@code ConnectionPropertyKey} values. */
    static final List<String> PROPERTY_KEYS = List.of("HOST", "PORT", "USERNAME", "PASSWORD", "ENCRYPTED_PASSWORD", "JDBC_DRIVER_JAR_URI",
            "JDBC_DRIVER_CLASS_NAME", "JDBC_ENGINE", "JDBC_ENGINE_VERSION", "CONFIG_FILES", "INSTANCE_ID", "JDBC_CONNECTION_URL",
            "JDBC_ENFORCE_SSL", "CUSTOM_JDBC_CERT", "SKIP_CUSTOM_JDBC_CERT_VALIDATION", "CUSTOM_JDBC_CERT_STRING", "CONNECTION_URL",
            "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SSL_ENABLED", "KAFKA_CUSTOM_CERT", "KAFKA_SKIP_CUSTOM_CERT_VALIDATION", "KAFKA_CLIENT_KEYSTORE",
            "KAFKA_CLIENT_KEYSTORE_PASSWORD", "KAFKA_CLIENT_KEY_PASSWORD", "ENCRYPTED_KAFKA_CLIENT_KEYSTORE_PASSWORD",
            "ENCRYPTED_KAFKA_CLIENT_KEY_PASSWORD", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_PLAIN_USERNAME", "KAFKA_SASL_PLAIN_PASSWORD",
            "ENCRYPTED_KAFKA_SASL_PLAIN_PASSWORD", "KAFKA_SASL_SCRAM_USERNAME", "KAFKA_SASL_SCRAM_PASSWORD", "KAFKA_SASL_SCRAM_SECRETS_ARN",
            "ENCRYPTED_KAFKA_SASL_SCRAM_PASSWORD", "KAFKA_SASL_GSSAPI_KEYTAB", "KAFKA_SASL_GSSAPI_KRB5_CONF", "KAFKA_SASL_GSSAPI_SERVICE",
            "KAFKA_SASL_GSSAPI_PRINCIPAL", "SECRET_ID", "CONNECTOR_URL", "CONNECTOR_TYPE", "CONNECTOR_CLASS_NAME", "ENDPOINT", "ENDPOINT_TYPE",
            "ROLE_ARN", "REGION", "WORKGROUP_NAME", "CLUSTER_IDENTIFIER", "DATABASE");

    /** ConnectionInput members kept and returned as given (beyond the name, type and properties). */
    private static final List<String> KEPT = List.of("Description", "MatchCriteria", "SparkProperties", "AthenaProperties", "PythonProperties",
            "PhysicalConnectionRequirements", "AuthenticationConfiguration");

    private final GlueContext ctx;

    ConnectionOperations(GlueContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, GlueOperation> ops) {
        ops.put("CreateConnection", this::createConnection);
        ops.put("GetConnection", this::getConnection);
        ops.put("GetConnections", this::getConnections);
        ops.put("UpdateConnection", this::updateConnection);
        ops.put("DeleteConnection", this::deleteConnection);
        ops.put("BatchDeleteConnection", this::batchDeleteConnection);
    }

    private record Input(String name, String type, ObjectNode definition) {}

    private record Row(String name, String type, ObjectNode definition, long createdAt, long updatedAt) {}

    /** A {@code ConnectionInput}, checked: the name, the type and the properties the type needs. */
    private static Input input(GlueRequest in) {
        String name = in.requiredName("Name");
        if (name.contains("\n") || name.contains("\r")) {
            throw GlueException.invalidInput("Connection name must be on one line: " + name);
        }
        in.string("Description", 0, 2048);
        in.strings("MatchCriteria", 0, 10, 1, GlueRequest.NAME_MAX);
        String type = in.enumValue("ConnectionType", CONNECTION_TYPES).orElseThrow(() ->
                GlueException.validation("Value null at 'connectionInput.connectionType' failed to satisfy constraint: Member must not be null"));
        if (!in.has("ConnectionProperties")) {
            throw GlueException.validation("Value null at 'connectionInput.connectionProperties' failed to satisfy constraint: Member must not be null");
        }
        Map<String, String> properties = in.stringMap("ConnectionProperties", 1, Integer.MAX_VALUE, 1, 1024).orElseThrow();
        if (properties.size() > 100) {
            throw GlueException.validation("Value at 'connectionInput.connectionProperties' failed to satisfy constraint: Member must have length less than or equal to 100");
        }
        for (String key : properties.keySet()) {
            if (!PROPERTY_KEYS.contains(key)) {
                throw GlueException.validation("Value '" + key + "' at 'connectionInput.connectionProperties' failed to satisfy constraint: "
                        + "Map keys must satisfy constraint: [Member must satisfy enum value set: " + PROPERTY_KEYS + "]");
            }
        }
        in.object("PhysicalConnectionRequirements");
        if (type.equals("JDBC")) {
            boolean url = properties.containsKey("JDBC_CONNECTION_URL");
            boolean parts = properties.containsKey("HOST") && properties.containsKey("PORT") && properties.containsKey("JDBC_ENGINE");
            if (!url && !parts) {
                throw GlueException.invalidInput("Connection " + name + " of type JDBC needs JDBC_CONNECTION_URL (or HOST, PORT and JDBC_ENGINE)");
            }
            if (url && !properties.get("JDBC_CONNECTION_URL").startsWith("jdbc:")) {
                throw GlueException.invalidInput("JDBC_CONNECTION_URL of connection " + name + " must start with jdbc:, not " + properties.get("JDBC_CONNECTION_URL"));
            }
            boolean login = properties.containsKey("USERNAME") && properties.containsKey("PASSWORD");
            if (!login && !properties.containsKey("SECRET_ID")) {
                throw GlueException.invalidInput("Connection " + name + " of type JDBC needs USERNAME and PASSWORD (or SECRET_ID)");
            }
        }
        ObjectNode definition = HiveShapes.JSON.createObjectNode();
        ObjectNode props = definition.putObject("ConnectionProperties");
        properties.forEach(props::put);
        for (String member : KEPT) {
            JsonNode value = in.json().get(member);
            if (value != null && !value.isNull()) {
                definition.set(member, value);
            }
        }
        return new Input(name, type, definition);
    }

    private ObjectNode createConnection(GlueRequest request) {
        GlueContext.catalogId(request);
        Input input = input(request.requiredObject("ConnectionInput"));
        request.stringMap("Tags", 1, 128, 0, 256);
        long now = System.currentTimeMillis();
        ctx.tx(c -> {
            if (row(c, input.name(), true).isPresent()) {
                throw GlueException.alreadyExists("Connection already exists: " + input.name());
            }
            update(c, "INSERT INTO g_connections (connection_name, connection_type, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    input.name(), input.type(), input.definition().toString(), now, now);
            return null;
        });
        LOG.info("Glue: created connection {} ({})", input.name(), input.type());
        return HiveShapes.JSON.createObjectNode().put("CreateConnectionStatus", "READY");
    }

    private ObjectNode getConnection(GlueRequest request) {
        GlueContext.catalogId(request);
        String name = request.requiredName("Name");
        boolean hidePassword = request.bool("HidePassword").orElse(false);
        return ctx.tx(c -> {
            Row row = require(c, name, false);
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            out.set("Connection", json(row, hidePassword));
            return out;
        });
    }

    private ObjectNode getConnections(GlueRequest request) {
        GlueContext.catalogId(request);
        boolean hidePassword = request.bool("HidePassword").orElse(false);
        int max = request.integer("MaxResults", 1, 1000).orElse(100);
        Optional<GlueRequest> filter = request.object("Filter");
        Optional<String> type = filter.flatMap(f -> f.enumValue("ConnectionType", CONNECTION_TYPES));
        List<String> criteria = filter.flatMap(f -> f.strings("MatchCriteria", 0, 10, 1, GlueRequest.NAME_MAX)).orElse(List.of());
        filter.ifPresent(f -> f.integer("ConnectionSchemaVersion", 1, 2));
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetConnections");
        String after = token.map(t -> t.after().get(0)).orElse("");
        return ctx.tx(c -> {
            List<Row> rows = query(c, "SELECT connection_name, connection_type, definition, created_at, updated_at FROM g_connections "
                    + "WHERE connection_name > ? ORDER BY connection_name", ConnectionOperations::read, after);
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            ArrayNode list = out.putArray("ConnectionList");
            String last = null;
            for (Row row : rows) {
                if (type.isPresent() && !type.get().equals(row.type()) || !matches(row, criteria)) {
                    continue;
                }
                if (list.size() == max) {
                    out.put("NextToken", new PageToken("GetConnections", List.of(last)).encode());
                    break;
                }
                list.add(json(row, hidePassword));
                last = row.name();
            }
            return out;
        });
    }

    private static boolean matches(Row row, List<String> criteria) {
        List<String> have = new ArrayList<>();
        row.definition().path("MatchCriteria").forEach(n -> have.add(n.asText()));
        return have.containsAll(criteria);
    }

    private ObjectNode updateConnection(GlueRequest request) {
        GlueContext.catalogId(request);
        String name = request.requiredName("Name");
        Input input = input(request.requiredObject("ConnectionInput"));
        ctx.tx(c -> {
            Row current = require(c, name, true);
            if (!input.name().equals(name) && row(c, input.name(), true).isPresent()) {
                throw GlueException.alreadyExists("Connection already exists: " + input.name());
            }
            update(c, "UPDATE g_connections SET connection_name = ?, connection_type = ?, definition = ?, updated_at = ? WHERE connection_name = ?",
                    input.name(), input.type(), input.definition().toString(), Math.max(System.currentTimeMillis(), current.createdAt()), name);
            return null;
        });
        LOG.info("Glue: updated connection {}{}", name, input.name().equals(name) ? "" : " (now " + input.name() + ")");
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode deleteConnection(GlueRequest request) {
        GlueContext.catalogId(request);
        String name = request.requiredName("ConnectionName");
        ctx.tx(c -> {
            require(c, name, true);
            update(c, "DELETE FROM g_connections WHERE connection_name = ?", name);
            return null;
        });
        LOG.info("Glue: deleted connection {}", name);
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode batchDeleteConnection(GlueRequest request) {
        GlueContext.catalogId(request);
        List<String> names = request.requiredStrings("ConnectionNameList", 0, 25, 1, GlueRequest.NAME_MAX);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode succeeded = out.putArray("Succeeded");
        ObjectNode errors = out.putObject("Errors");
        ctx.tx(c -> {
            for (String name : names) {
                if (update(c, "DELETE FROM g_connections WHERE connection_name = ?", name) == 1) {
                    succeeded.add(name);
                } else {
                    errors.putObject(name).put("ErrorCode", "EntityNotFoundException").put("ErrorMessage", "Connection not found: " + name);
                }
            }
            return null;
        });
        LOG.info("Glue: deleted connections {}", succeeded);
        return out;
    }

    private static Row read(java.sql.ResultSet rs) throws SQLException {
        try {
            return new Row(rs.getString(1), rs.getString(2), (ObjectNode) HiveShapes.JSON.readTree(rs.getString(3)), rs.getLong(4), rs.getLong(5));
        } catch (java.io.IOException e) {
            throw GlueException.internal("Stored connection " + rs.getString(1) + " is not JSON: " + e.getMessage());
        }
    }

    private static Optional<Row> row(Connection c, String name, boolean lock) throws SQLException {
        return queryOne(c, "SELECT connection_name, connection_type, definition, created_at, updated_at FROM g_connections WHERE connection_name = ?"
                + (lock ? " FOR UPDATE" : ""), ConnectionOperations::read, name);
    }

    private static Row require(Connection c, String name, boolean lock) throws SQLException {
        return row(c, name, lock).orElseThrow(() -> GlueException.entityNotFound("Connection not found: " + name));
    }

    private static ObjectNode json(Row row, boolean hidePassword) {
        ObjectNode out = HiveShapes.JSON.createObjectNode().put("Name", row.name());
        ObjectNode definition = row.definition().deepCopy();
        if (definition.has("Description")) {
            out.set("Description", definition.get("Description"));
        }
        out.put("ConnectionType", row.type());
        out.set("MatchCriteria", definition.has("MatchCriteria") ? definition.get("MatchCriteria") : HiveShapes.JSON.createArrayNode());
        ObjectNode properties = (ObjectNode) definition.get("ConnectionProperties");
        if (hidePassword) {
            properties.remove("PASSWORD");
        }
        out.set("ConnectionProperties", properties);
        for (String member : List.of("SparkProperties", "AthenaProperties", "PythonProperties", "PhysicalConnectionRequirements", "AuthenticationConfiguration")) {
            if (definition.has(member)) {
                out.set(member, definition.get(member));
            }
        }
        out.put("CreationTime", row.createdAt() / 1000.0);
        out.put("LastUpdatedTime", row.updatedAt() / 1000.0);
        out.put("Status", "READY");
        out.put("ConnectionSchemaVersion", 1);
        return out;
    }
}
