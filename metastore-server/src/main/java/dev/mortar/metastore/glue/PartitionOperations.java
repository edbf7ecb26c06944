package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.glue.HiveShapes.Translated;
import dev.mortar.metastore.hms.PartitionNames;
import dev.mortar.metastore.store.CatalogExtras;
import dev.mortar.metastore.store.CatalogStore.PartitionRow;
import dev.mortar.metastore.store.CatalogStore.TableRow;
import dev.mortar.metastore.store.GlueExpressionParser;
import dev.mortar.metastore.store.PartitionFilter;
import dev.mortar.metastore.store.PartitionFilterMatcher;
import dev.mortar.metastore.store.PartitionFilterSql;
import dev.mortar.metastore.store.PartitionPages;
import dev.mortar.metastore.store.Sql;
import org.apache.hadoop.hive.metastore.api.AddPartitionsRequest;
import org.apache.hadoop.hive.metastore.api.AddPartitionsResult;
import org.apache.hadoop.hive.metastore.api.DropPartitionsRequest;
import org.apache.hadoop.hive.metastore.api.DropPartitionsResult;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.RequestPartsSpec;
import org.apache.hadoop.hive.metastore.api.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Partitions: CreatePartition, BatchCreatePartition, GetPartition, GetPartitions (Expression pushed down
 * to the store, Segment, MaxResults/NextToken), BatchGetPartition, UpdatePartition, BatchUpdatePartition,
 * DeletePartition, BatchDeletePartition; and partition indexes.
 *
 * <p>Batches report the entries that cannot be applied (missing, existing, invalid) one by one, as the
 * service does, and apply all the others in one HMS call, so they are added, changed or removed
 * together or not at all.
 */
final class PartitionOperations {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionOperations.class);
    static final int BATCH_CREATE_MAX = 100;
    static final int BATCH_GET_MAX = 1000;
    static final int BATCH_DELETE_MAX = 25;
    static final int BATCH_UPDATE_MAX = 100;
    static final int PARTITION_INDEXES_MAX = 3;
    /** What one partition key value and one partition name may hold in the store (m_partition_key_vals, m_partitions). */
    private static final int STORED_VALUE_MAX = 512;
    private static final int STORED_NAME_MAX = 760;

    private final GlueContext ctx;

    PartitionOperations(GlueContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, GlueOperation> operations) {
        operations.put("CreatePartition", this::createPartition);
        operations.put("BatchCreatePartition", this::batchCreatePartition);
        operations.put("GetPartition", this::getPartition);
        operations.put("GetPartitions", this::getPartitions);
        operations.put("BatchGetPartition", this::batchGetPartition);
        operations.put("UpdatePartition", this::updatePartition);
        operations.put("BatchUpdatePartition", this::batchUpdatePartition);
        operations.put("DeletePartition", this::deletePartition);
        operations.put("BatchDeletePartition", this::batchDeletePartition);
        operations.put("CreatePartitionIndex", this::createPartitionIndex);
        operations.put("GetPartitionIndexes", this::getPartitionIndexes);
        operations.put("DeletePartitionIndex", this::deletePartitionIndex);
    }

    private record Target(String db, String table) {}

    private static Target target(GlueRequest request) {
        GlueContext.catalogId(request);
        return new Target(GlueContext.lower(request.requiredName("DatabaseName")), GlueContext.lower(request.requiredName("TableName")));
    }

    private TableRow table(Target t) {
        return ctx.tx(c -> ctx.requireTable(c, t.db(), t.table()));
    }

    /** The stored name of the partition with these values, or the service's error for values that cannot name one. */
    static String partitionName(Table table, List<String> values) {
        List<FieldSchema> keys = table.getPartitionKeys() == null ? List.of() : table.getPartitionKeys();
        if (keys.isEmpty()) {
            throw GlueException.invalidInput("Table " + table.getDbName() + "." + table.getTableName() + " is not partitioned");
        }
        if (values.size() != keys.size()) {
            throw GlueException.invalidInput("The number of partition values (" + values.size() + ") does not match the number of partition keys ("
                    + keys.size() + ") of table " + table.getDbName() + "." + table.getTableName());
        }
        for (String v : values) {
            if (v.length() > STORED_VALUE_MAX) {
                throw GlueException.invalidInput("Partition value '" + v.substring(0, 40) + "...' is longer than the " + STORED_VALUE_MAX + " characters this catalog stores");
            }
        }
        String name = PartitionNames.make(keys, values);
        if (name.length() > STORED_NAME_MAX) {
            throw GlueException.invalidInput("Partition name '" + name.substring(0, 40) + "...' is longer than the " + STORED_NAME_MAX + " characters this catalog stores");
        }
        return name;
    }

    private static List<String> values(GlueRequest request, String member) {
        return request.requiredStrings(member, 0, Integer.MAX_VALUE, 1, 1024);
    }

    private ObjectNode partitionJson(PartitionRow row, ObjectNode extras, boolean excludeColumns) {
        return HiveShapes.partitionJson(row.partition(), extras, ctx.catalogId, excludeColumns);
    }

    // ---- create

    private ObjectNode createPartition(GlueRequest request) {
        Target t = target(request);
        GlueRequest input = request.requiredObject("PartitionInput");
        TableRow row = table(t);
        List<String> values = values(input, "Values");
        partitionName(row.table(), values);
        Translated<Partition> p = HiveShapes.partition(t.db(), t.table(), values, input);
        ctx.tx(c -> {
            ctx.hmsRun(() -> ctx.hms.add_partition(p.hive()));
            saveExtras(row, List.of(p));
            return null;
        });
        return HiveShapes.JSON.createObjectNode();
    }

    private void saveExtras(TableRow table, List<Translated<Partition>> partitions) {
        List<Translated<Partition>> withExtras = partitions.stream().filter(p -> HiveShapes.hasContent(p.extras())).toList();
        if (withExtras.isEmpty()) {
            return;
        }
        ctx.tx(c -> {
            Map<String, Translated<Partition>> byName = new LinkedHashMap<>();
            for (Translated<Partition> p : withExtras) {
                byName.put(PartitionNames.make(table.table().getPartitionKeys(), p.hive().getValues()), p);
            }
            for (PartitionRow stored : ctx.store.getPartitions(c, table.id(), byName.keySet())) {
                ctx.glue.putExtras(c, CatalogExtras.PARTITION, stored.id(), "", table.id(), byName.get(stored.name()).extras());
            }
            return null;
        });
    }

    private static ObjectNode partitionError(ArrayNode errors, List<String> values, GlueException e) {
        ObjectNode error = errors.addObject();
        ArrayNode v = error.putArray("PartitionValues");
        values.forEach(v::add);
        error.putObject("ErrorDetail").put("ErrorCode", e.type()).put("ErrorMessage", e.getMessage());
        return error;
    }

    private ObjectNode batchCreatePartition(GlueRequest request) {
        Target t = target(request);
        List<GlueRequest> inputs = request.requiredObjects("PartitionInputList", 0, BATCH_CREATE_MAX);
        TableRow row = table(t);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode errors = out.putArray("Errors");
        Map<String, Translated<Partition>> valid = new LinkedHashMap<>();
        Map<String, List<String>> valuesByName = new HashMap<>();
        for (GlueRequest input : inputs) {
            List<String> values = values(input, "Values");
            try {
                String name = partitionName(row.table(), values);
                if (valid.containsKey(name)) {
                    throw GlueException.alreadyExists("Partition " + values + " appears more than once in the request");
                }
                valid.put(name, HiveShapes.partition(t.db(), t.table(), values, input));
                valuesByName.put(name, values);
            } catch (GlueException e) {
                partitionError(errors, values, e);
            }
        }
        Set<String> existing = new HashSet<>();
        if (!valid.isEmpty()) {
            ctx.tx(c -> {
                ctx.store.getPartitions(c, row.id(), valid.keySet()).forEach(p -> existing.add(p.name()));
                return null;
            });
        }
        for (String name : existing) {
            partitionError(errors, valuesByName.get(name), GlueException.alreadyExists("Partition already exists: " + valuesByName.get(name)));
            valid.remove(name);
        }
        if (!valid.isEmpty()) {
            AddPartitionsRequest add = new AddPartitionsRequest(t.db(), t.table(), valid.values().stream().map(Translated::hive).toList(), true /* ifNotExists */);
            add.setNeedResult(true);
            Set<String> added = new HashSet<>();
            ctx.tx(c -> {
                AddPartitionsResult result = ctx.hms(() -> ctx.hms.add_partitions_req(add));
                for (Partition p : result.getPartitions() == null ? List.<Partition>of() : result.getPartitions()) {
                    added.add(PartitionNames.make(row.table().getPartitionKeys(), p.getValues()));
                }
                saveExtras(row, valid.entrySet().stream().filter(e -> added.contains(e.getKey())).map(Map.Entry::getValue).toList());
                return null;
            });
            for (String name : valid.keySet()) {
                if (!added.contains(name)) {
                    // Added by another client between the check above and the write.
                    partitionError(errors, valuesByName.get(name), GlueException.alreadyExists("Partition already exists: " + valuesByName.get(name)));
                }
            }
            LOG.debug("Glue: added {} partitions to {}.{}", added.size(), t.db(), t.table());
        }
        return out;
    }

    // ---- read

    private ObjectNode getPartition(GlueRequest request) {
        Target t = target(request);
        List<String> values = values(request, "PartitionValues");
        return ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, t.db(), t.table());
            String name = partitionName(row.table(), values);
            PartitionRow p = ctx.store.getPartition(c, row.id(), name, false)
                    .orElseThrow(() -> GlueException.entityNotFound("Partition " + values + " of table " + t.db() + "." + t.table() + " not found."));
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            out.set("Partition", partitionJson(p, ctx.glue.extras(c, CatalogExtras.PARTITION, List.of(p.id())).get(p.id()), false));
            return out;
        });
    }

    private ObjectNode getPartitions(GlueRequest request) {
        Target t = target(request);
        TableOperations.rejectUnsupported(request, "TransactionId", "QueryAsOfTime");
        String expression = request.string("Expression", 0, 2048).orElse("");
        int max = request.integer("MaxResults", 1, 1000).orElse(1000);
        boolean excludeColumns = request.bool("ExcludeColumnSchema").orElse(false);
        Optional<GlueRequest> segment = request.object("Segment");
        int segmentNumber = 0;
        int totalSegments = 1;
        if (segment.isPresent()) {
            segmentNumber = segment.get().requiredInteger("SegmentNumber", 0, Integer.MAX_VALUE);
            totalSegments = segment.get().requiredInteger("TotalSegments", 1, 10);
            if (segmentNumber >= totalSegments) {
                throw GlueException.invalidInput("SegmentNumber " + segmentNumber + " is not below TotalSegments " + totalSegments);
            }
        }
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetPartitions");
        // An empty expression (Hive's Glue client sends one) means every partition.
        Optional<PartitionFilter> parsed;
        try {
            parsed = expression.isBlank() ? Optional.empty() : Optional.of(GlueExpressionParser.parse(expression));
        } catch (PartitionFilter.ParseException e) {
            throw GlueException.invalidInput(e.getMessage());
        }
        int segmentNo = segmentNumber;
        int segments = totalSegments;
        return ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, t.db(), t.table());
            List<FieldSchema> keys = row.table().getPartitionKeys();
            Optional<Sql> filter;
            Optional<List<PartitionRow>> cached;
            try {
                // Rendered first also when the cache answers: it checks every key and literal of the expression.
                filter = parsed.map(f -> new PartitionFilterSql(row.id(), keys, PartitionFilter.Semantics.GLUE).toJoinedSql(f));
                cached = cached(row, parsed);
            } catch (IllegalArgumentException e) {
                throw GlueException.invalidInput(e.getMessage());
            }
            List<PartitionRow> rows;
            if (cached.isPresent()) {
                rows = page(cached.get(), segments, segmentNo, token.map(p -> p.after().get(0)), max + 1);
            } else {
                Optional<Sql> sql = PartitionPages.where(ctx.store, filter, segmentNo, segments, token.map(p -> p.after().get(0)));
                rows = ctx.store.listPartitions(c, row.id(), sql, max + 1);
                if (sql.isEmpty() && rows.size() <= max) {
                    // Every partition of the table: kept for the next reads, filtered or not, from either API.
                    ctx.store.partitionCache().putRows(row.id(), row.partitionsVersion(), rows);
                }
            }
            boolean more = rows.size() > max;
            if (more) {
                rows = rows.subList(0, max);
            }
            Map<Long, ObjectNode> extras = ctx.glue.extras(c, CatalogExtras.PARTITION, rows.stream().map(PartitionRow::id).toList());
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            ArrayNode list = out.putArray("Partitions");
            for (PartitionRow p : rows) {
                list.add(partitionJson(p, extras.get(p.id()), excludeColumns));
            }
            if (more) {
                out.put("NextToken", new PageToken("GetPartitions", List.of(rows.get(rows.size() - 1).name())).encode());
            }
            return out;
        });
    }

    /**
     * The partitions an expression selects from the cache, in the store's order, when the cache holds
     * the table's partitions at the version this transaction read and the matcher can answer for the
     * store's collation.
     */
    private Optional<List<PartitionRow>> cached(TableRow row, Optional<PartitionFilter> filter) {
        if (filter.isEmpty()) {
            return ctx.store.partitionCache().rows(row.id(), row.partitionsVersion());
        }
        return PartitionFilterMatcher.forFilter(ctx.store.dialect(), PartitionFilter.Semantics.GLUE, row.table().getPartitionKeys(), filter.get())
                .flatMap(s -> ctx.store.partitionCache().selected(row.id(), row.partitionsVersion(), ctx.store.dialect(), s));
    }

    /** One page of listed partitions (in the store's order): those of the segment after the token, at most {@code limit}. */
    private List<PartitionRow> page(List<PartitionRow> all, int segments, int segmentNo, Optional<String> after, int limit) {
        java.util.Comparator<String> order = ctx.store.partitionCache().order();
        int from = 0;
        if (after.isPresent()) {
            // The names are in the store's order: the first one after the token, by binary search.
            int low = 0;
            int high = all.size();
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (order.compare(all.get(mid).name(), after.get()) <= 0) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            from = low;
        }
        List<PartitionRow> out = new ArrayList<>();
        for (int i = from; i < all.size() && out.size() < limit; i++) {
            PartitionRow p = all.get(i);
            if (segments <= 1 || p.id() % segments == segmentNo) {
                out.add(p);
            }
        }
        return out;
    }

    private ObjectNode batchGetPartition(GlueRequest request) {
        Target t = target(request);
        List<GlueRequest> wanted = request.requiredObjects("PartitionsToGet", 0, BATCH_GET_MAX);
        List<List<String>> valueLists = new ArrayList<>();
        for (GlueRequest w : wanted) {
            valueLists.add(values(w, "Values"));
        }
        return ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, t.db(), t.table());
            Set<String> names = new java.util.LinkedHashSet<>();
            for (List<String> values : valueLists) {
                try {
                    names.add(partitionName(row.table(), values));
                } catch (GlueException e) {
                    // Values that cannot name a partition of this table name none: nothing to return.
                }
            }
            List<PartitionRow> found = ctx.store.getPartitions(c, row.id(), names);
            Map<Long, ObjectNode> extras = ctx.glue.extras(c, CatalogExtras.PARTITION, found.stream().map(PartitionRow::id).toList());
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            ArrayNode list = out.putArray("Partitions");
            for (PartitionRow p : found) {
                list.add(partitionJson(p, extras.get(p.id()), false));
            }
            out.putArray("UnprocessedKeys");
            return out;
        });
    }

    // ---- update

    /** The Hive partition an UpdatePartition entry asks for; its Values, when given, must be the partition's own. */
    private static Translated<Partition> updated(Target t, List<String> values, GlueRequest input) {
        Optional<List<String>> newValues = input.strings("Values", 0, Integer.MAX_VALUE, 1, 1024);
        if (newValues.isPresent() && !newValues.get().isEmpty() && !newValues.get().equals(values)) {
            throw GlueException.invalidInput("The values of a partition cannot be changed (" + values + " to " + newValues.get() + "); delete it and create it again");
        }
        return HiveShapes.partition(t.db(), t.table(), values, input);
    }

    private ObjectNode updatePartition(GlueRequest request) {
        Target t = target(request);
        List<String> values = request.requiredStrings("PartitionValueList", 0, 100, 1, 1024);
        Translated<Partition> p = updated(t, values, request.requiredObject("PartitionInput"));
        TableRow row = table(t);
        String name = partitionName(row.table(), values);
        PartitionRow existing = ctx.tx(c -> ctx.store.getPartition(c, row.id(), name, false))
                .orElseThrow(() -> GlueException.entityNotFound("Partition " + values + " of table " + t.db() + "." + t.table() + " not found."));
        ctx.tx(c -> {
            ctx.hmsRun(() -> ctx.hms.alter_partition(t.db(), t.table(), p.hive()));
            ctx.glue.putExtras(c, CatalogExtras.PARTITION, existing.id(), "", row.id(), p.extras());
            return null;
        });
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode batchUpdatePartition(GlueRequest request) {
        Target t = target(request);
        List<GlueRequest> entries = request.requiredObjects("Entries", 1, BATCH_UPDATE_MAX);
        TableRow row = table(t);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode errors = out.putArray("Errors");
        Map<String, Translated<Partition>> valid = new LinkedHashMap<>();
        Map<String, List<String>> valuesByName = new HashMap<>();
        for (GlueRequest entry : entries) {
            List<String> values = entry.requiredStrings("PartitionValueList", 0, 100, 1, 1024);
            try {
                Translated<Partition> p = updated(t, values, entry.requiredObject("PartitionInput"));
                String name = partitionName(row.table(), values);
                if (valid.containsKey(name)) {
                    throw GlueException.invalidInput("Partition " + values + " appears more than once in the request");
                }
                valid.put(name, p);
                valuesByName.put(name, values);
            } catch (GlueException e) {
                updateError(errors, values, e);
            }
        }
        Map<String, Long> ids = new HashMap<>();
        if (!valid.isEmpty()) {
            ctx.tx(c -> {
                ctx.store.getPartitions(c, row.id(), valid.keySet()).forEach(p -> ids.put(p.name(), p.id()));
                return null;
            });
        }
        for (String name : List.copyOf(valid.keySet())) {
            if (!ids.containsKey(name)) {
                updateError(errors, valuesByName.get(name), GlueException.entityNotFound("Partition " + valuesByName.get(name) + " of table " + t.db() + "." + t.table() + " not found."));
                valid.remove(name);
            }
        }
        if (!valid.isEmpty()) {
            List<Partition> partitions = valid.values().stream().map(Translated::hive).toList();
            ctx.tx(c -> {
                ctx.hmsRun(() -> ctx.hms.alter_partitions(t.db(), t.table(), partitions));
                for (Map.Entry<String, Translated<Partition>> e : valid.entrySet()) {
                    ctx.glue.putExtras(c, CatalogExtras.PARTITION, ids.get(e.getKey()), "", row.id(), e.getValue().extras());
                }
                return null;
            });
        }
        return out;
    }

    private static void updateError(ArrayNode errors, List<String> values, GlueException e) {
        ObjectNode error = errors.addObject();
        ArrayNode v = error.putArray("PartitionValueList");
        values.forEach(v::add);
        error.putObject("ErrorDetail").put("ErrorCode", e.type()).put("ErrorMessage", e.getMessage());
    }

    // ---- delete

    private ObjectNode deletePartition(GlueRequest request) {
        Target t = target(request);
        List<String> values = values(request, "PartitionValues");
        TableRow row = table(t);
        String name = partitionName(row.table(), values);
        PartitionRow existing = ctx.tx(c -> ctx.store.getPartition(c, row.id(), name, false))
                .orElseThrow(() -> GlueException.entityNotFound("Partition " + values + " of table " + t.db() + "." + t.table() + " not found."));
        ctx.tx(c -> {
            ctx.hms(() -> ctx.hms.drop_partition(t.db(), t.table(), values, false /* deleteData */));
            ctx.glue.deleteExtras(c, CatalogExtras.PARTITION, existing.id(), "");
            ctx.glue.deleteAllExtras(c, CatalogExtras.PARTITION_STATS, existing.id());
            return null;
        });
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode batchDeletePartition(GlueRequest request) {
        Target t = target(request);
        List<GlueRequest> wanted = request.requiredObjects("PartitionsToDelete", 0, BATCH_DELETE_MAX);
        TableRow row = table(t);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode errors = out.putArray("Errors");
        Map<String, List<String>> valuesByName = new LinkedHashMap<>();
        for (GlueRequest w : wanted) {
            List<String> values = values(w, "Values");
            try {
                valuesByName.put(partitionName(row.table(), values), values);
            } catch (GlueException e) {
                partitionError(errors, values, GlueException.entityNotFound("Partition " + values + " of table " + t.db() + "." + t.table() + " not found: " + e.getMessage()));
            }
        }
        Map<String, Long> ids = new HashMap<>();
        if (!valuesByName.isEmpty()) {
            ctx.tx(c -> {
                ctx.store.getPartitions(c, row.id(), valuesByName.keySet()).forEach(p -> ids.put(p.name(), p.id()));
                return null;
            });
        }
        List<String> present = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : valuesByName.entrySet()) {
            if (ids.containsKey(e.getKey())) {
                present.add(e.getKey());
            } else {
                partitionError(errors, e.getValue(), GlueException.entityNotFound("Partition " + e.getValue() + " of table " + t.db() + "." + t.table() + " not found."));
            }
        }
        if (!present.isEmpty()) {
            DropPartitionsRequest drop = new DropPartitionsRequest(t.db(), t.table(), RequestPartsSpec.names(present));
            drop.setDeleteData(false);
            drop.setIfExists(true);
            drop.setNeedResult(true);
            Set<String> dropped = new HashSet<>();
            ctx.tx(c -> {
                DropPartitionsResult result = ctx.hms(() -> ctx.hms.drop_partitions_req(drop));
                for (Partition p : result.getPartitions() == null ? List.<Partition>of() : result.getPartitions()) {
                    dropped.add(PartitionNames.make(row.table().getPartitionKeys(), p.getValues()));
                }
                for (String name : dropped) {
                    ctx.glue.deleteExtras(c, CatalogExtras.PARTITION, ids.get(name), "");
                    ctx.glue.deleteAllExtras(c, CatalogExtras.PARTITION_STATS, ids.get(name));
                }
                return null;
            });
            for (String name : present) {
                if (!dropped.contains(name)) {
                    partitionError(errors, valuesByName.get(name), GlueException.entityNotFound("Partition " + valuesByName.get(name) + " of table " + t.db() + "." + t.table() + " not found."));
                }
            }
        }
        return out;
    }

    // ---- partition indexes

    /** A partition index of a CreatePartitionIndex or CreateTable request, checked against the table and the indexes it already has. */
    static CatalogExtras.PartitionIndex partitionIndex(GlueRequest input, Table table, List<CatalogExtras.PartitionIndex> existing) {
        String name = input.requiredName("IndexName");
        List<String> keys = input.requiredStrings("Keys", 1, Integer.MAX_VALUE, 1, GlueRequest.NAME_MAX).stream().map(GlueContext::lower).toList();
        if (existing.stream().anyMatch(i -> i.name().equals(name))) {
            throw GlueException.alreadyExists("Partition index " + name + " already exists on table " + table.getDbName() + "." + table.getTableName());
        }
        if (existing.size() >= PARTITION_INDEXES_MAX) {
            throw GlueException.resourceNumberLimitExceeded("Table " + table.getDbName() + "." + table.getTableName() + " already has "
                    + PARTITION_INDEXES_MAX + " partition indexes, the most a table can have");
        }
        if (new HashSet<>(keys).size() != keys.size()) {
            throw GlueException.invalidInput("Partition index " + name + " names a key more than once: " + keys);
        }
        Map<String, FieldSchema> byName = new HashMap<>();
        for (FieldSchema key : table.getPartitionKeys() == null ? List.<FieldSchema>of() : table.getPartitionKeys()) {
            byName.put(key.getName().toLowerCase(Locale.ROOT), key);
        }
        for (String key : keys) {
            FieldSchema field = byName.get(key);
            if (field == null) {
                throw GlueException.invalidInput("Partition index " + name + " names '" + key + "', which is not a partition key of table "
                        + table.getDbName() + "." + table.getTableName() + "; partition keys are " + byName.keySet());
            }
            String type = field.getType() == null ? "" : field.getType().toLowerCase(Locale.ROOT);
            boolean supported = type.equals("string") || type.startsWith("varchar") || type.startsWith("char") || type.equals("date")
                    || PartitionFilterSql.isIntegral(field) || type.equals("long");
            if (!supported) {
                throw GlueException.invalidInput("Partition index " + name + ": key '" + key + "' is of type " + field.getType()
                        + "; partition indexes support string, char, varchar, date and integral keys");
            }
        }
        return new CatalogExtras.PartitionIndex(name, keys, TableVersions.now());
    }

    private ObjectNode createPartitionIndex(GlueRequest request) {
        Target t = target(request);
        GlueRequest input = request.requiredObject("PartitionIndex");
        TableRow row = table(t);
        new TableVersions(ctx).ensureVersioned(row.id());
        ctx.tx(c -> {
            // The table's version row lock orders index changes, so the limit and the name check hold.
            ctx.glue.currentVersion(c, row.id(), true);
            Table table = ctx.store.getTableById(c, row.id()).map(TableRow::table)
                    .orElseThrow(() -> GlueException.entityNotFound("Table " + t.table() + " not found."));
            ctx.glue.insertPartitionIndex(c, row.id(), partitionIndex(input, table, ctx.glue.partitionIndexes(c, row.id())));
            return null;
        });
        LOG.info("Glue: created partition index on {}.{}", t.db(), t.table());
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode getPartitionIndexes(GlueRequest request) {
        Target t = target(request);
        PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetPartitionIndexes");
        return ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, t.db(), t.table());
            Map<String, FieldSchema> keys = new HashMap<>();
            for (FieldSchema key : row.table().getPartitionKeys()) {
                keys.put(key.getName().toLowerCase(Locale.ROOT), key);
            }
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            ArrayNode list = out.putArray("PartitionIndexDescriptorList");
            for (CatalogExtras.PartitionIndex index : ctx.glue.partitionIndexes(c, row.id())) {
                ObjectNode d = list.addObject();
                d.put("IndexName", index.name());
                ArrayNode k = d.putArray("Keys");
                for (String key : index.keys()) {
                    FieldSchema field = keys.get(key);
                    k.addObject().put("Name", key).put("Type", field == null ? "string" : field.getType());
                }
                // The key values of every partition are indexed as they are written: an index is usable at once.
                d.put("IndexStatus", "ACTIVE");
            }
            return out;
        });
    }

    private ObjectNode deletePartitionIndex(GlueRequest request) {
        Target t = target(request);
        String name = request.requiredName("IndexName");
        ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, t.db(), t.table());
            if (ctx.glue.deletePartitionIndex(c, row.id(), name) == 0) {
                throw GlueException.entityNotFound("Partition index " + name + " not found on table " + t.db() + "." + t.table() + ".");
            }
            return null;
        });
        LOG.info("Glue: deleted partition index {} of {}.{}", name, t.db(), t.table());
        return HiveShapes.JSON.createObjectNode();
    }
}
