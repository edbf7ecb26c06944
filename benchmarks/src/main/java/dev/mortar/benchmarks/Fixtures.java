package dev.mortar.benchmarks;

import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.PrincipalType;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects the workload writes: what Trino or Spark would send for a Parquet table
 * partitioned by {@code ds string, hr int} (24 hours per day, days from 2020-01-01).
 */
final class Fixtures
{
    static final String CATALOG = "hive";
    static final String DATABASE = "mortar_bench";
    static final String OWNER = "bench";
    static final int HOURS_PER_DAY = 24;

    private static final LocalDate FIRST_DAY = LocalDate.of(2020, 1, 1);

    private Fixtures() {}

    static Database database()
    {
        Database database = new Database();
        database.setName(DATABASE);
        database.setDescription("Mortar benchmark database");
        database.setParameters(new HashMap<>());
        database.setOwnerName(OWNER);
        database.setOwnerType(PrincipalType.USER);
        database.setCatalogName(CATALOG);
        return database;
    }

    static String smallTableName(int index)
    {
        return "t%03d".formatted(index);
    }

    static String partitionedTableName(int partitions)
    {
        return "parts_" + partitions;
    }

    /** An unpartitioned table of eight columns. */
    static Table smallTable(String name)
    {
        List<FieldSchema> columns = new ArrayList<>(dataColumns());
        columns.add(new FieldSchema("country", "string", null));
        columns.add(new FieldSchema("tags", "array<string>", null));
        columns.add(new FieldSchema("attributes", "map<string,string>", null));
        return table(name, columns, List.of());
    }

    static Table partitionedTable(String name)
    {
        return table(name, dataColumns(), List.of(
                new FieldSchema("ds", "string", "day"),
                new FieldSchema("hr", "int", "hour of day")));
    }

    private static List<FieldSchema> dataColumns()
    {
        return List.of(
                new FieldSchema("id", "bigint", "row id"),
                new FieldSchema("name", "string", null),
                new FieldSchema("amount", "decimal(18,2)", null),
                new FieldSchema("created_at", "timestamp", null),
                new FieldSchema("payload", "string", null));
    }

    private static Table table(String name, List<FieldSchema> columns, List<FieldSchema> partitionKeys)
    {
        Table table = new Table();
        table.setCatName(CATALOG);
        table.setDbName(DATABASE);
        table.setTableName(name);
        table.setOwner(OWNER);
        table.setOwnerType(PrincipalType.USER);
        table.setCreateTime(nowSeconds());
        table.setTableType("MANAGED_TABLE");
        table.setPartitionKeys(new ArrayList<>(partitionKeys));
        Map<String, String> parameters = new HashMap<>();
        parameters.put("comment", "benchmark table " + name);
        parameters.put("parquet.compression", "ZSTD");
        table.setParameters(parameters);
        table.setSd(storage(columns, null));
        return table;
    }

    private static StorageDescriptor storage(List<FieldSchema> columns, String location)
    {
        StorageDescriptor sd = new StorageDescriptor();
        sd.setCols(new ArrayList<>(columns));
        sd.setLocation(location);
        sd.setInputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
        sd.setOutputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
        sd.setCompressed(false);
        sd.setNumBuckets(-1);
        SerDeInfo serde = new SerDeInfo();
        serde.setSerializationLib("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        serde.setParameters(new HashMap<>(Map.of("serialization.format", "1")));
        sd.setSerdeInfo(serde);
        sd.setBucketCols(new ArrayList<>());
        sd.setSortCols(new ArrayList<>());
        sd.setParameters(new HashMap<>());
        sd.setStoredAsSubDirectories(false);
        return sd;
    }

    /** Day of a partition index, as stored in {@code ds}. */
    static String day(int dayIndex)
    {
        return FIRST_DAY.plusDays(dayIndex).toString();
    }

    static List<String> partitionValues(int index)
    {
        return List.of(day(index / HOURS_PER_DAY), Integer.toString(index % HOURS_PER_DAY));
    }

    static String partitionName(int index)
    {
        return "ds=" + day(index / HOURS_PER_DAY) + "/hr=" + index % HOURS_PER_DAY;
    }

    /**
     * A partition as an engine adds it after writing its files: explicit location under the
     * table's, the table's columns and formats.
     */
    static Partition partition(String tableName, String tableLocation, int index)
    {
        Partition partition = new Partition();
        partition.setCatName(CATALOG);
        partition.setDbName(DATABASE);
        partition.setTableName(tableName);
        partition.setValues(new ArrayList<>(partitionValues(index)));
        int now = nowSeconds();
        partition.setCreateTime(now);
        partition.setLastAccessTime(0);
        partition.setSd(storage(dataColumns(), tableLocation + "/" + partitionName(index)));
        Map<String, String> parameters = new HashMap<>();
        parameters.put("numFiles", "1");
        parameters.put("totalSize", Integer.toString(1_000 + index % 977));
        parameters.put("numRows", Integer.toString(100 + index % 89));
        parameters.put("transient_lastDdlTime", Integer.toString(now));
        partition.setParameters(parameters);
        return partition;
    }

    private static int nowSeconds()
    {
        return (int) (System.currentTimeMillis() / 1000);
    }
}
