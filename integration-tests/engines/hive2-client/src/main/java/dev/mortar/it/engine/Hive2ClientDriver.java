package dev.mortar.it.engine;

import org.apache.hadoop.hive.conf.HiveConf;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.LockComponent;
import org.apache.hadoop.hive.metastore.api.LockLevel;
import org.apache.hadoop.hive.metastore.api.LockRequest;
import org.apache.hadoop.hive.metastore.api.LockResponse;
import org.apache.hadoop.hive.metastore.api.LockType;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Drives Hive 2.3.10's {@link HiveMetaStoreClient} (the client inside Spark) through the catalog
 * calls Spark makes, against the metastore at {@code args[0]}, and prints what came back.
 * Arguments: metastore URI, database name.
 */
public final class Hive2ClientDriver {
    private static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    private static final String PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    private static final String PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";

    private final Report report = new Report();
    private final String db;
    private final HiveMetaStoreClient client;
    private final HiveMetaStoreClient otherClient;

    private Hive2ClientDriver(HiveMetaStoreClient client, HiveMetaStoreClient otherClient, String db) {
        this.client = client;
        this.otherClient = otherClient;
        this.db = db;
    }

    public static void main(String[] args) throws Exception {
        HiveConf conf = new HiveConf();
        conf.setVar(HiveConf.ConfVars.METASTOREURIS, args[0]);
        conf.setIntVar(HiveConf.ConfVars.METASTORETHRIFTCONNECTIONRETRIES, 1);
        HiveMetaStoreClient client = new HiveMetaStoreClient(conf);
        // a second connection, as a second job would have, for the lock calls
        HiveMetaStoreClient otherClient = new HiveMetaStoreClient(conf);
        int errors;
        try {
            Hive2ClientDriver driver = new Hive2ClientDriver(client, otherClient, args[1]);
            driver.run();
            errors = driver.report.errors();
        } finally {
            client.close();
            otherClient.close();
        }
        System.out.println("@@DONE\t" + errors);
        System.exit(0);
    }

    private void run() {
        report.step("get_all_databases", () -> report.fact("databases", client.getAllDatabases()));
        report.step("get_database default", () -> {
            Database d = client.getDatabase("default");
            report.fact("default.name", d.getName());
            report.fact("default.location", d.getLocationUri());
        });
        report.step("create_database", () -> {
            Map<String, String> params = new HashMap<>();
            params.put("team", "integration");
            Database database = new Database(db, "created by the Hive 2.3 client", null, params);
            // Spark names the owner and leaves the owner type unset; the Hive Metastore then stores USER
            database.setOwnerName("integration");
            client.createDatabase(database);
        });
        report.step("get_database", () -> {
            Database d = client.getDatabase(db);
            report.fact("db.name", d.getName());
            report.fact("db.description", d.getDescription());
            report.fact("db.location", d.getLocationUri());
            report.fact("db.param.team", d.getParameters().get("team"));
            report.fact("db.owner_name", d.getOwnerName());
            report.fact("db.owner_type", d.getOwnerType());
        });
        expectFailure("create_database.again", () -> client.createDatabase(new Database(db, "again", null, new HashMap<>())));
        expectFailure("get_database.missing", () -> client.getDatabase(db + "_missing"));

        report.step("create_table", () -> client.createTable(eventsTable("events")));
        report.step("get_table", () -> {
            Table t = client.getTable(db, "events");
            report.fact("table.name", t.getDbName() + "." + t.getTableName());
            report.fact("table.type", t.getTableType());
            report.fact("table.owner", t.getOwner());
            report.fact("table.location", t.getSd().getLocation());
            report.fact("table.columns", columns(t.getSd().getCols()));
            report.fact("table.partition_keys", columns(t.getPartitionKeys()));
            report.fact("table.serde", t.getSd().getSerdeInfo().getSerializationLib());
            report.fact("table.input_format", t.getSd().getInputFormat());
            report.fact("table.param.comment", t.getParameters().get("comment"));
        });
        expectFailure("get_table.missing", () -> client.getTable(db, "missing"));
        expectFailure("create_table.again", () -> client.createTable(eventsTable("events")));
        report.step("create_table second", () -> client.createTable(eventsTable("clicks")));
        report.step("get_tables", () -> {
            report.fact("tables.all", client.getTables(db, "*"));
            report.fact("tables.pattern_ev", client.getTables(db, "ev*"));
            report.fact("tables.get_all_tables", client.getAllTables(db));
        });
        report.step("get_table_objects_by_name", () -> {
            List<Table> tables = client.getTableObjectsByName(db, List.of("events", "clicks", "missing"));
            report.fact("table_objects", tables.stream().map(Table::getTableName).sorted().collect(Collectors.toList()));
            report.fact("table_objects.columns", tables.stream().map(t -> t.getTableName() + ":" + columns(t.getSd().getCols())).sorted().collect(Collectors.toList()));
        });

        report.step("add_partitions", () -> {
            Table t = client.getTable(db, "events");
            List<Partition> parts = new ArrayList<>();
            for (String ds : List.of("2024-01-03", "2024-01-01", "2024-01-02")) {
                parts.add(partition(t, ds));
            }
            report.fact("add_partitions.count", client.add_partitions(parts));
        });
        expectFailure("add_partitions.duplicate", () -> client.add_partitions(List.of(partition(client.getTable(db, "events"), "2024-01-01"))));
        report.step("get_partition_names", () -> report.fact("partition_names", client.listPartitionNames(db, "events", (short) -1)));
        report.step("get_partitions_by_filter", () -> {
            report.fact("filter.ge", names(client.listPartitionsByFilter(db, "events", "ds >= \"2024-01-02\"", (short) -1)));
            report.fact("filter.eq", names(client.listPartitionsByFilter(db, "events", "ds = \"2024-01-01\"", (short) -1)));
            List<Partition> one = client.listPartitionsByFilter(db, "events", "ds = \"2024-01-01\"", (short) -1);
            report.fact("filter.eq.location", one.isEmpty() ? null : one.get(0).getSd().getLocation());
            report.fact("filter.none", names(client.listPartitionsByFilter(db, "events", "ds > \"2099-01-01\"", (short) -1)));
        });

        report.step("alter_table add column", () -> {
            Table t = client.getTable(db, "events");
            t.getSd().getCols().add(new FieldSchema("score", "double", "added by alter_table"));
            t.getParameters().put("altered", "yes");
            client.alter_table(db, "events", t);
            Table after = client.getTable(db, "events");
            report.fact("altered.columns", columns(after.getSd().getCols()));
            report.fact("altered.param.altered", after.getParameters().get("altered"));
            report.fact("altered.partition_names", client.listPartitionNames(db, "events", (short) -1));
        });
        report.step("alter_table rename", () -> {
            Table t = client.getTable(db, "clicks");
            t.setTableName("clicks_renamed");
            client.alter_table(db, "clicks", t);
            report.fact("renamed.tables", client.getTables(db, "*"));
            report.fact("renamed.location", client.getTable(db, "clicks_renamed").getSd().getLocation());
        });

        // The lock protocol Iceberg's HiveCatalog commits with: an exclusive table lock without a transaction
        report.step("lock", () -> {
            LockResponse first = client.lock(tableLock("events"));
            LockResponse second = otherClient.lock(tableLock("events"));
            LockResponse otherTable = otherClient.lock(tableLock("clicks_renamed"));
            report.fact("lock.first", first.getState());
            report.fact("lock.second", second.getState());
            report.fact("lock.other_table", otherTable.getState());
            report.fact("check_lock.second.while_held", otherClient.checkLock(second.getLockid()).getState());
            client.unlock(first.getLockid());
            report.fact("check_lock.second.after_unlock", otherClient.checkLock(second.getLockid()).getState());
            otherClient.unlock(second.getLockid());
            otherClient.unlock(otherTable.getLockid());
        });
        report.step("drop_table", () -> {
            client.dropTable(db, "events", true /* deleteData */, false /* ignoreUnknownTab */);
            client.dropTable(db, "clicks_renamed", true /* deleteData */, false /* ignoreUnknownTab */);
            report.fact("dropped.tables", client.getAllTables(db));
        });
        expectFailure("drop_table.missing", () -> client.dropTable(db, "events", true /* deleteData */, false /* ignoreUnknownTab */));
        report.step("drop_database", () -> {
            client.dropDatabase(db, true /* deleteData */, false /* ignoreUnknownDb */, false /* cascade */);
            report.fact("dropped.databases", client.getAllDatabases());
        });
    }

    private Table eventsTable(String name) {
        SerDeInfo serde = new SerDeInfo(name, PARQUET_SERDE, new HashMap<>(Map.of("serialization.format", "1")));
        StorageDescriptor sd = new StorageDescriptor();
        sd.setCols(new ArrayList<>(List.of(new FieldSchema("id", "bigint", "row id"), new FieldSchema("name", "string", null))));
        sd.setInputFormat(PARQUET_INPUT);
        sd.setOutputFormat(PARQUET_OUTPUT);
        sd.setSerdeInfo(serde);
        sd.setCompressed(false);
        sd.setNumBuckets(-1);
        sd.setBucketCols(new ArrayList<>());
        sd.setSortCols(new ArrayList<>());
        sd.setParameters(new HashMap<>());
        Table t = new Table();
        t.setDbName(db);
        t.setTableName(name);
        t.setOwner("integration");
        t.setTableType("MANAGED_TABLE");
        t.setSd(sd);
        t.setPartitionKeys(new ArrayList<>(List.of(new FieldSchema("ds", "string", null))));
        t.setParameters(new HashMap<>(Map.of("comment", "events table")));
        return t;
    }

    /** A partition without a location: the metastore places it under the table's location. */
    private static Partition partition(Table t, String ds) {
        StorageDescriptor sd = new StorageDescriptor(t.getSd());
        sd.setLocation(null);
        Partition p = new Partition();
        p.setDbName(t.getDbName());
        p.setTableName(t.getTableName());
        p.setValues(List.of(ds));
        p.setSd(sd);
        p.setParameters(new HashMap<>());
        return p;
    }

    private LockRequest tableLock(String table) {
        LockComponent component = new LockComponent(LockType.EXCLUSIVE, LockLevel.TABLE, db);
        component.setTablename(table);
        LockRequest request = new LockRequest(List.of(component), "integration", "localhost");
        request.setAgentInfo("Hive2ClientDriver");
        return request;
    }

    private void expectFailure(String key, Report.Step call) {
        try {
            call.run();
            report.fact(key, "no exception");
        } catch (Exception e) {
            report.fact(key, e.getClass().getSimpleName());
            report.fact(key + ".message", e.getMessage());
        }
    }

    private static List<String> columns(List<FieldSchema> fields) {
        return fields.stream().map(f -> f.getName() + ":" + f.getType()).collect(Collectors.toList());
    }

    private static List<String> names(List<Partition> partitions) {
        return partitions.stream().map(p -> "ds=" + p.getValues().get(0)).collect(Collectors.toList());
    }
}
