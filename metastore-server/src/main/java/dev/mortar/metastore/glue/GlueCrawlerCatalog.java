package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.CatalogWriter;
import dev.mortar.catalog.StorageFormat;
import dev.mortar.catalog.TableName;
import dev.mortar.catalog.Column;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog as an in-process crawler writes it: through this server's Glue operations, with their
 * validation and transactions, exactly as a remote Glue client would.
 */
final class GlueCrawlerCatalog implements CatalogWriter {
    private static final int PARTITION_BATCH = 100;

    private final Map<String, GlueOperation> operations;

    GlueCrawlerCatalog(Map<String, GlueOperation> operations) {
        this.operations = operations;
    }

    private ObjectNode call(String operation, ObjectNode input) {
        return operations.get(operation).handle(GlueRequest.of(input));
    }

    @Override
    public void ensureDatabase(String database) {
        ObjectNode get = HiveShapes.JSON.createObjectNode().put("Name", database);
        try {
            call("GetDatabase", get);
        } catch (GlueException e) {
            if (!e.type().equals("EntityNotFoundException")) {
                throw e;
            }
            ObjectNode create = HiveShapes.JSON.createObjectNode();
            create.putObject("DatabaseInput").put("Name", database);
            try {
                call("CreateDatabase", create);
            } catch (GlueException raced) {
                if (!raced.type().equals("AlreadyExistsException")) {
                    throw raced;
                }
            }
        }
    }

    @Override
    public Optional<CatalogTable> table(String database, String name) {
        ObjectNode out;
        try {
            out = call("GetTable", HiveShapes.JSON.createObjectNode().put("DatabaseName", database).put("Name", name));
        } catch (GlueException e) {
            if (e.type().equals("EntityNotFoundException")) {
                return Optional.empty();
            }
            throw e;
        }
        JsonNode table = out.path("Table");
        JsonNode sd = table.path("StorageDescriptor");
        Map<String, String> parameters = new java.util.HashMap<>();
        table.path("Parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        return Optional.of(new CatalogTable(new TableName(database, name), table.path("TableType").asText(null), columns(sd.path("Columns")),
                columns(table.path("PartitionKeys")), Optional.ofNullable(sd.path("Location").asText(null)), StorageFormat.NONE, parameters, Optional.empty()));
    }

    private static List<Column> columns(JsonNode list) {
        List<Column> columns = new ArrayList<>();
        for (JsonNode c : list) {
            columns.add(new Column(c.path("Name").asText(), c.path("Type").asText("string")));
        }
        return columns;
    }

    @Override
    public void createTable(CatalogTable table) {
        ObjectNode input = HiveShapes.JSON.createObjectNode().put("DatabaseName", table.name().database());
        input.set("TableInput", tableInput(table));
        call("CreateTable", input);
    }

    @Override
    public void updateTable(CatalogTable table) {
        ObjectNode input = HiveShapes.JSON.createObjectNode().put("DatabaseName", table.name().database());
        input.set("TableInput", tableInput(table));
        call("UpdateTable", input);
    }

    @Override
    public Set<List<String>> partitionValues(String database, String table) {
        Set<List<String>> values = new HashSet<>();
        String token = null;
        do {
            ObjectNode input = HiveShapes.JSON.createObjectNode().put("DatabaseName", database).put("TableName", table);
            if (token != null) {
                input.put("NextToken", token);
            }
            ObjectNode out = call("GetPartitions", input);
            for (JsonNode p : out.path("Partitions")) {
                List<String> v = new ArrayList<>();
                p.path("Values").forEach(x -> v.add(x.asText()));
                values.add(v);
            }
            token = out.hasNonNull("NextToken") ? out.get("NextToken").asText() : null;
        } while (token != null);
        return values;
    }

    @Override
    public void addPartitions(CatalogTable table, List<CatalogPartition> partitions) {
        for (int from = 0; from < partitions.size(); from += PARTITION_BATCH) {
            ObjectNode input = HiveShapes.JSON.createObjectNode().put("DatabaseName", table.name().database()).put("TableName", table.name().table());
            ArrayNode list = input.putArray("PartitionInputList");
            for (CatalogPartition p : partitions.subList(from, Math.min(partitions.size(), from + PARTITION_BATCH))) {
                ObjectNode entry = list.addObject();
                p.values().forEach(entry.putArray("Values")::add);
                entry.set("StorageDescriptor", storageDescriptor(table, p.location().orElse(null), p.columns().orElse(table.columns())));
            }
            ObjectNode out = call("BatchCreatePartition", input);
            for (JsonNode error : out.path("Errors")) {
                // A partition added meanwhile by someone else is fine; anything else fails the table.
                if (!"AlreadyExistsException".equals(error.path("ErrorDetail").path("ErrorCode").asText())) {
                    throw GlueException.invalidInput("Cannot add partition " + error.path("PartitionValues") + " to " + table.name().table() + ": "
                            + error.path("ErrorDetail").path("ErrorMessage").asText());
                }
            }
        }
    }

    @Override
    public void updatePartitions(CatalogTable table, List<CatalogPartition> partitions) {
        for (int from = 0; from < partitions.size(); from += PARTITION_BATCH) {
            ObjectNode input = HiveShapes.JSON.createObjectNode().put("DatabaseName", table.name().database()).put("TableName", table.name().table());
            ArrayNode entries = input.putArray("Entries");
            for (CatalogPartition p : partitions.subList(from, Math.min(partitions.size(), from + PARTITION_BATCH))) {
                ObjectNode entry = entries.addObject();
                p.values().forEach(entry.putArray("PartitionValueList")::add);
                ObjectNode partitionInput = entry.putObject("PartitionInput");
                p.values().forEach(partitionInput.putArray("Values")::add);
                partitionInput.set("StorageDescriptor", storageDescriptor(table, p.location().orElse(null), p.columns().orElse(table.columns())));
            }
            ObjectNode out = call("BatchUpdatePartition", input);
            for (JsonNode error : out.path("Errors")) {
                throw GlueException.invalidInput("Cannot update partition " + error.path("PartitionValueList") + " of " + table.name().table() + ": "
                        + error.path("ErrorDetail").path("ErrorMessage").asText());
            }
        }
    }

    @Override
    public void deleteTable(String database, String name) {
        call("DeleteTable", HiveShapes.JSON.createObjectNode().put("DatabaseName", database).put("Name", name));
    }

    @Override
    public void deletePartitions(String database, String table, List<List<String>> values) {
        for (int from = 0; from < values.size(); from += PartitionOperations.BATCH_DELETE_MAX) {
            ObjectNode input = HiveShapes.JSON.createObjectNode().put("DatabaseName", database).put("TableName", table);
            ArrayNode list = input.putArray("PartitionsToDelete");
            values.subList(from, Math.min(values.size(), from + PartitionOperations.BATCH_DELETE_MAX))
                    .forEach(v -> v.forEach(list.addObject().putArray("Values")::add));
            ObjectNode out = call("BatchDeletePartition", input);
            for (JsonNode error : out.path("Errors")) {
                if (!"EntityNotFoundException".equals(error.path("ErrorDetail").path("ErrorCode").asText())) {
                    throw GlueException.invalidInput("Cannot delete partition " + error.path("PartitionValues") + " of " + table + ": "
                            + error.path("ErrorDetail").path("ErrorMessage").asText());
                }
            }
        }
    }

    /** The members of a Table that a TableInput takes back. */
    private static final List<String> TABLE_INPUT = List.of("Name", "Description", "Owner", "LastAccessTime", "LastAnalyzedTime", "Retention",
            "StorageDescriptor", "PartitionKeys", "ViewOriginalText", "ViewExpandedText", "TableType", "Parameters", "TargetTable");

    @Override
    public void setTableParameter(String database, String table, String key, String value) {
        JsonNode current = call("GetTable", HiveShapes.JSON.createObjectNode().put("DatabaseName", database).put("Name", table)).path("Table");
        ObjectNode tableInput = HiveShapes.JSON.createObjectNode();
        TABLE_INPUT.forEach(m -> {
            if (current.has(m)) {
                tableInput.set(m, current.get(m).deepCopy());
            }
        });
        (tableInput.has("Parameters") ? (ObjectNode) tableInput.get("Parameters") : tableInput.putObject("Parameters")).put(key, value);
        ObjectNode input = HiveShapes.JSON.createObjectNode().put("DatabaseName", database);
        input.set("TableInput", tableInput);
        call("UpdateTable", input);
    }

    @Override
    public void setPartitionParameter(String database, String table, List<List<String>> values, String key, String value) {
        for (List<String> v : values) {
            ObjectNode get = HiveShapes.JSON.createObjectNode().put("DatabaseName", database).put("TableName", table);
            v.forEach(get.putArray("PartitionValues")::add);
            JsonNode current = call("GetPartition", get).path("Partition");
            ObjectNode partitionInput = HiveShapes.JSON.createObjectNode();
            for (String m : List.of("Values", "StorageDescriptor", "Parameters", "LastAccessTime", "LastAnalyzedTime")) {
                if (current.has(m)) {
                    partitionInput.set(m, current.get(m).deepCopy());
                }
            }
            (partitionInput.has("Parameters") ? (ObjectNode) partitionInput.get("Parameters") : partitionInput.putObject("Parameters")).put(key, value);
            ObjectNode update = HiveShapes.JSON.createObjectNode().put("DatabaseName", database).put("TableName", table);
            v.forEach(update.putArray("PartitionValueList")::add);
            update.set("PartitionInput", partitionInput);
            call("UpdatePartition", update);
        }
    }

    private static ObjectNode tableInput(CatalogTable table) {
        ObjectNode input = HiveShapes.JSON.createObjectNode().put("Name", table.name().table()).put("TableType", "EXTERNAL_TABLE");
        ObjectNode params = input.putObject("Parameters");
        table.parameters().forEach(params::put);
        params.put("CrawlerSchemaSerializerVersion", "1.0");
        input.set("StorageDescriptor", storageDescriptor(table, table.location().orElse(null), table.columns()));
        ArrayNode keys = input.putArray("PartitionKeys");
        table.partitionKeys().forEach(k -> keys.addObject().put("Name", k.name()).put("Type", k.type()));
        return input;
    }

    private static ObjectNode storageDescriptor(CatalogTable table, String location, List<Column> ownColumns) {
        ObjectNode sd = HiveShapes.JSON.createObjectNode();
        ArrayNode columns = sd.putArray("Columns");
        ownColumns.forEach(c -> columns.addObject().put("Name", c.name()).put("Type", c.type()));
        sd.put("Location", location);
        sd.put("InputFormat", table.format().inputFormat().orElse(null));
        sd.put("OutputFormat", table.format().outputFormat().orElse(null));
        String compression = table.parameters().getOrDefault("compressionType", "none");
        sd.put("Compressed", !compression.equals("none"));
        ObjectNode serde = sd.putObject("SerdeInfo");
        serde.put("SerializationLibrary", table.format().serializationLibrary().orElse(null));
        ObjectNode serdeParams = serde.putObject("Parameters");
        table.format().serdeParameters().forEach(serdeParams::put);
        return sd;
    }
}
