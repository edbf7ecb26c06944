package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.crawler.catalog.CatalogPartition;
import dev.mortar.crawler.catalog.CatalogTable;
import dev.mortar.crawler.catalog.CatalogWriter;
import dev.mortar.crawler.classify.Column;

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
        return Optional.of(new CatalogTable(database, name, sd.path("Location").asText(null), columns(sd.path("Columns")), columns(table.path("PartitionKeys")), null));
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
        ObjectNode input = HiveShapes.JSON.createObjectNode().put("DatabaseName", table.database());
        input.set("TableInput", tableInput(table));
        call("CreateTable", input);
    }

    @Override
    public void updateTable(CatalogTable table) {
        ObjectNode input = HiveShapes.JSON.createObjectNode().put("DatabaseName", table.database());
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
            ObjectNode input = HiveShapes.JSON.createObjectNode().put("DatabaseName", table.database()).put("TableName", table.name());
            ArrayNode list = input.putArray("PartitionInputList");
            for (CatalogPartition p : partitions.subList(from, Math.min(partitions.size(), from + PARTITION_BATCH))) {
                ObjectNode entry = list.addObject();
                p.values().forEach(entry.putArray("Values")::add);
                entry.set("StorageDescriptor", storageDescriptor(table, p.location()));
            }
            ObjectNode out = call("BatchCreatePartition", input);
            for (JsonNode error : out.path("Errors")) {
                // A partition added meanwhile by someone else is fine; anything else fails the table.
                if (!"AlreadyExistsException".equals(error.path("ErrorDetail").path("ErrorCode").asText())) {
                    throw GlueException.invalidInput("Cannot add partition " + error.path("PartitionValues") + " to " + table.name() + ": "
                            + error.path("ErrorDetail").path("ErrorMessage").asText());
                }
            }
        }
    }

    private static ObjectNode tableInput(CatalogTable table) {
        ObjectNode input = HiveShapes.JSON.createObjectNode().put("Name", table.name()).put("TableType", "EXTERNAL_TABLE");
        ObjectNode params = input.putObject("Parameters");
        table.format().tableParameters().forEach(params::put);
        params.put("CrawlerSchemaSerializerVersion", "1.0");
        input.set("StorageDescriptor", storageDescriptor(table, table.location()));
        ArrayNode keys = input.putArray("PartitionKeys");
        table.partitionKeys().forEach(k -> keys.addObject().put("Name", k.name()).put("Type", k.type()));
        return input;
    }

    private static ObjectNode storageDescriptor(CatalogTable table, String location) {
        ObjectNode sd = HiveShapes.JSON.createObjectNode();
        ArrayNode columns = sd.putArray("Columns");
        table.columns().forEach(c -> columns.addObject().put("Name", c.name()).put("Type", c.type()));
        sd.put("Location", location);
        sd.put("InputFormat", table.format().inputFormat());
        sd.put("OutputFormat", table.format().outputFormat());
        String compression = table.format().tableParameters().getOrDefault("compressionType", "none");
        sd.put("Compressed", !compression.equals("none"));
        ObjectNode serde = sd.putObject("SerdeInfo");
        serde.put("SerializationLibrary", table.format().serializationLibrary());
        ObjectNode serdeParams = serde.putObject("Parameters");
        table.format().serdeParameters().forEach(serdeParams::put);
        return sd;
    }
}
