package dev.mortar.metastore.hms;

import dev.mortar.metastore.store.CatalogStore.PartitionRow;
import dev.mortar.metastore.store.CatalogStore.TableRow;
import org.apache.hadoop.hive.metastore.api.AggrStats;
import org.apache.hadoop.hive.metastore.api.ColumnStatistics;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsData;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsDesc;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.InvalidInputException;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.PartitionsStatsRequest;
import org.apache.hadoop.hive.metastore.api.PartitionsStatsResult;
import org.apache.hadoop.hive.metastore.api.SetPartitionsStatsRequest;
import org.apache.hadoop.hive.metastore.api.SetPartitionsStatsResponse;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.TableStatsRequest;
import org.apache.hadoop.hive.metastore.api.TableStatsResult;
import org.apache.thrift.TException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mortar.metastore.hms.HmsContext.lower;

/** Column statistics of tables and partitions, and their aggregation over partitions. */
public final class StatisticsHandler {
    private final HmsContext ctx;

    public StatisticsHandler(HmsContext ctx) {
        this.ctx = ctx;
    }

    public boolean update_table_column_statistics(ColumnStatistics stats) throws TException {
        ctx.tx(c -> {
            write(c, stats);
            return null;
        });
        return true;
    }

    public boolean update_partition_column_statistics(ColumnStatistics stats) throws TException {
        return update_table_column_statistics(stats);
    }

    public SetPartitionsStatsResponse update_table_column_statistics_req(SetPartitionsStatsRequest request) throws TException {
        return new SetPartitionsStatsResponse(set_aggr_stats_for(request));
    }

    public SetPartitionsStatsResponse update_partition_column_statistics_req(SetPartitionsStatsRequest request) throws TException {
        return new SetPartitionsStatsResponse(set_aggr_stats_for(request));
    }

    /** All statistics of the request in one transaction. */
    public boolean set_aggr_stats_for(SetPartitionsStatsRequest request) throws TException {
        if (request.getColStats() == null) {
            throw new InvalidInputException("No column statistics in the request");
        }
        ctx.tx(c -> {
            for (ColumnStatistics stats : request.getColStats()) {
                write(c, stats);
            }
            return null;
        });
        return true;
    }

    private void write(Connection c, ColumnStatistics stats) throws SQLException, TException {
        ColumnStatisticsDesc desc = stats.getStatsDesc();
        if (desc == null || desc.getDbName() == null || desc.getTableName() == null) {
            throw new InvalidInputException("Column statistics must name their database and table");
        }
        HmsContext.QualifiedName qn = HmsContext.parseDbName(desc.getDbName());
        String catalog = desc.isSetCatName() ? HmsContext.catalogOrDefault(desc.getCatName()) : qn.catalog();
        TableRow row = ctx.findTable(c, catalog, qn.name(), desc.getTableName(), false)
                .orElseThrow(() -> new NoSuchObjectException("Table " + qn.name() + "." + lower(desc.getTableName()) + " for which stats is gathered doesn't exist."));
        List<ColumnStatisticsObj> objs = new ArrayList<>();
        for (ColumnStatisticsObj obj : stats.getStatsObj() == null ? List.<ColumnStatisticsObj>of() : stats.getStatsObj()) {
            ColumnStatisticsObj copy = obj.deepCopy();
            copy.setColName(lower(obj.getColName()));
            if (!hasColumn(row.table(), copy.getColName(), !desc.isIsTblLevel())) {
                throw new InvalidInputException("Column " + copy.getColName() + " does not exist in table " + qn.name() + "." + row.table().getTableName());
            }
            objs.add(copy);
        }
        if (desc.isIsTblLevel()) {
            ctx.store.putTableColumnStats(c, row.id(), objs);
            ctx.event(c, "UPDATE_TABLE_COLUMN_STAT", catalog, qn.name(), row.table().getTableName(), Map.of("colStatsJson", HmsContext.thriftJson(stats)));
        } else {
            String partName = normalizeName(row.table(), desc.getPartName());
            PartitionRow part = ctx.store.getPartition(c, row.id(), partName, false)
                    .orElseThrow(() -> new NoSuchObjectException("Partition " + desc.getPartName() + " for which stats is gathered doesn't exist."));
            ctx.store.putPartitionColumnStats(c, row.id(), part.id(), objs);
            ctx.event(c, "UPDATE_PARTITION_COLUMN_STAT", catalog, qn.name(), row.table().getTableName(), Map.of("colStatsJson", HmsContext.thriftJson(stats)));
        }
    }

    /** A column of the table; for a partition's statistics also a partition key, as the Hive Metastore takes them. */
    private static boolean hasColumn(Table table, String column, boolean partitionLevel) {
        if (table.getSd() != null && table.getSd().getCols() != null) {
            for (FieldSchema f : table.getSd().getCols()) {
                if (f.getName().equalsIgnoreCase(column)) {
                    return true;
                }
            }
        }
        if (partitionLevel && table.getPartitionKeys() != null) {
            for (FieldSchema f : table.getPartitionKeys()) {
                if (f.getName().equalsIgnoreCase(column)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String normalizeName(Table table, String name) throws MetaException {
        if (name == null) {
            throw new MetaException("Partition-level statistics need a partition name");
        }
        return PartitionHandler.partitionName(table, PartitionNames.values(name));
    }

    public ColumnStatistics get_table_column_statistics(String db, String table, String column) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(db);
        return ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, qn.catalog(), qn.name(), table, false);
            List<ColumnStatisticsObj> objs = ctx.store.getTableColumnStats(c, row.id(), List.of(lower(column)));
            if (objs.isEmpty()) {
                throw new NoSuchObjectException("Statistics for column " + lower(column) + " of table " + qn.name() + "." + lower(table) + " not found");
            }
            ColumnStatisticsDesc desc = new ColumnStatisticsDesc(true, qn.name(), row.table().getTableName());
            desc.setCatName(qn.catalog());
            ColumnStatistics result = new ColumnStatistics(desc, objs);
            result.setEngine("hive");
            return result;
        });
    }

    public ColumnStatistics get_partition_column_statistics(String db, String table, String partName, String column) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(db);
        return ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, qn.catalog(), qn.name(), table, false);
            String name = normalizeName(row.table(), partName);
            PartitionRow part = ctx.store.getPartition(c, row.id(), name, false)
                    .orElseThrow(() -> new NoSuchObjectException("Partition " + partName + " not found"));
            List<ColumnStatisticsObj> objs = ctx.store.getPartitionColumnStats(c, List.of(part.id()), List.of(lower(column))).getOrDefault(part.id(), List.of());
            if (objs.isEmpty()) {
                throw new NoSuchObjectException("Statistics for column " + lower(column) + " of partition " + name + " not found");
            }
            ColumnStatisticsDesc desc = new ColumnStatisticsDesc(false, qn.name(), row.table().getTableName());
            desc.setPartName(name);
            desc.setCatName(qn.catalog());
            ColumnStatistics result = new ColumnStatistics(desc, objs);
            result.setEngine("hive");
            return result;
        });
    }

    public TableStatsResult get_table_statistics_req(TableStatsRequest request) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(request.getDbName());
        String catalog = request.isSetCatName() ? HmsContext.catalogOrDefault(request.getCatName()) : qn.catalog();
        return ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, catalog, qn.name(), request.getTblName(), false);
            return new TableStatsResult(ctx.store.getTableColumnStats(c, row.id(), lowerAll(request.getColNames())));
        });
    }

    public PartitionsStatsResult get_partitions_statistics_req(PartitionsStatsRequest request) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(request.getDbName());
        String catalog = request.isSetCatName() ? HmsContext.catalogOrDefault(request.getCatName()) : qn.catalog();
        return ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, catalog, qn.name(), request.getTblName(), false);
            Map<String, List<ColumnStatisticsObj>> result = new LinkedHashMap<>();
            for (Map.Entry<PartitionRow, List<ColumnStatisticsObj>> e : partitionStats(c, row, request).entrySet()) {
                result.put(e.getKey().name(), e.getValue());
            }
            return new PartitionsStatsResult(result);
        });
    }

    private Map<PartitionRow, List<ColumnStatisticsObj>> partitionStats(Connection c, TableRow row, PartitionsStatsRequest request) throws SQLException, TException {
        List<String> names = new ArrayList<>();
        for (String n : request.getPartNames() == null ? List.<String>of() : request.getPartNames()) {
            try {
                names.add(normalizeName(row.table(), n));
            } catch (MetaException e) {
                // Unknown names contribute nothing, as in the Hive Metastore.
            }
        }
        List<PartitionRow> parts = ctx.store.getPartitions(c, row.id(), names);
        Map<Long, PartitionRow> byId = new HashMap<>();
        parts.forEach(p -> byId.put(p.id(), p));
        Map<PartitionRow, List<ColumnStatisticsObj>> result = new LinkedHashMap<>();
        ctx.store.getPartitionColumnStats(c, byId.keySet(), lowerAll(request.getColNames()))
                .forEach((id, objs) -> result.put(byId.get(id), objs));
        return result;
    }

    public AggrStats get_aggr_stats_for(PartitionsStatsRequest request) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(request.getDbName());
        String catalog = request.isSetCatName() ? HmsContext.catalogOrDefault(request.getCatName()) : qn.catalog();
        return ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, catalog, qn.name(), request.getTblName(), false);
            Map<PartitionRow, List<ColumnStatisticsObj>> stats = partitionStats(c, row, request);
            Map<String, ColumnStatisticsObj> merged = new LinkedHashMap<>();
            for (List<ColumnStatisticsObj> objs : stats.values()) {
                for (ColumnStatisticsObj obj : objs) {
                    merged.merge(obj.getColName(), obj.deepCopy(), StatisticsHandler::merge);
                }
            }
            AggrStats result = new AggrStats(new ArrayList<>(merged.values()), stats.size());
            return result;
        });
    }

    /** Combines two partitions' statistics of one column, as the Hive Metastore's aggregators do. */
    static ColumnStatisticsObj merge(ColumnStatisticsObj a, ColumnStatisticsObj b) {
        ColumnStatisticsData x = a.getStatsData();
        ColumnStatisticsData y = b.getStatsData();
        if (x == null || y == null || x.getSetField() != y.getSetField()) {
            return a;
        }
        switch (x.getSetField()) {
            case LONG_STATS -> {
                var l = x.getLongStats();
                var r = y.getLongStats();
                if (r.isSetLowValue()) {
                    l.setLowValue(l.isSetLowValue() ? Math.min(l.getLowValue(), r.getLowValue()) : r.getLowValue());
                }
                if (r.isSetHighValue()) {
                    l.setHighValue(l.isSetHighValue() ? Math.max(l.getHighValue(), r.getHighValue()) : r.getHighValue());
                }
                l.setNumNulls(l.getNumNulls() + r.getNumNulls());
                l.setNumDVs(Math.max(l.getNumDVs(), r.getNumDVs()));
                l.unsetBitVectors();
            }
            case DOUBLE_STATS -> {
                var l = x.getDoubleStats();
                var r = y.getDoubleStats();
                if (r.isSetLowValue()) {
                    l.setLowValue(l.isSetLowValue() ? Math.min(l.getLowValue(), r.getLowValue()) : r.getLowValue());
                }
                if (r.isSetHighValue()) {
                    l.setHighValue(l.isSetHighValue() ? Math.max(l.getHighValue(), r.getHighValue()) : r.getHighValue());
                }
                l.setNumNulls(l.getNumNulls() + r.getNumNulls());
                l.setNumDVs(Math.max(l.getNumDVs(), r.getNumDVs()));
                l.unsetBitVectors();
            }
            case STRING_STATS -> {
                var l = x.getStringStats();
                var r = y.getStringStats();
                l.setMaxColLen(Math.max(l.getMaxColLen(), r.getMaxColLen()));
                l.setAvgColLen(Math.max(l.getAvgColLen(), r.getAvgColLen()));
                l.setNumNulls(l.getNumNulls() + r.getNumNulls());
                l.setNumDVs(Math.max(l.getNumDVs(), r.getNumDVs()));
                l.unsetBitVectors();
            }
            case BOOLEAN_STATS -> {
                var l = x.getBooleanStats();
                var r = y.getBooleanStats();
                l.setNumTrues(l.getNumTrues() + r.getNumTrues());
                l.setNumFalses(l.getNumFalses() + r.getNumFalses());
                l.setNumNulls(l.getNumNulls() + r.getNumNulls());
            }
            case BINARY_STATS -> {
                var l = x.getBinaryStats();
                var r = y.getBinaryStats();
                l.setMaxColLen(Math.max(l.getMaxColLen(), r.getMaxColLen()));
                l.setAvgColLen(Math.max(l.getAvgColLen(), r.getAvgColLen()));
                l.setNumNulls(l.getNumNulls() + r.getNumNulls());
            }
            case DATE_STATS -> {
                var l = x.getDateStats();
                var r = y.getDateStats();
                if (r.isSetLowValue() && (!l.isSetLowValue() || r.getLowValue().getDaysSinceEpoch() < l.getLowValue().getDaysSinceEpoch())) {
                    l.setLowValue(r.getLowValue());
                }
                if (r.isSetHighValue() && (!l.isSetHighValue() || r.getHighValue().getDaysSinceEpoch() > l.getHighValue().getDaysSinceEpoch())) {
                    l.setHighValue(r.getHighValue());
                }
                l.setNumNulls(l.getNumNulls() + r.getNumNulls());
                l.setNumDVs(Math.max(l.getNumDVs(), r.getNumDVs()));
                l.unsetBitVectors();
            }
            case DECIMAL_STATS -> {
                var l = x.getDecimalStats();
                var r = y.getDecimalStats();
                if (r.isSetLowValue() && (!l.isSetLowValue() || decimal(r.getLowValue()).compareTo(decimal(l.getLowValue())) < 0)) {
                    l.setLowValue(r.getLowValue());
                }
                if (r.isSetHighValue() && (!l.isSetHighValue() || decimal(r.getHighValue()).compareTo(decimal(l.getHighValue())) > 0)) {
                    l.setHighValue(r.getHighValue());
                }
                l.setNumNulls(l.getNumNulls() + r.getNumNulls());
                l.setNumDVs(Math.max(l.getNumDVs(), r.getNumDVs()));
                l.unsetBitVectors();
            }
            default -> {
                return a;
            }
        }
        return a;
    }

    private static java.math.BigDecimal decimal(org.apache.hadoop.hive.metastore.api.Decimal d) {
        return new java.math.BigDecimal(new java.math.BigInteger(d.getUnscaled()), d.getScale());
    }

    public boolean delete_table_column_statistics(String db, String table, String column, String engine) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(db);
        return ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, qn.catalog(), qn.name(), table, false);
            int deleted = ctx.store.deleteTableColumnStats(c, row.id(), Optional.ofNullable(lower(column)));
            if (deleted == 0 && column != null) {
                throw new NoSuchObjectException("Column stats doesn't exist for db=" + qn.name() + " table=" + lower(table) + " col=" + lower(column));
            }
            ctx.event(c, "DELETE_TABLE_COLUMN_STAT", qn.catalog(), qn.name(), row.table().getTableName(), Map.of("colName", column == null ? "" : lower(column)));
            return true;
        });
    }

    public boolean delete_partition_column_statistics(String db, String table, String partName, String column, String engine) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(db);
        return ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, qn.catalog(), qn.name(), table, false);
            String name = normalizeName(row.table(), partName);
            PartitionRow part = ctx.store.getPartition(c, row.id(), name, false)
                    .orElseThrow(() -> new NoSuchObjectException("Partition " + partName + " not found"));
            int deleted = ctx.store.deletePartitionColumnStats(c, part.id(), Optional.ofNullable(lower(column)));
            if (deleted == 0 && column != null) {
                throw new NoSuchObjectException("Column stats doesn't exist for db=" + qn.name() + " table=" + lower(table) + " partition=" + name + " col=" + lower(column));
            }
            ctx.event(c, "DELETE_PARTITION_COLUMN_STAT", qn.catalog(), qn.name(), row.table().getTableName(),
                    Map.of("colName", column == null ? "" : lower(column), "partName", name));
            return true;
        });
    }

    private static List<String> lowerAll(List<String> names) throws InvalidObjectException {
        if (names == null) {
            throw new InvalidObjectException("Column names are required");
        }
        return names.stream().map(HmsContext::lower).toList();
    }
}
