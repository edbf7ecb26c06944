package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.store.CatalogExtras;
import dev.mortar.metastore.store.CatalogStore.PartitionRow;
import dev.mortar.metastore.store.CatalogStore.TableRow;
import org.apache.hadoop.hive.metastore.api.ColumnStatistics;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsDesc;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.PartitionsStatsRequest;
import org.apache.hadoop.hive.metastore.api.SetPartitionsStatsRequest;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.TableStatsRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Column statistics of tables and partitions: Get/Update/DeleteColumnStatisticsForTable and
 * ...ForPartition, written and read through the HMS statistics calls, so that the statistics engines
 * compute through the HMS API are the ones Glue clients read, and the reverse. A column's AnalyzedTime,
 * which Hive does not keep per column, is kept with the Glue-only fields.
 */
final class StatisticsOperations {
    static final int UPDATE_MAX = 25;
    static final int GET_MAX = 100;
    private static final String ENGINE = "hive";

    private final GlueContext ctx;

    StatisticsOperations(GlueContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, GlueOperation> operations) {
        operations.put("GetColumnStatisticsForTable", r -> get(r, false));
        operations.put("GetColumnStatisticsForPartition", r -> get(r, true));
        operations.put("UpdateColumnStatisticsForTable", r -> update(r, false));
        operations.put("UpdateColumnStatisticsForPartition", r -> update(r, true));
        operations.put("DeleteColumnStatisticsForTable", r -> delete(r, false));
        operations.put("DeleteColumnStatisticsForPartition", r -> delete(r, true));
    }

    /** What the statistics are of: a table, or one of its partitions. */
    private record Subject(String db, TableRow table, PartitionRow partition) {
        String kind() {
            return partition == null ? CatalogExtras.TABLE_STATS : CatalogExtras.PARTITION_STATS;
        }

        long id() {
            return partition == null ? table.id() : partition.id();
        }

        /** When statistics of unknown analysis time were last possibly written: the object's last DDL time. */
        long fallbackTime() {
            Map<String, String> parameters = partition == null ? table.table().getParameters() : partition.partition().getParameters();
            String ddl = parameters == null ? null : parameters.get("transient_lastDdlTime");
            if (ddl != null && ddl.matches("\\d+")) {
                return Long.parseLong(ddl);
            }
            return partition == null ? table.table().getCreateTime() : partition.partition().getCreateTime();
        }
    }

    private Subject subject(GlueRequest request, boolean partitionLevel) {
        GlueContext.catalogId(request);
        String db = GlueContext.lower(request.requiredName("DatabaseName"));
        String table = GlueContext.lower(request.requiredName("TableName"));
        List<String> values = partitionLevel ? request.requiredStrings("PartitionValues", 0, Integer.MAX_VALUE, 1, 1024) : null;
        return ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, db, table);
            if (!partitionLevel) {
                return new Subject(db, row, null);
            }
            String name = PartitionOperations.partitionName(row.table(), values);
            PartitionRow p = ctx.store.getPartition(c, row.id(), name, false)
                    .orElseThrow(() -> GlueException.entityNotFound("Partition " + values + " of table " + db + "." + table + " not found."));
            return new Subject(db, row, p);
        });
    }

    private static Set<String> columns(Table table) {
        Set<String> names = new HashSet<>();
        if (table.getSd() != null && table.getSd().getCols() != null) {
            for (FieldSchema f : table.getSd().getCols()) {
                names.add(f.getName().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private ObjectNode update(GlueRequest request, boolean partitionLevel) {
        Subject s = subject(request, partitionLevel);
        List<GlueRequest> entries = request.requiredObjects("ColumnStatisticsList", 0, UPDATE_MAX);
        Set<String> columns = columns(s.table().table());
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode errors = out.putArray("Errors");
        Map<String, ColumnStatisticsObj> valid = new LinkedHashMap<>();
        Map<String, Long> analyzed = new HashMap<>();
        for (GlueRequest entry : entries) {
            ColumnStatisticsObj obj = HiveShapes.columnStatistics(entry);
            long time = entry.requiredEpochSeconds("AnalyzedTime");
            String column = obj.getColName().toLowerCase(Locale.ROOT);
            if (!columns.contains(column)) {
                ObjectNode error = errors.addObject();
                error.set("ColumnStatistics", entry.json());
                error.putObject("Error").put("ErrorCode", "EntityNotFoundException")
                        .put("ErrorMessage", "Column " + column + " does not exist in table " + s.db() + "." + s.table().table().getTableName());
                continue;
            }
            obj.setColName(column);
            valid.put(column, obj);
            analyzed.put(column, time);
        }
        if (!valid.isEmpty()) {
            ColumnStatisticsDesc desc = new ColumnStatisticsDesc(!partitionLevel, s.db(), s.table().table().getTableName());
            desc.setCatName(GlueContext.HIVE_CATALOG);
            desc.setLastAnalyzed(analyzed.values().stream().mapToLong(Long::longValue).max().orElse(0));
            if (partitionLevel) {
                desc.setPartName(s.partition().name());
            }
            ColumnStatistics stats = new ColumnStatistics(desc, new ArrayList<>(valid.values()));
            stats.setEngine(ENGINE);
            SetPartitionsStatsRequest set = new SetPartitionsStatsRequest(List.of(stats));
            set.setEngine(ENGINE);
            ctx.tx(c -> {
                if (partitionLevel) {
                    ctx.hms(() -> ctx.hms.update_partition_column_statistics_req(set));
                } else {
                    ctx.hms(() -> ctx.hms.update_table_column_statistics_req(set));
                }
                for (Map.Entry<String, Long> e : analyzed.entrySet()) {
                    ObjectNode extras = HiveShapes.JSON.createObjectNode().put("AnalyzedTime", e.getValue());
                    ctx.glue.putExtras(c, s.kind(), s.id(), e.getKey(), s.table().id(), extras);
                }
                return null;
            });
        }
        return out;
    }

    private ObjectNode get(GlueRequest request, boolean partitionLevel) {
        Subject s = subject(request, partitionLevel);
        List<String> wanted = request.requiredStrings("ColumnNames", 0, GET_MAX, 1, GlueRequest.NAME_MAX);
        List<String> lower = wanted.stream().map(n -> n.toLowerCase(Locale.ROOT)).distinct().toList();
        List<ColumnStatisticsObj> found;
        if (lower.isEmpty()) {
            found = List.of();
        } else if (partitionLevel) {
            PartitionsStatsRequest get = new PartitionsStatsRequest(s.db(), s.table().table().getTableName(), lower, List.of(s.partition().name()));
            get.setEngine(ENGINE);
            found = ctx.hms(() -> ctx.hms.get_partitions_statistics_req(get)).getPartStats().getOrDefault(s.partition().name(), List.of());
        } else {
            TableStatsRequest get = new TableStatsRequest(s.db(), s.table().table().getTableName(), lower);
            get.setEngine(ENGINE);
            found = ctx.hms(() -> ctx.hms.get_table_statistics_req(get)).getTableStats();
        }
        Map<String, ObjectNode> times = ctx.tx(c -> ctx.glue.extrasByName(c, s.kind(), s.id()));
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("ColumnStatisticsList");
        Set<String> present = new HashSet<>();
        for (ColumnStatisticsObj obj : found) {
            ObjectNode time = times.get(obj.getColName());
            long analyzedTime = time != null && time.has("AnalyzedTime") ? time.get("AnalyzedTime").asLong() : s.fallbackTime();
            list.add(HiveShapes.columnStatisticsJson(obj, analyzedTime));
            present.add(obj.getColName());
        }
        ArrayNode errors = out.putArray("Errors");
        for (String column : lower) {
            if (!present.contains(column)) {
                ObjectNode error = errors.addObject();
                error.put("ColumnName", column);
                error.putObject("Error").put("ErrorCode", "EntityNotFoundException").put("ErrorMessage", "No statistics for column " + column + ".");
            }
        }
        return out;
    }

    private ObjectNode delete(GlueRequest request, boolean partitionLevel) {
        Subject s = subject(request, partitionLevel);
        String column = request.requiredName("ColumnName").toLowerCase(Locale.ROOT);
        String table = s.table().table().getTableName();
        if (partitionLevel) {
            ctx.hms(() -> ctx.hms.delete_partition_column_statistics(s.db(), table, s.partition().name(), column, ENGINE));
        } else {
            ctx.hms(() -> ctx.hms.delete_table_column_statistics(s.db(), table, column, ENGINE));
        }
        ctx.tx(c -> {
            ctx.glue.deleteExtras(c, s.kind(), s.id(), column);
            return null;
        });
        return HiveShapes.JSON.createObjectNode();
    }
}
