package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.hive.metastore.TableType;
import org.apache.hadoop.hive.metastore.api.BinaryColumnStatsData;
import org.apache.hadoop.hive.metastore.api.BooleanColumnStatsData;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsData;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.Date;
import org.apache.hadoop.hive.metastore.api.DateColumnStatsData;
import org.apache.hadoop.hive.metastore.api.Decimal;
import org.apache.hadoop.hive.metastore.api.DecimalColumnStatsData;
import org.apache.hadoop.hive.metastore.api.DoubleColumnStatsData;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Function;
import org.apache.hadoop.hive.metastore.api.FunctionType;
import org.apache.hadoop.hive.metastore.api.LongColumnStatsData;
import org.apache.hadoop.hive.metastore.api.Order;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.PrincipalType;
import org.apache.hadoop.hive.metastore.api.ResourceType;
import org.apache.hadoop.hive.metastore.api.ResourceUri;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.SkewedInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.StringColumnStatsData;
import org.apache.hadoop.hive.metastore.api.Table;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Translates Glue shapes (botocore's {@code glue/2017-03-31/service-2.json}) to and from the Hive
 * Metastore's Thrift objects, field by field, so that the Glue API and the HMS API read and write the
 * same catalog objects.
 *
 * <p>What Glue has and Hive does not (a table's Description, TargetTable, LastAnalyzedTime; column
 * Parameters; a storage descriptor's AdditionalLocations and SchemaReference; a database's
 * CreateTableDefaultPermissions; a function's FunctionType) travels in an "extras" object kept by
 * {@link dev.mortar.metastore.store.CatalogExtras} next to the Hive object. Where Hive needs something a Glue client may leave out (a
 * table type, the EXTERNAL parameter of external tables, a SerDe), the Hive object gets it and the extras
 * remember that Glue did not send it, so each API reads back what it wrote.
 */
final class HiveShapes {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String EXTERNAL_TABLE = TableType.EXTERNAL_TABLE.name();
    private static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    private HiveShapes() {}

    /** A Hive object translated from a Glue input, with the Glue-only fields it cannot hold. */
    record Translated<T>(T hive, ObjectNode extras) {}

    // ---- databases

    static Translated<Database> database(GlueRequest input) {
        Database db = new Database();
        db.setName(input.requiredName("Name"));
        input.string("Description", 0, 2048).ifPresent(db::setDescription);
        input.string("LocationUri", 1, 1024).ifPresent(db::setLocationUri);
        db.setParameters(new HashMap<>(input.parameters("Parameters").orElse(Map.of())));
        ObjectNode extras = JSON.createObjectNode();
        ObjectNode glueOnly = extras.putObject("Database");
        for (String member : List.of("CreateTableDefaultPermissions", "TargetDatabase", "FederatedDatabase")) {
            if (input.has(member)) {
                glueOnly.set(member, input.json().get(member));
            }
        }
        return new Translated<>(db, extras);
    }

    static ObjectNode databaseJson(Database db, ObjectNode extras, String catalogId) {
        ObjectNode out = JSON.createObjectNode();
        out.put("Name", db.getName());
        if (db.getDescription() != null && !db.getDescription().isEmpty()) {
            out.put("Description", db.getDescription());
        }
        if (db.getLocationUri() != null && !db.getLocationUri().isEmpty()) {
            out.put("LocationUri", db.getLocationUri());
        }
        out.set("Parameters", stringMap(db.getParameters()));
        if (db.isSetCreateTime()) {
            out.put("CreateTime", db.getCreateTime());
        }
        ObjectNode glueOnly = extras == null ? null : (ObjectNode) extras.get("Database");
        if (glueOnly != null) {
            out.setAll(glueOnly);
        }
        if (!out.has("CreateTableDefaultPermissions")) {
            // What the service reports for a database whose access is not managed by Lake Formation.
            ArrayNode permissions = out.putArray("CreateTableDefaultPermissions");
            ObjectNode entry = permissions.addObject();
            entry.putObject("Principal").put("DataLakePrincipalIdentifier", "IAM_ALLOWED_PRINCIPALS");
            entry.putArray("Permissions").add("ALL");
        }
        out.put("CatalogId", catalogId);
        return out;
    }

    // ---- tables

    static Translated<Table> table(String databaseName, GlueRequest input) {
        Table table = new Table();
        table.setDbName(databaseName);
        table.setTableName(input.requiredName("Name"));
        input.name("Owner").ifPresent(owner -> {
            table.setOwner(owner);
            table.setOwnerType(PrincipalType.USER);
        });
        input.epochSeconds("LastAccessTime").ifPresent(t -> table.setLastAccessTime((int) (long) t));
        input.integer("Retention", 0, Integer.MAX_VALUE).ifPresent(table::setRetention);
        input.string("ViewOriginalText", 0, 409_600).ifPresent(table::setViewOriginalText);
        input.string("ViewExpandedText", 0, 409_600).ifPresent(table::setViewExpandedText);
        Map<String, String> parameters = new HashMap<>(input.parameters("Parameters").orElse(Map.of()));
        table.setParameters(parameters);

        ObjectNode extras = JSON.createObjectNode();
        ObjectNode glueOnly = extras.putObject("Table");
        input.string("Description", 0, 2048).ifPresent(d -> glueOnly.put("Description", d));
        input.epochSeconds("LastAnalyzedTime").ifPresent(t -> glueOnly.put("LastAnalyzedTime", t));
        if (input.has("TargetTable")) {
            glueOnly.set("TargetTable", input.json().get("TargetTable"));
        }

        ObjectNode keyParameters = JSON.createObjectNode();
        table.setPartitionKeys(columns(input.objects("PartitionKeys", 0, Integer.MAX_VALUE).orElse(List.of()), keyParameters));
        if (!keyParameters.isEmpty()) {
            extras.set("PartitionKeyParameters", keyParameters);
        }
        Optional<GlueRequest> sd = input.object("StorageDescriptor");
        if (sd.isPresent()) {
            table.setSd(storageDescriptor(sd.get(), extras));
        }

        // Hive needs a table type, and an external table the EXTERNAL parameter; Glue needs neither.
        Optional<String> type = input.string("TableType", 0, 255);
        ObjectNode added = JSON.createObjectNode();
        if (type.isEmpty() || type.get().isEmpty()) {
            extras.put("TableTypeAbsent", true);
            table.setTableType(input.has("ViewOriginalText") ? TableType.VIRTUAL_VIEW.name() : EXTERNAL_TABLE);
        } else {
            table.setTableType(type.get());
        }
        if (EXTERNAL_TABLE.equals(table.getTableType()) && !parameters.containsKey("EXTERNAL")) {
            parameters.put("EXTERNAL", "TRUE");
            added.put("EXTERNAL", "TRUE");
        }
        if (!added.isEmpty()) {
            extras.set("AddedParameters", added);
        }
        return new Translated<>(table, extras);
    }

    /**
     * The Glue {@code Table} of a Hive table, as of a version: the Hive fields, then the Glue-only ones
     * from the extras, without what Mortar added for Hive's sake.
     */
    static ObjectNode tableJson(Table table, ObjectNode extras, String catalogId, String versionId, Long updateTime) {
        ObjectNode out = JSON.createObjectNode();
        out.put("Name", table.getTableName());
        out.put("DatabaseName", table.getDbName());
        if (table.getOwner() != null) {
            out.put("Owner", table.getOwner());
        }
        out.put("CreateTime", table.getCreateTime());
        if (updateTime != null) {
            out.put("UpdateTime", updateTime);
        }
        if (table.getLastAccessTime() > 0) {
            out.put("LastAccessTime", table.getLastAccessTime());
        }
        out.put("Retention", table.getRetention());
        ObjectNode glueOnly = extras == null ? null : (ObjectNode) extras.get("Table");
        if (table.getSd() != null) {
            out.set("StorageDescriptor", storageDescriptorJson(table.getSd(), extras));
        }
        out.set("PartitionKeys", columnsJson(table.getPartitionKeys(), extras == null ? null : (ObjectNode) extras.get("PartitionKeyParameters")));
        if (table.getViewOriginalText() != null) {
            out.put("ViewOriginalText", table.getViewOriginalText());
        }
        if (table.getViewExpandedText() != null) {
            out.put("ViewExpandedText", table.getViewExpandedText());
        }
        boolean typeAbsent = extras != null && extras.path("TableTypeAbsent").asBoolean(false);
        if (table.getTableType() != null && !(typeAbsent && (EXTERNAL_TABLE.equals(table.getTableType()) || TableType.VIRTUAL_VIEW.name().equals(table.getTableType())))) {
            out.put("TableType", table.getTableType());
        }
        Map<String, String> parameters = new LinkedHashMap<>(table.getParameters() == null ? Map.of() : table.getParameters());
        JsonNode added = extras == null ? null : extras.get("AddedParameters");
        if (added != null) {
            added.properties().forEach(e -> {
                if (e.getValue().asText().equalsIgnoreCase(parameters.get(e.getKey()))) {
                    parameters.remove(e.getKey());
                }
            });
        }
        out.set("Parameters", stringMap(parameters));
        out.put("IsRegisteredWithLakeFormation", false);
        if (glueOnly != null) {
            out.setAll(glueOnly);
        }
        out.put("CatalogId", catalogId);
        if (versionId != null) {
            out.put("VersionId", versionId);
        }
        return out;
    }

    // ---- partitions

    static Translated<Partition> partition(String databaseName, String tableName, List<String> values, GlueRequest input) {
        Partition p = new Partition();
        p.setDbName(databaseName);
        p.setTableName(tableName);
        p.setValues(new ArrayList<>(values));
        input.epochSeconds("LastAccessTime").ifPresent(t -> p.setLastAccessTime((int) (long) t));
        p.setParameters(new HashMap<>(input.parameters("Parameters").orElse(Map.of())));
        ObjectNode extras = JSON.createObjectNode();
        ObjectNode glueOnly = extras.putObject("Partition");
        input.epochSeconds("LastAnalyzedTime").ifPresent(t -> glueOnly.put("LastAnalyzedTime", t));
        input.object("StorageDescriptor").ifPresent(sd -> p.setSd(storageDescriptor(sd, extras)));
        return new Translated<>(p, extras);
    }

    static ObjectNode partitionJson(Partition p, ObjectNode extras, String catalogId, boolean excludeColumns) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode values = out.putArray("Values");
        p.getValues().forEach(values::add);
        out.put("DatabaseName", p.getDbName());
        out.put("TableName", p.getTableName());
        out.put("CreationTime", p.getCreateTime());
        if (p.getLastAccessTime() > 0) {
            out.put("LastAccessTime", p.getLastAccessTime());
        }
        if (p.getSd() != null) {
            ObjectNode sd = storageDescriptorJson(p.getSd(), extras);
            if (excludeColumns) {
                sd.remove("Columns");
            }
            out.set("StorageDescriptor", sd);
        }
        out.set("Parameters", stringMap(p.getParameters()));
        ObjectNode glueOnly = extras == null ? null : (ObjectNode) extras.get("Partition");
        if (glueOnly != null) {
            out.setAll(glueOnly);
        }
        out.put("CatalogId", catalogId);
        return out;
    }

    /** Whether the extras hold anything, so that most partitions need no row of their own. */
    static boolean hasContent(ObjectNode extras) {
        for (JsonNode value : extras) {
            if (!(value.isObject() || value.isArray()) || !value.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    // ---- storage descriptors and columns

    private static StorageDescriptor storageDescriptor(GlueRequest input, ObjectNode extras) {
        StorageDescriptor sd = new StorageDescriptor();
        ObjectNode columnParameters = JSON.createObjectNode();
        sd.setCols(columns(input.objects("Columns", 0, Integer.MAX_VALUE).orElse(List.of()), columnParameters));
        if (!columnParameters.isEmpty()) {
            extras.set("ColumnParameters", columnParameters);
        }
        input.string("Location", 0, 2056).filter(l -> !l.isBlank()).ifPresent(sd::setLocation);
        input.string("InputFormat", 0, 128).ifPresent(sd::setInputFormat);
        input.string("OutputFormat", 0, 128).ifPresent(sd::setOutputFormat);
        sd.setCompressed(input.bool("Compressed").orElse(false));
        sd.setNumBuckets(input.integer("NumberOfBuckets", Integer.MIN_VALUE, Integer.MAX_VALUE).orElse(-1));
        Optional<GlueRequest> serde = input.object("SerdeInfo");
        SerDeInfo serDeInfo = new SerDeInfo();
        serDeInfo.setParameters(new HashMap<>());
        if (serde.isPresent()) {
            serde.get().name("Name").ifPresent(serDeInfo::setName);
            serde.get().name("SerializationLibrary").ifPresent(serDeInfo::setSerializationLib);
            serDeInfo.setParameters(new HashMap<>(serde.get().parameters("Parameters").orElse(Map.of())));
        } else {
            extras.put("SerdeInfoAbsent", true);
        }
        sd.setSerdeInfo(serDeInfo);
        sd.setBucketCols(new ArrayList<>(input.strings("BucketColumns", 0, Integer.MAX_VALUE, 1, 255).orElse(List.of())));
        List<Order> sortCols = new ArrayList<>();
        for (GlueRequest order : input.objects("SortColumns", 0, Integer.MAX_VALUE).orElse(List.of())) {
            sortCols.add(new Order(order.requiredName("Column"), order.requiredInteger("SortOrder", 0, 1)));
        }
        sd.setSortCols(sortCols);
        sd.setParameters(new HashMap<>(input.parameters("Parameters").orElse(Map.of())));
        input.object("SkewedInfo").ifPresent(skewed -> {
            SkewedInfo info = new SkewedInfo();
            info.setSkewedColNames(new ArrayList<>(skewed.strings("SkewedColumnNames", 0, Integer.MAX_VALUE, 1, 255).orElse(List.of())));
            List<List<String>> values = new ArrayList<>();
            for (String v : skewed.strings("SkewedColumnValues", 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE).orElse(List.of())) {
                values.add(decodeSkewedValues(v));
            }
            info.setSkewedColValues(values);
            Map<List<String>, String> locations = new HashMap<>();
            skewed.stringMap("SkewedColumnValueLocationMaps", 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE).orElse(Map.of())
                    .forEach((k, v) -> locations.put(decodeSkewedValues(k), v));
            info.setSkewedColValueLocationMaps(locations);
            sd.setSkewedInfo(info);
        });
        sd.setStoredAsSubDirectories(input.bool("StoredAsSubDirectories").orElse(false));
        ObjectNode glueOnly = JSON.createObjectNode();
        for (String member : List.of("AdditionalLocations", "SchemaReference")) {
            if (input.has(member)) {
                glueOnly.set(member, input.json().get(member));
            }
        }
        if (!glueOnly.isEmpty()) {
            extras.set("StorageDescriptor", glueOnly);
        }
        return sd;
    }

    private static ObjectNode storageDescriptorJson(StorageDescriptor sd, ObjectNode extras) {
        ObjectNode out = JSON.createObjectNode();
        out.set("Columns", columnsJson(sd.getCols(), extras == null ? null : (ObjectNode) extras.get("ColumnParameters")));
        if (sd.getLocation() != null) {
            out.put("Location", sd.getLocation());
        }
        if (sd.getInputFormat() != null) {
            out.put("InputFormat", sd.getInputFormat());
        }
        if (sd.getOutputFormat() != null) {
            out.put("OutputFormat", sd.getOutputFormat());
        }
        out.put("Compressed", sd.isCompressed());
        out.put("NumberOfBuckets", sd.getNumBuckets());
        SerDeInfo serde = sd.getSerdeInfo();
        boolean serdeAbsent = extras != null && extras.path("SerdeInfoAbsent").asBoolean(false);
        if (serde != null && !(serdeAbsent && serde.getName() == null && serde.getSerializationLib() == null
                && (serde.getParameters() == null || serde.getParameters().isEmpty()))) {
            ObjectNode s = out.putObject("SerdeInfo");
            if (serde.getName() != null) {
                s.put("Name", serde.getName());
            }
            if (serde.getSerializationLib() != null) {
                s.put("SerializationLibrary", serde.getSerializationLib());
            }
            s.set("Parameters", stringMap(serde.getParameters()));
        }
        ArrayNode buckets = out.putArray("BucketColumns");
        if (sd.getBucketCols() != null) {
            sd.getBucketCols().forEach(buckets::add);
        }
        ArrayNode sorts = out.putArray("SortColumns");
        if (sd.getSortCols() != null) {
            for (Order o : sd.getSortCols()) {
                sorts.addObject().put("Column", o.getCol()).put("SortOrder", o.getOrder());
            }
        }
        out.set("Parameters", stringMap(sd.getParameters()));
        if (sd.getSkewedInfo() != null) {
            SkewedInfo info = sd.getSkewedInfo();
            ObjectNode s = out.putObject("SkewedInfo");
            ArrayNode names = s.putArray("SkewedColumnNames");
            if (info.getSkewedColNames() != null) {
                info.getSkewedColNames().forEach(names::add);
            }
            ArrayNode values = s.putArray("SkewedColumnValues");
            if (info.getSkewedColValues() != null) {
                info.getSkewedColValues().forEach(v -> values.add(encodeSkewedValues(v)));
            }
            ObjectNode locations = s.putObject("SkewedColumnValueLocationMaps");
            if (info.getSkewedColValueLocationMaps() != null) {
                info.getSkewedColValueLocationMaps().forEach((k, v) -> locations.put(encodeSkewedValues(k), v));
            }
        }
        out.put("StoredAsSubDirectories", sd.isStoredAsSubDirectories());
        JsonNode glueOnly = extras == null ? null : extras.get("StorageDescriptor");
        if (glueOnly instanceof ObjectNode object) {
            out.setAll(object);
        }
        return out;
    }

    /**
     * Hive keeps a skewed value as a list of strings, Glue as one string; the list is written as each
     * element's length, a {@code $} and the element, which is how the Glue catalog client for Hive
     * writes it, so that values round-trip through either API.
     */
    static String encodeSkewedValues(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (String v : values) {
            out.append(v.length()).append('$').append(v);
        }
        return out.toString();
    }

    static List<String> decodeSkewedValues(String text) {
        List<String> result = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int dollar = text.indexOf('$', i);
            int length;
            try {
                length = dollar < 0 ? -1 : Integer.parseInt(text.substring(i, dollar));
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0 || dollar + 1 + length > text.length()) {
                // Not in the length-prefixed form: one plain value.
                return List.of(text);
            }
            result.add(text.substring(dollar + 1, dollar + 1 + length));
            i = dollar + 1 + length;
        }
        return result;
    }

    private static List<FieldSchema> columns(List<GlueRequest> columns, ObjectNode parametersByName) {
        List<FieldSchema> result = new ArrayList<>(columns.size());
        for (GlueRequest column : columns) {
            FieldSchema f = new FieldSchema();
            f.setName(column.requiredName("Name"));
            column.string("Type", 0, 131_072).ifPresent(f::setType);
            column.string("Comment", 0, 255).ifPresent(f::setComment);
            column.parameters("Parameters").filter(p -> !p.isEmpty())
                    .ifPresent(p -> parametersByName.set(f.getName().toLowerCase(Locale.ROOT), stringMap(p)));
            result.add(f);
        }
        return result;
    }

    private static ArrayNode columnsJson(List<FieldSchema> columns, ObjectNode parametersByName) {
        ArrayNode out = JSON.createArrayNode();
        if (columns == null) {
            return out;
        }
        for (FieldSchema f : columns) {
            ObjectNode c = out.addObject();
            c.put("Name", f.getName());
            if (f.getType() != null) {
                c.put("Type", f.getType());
            }
            if (f.getComment() != null) {
                c.put("Comment", f.getComment());
            }
            JsonNode parameters = parametersByName == null ? null : parametersByName.get(f.getName().toLowerCase(Locale.ROOT));
            if (parameters != null) {
                c.set("Parameters", parameters);
            }
        }
        return out;
    }

    static ObjectNode stringMap(Map<String, String> map) {
        ObjectNode out = JSON.createObjectNode();
        if (map != null) {
            map.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    // ---- column statistics

    static ColumnStatisticsObj columnStatistics(GlueRequest input) {
        ColumnStatisticsObj obj = new ColumnStatisticsObj();
        obj.setColName(input.requiredName("ColumnName"));
        obj.setColType(input.requiredString("ColumnType", 0, 20_000));
        GlueRequest data = input.requiredObject("StatisticsData");
        String type = data.enumValue("Type", List.of("BOOLEAN", "DATE", "DECIMAL", "DOUBLE", "LONG", "STRING", "BINARY"))
                .orElseThrow(() -> GlueException.validation("Value null at 'statisticsData.type' failed to satisfy constraint: Member must not be null"));
        ColumnStatisticsData stats = new ColumnStatisticsData();
        switch (type) {
            case "BOOLEAN" -> {
                GlueRequest d = data.requiredObject("BooleanColumnStatisticsData");
                stats.setBooleanStats(new BooleanColumnStatsData(d.requiredLong("NumberOfTrues", 0), d.requiredLong("NumberOfFalses", 0), d.requiredLong("NumberOfNulls", 0)));
            }
            case "DATE" -> {
                GlueRequest d = data.requiredObject("DateColumnStatisticsData");
                DateColumnStatsData s = new DateColumnStatsData(d.requiredLong("NumberOfNulls", 0), d.requiredLong("NumberOfDistinctValues", 0));
                d.epochSeconds("MinimumValue").ifPresent(t -> s.setLowValue(new Date(Math.floorDiv(t, 86_400L))));
                d.epochSeconds("MaximumValue").ifPresent(t -> s.setHighValue(new Date(Math.floorDiv(t, 86_400L))));
                stats.setDateStats(s);
            }
            case "DECIMAL" -> {
                GlueRequest d = data.requiredObject("DecimalColumnStatisticsData");
                DecimalColumnStatsData s = new DecimalColumnStatsData(d.requiredLong("NumberOfNulls", 0), d.requiredLong("NumberOfDistinctValues", 0));
                d.object("MinimumValue").ifPresent(v -> s.setLowValue(decimal(v)));
                d.object("MaximumValue").ifPresent(v -> s.setHighValue(decimal(v)));
                stats.setDecimalStats(s);
            }
            case "DOUBLE" -> {
                GlueRequest d = data.requiredObject("DoubleColumnStatisticsData");
                DoubleColumnStatsData s = new DoubleColumnStatsData(d.requiredLong("NumberOfNulls", 0), d.requiredLong("NumberOfDistinctValues", 0));
                d.doubleValue("MinimumValue").ifPresent(s::setLowValue);
                d.doubleValue("MaximumValue").ifPresent(s::setHighValue);
                stats.setDoubleStats(s);
            }
            case "LONG" -> {
                GlueRequest d = data.requiredObject("LongColumnStatisticsData");
                LongColumnStatsData s = new LongColumnStatsData(d.requiredLong("NumberOfNulls", 0), d.requiredLong("NumberOfDistinctValues", 0));
                d.longValue("MinimumValue", Long.MIN_VALUE).ifPresent(s::setLowValue);
                d.longValue("MaximumValue", Long.MIN_VALUE).ifPresent(s::setHighValue);
                stats.setLongStats(s);
            }
            case "STRING" -> {
                GlueRequest d = data.requiredObject("StringColumnStatisticsData");
                stats.setStringStats(new StringColumnStatsData(d.requiredLong("MaximumLength", 0), d.requiredDouble("AverageLength"),
                        d.requiredLong("NumberOfNulls", 0), d.requiredLong("NumberOfDistinctValues", 0)));
            }
            default -> {
                GlueRequest d = data.requiredObject("BinaryColumnStatisticsData");
                stats.setBinaryStats(new BinaryColumnStatsData(d.requiredLong("MaximumLength", 0), d.requiredDouble("AverageLength"), d.requiredLong("NumberOfNulls", 0)));
            }
        }
        obj.setStatsData(stats);
        return obj;
    }

    private static Decimal decimal(GlueRequest input) {
        return new Decimal((short) input.requiredInteger("Scale", Short.MIN_VALUE, Short.MAX_VALUE), ByteBuffer.wrap(input.requiredBlob("UnscaledValue")));
    }

    private static ObjectNode decimalJson(Decimal d) {
        ObjectNode out = JSON.createObjectNode();
        byte[] unscaled = new byte[d.bufferForUnscaled().remaining()];
        d.bufferForUnscaled().duplicate().get(unscaled);
        out.put("UnscaledValue", Base64.getEncoder().encodeToString(unscaled));
        out.put("Scale", d.getScale());
        return out;
    }

    static ObjectNode columnStatisticsJson(ColumnStatisticsObj obj, long analyzedTime) {
        ObjectNode out = JSON.createObjectNode();
        out.put("ColumnName", obj.getColName());
        out.put("ColumnType", obj.getColType());
        out.put("AnalyzedTime", analyzedTime);
        ObjectNode data = out.putObject("StatisticsData");
        ColumnStatisticsData stats = obj.getStatsData();
        switch (stats.getSetField()) {
            case BOOLEAN_STATS -> {
                var s = stats.getBooleanStats();
                data.put("Type", "BOOLEAN");
                data.putObject("BooleanColumnStatisticsData").put("NumberOfTrues", s.getNumTrues()).put("NumberOfFalses", s.getNumFalses()).put("NumberOfNulls", s.getNumNulls());
            }
            case DATE_STATS -> {
                var s = stats.getDateStats();
                data.put("Type", "DATE");
                ObjectNode d = data.putObject("DateColumnStatisticsData");
                if (s.isSetLowValue()) {
                    d.put("MinimumValue", s.getLowValue().getDaysSinceEpoch() * 86_400L);
                }
                if (s.isSetHighValue()) {
                    d.put("MaximumValue", s.getHighValue().getDaysSinceEpoch() * 86_400L);
                }
                d.put("NumberOfNulls", s.getNumNulls()).put("NumberOfDistinctValues", s.getNumDVs());
            }
            case DECIMAL_STATS -> {
                var s = stats.getDecimalStats();
                data.put("Type", "DECIMAL");
                ObjectNode d = data.putObject("DecimalColumnStatisticsData");
                if (s.isSetLowValue()) {
                    d.set("MinimumValue", decimalJson(s.getLowValue()));
                }
                if (s.isSetHighValue()) {
                    d.set("MaximumValue", decimalJson(s.getHighValue()));
                }
                d.put("NumberOfNulls", s.getNumNulls()).put("NumberOfDistinctValues", s.getNumDVs());
            }
            case DOUBLE_STATS -> {
                var s = stats.getDoubleStats();
                data.put("Type", "DOUBLE");
                ObjectNode d = data.putObject("DoubleColumnStatisticsData");
                if (s.isSetLowValue()) {
                    d.put("MinimumValue", s.getLowValue());
                }
                if (s.isSetHighValue()) {
                    d.put("MaximumValue", s.getHighValue());
                }
                d.put("NumberOfNulls", s.getNumNulls()).put("NumberOfDistinctValues", s.getNumDVs());
            }
            case LONG_STATS -> {
                var s = stats.getLongStats();
                data.put("Type", "LONG");
                ObjectNode d = data.putObject("LongColumnStatisticsData");
                if (s.isSetLowValue()) {
                    d.put("MinimumValue", s.getLowValue());
                }
                if (s.isSetHighValue()) {
                    d.put("MaximumValue", s.getHighValue());
                }
                d.put("NumberOfNulls", s.getNumNulls()).put("NumberOfDistinctValues", s.getNumDVs());
            }
            case STRING_STATS -> {
                var s = stats.getStringStats();
                data.put("Type", "STRING");
                data.putObject("StringColumnStatisticsData").put("MaximumLength", s.getMaxColLen()).put("AverageLength", s.getAvgColLen())
                        .put("NumberOfNulls", s.getNumNulls()).put("NumberOfDistinctValues", s.getNumDVs());
            }
            case BINARY_STATS -> {
                var s = stats.getBinaryStats();
                data.put("Type", "BINARY");
                data.putObject("BinaryColumnStatisticsData").put("MaximumLength", s.getMaxColLen()).put("AverageLength", s.getAvgColLen()).put("NumberOfNulls", s.getNumNulls());
            }
            default -> throw GlueException.internal("Statistics of column " + obj.getColName() + " are of a kind Glue cannot represent: " + stats.getSetField());
        }
        return out;
    }

    // ---- functions

    static Translated<Function> function(String databaseName, GlueRequest input, Optional<String> defaultName) {
        Function f = new Function();
        f.setDbName(databaseName);
        String name = input.name("FunctionName").or(() -> defaultName)
                .orElseThrow(() -> GlueException.validation("Value null at 'functionInput.functionName' failed to satisfy constraint: Member must not be null"));
        f.setFunctionName(name);
        input.name("ClassName").ifPresent(f::setClassName);
        input.name("OwnerName").ifPresent(f::setOwnerName);
        input.enumValue("OwnerType", List.of("USER", "ROLE", "GROUP")).ifPresent(t -> f.setOwnerType(PrincipalType.valueOf(t)));
        f.setFunctionType(FunctionType.JAVA);
        List<ResourceUri> uris = new ArrayList<>();
        for (GlueRequest uri : input.objects("ResourceUris", 0, 1000).orElse(List.of())) {
            ResourceUri r = new ResourceUri();
            uri.enumValue("ResourceType", List.of("JAR", "FILE", "ARCHIVE")).ifPresent(t -> r.setResourceType(ResourceType.valueOf(t)));
            uri.string("Uri", 1, 1024).ifPresent(r::setUri);
            uris.add(r);
        }
        f.setResourceUris(uris);
        ObjectNode extras = JSON.createObjectNode();
        input.enumValue("FunctionType", List.of("REGULAR_FUNCTION", "AGGREGATE_FUNCTION", "STORED_PROCEDURE"))
                .ifPresent(t -> extras.putObject("Function").put("FunctionType", t));
        return new Translated<>(f, extras);
    }

    static ObjectNode functionJson(Function f, ObjectNode extras, String catalogId) {
        ObjectNode out = JSON.createObjectNode();
        out.put("FunctionName", f.getFunctionName());
        out.put("DatabaseName", f.getDbName());
        if (f.getClassName() != null) {
            out.put("ClassName", f.getClassName());
        }
        if (f.getOwnerName() != null) {
            out.put("OwnerName", f.getOwnerName());
        }
        if (f.getOwnerType() != null) {
            out.put("OwnerType", f.getOwnerType().name());
        }
        out.put("CreateTime", f.getCreateTime());
        ArrayNode uris = out.putArray("ResourceUris");
        if (f.getResourceUris() != null) {
            for (ResourceUri r : f.getResourceUris()) {
                ObjectNode u = uris.addObject();
                if (r.getResourceType() != null) {
                    u.put("ResourceType", r.getResourceType().name());
                }
                if (r.getUri() != null) {
                    u.put("Uri", r.getUri());
                }
            }
        }
        JsonNode glueOnly = extras == null ? null : extras.get("Function");
        if (glueOnly instanceof ObjectNode object) {
            out.setAll(object);
        }
        out.put("CatalogId", catalogId);
        return out;
    }

    static boolean isDefaultPartitionValue(String value) {
        return DEFAULT_PARTITION.equals(value);
    }
}
