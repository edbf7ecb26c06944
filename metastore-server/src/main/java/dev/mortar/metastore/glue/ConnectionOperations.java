package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.connection.ConnectionDefinition;
import dev.mortar.metastore.control.connection.ConnectionRecord;
import dev.mortar.metastore.control.connection.Connections;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CreateConnection, GetConnection, GetConnections, UpdateConnection, DeleteConnection, BatchDeleteConnection.
 * The Glue shapes of the control plane's {@link Connections}; crawlers' {@code JdbcTargets} read through the
 * {@code JDBC} ones ({@code JDBC_CONNECTION_URL}, {@code USERNAME}, {@code PASSWORD}). Passwords are stored as given,
 * like the service's without connection password encryption.
 */
final class ConnectionOperations {

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

    private final Connections connections;

    ConnectionOperations(Connections connections) {
        this.connections = connections;
    }

    void register(Map<String, GlueOperation> ops) {
        ops.put("CreateConnection", this::createConnection);
        ops.put("GetConnection", this::getConnection);
        ops.put("GetConnections", this::getConnections);
        ops.put("UpdateConnection", this::updateConnection);
        ops.put("DeleteConnection", this::deleteConnection);
        ops.put("BatchDeleteConnection", this::batchDeleteConnection);
    }

    private record Input(String name, ConnectionDefinition definition) {}

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
        Optional<ConnectionDefinition.PhysicalRequirements> physical = in.object("PhysicalConnectionRequirements").map(p -> new ConnectionDefinition.PhysicalRequirements(
                p.string("SubnetId", 0, 255), p.strings("SecurityGroupIdList", 0, 50, 1, 255), p.string("AvailabilityZone", 0, 255)));
        Optional<ConnectionDefinition.Authentication> authentication = in.object("AuthenticationConfiguration").map(a -> {
            if (a.has("OAuth2Properties")) {
                throw GlueException.invalidInput("Connection " + name + ": OAuth2 authentication is not supported by this endpoint; use SecretArn or connection properties");
            }
            return new ConnectionDefinition.Authentication(a.string("AuthenticationType", 0, 64), a.string("SecretArn", 0, 2048), a.string("KmsKeyArn", 0, 2048));
        });
        return new Input(name, new ConnectionDefinition(type, properties, in.string("Description", 0, 2048),
                in.strings("MatchCriteria", 0, 10, 1, GlueRequest.NAME_MAX).orElse(List.of()), in.stringMap("SparkProperties", 1, 128, 0, 2048),
                in.stringMap("AthenaProperties", 1, 128, 0, 2048), in.stringMap("PythonProperties", 1, 128, 0, 2048), physical, authentication));
    }

    private ObjectNode createConnection(GlueRequest request) {
        GlueContext.catalogId(request);
        Input input = input(request.requiredObject("ConnectionInput"));
        Map<String, String> tags = request.stringMap("Tags", 1, 128, 0, 256).orElse(Map.of());
        connections.create(input.name(), input.definition(), tags);
        return HiveShapes.JSON.createObjectNode().put("CreateConnectionStatus", "READY");
    }

    private ObjectNode getConnection(GlueRequest request) {
        GlueContext.catalogId(request);
        String name = request.requiredName("Name");
        boolean hidePassword = request.bool("HidePassword").orElse(false);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        out.set("Connection", json(connections.get(name), hidePassword));
        return out;
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
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("ConnectionList");
        String last = null;
        for (ConnectionRecord row : connections.after(token.map(t -> t.after().get(0)).orElse(""))) {
            if (type.isPresent() && !type.get().equals(row.definition().type()) || !row.definition().matchCriteria().containsAll(criteria)) {
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
    }

    private ObjectNode updateConnection(GlueRequest request) {
        GlueContext.catalogId(request);
        String name = request.requiredName("Name");
        Input input = input(request.requiredObject("ConnectionInput"));
        connections.update(name, input.name(), input.definition());
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode deleteConnection(GlueRequest request) {
        GlueContext.catalogId(request);
        connections.delete(request.requiredName("ConnectionName"));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode batchDeleteConnection(GlueRequest request) {
        GlueContext.catalogId(request);
        List<String> names = request.requiredStrings("ConnectionNameList", 0, 25, 1, GlueRequest.NAME_MAX);
        List<String> deleted = connections.deleteAll(names);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode succeeded = out.putArray("Succeeded");
        deleted.forEach(succeeded::add);
        ObjectNode errors = out.putObject("Errors");
        names.stream().filter(n -> !deleted.contains(n))
                .forEach(n -> errors.putObject(n).put("ErrorCode", "EntityNotFoundException").put("ErrorMessage", "Connection not found: " + n));
        return out;
    }

    /** The Connection shape. */
    private static ObjectNode json(ConnectionRecord row, boolean hidePassword) {
        ConnectionDefinition d = row.definition();
        ObjectNode out = HiveShapes.JSON.createObjectNode().put("Name", row.name());
        d.description().ifPresent(v -> out.put("Description", v));
        out.put("ConnectionType", d.type());
        d.matchCriteria().forEach(out.putArray("MatchCriteria")::add);
        if (!out.has("MatchCriteria")) {
            out.putArray("MatchCriteria");
        }
        ObjectNode properties = out.putObject("ConnectionProperties");
        d.properties().forEach((k, v) -> {
            if (!(hidePassword && k.equals("PASSWORD"))) {
                properties.put(k, v);
            }
        });
        d.sparkProperties().ifPresent(m -> m.forEach(out.putObject("SparkProperties")::put));
        d.athenaProperties().ifPresent(m -> m.forEach(out.putObject("AthenaProperties")::put));
        d.pythonProperties().ifPresent(m -> m.forEach(out.putObject("PythonProperties")::put));
        d.physicalRequirements().ifPresent(p -> {
            ObjectNode n = out.putObject("PhysicalConnectionRequirements");
            p.subnetId().ifPresent(v -> n.put("SubnetId", v));
            p.securityGroupIds().ifPresent(v -> v.forEach(n.putArray("SecurityGroupIdList")::add));
            p.availabilityZone().ifPresent(v -> n.put("AvailabilityZone", v));
        });
        d.authentication().ifPresent(a -> {
            ObjectNode n = out.putObject("AuthenticationConfiguration");
            a.type().ifPresent(v -> n.put("AuthenticationType", v));
            a.secretArn().ifPresent(v -> n.put("SecretArn", v));
            a.kmsKeyArn().ifPresent(v -> n.put("KmsKeyArn", v));
        });
        out.put("CreationTime", row.created().toEpochMilli() / 1000.0);
        out.put("LastUpdatedTime", row.updated().toEpochMilli() / 1000.0);
        out.put("Status", "READY");
        out.put("ConnectionSchemaVersion", 1);
        return out;
    }
}
