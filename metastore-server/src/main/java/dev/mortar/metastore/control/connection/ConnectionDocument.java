package dev.mortar.metastore.control.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the control store keeps a {@link ConnectionDefinition}: its type ({@code g_connections.connection_type}) and one
 * JSON document of the rest ({@code definition}), under the names connections have always been stored with.
 */
final class ConnectionDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConnectionDocument() {}

    static String write(ConnectionDefinition d) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode props = o.putObject("ConnectionProperties");
        d.properties().forEach(props::put);
        d.description().ifPresent(v -> o.put("Description", v));
        if (!d.matchCriteria().isEmpty()) {
            d.matchCriteria().forEach(o.putArray("MatchCriteria")::add);
        }
        d.sparkProperties().ifPresent(m -> m.forEach(o.putObject("SparkProperties")::put));
        d.athenaProperties().ifPresent(m -> m.forEach(o.putObject("AthenaProperties")::put));
        d.pythonProperties().ifPresent(m -> m.forEach(o.putObject("PythonProperties")::put));
        d.physicalRequirements().ifPresent(p -> {
            ObjectNode n = o.putObject("PhysicalConnectionRequirements");
            p.subnetId().ifPresent(v -> n.put("SubnetId", v));
            p.securityGroupIds().ifPresent(v -> v.forEach(n.putArray("SecurityGroupIdList")::add));
            p.availabilityZone().ifPresent(v -> n.put("AvailabilityZone", v));
        });
        d.authentication().ifPresent(a -> {
            ObjectNode n = o.putObject("AuthenticationConfiguration");
            a.type().ifPresent(v -> n.put("AuthenticationType", v));
            a.secretArn().ifPresent(v -> n.put("SecretArn", v));
            a.kmsKeyArn().ifPresent(v -> n.put("KmsKeyArn", v));
        });
        return o.toString();
    }

    static ConnectionDefinition read(String type, String document) {
        JsonNode o;
        try {
            o = JSON.readTree(document);
        } catch (IOException e) {
            throw new IllegalStateException("A stored connection definition is not JSON: " + e.getMessage(), e);
        }
        JsonNode p = o.path("PhysicalConnectionRequirements");
        JsonNode a = o.path("AuthenticationConfiguration");
        return new ConnectionDefinition(type, map(o.path("ConnectionProperties")).orElse(Map.of()), text(o, "Description"),
                strings(o.path("MatchCriteria")).orElse(List.of()), map(o.path("SparkProperties")), map(o.path("AthenaProperties")),
                map(o.path("PythonProperties")),
                p.isObject() ? Optional.of(new ConnectionDefinition.PhysicalRequirements(text(p, "SubnetId"), strings(p.path("SecurityGroupIdList")),
                        text(p, "AvailabilityZone"))) : Optional.empty(),
                a.isObject() ? Optional.of(new ConnectionDefinition.Authentication(text(a, "AuthenticationType"), text(a, "SecretArn"), text(a, "KmsKeyArn")))
                        : Optional.empty());
    }

    private static Optional<String> text(JsonNode n, String member) {
        return n.hasNonNull(member) ? Optional.of(n.get(member).asText()) : Optional.empty();
    }

    private static Optional<Map<String, String>> map(JsonNode n) {
        if (!n.isObject()) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return Optional.of(out);
    }

    private static Optional<List<String>> strings(JsonNode n) {
        if (!n.isArray()) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return Optional.of(out);
    }
}
