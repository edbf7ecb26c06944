package dev.mortar.crawler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A crawler's {@code Configuration}: the versioned JSON document of the service
 * ({@code {"Version": 1.0, "Grouping": {...}, "CrawlerOutput": {...}}}), validated as the service does, with
 * the messages it gives for unknown keys and values.
 */
public record CrawlerConfiguration(boolean combineCompatibleSchemas, OptionalInt tableLevel, boolean mergeNewColumnsOnly, boolean partitionsInheritFromTable) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static CrawlerConfiguration none() {
        return new CrawlerConfiguration(false, OptionalInt.empty(), false, false);
    }

    /**
     * Parses and validates the document.
     *
     * @throws IllegalArgumentException with the reason, for a document the service refuses
     */
    public static CrawlerConfiguration parse(String document) {
        if (document == null || document.isBlank()) {
            return none();
        }
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (IOException e) {
            throw new IllegalArgumentException("Crawler configuration is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Crawler configuration must be a JSON object");
        }
        unsupported(root, "Configuration", Set.of("Version", "Grouping", "CrawlerOutput", "CreatePartitionIndex", "TableThreshold", "LakeFormationConfiguration"));
        JsonNode version = root.get("Version");
        if (version == null || !version.isNumber() || version.asDouble() != 1.0) {
            throw new IllegalArgumentException("Crawler configuration Version must be 1.0");
        }
        boolean combine = false;
        OptionalInt level = OptionalInt.empty();
        JsonNode grouping = root.path("Grouping");
        if (!grouping.isMissingNode()) {
            object(grouping, "Grouping");
            unsupported(grouping, "Grouping", Set.of("TableGroupingPolicy", "TableLevelConfiguration"));
            JsonNode policy = grouping.get("TableGroupingPolicy");
            if (policy != null) {
                if (!policy.isTextual() || !policy.asText().equals("CombineCompatibleSchemas")) {
                    throw new IllegalArgumentException("Grouping.TableGroupingPolicy has an unsupported value: " + policy + "; the value is CombineCompatibleSchemas");
                }
                combine = true;
            }
            JsonNode tableLevel = grouping.get("TableLevelConfiguration");
            if (tableLevel != null) {
                if (!tableLevel.isIntegralNumber() || tableLevel.asInt() < 1) {
                    throw new IllegalArgumentException("Grouping.TableLevelConfiguration must be a positive integer, not " + tableLevel);
                }
                level = OptionalInt.of(tableLevel.asInt());
            }
        }
        boolean mergeNewColumns = false;
        boolean inherit = false;
        JsonNode output = root.path("CrawlerOutput");
        if (!output.isMissingNode()) {
            object(output, "CrawlerOutput");
            unsupported(output, "CrawlerOutput", Set.of("Tables", "Partitions"));
            JsonNode tables = output.path("Tables");
            if (!tables.isMissingNode()) {
                object(tables, "CrawlerOutput.Tables");
                unsupported(tables, "CrawlerOutput.Tables", Set.of("AddOrUpdateBehavior", "TableThreshold"));
                mergeNewColumns = behavior(tables, "CrawlerOutput.Tables", "MergeNewColumns");
                JsonNode threshold = tables.get("TableThreshold");
                if (threshold != null && (!threshold.isIntegralNumber() || threshold.asInt() < 1)) {
                    throw new IllegalArgumentException("CrawlerOutput.Tables.TableThreshold must be a positive integer, not " + threshold);
                }
            }
            JsonNode partitions = output.path("Partitions");
            if (!partitions.isMissingNode()) {
                object(partitions, "CrawlerOutput.Partitions");
                unsupported(partitions, "CrawlerOutput.Partitions", Set.of("AddOrUpdateBehavior"));
                inherit = behavior(partitions, "CrawlerOutput.Partitions", "InheritFromTable");
            }
        }
        return new CrawlerConfiguration(combine, level, mergeNewColumns, inherit);
    }

    private static boolean behavior(JsonNode node, String where, String only) {
        JsonNode value = node.get("AddOrUpdateBehavior");
        if (value == null) {
            return false;
        }
        if (!value.isTextual() || !value.asText().equals(only)) {
            throw new IllegalArgumentException(where + ".AddOrUpdateBehavior has an unsupported value: " + value + "; the value is " + only);
        }
        return true;
    }

    private static void object(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be a JSON object");
        }
    }

    /** The service's wording: {@code CrawlerOutput.Partitions contains unsupported keys: UpdateBehavior.} */
    private static void unsupported(JsonNode node, String where, Set<String> allowed) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + " contains unsupported keys: " + String.join(", ", unknown) + ".");
        }
    }
}
