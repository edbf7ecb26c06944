package dev.mortar.metastore.glue;

import dev.mortar.metastore.Fixtures;
import dev.mortar.metastore.TestServer;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.NotificationEvent;
import org.apache.hadoop.hive.metastore.api.NotificationEventRequest;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableInput;
import software.amazon.awssdk.services.glue.model.TableVersion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static dev.mortar.metastore.glue.GlueClients.column;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One catalog, two APIs: what a Glue client writes is the object Hive Metastore clients (Trino, Spark,
 * Hive) read over Thrift, and the reverse, against one server.
 */
class GlueHiveInteropTest {
    static TestServer server;
    static GlueClient glue;
    static HiveMetaStoreClient hive;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        glue = GlueClients.client(server);
        hive = server.client();
    }

    @AfterAll
    static void stop() throws Exception {
        hive.close();
        glue.close();
        server.close();
        server.deleteData();
    }

    @Test
    void whatGlueWritesHiveReads() throws Exception {
        long eventsBefore = hive.getCurrentNotificationEventId().getEventId();
        Path data = Files.createTempDirectory("mortar-glue-interop");
        glue.createDatabase(r -> r.databaseInput(d -> d.name("lake").description("the lake").locationUri(data.toUri().toString()).parameters(Map.of("k", "v"))));
        var hiveDb = hive.getDatabase("lake");
        assertThat(hiveDb.getDescription()).isEqualTo("the lake");
        assertThat(hiveDb.getLocationUri()).isEqualTo(data.toUri().toString().replace("file:///", "file:/").replaceAll("/$", ""));
        assertThat(hiveDb.getParameters()).containsEntry("k", "v");

        String location = data.resolve("clicks").toUri().toString();
        glue.createTable(r -> r.databaseName("lake").tableInput(GlueClients.externalTable("Clicks", location, List.of(column("ds", "string"), column("hr", "int")))
                .owner("etl").parameters(Map.of("classification", "parquet", "comment", "clicks")).build()));
        org.apache.hadoop.hive.metastore.api.Table t = hive.getTable("lake", "clicks");
        assertThat(t.getTableType()).isEqualTo("EXTERNAL_TABLE");
        assertThat(t.getParameters()).containsEntry("EXTERNAL", "TRUE").containsEntry("classification", "parquet").containsEntry("comment", "clicks");
        assertThat(t.getOwner()).isEqualTo("etl");
        assertThat(t.getSd().getLocation()).isEqualTo(location.replace("file:///", "file:/").replaceAll("/$", ""));
        assertThat(t.getSd().getCols()).containsExactly(new FieldSchema("id", "bigint", null), new FieldSchema("name", "string", null));
        assertThat(t.getSd().getInputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
        assertThat(t.getSd().getSerdeInfo().getSerializationLib()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        assertThat(t.getSd().getSerdeInfo().getParameters()).containsEntry("serialization.format", "1");
        assertThat(t.getPartitionKeys()).containsExactly(new FieldSchema("ds", "string", null), new FieldSchema("hr", "int", null));
        assertThat(hive.getTables("lake", "*")).containsExactly("clicks");

        glue.batchCreatePartition(r -> r.databaseName("lake").tableName("clicks").partitionInputList(
                p -> p.values("2024-01-01", "1"), p -> p.values("2024-01-01", "2"), p -> p.values("2024-01-02", "1")));
        assertThat(hive.listPartitionNames("lake", "clicks", (short) -1)).containsExactly("ds=2024-01-01/hr=1", "ds=2024-01-01/hr=2", "ds=2024-01-02/hr=1");
        assertThat(hive.listPartitionsByFilter("lake", "clicks", "hr = 1", (short) -1)).hasSize(2);
        Partition p = hive.getPartition("lake", "clicks", List.of("2024-01-01", "2"));
        assertThat(p.getSd().getLocation()).endsWith("/clicks/ds=2024-01-01/hr=2");

        // A view written through Glue is a Hive view.
        glue.createTable(r -> r.databaseName("lake").tableInput(TableInput.builder().name("v_clicks").tableType("VIRTUAL_VIEW")
                .viewOriginalText("SELECT * FROM clicks").viewExpandedText("SELECT `clicks`.`id` FROM `lake`.`clicks`")
                .storageDescriptor(s -> s.columns(column("id", "bigint"))).build()));
        var view = hive.getTable("lake", "v_clicks");
        assertThat(view.getTableType()).isEqualTo("VIRTUAL_VIEW");
        assertThat(view.getViewExpandedText()).isEqualTo("SELECT `clicks`.`id` FROM `lake`.`clicks`");

        // Glue writes reach the notification log that HMS replication and caches read.
        List<String> types = new ArrayList<>();
        for (NotificationEvent e : hive.getNextNotification(new NotificationEventRequest(eventsBefore), false, null).getEvents()) {
            types.add(e.getEventType());
        }
        assertThat(types).contains("CREATE_DATABASE", "CREATE_TABLE", "ADD_PARTITION");

        // Deleting through Glue removes the metadata for Hive clients and leaves the data.
        Files.createDirectories(data.resolve("clicks"));
        Files.writeString(data.resolve("clicks/file.parquet"), "x");
        glue.deleteTable(r -> r.databaseName("lake").name("clicks"));
        assertThat(hive.tableExists("lake", "clicks")).isFalse();
        assertThat(data.resolve("clicks/file.parquet")).exists();
    }

    @Test
    void whatHiveWritesGlueReads() throws Exception {
        hive.createDatabase(Fixtures.database("warehouse"));
        hive.createTable(Fixtures.partitionedTable("warehouse", "orders"));
        var hiveTable = hive.getTable("warehouse", "orders");
        List<Partition> parts = new ArrayList<>();
        for (int hr = 0; hr < 12; hr++) {
            parts.add(Fixtures.partition(hiveTable, "2024-02-01", String.valueOf(hr)));
        }
        hive.add_partitions(parts);

        Table t = glue.getTable(r -> r.databaseName("warehouse").name("orders")).table();
        assertThat(t.tableType()).isEqualTo("MANAGED_TABLE");
        assertThat(t.owner()).isEqualTo("tester");
        assertThat(t.createTime().getEpochSecond()).isEqualTo(hiveTable.getCreateTime());
        assertThat(t.storageDescriptor().columns()).containsExactly(Column.builder().name("id").type("bigint").comment("the id").build(), column("name", "string"));
        assertThat(t.storageDescriptor().location()).isEqualTo(hiveTable.getSd().getLocation());
        assertThat(t.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        assertThat(t.storageDescriptor().numberOfBuckets()).isEqualTo(-1);
        assertThat(t.partitionKeys()).extracting(Column::name).containsExactly("ds", "hr");
        assertThat(t.parameters()).containsKey("transient_lastDdlTime");
        assertThat(t.versionId()).isEqualTo("0");
        assertThat(glue.getPartitions(r -> r.databaseName("warehouse").tableName("orders").expression("hr >= 10")).partitions())
                .extracting(x -> x.values().get(1)).containsExactly("10", "11");
        assertThat(glue.getDatabase(r -> r.name("warehouse")).database().description()).isEqualTo("test database warehouse");

        // A change made through Hive is a new Glue version, and a Glue writer holding the old one loses.
        var altered = hiveTable.deepCopy();
        altered.getParameters().put("changed_by", "hive");
        hive.alter_table("warehouse", "orders", altered);
        Map<String, String> params = new HashMap<>(t.parameters());
        params.put("changed_by", "glue");
        TableInput stale = TableInput.builder().name("orders").tableType(t.tableType()).owner(t.owner()).storageDescriptor(t.storageDescriptor())
                .partitionKeys(t.partitionKeys()).parameters(params).build();
        assertGlueError(() -> glue.updateTable(r -> r.databaseName("warehouse").tableInput(stale).versionId("0")), "ConcurrentModificationException");
        assertThat(hive.getTable("warehouse", "orders").getParameters()).containsEntry("changed_by", "hive");
        Table afterHive = glue.getTable(r -> r.databaseName("warehouse").name("orders")).table();
        assertThat(afterHive.versionId()).isEqualTo("1");
        assertThat(afterHive.parameters()).containsEntry("changed_by", "hive");
        glue.updateTable(r -> r.databaseName("warehouse").tableInput(stale).versionId("1"));
        assertThat(hive.getTable("warehouse", "orders").getParameters()).containsEntry("changed_by", "glue");
        assertThat(hive.getTable("warehouse", "orders").getTableType()).isEqualTo("MANAGED_TABLE");
        assertThat(glue.getTableVersions(r -> r.databaseName("warehouse").tableName("orders")).tableVersions())
                .extracting(TableVersion::versionId).containsExactly("2", "1", "0");

        // Partitions changed through Glue are changed for Hive.
        glue.updatePartition(r -> r.databaseName("warehouse").tableName("orders").partitionValueList("2024-02-01", "3")
                .partitionInput(x -> x.values("2024-02-01", "3").parameters(Map.of("numRows", "42")).storageDescriptor(
                        glue.getPartition(g -> g.databaseName("warehouse").tableName("orders").partitionValues("2024-02-01", "3")).partition().storageDescriptor())));
        assertThat(hive.getPartition("warehouse", "orders", List.of("2024-02-01", "3")).getParameters()).containsEntry("numRows", "42");
        glue.batchDeletePartition(r -> r.databaseName("warehouse").tableName("orders").partitionsToDelete(x -> x.values("2024-02-01", "0")));
        assertThat(hive.listPartitionNames("warehouse", "orders", (short) -1)).hasSize(11).doesNotContain("ds=2024-02-01/hr=0");

        // A function created through Hive is a Glue function.
        var fn = new org.apache.hadoop.hive.metastore.api.Function("to_upper", "warehouse", "com.example.Upper", "tester",
                org.apache.hadoop.hive.metastore.api.PrincipalType.USER, 0, org.apache.hadoop.hive.metastore.api.FunctionType.JAVA, List.of());
        hive.createFunction(fn);
        assertThat(glue.getUserDefinedFunction(r -> r.databaseName("warehouse").functionName("to_upper")).userDefinedFunction().className())
                .isEqualTo("com.example.Upper");

        // Dropping through Hive is seen by Glue.
        hive.dropTable("warehouse", "orders");
        assertGlueError(() -> glue.getTable(r -> r.databaseName("warehouse").name("orders")), "EntityNotFoundException");
    }
}
