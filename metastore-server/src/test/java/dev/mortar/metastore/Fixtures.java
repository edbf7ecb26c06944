package dev.mortar.metastore;

import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Catalog objects as engines create them. */
public final class Fixtures {
    private Fixtures() {}

    public static Database database(String name) {
        Database db = new Database(name, "test database " + name, null, new HashMap<>());
        db.setOwnerName("tester");
        return db;
    }

    public static StorageDescriptor parquetSd(List<FieldSchema> cols, String location) {
        StorageDescriptor sd = new StorageDescriptor();
        sd.setCols(new ArrayList<>(cols));
        sd.setLocation(location);
        sd.setInputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
        sd.setOutputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
        sd.setSerdeInfo(new SerDeInfo("parquet", "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", new HashMap<>(Map.of("serialization.format", "1"))));
        sd.setCompressed(false);
        sd.setNumBuckets(-1);
        sd.setBucketCols(new ArrayList<>());
        sd.setSortCols(new ArrayList<>());
        sd.setParameters(new HashMap<>());
        return sd;
    }

    public static Table table(String db, String name, List<FieldSchema> partitionKeys) {
        Table t = new Table();
        t.setDbName(db);
        t.setTableName(name);
        t.setOwner("tester");
        t.setTableType("MANAGED_TABLE");
        t.setSd(parquetSd(List.of(new FieldSchema("id", "bigint", "the id"), new FieldSchema("name", "string", null)), null));
        t.setPartitionKeys(new ArrayList<>(partitionKeys));
        t.setParameters(new HashMap<>());
        return t;
    }

    public static Table table(String db, String name) {
        return table(db, name, List.of());
    }

    public static Table partitionedTable(String db, String name) {
        return table(db, name, List.of(new FieldSchema("ds", "string", null), new FieldSchema("hr", "int", null)));
    }

    public static Partition partition(Table table, String... values) {
        Partition p = new Partition();
        p.setDbName(table.getDbName());
        p.setTableName(table.getTableName());
        p.setValues(List.of(values));
        p.setSd(table.getSd().deepCopy());
        p.getSd().setLocation(null);
        p.setParameters(new HashMap<>());
        return p;
    }
}
