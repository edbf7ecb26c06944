package dev.mortar.metastore.control.connection;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A catalog connection as defined (CreateConnection's ConnectionInput): its type, its properties (for JDBC the URL
 * and credentials), and what it keeps for clients without using it itself: description, match criteria, engine
 * properties, network requirements and authentication references.
 */
public record ConnectionDefinition(String type, Map<String, String> properties, Optional<String> description, List<String> matchCriteria,
                                   Optional<Map<String, String>> sparkProperties, Optional<Map<String, String>> athenaProperties,
                                   Optional<Map<String, String>> pythonProperties, Optional<PhysicalRequirements> physicalRequirements,
                                   Optional<Authentication> authentication) {
    public ConnectionDefinition {
        Objects.requireNonNull(type, "type");
        properties = Map.copyOf(new TreeMap<>(properties));
        matchCriteria = List.copyOf(matchCriteria);
        sparkProperties = sparkProperties.map(Map::copyOf);
        athenaProperties = athenaProperties.map(Map::copyOf);
        pythonProperties = pythonProperties.map(Map::copyOf);
    }

    /** PhysicalConnectionRequirements. */
    public record PhysicalRequirements(Optional<String> subnetId, Optional<List<String>> securityGroupIds, Optional<String> availabilityZone) {}

    /** AuthenticationConfiguration: its type and the secret or key it names. */
    public record Authentication(Optional<String> type, Optional<String> secretArn, Optional<String> kmsKeyArn) {}
}
