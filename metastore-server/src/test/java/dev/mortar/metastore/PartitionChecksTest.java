package dev.mortar.metastore;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.PartitionSpec;
import org.apache.hadoop.hive.metastore.api.PartitionSpecWithSharedSD;
import org.apache.hadoop.hive.metastore.api.PartitionValuesRequest;
import org.apache.hadoop.hive.metastore.api.PartitionValuesRow;
import org.apache.hadoop.hive.metastore.api.PartitionWithoutSD;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.partition.spec.PartitionSpecProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the Hive Metastore checks of new, altered and looked-up partitions, and the partition-spec calls. */
class PartitionChecksTest {
    static TestServer server;
    static HiveMetaStoreClient client;
    Table logs;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        server.deleteData();
    }

    @BeforeEach
    void table() throws Exception {
        client.dropDatabase("chk", true, true, true);
        client.createDatabase(Fixtures.database("chk"));
        client.createTable(Fixtures.partitionedTable("chk", "logs"));
        logs = client.getTable("chk", "logs");
    }

    @Test
    void newPartitionsNeedAStorageDescriptorWithTypedColumns() throws Exception {
        Partition noSd = Fixtures.partition(logs, "2024-01-01", "1");
        noSd.setSd(null);
        assertThatThrownBy(() -> client.add_partition(noSd)).isInstanceOf(MetaException.class).hasMessageContaining("no storage descriptor");
        Partition untyped = Fixtures.partition(logs, "2024-01-01", "1");
        untyped.getSd().getCols().get(0).setType(null);
        assertThatThrownBy(() -> client.add_partition(untyped)).isInstanceOf(MetaException.class).hasMessageContaining("without a name or type");
        Partition relative = Fixtures.partition(logs, "2024-01-01", "1");
        relative.getSd().setLocation("relative/dir");
        assertThatThrownBy(() -> client.add_partition(relative)).isInstanceOf(MetaException.class).hasMessageContaining("not an absolute path");
        assertThat(client.listPartitionNames("chk", "logs", (short) -1)).isEmpty();
    }

    @Test
    void batchesRejectDuplicatesAndPartitionsOfOtherTables() throws Exception {
        List<Partition> twice = new ArrayList<>(List.of(Fixtures.partition(logs, "2024-01-01", "1"), Fixtures.partition(logs, "2024-01-01", "1")));
        assertThatThrownBy(() -> client.add_partitions(twice)).isInstanceOf(MetaException.class).hasMessageContaining("Duplicate partitions");
        Partition upper = Fixtures.partition(logs, "2024-01-01", "2");
        upper.setTableName("LOGS");
        List<Partition> mixed = new ArrayList<>(List.of(Fixtures.partition(logs, "2024-01-01", "1"), upper));
        assertThatThrownBy(() -> client.add_partitions(mixed)).isInstanceOf(MetaException.class).hasMessageContaining("does not belong");
        Partition elsewhere = Fixtures.partition(logs, "2024-01-01", "1");
        elsewhere.setDbName("nosuchdb");
        assertThatThrownBy(() -> client.add_partitions(new ArrayList<>(List.of(elsewhere)))).isInstanceOf(InvalidObjectException.class);
        assertThat(client.listPartitionNames("chk", "logs", (short) -1)).isEmpty();
    }

    @Test
    void anEmptyValueIsTheDefaultPartition() throws Exception {
        client.add_partition(Fixtures.partition(logs, "", "1"));
        assertThat(client.listPartitionNames("chk", "logs", (short) -1)).containsExactly("ds=__HIVE_DEFAULT_PARTITION__/hr=1");
    }

    @Test
    void viewPartitionsHaveNoDirectory() throws Exception {
        Table view = Fixtures.partitionedTable("chk", "v");
        view.setTableType("VIRTUAL_VIEW");
        view.setViewOriginalText("select * from logs");
        view.setViewExpandedText("select * from chk.logs");
        view.getSd().setLocation(null);
        client.createTable(view);
        Table v = client.getTable("chk", "v");
        Partition p = Fixtures.partition(v, "2024-01-01", "1");
        p.setSd(null);
        client.add_partitions(new ArrayList<>(List.of(p)));
        assertThat(client.getPartition("chk", "v", List.of("2024-01-01", "1")).getSd()).isNull();
        Partition located = Fixtures.partition(v, "2024-01-01", "2");
        located.getSd().setLocation(server.warehouse().resolve("x").toUri().toString());
        assertThatThrownBy(() -> client.add_partition(located)).isInstanceOf(MetaException.class).hasMessageContaining("view partition");
    }

    @Test
    void altersAndRenamesStayInTheirTable() throws Exception {
        client.add_partition(Fixtures.partition(logs, "2024-01-01", "1"));
        client.add_partition(Fixtures.partition(logs, "2024-01-01", "2"));
        Partition moved = client.getPartition("chk", "logs", List.of("2024-01-01", "1"));
        moved.setTableName("other");
        assertThatThrownBy(() -> client.alter_partition("chk", "logs", moved)).isInstanceOf(MetaException.class).hasMessageContaining("cannot be changed");
        assertThatThrownBy(() -> client.alter_partitions("chk", "logs", new ArrayList<>())).isInstanceOf(InvalidOperationException.class);
        Partition renamed = client.getPartition("chk", "logs", List.of("2024-01-01", "1"));
        renamed.setValues(List.of("2024-01-01", "2"));
        assertThatThrownBy(() -> client.renamePartition("chk", "logs", List.of("2024-01-01", "1"), renamed)).isInstanceOf(InvalidOperationException.class);
        renamed.setValues(List.of("2024-01-01", "3"));
        assertThatThrownBy(() -> client.renamePartition("chk", "logs", List.of("2030-01-01", "1"), renamed)).isInstanceOf(InvalidOperationException.class);
        assertThat(client.listPartitionNames("chk", "logs", (short) -1)).containsExactly("ds=2024-01-01/hr=1", "ds=2024-01-01/hr=2");
    }

    @Test
    void lookupsWithBadNamesOrValues() throws Exception {
        client.add_partition(Fixtures.partition(logs, "2024-01-01", "1"));
        assertThatThrownBy(() -> client.getPartition("chk", "logs", List.of("2024-01-01"))).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.getPartition("chk", "logs", "ds=2024-01-01")).isInstanceOf(NoSuchObjectException.class);
        assertThat(client.getPartition("chk", "logs", "ds=2024-01-01/hr=1/extra=x").getValues()).containsExactly("2024-01-01", "1");
        assertThatThrownBy(() -> client.getPartition(null, "logs", List.of("2024-01-01", "1"))).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.getPartition("", "logs", List.of("2024-01-01", "1"))).isInstanceOf(NoSuchObjectException.class);
        assertThatThrownBy(() -> client.appendPartition("chk", "logs", "ds=2024-01-02")).isInstanceOf(InvalidObjectException.class).hasMessageContaining("missing hr");
        assertThat(client.appendPartition("chk", "logs", "ds=2024-01-02/hr=1/extra=x").getValues()).containsExactly("2024-01-02", "1");
    }

    @Test
    void partitionSpecsInAndOut() throws Exception {
        PartitionSpec spec = new PartitionSpec();
        spec.setDbName("chk");
        spec.setTableName("logs");
        Map<String, String> params = new HashMap<>(Map.of("k", "v"));
        String root = logs.getSd().getLocation() + "/shared";
        org.apache.hadoop.hive.metastore.api.StorageDescriptor sd = logs.getSd().deepCopy();
        sd.setLocation(root);
        spec.setSharedSDPartitionSpec(new PartitionSpecWithSharedSD(new ArrayList<>(List.of(
                new PartitionWithoutSD(List.of("2024-01-01", "1"), 0, 0, "/a", params),
                new PartitionWithoutSD(List.of("2024-01-01", "2"), 0, 0, "/b", params))), sd));
        assertThat(client.add_partitions_pspec(PartitionSpecProxy.Factory.get(spec))).isEqualTo(2);
        assertThat(client.getPartition("chk", "logs", List.of("2024-01-01", "2")).getSd().getLocation()).isEqualTo(root + "/b");

        PartitionSpecProxy listed = client.listPartitionSpecs("chk", "logs", -1);
        assertThat(listed.size()).isEqualTo(2);
        // As from the Hive Metastore, which fails on a null table name before anything else: Thrift's internal error.
        assertThatThrownBy(() -> client.listPartitionSpecs("chk", null, -1)).isInstanceOf(org.apache.thrift.TApplicationException.class);
        PartitionSpecProxy filtered = client.listPartitionSpecsByFilter("chk", "logs", "hr = 2", -1);
        List<Partition> one = filtered.toPartitionSpec().get(0).getPartitionList().getPartitions();
        assertThat(one).extracting(Partition::getValues).containsExactly(List.of("2024-01-01", "2"));

        client.add_partition(Fixtures.partition(logs, "2024-01-02", "1"));
        PartitionValuesRequest request = new PartitionValuesRequest("chk", "logs", List.of(new FieldSchema("ds", "string", null)));
        assertThat(client.listPartitionValues(request).getPartitionValues()).extracting(PartitionValuesRow::getRow)
                .containsExactly(List.of("2024-01-01"), List.of("2024-01-02"));
        assertThatThrownBy(() -> client.listPartitionValues(new PartitionValuesRequest("chk", "nosuch", List.of(new FieldSchema("ds", "string", null)))))
                .isInstanceOf(MetaException.class);
    }
}
