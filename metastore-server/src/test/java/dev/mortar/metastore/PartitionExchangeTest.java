package dev.mortar.metastore;

import dev.mortar.testing.TestStores;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** exchange_partition(s): partitions and their directories move from one table to another, all or nothing. */
class PartitionExchangeTest {
    static TestServer server;
    static HiveMetaStoreClient client;

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
    void tables() throws Exception {
        client.dropDatabase("exch", true, true, true);
        client.createDatabase(Fixtures.database("exch"));
        client.createTable(Fixtures.partitionedTable("exch", "src"));
        client.createTable(Fixtures.partitionedTable("exch", "dst"));
        Table src = client.getTable("exch", "src");
        client.add_partitions(new java.util.ArrayList<>(List.of(Fixtures.partition(src, "2024-01-01", "1"), Fixtures.partition(src, "2024-01-01", "2"),
                Fixtures.partition(src, "2024-01-02", "1"))));
    }

    private Path dir(String table, String name) {
        return server.warehouse().resolve("exch.db").resolve(table).resolve(name);
    }

    @Test
    void partialSpecMovesMatchingPartitionsAndTheirDirectory() throws Exception {
        Partition before = client.getPartition("exch", "src", List.of("2024-01-01", "2"));
        List<Partition> moved = client.exchange_partitions(Map.of("ds", "2024-01-01"), "exch", "src", "exch", "dst");

        assertThat(moved).extracting(Partition::getValues).containsExactlyInAnyOrder(List.of("2024-01-01", "1"), List.of("2024-01-01", "2"));
        assertThat(client.listPartitionNames("exch", "src", (short) -1)).containsExactly("ds=2024-01-02/hr=1");
        assertThat(client.listPartitionNames("exch", "dst", (short) -1)).containsExactly("ds=2024-01-01/hr=1", "ds=2024-01-01/hr=2");
        Partition after = client.getPartition("exch", "dst", List.of("2024-01-01", "2"));
        assertThat(after.getSd().getLocation()).isEqualTo(client.getTable("exch", "dst").getSd().getLocation() + "/ds=2024-01-01/hr=2");
        assertThat(after.getCreateTime()).isEqualTo(before.getCreateTime());
        assertThat(after.getParameters()).isEqualTo(before.getParameters());
        assertThat(dir("dst", "ds=2024-01-01/hr=2")).isDirectory();
        assertThat(dir("src", "ds=2024-01-01")).doesNotExist();
        assertThat(dir("src", "ds=2024-01-02/hr=1")).isDirectory();
    }

    @Test
    void exchangePartitionAnswersAnEmptyPartition() throws Exception {
        assertThat(client.exchange_partition(Map.of("ds", "2024-01-02", "hr", "1"), "exch", "src", "exch", "dst")).isEqualTo(new Partition());
        assertThat(client.listPartitionNames("exch", "dst", (short) -1)).containsExactly("ds=2024-01-02/hr=1");
    }

    @Test
    void aPartitionThatExistsInTheDestinationChangesNothing() throws Exception {
        client.add_partition(Fixtures.partition(client.getTable("exch", "dst"), "2024-01-01", "2"));
        assertThatThrownBy(() -> client.exchange_partitions(Map.of("ds", "2024-01-01"), "exch", "src", "exch", "dst"))
                .isInstanceOf(MetaException.class).hasMessageContaining("already exists");
        assertThat(client.listPartitionNames("exch", "src", (short) -1)).hasSize(3);
        assertThat(client.listPartitionNames("exch", "dst", (short) -1)).containsExactly("ds=2024-01-01/hr=2");
        assertThat(dir("src", "ds=2024-01-01/hr=1")).isDirectory();
    }

    @Test
    void aDirectoryThatCannotBeMovedRollsTheCatalogBack() throws Exception {
        // A spec whose keys are not a prefix names a directory that does not exist.
        assertThatThrownBy(() -> client.exchange_partitions(Map.of("ds", "", "hr", "1"), "exch", "src", "exch", "dst"))
                .isInstanceOf(MetaException.class).hasMessageContaining("does not exist");
        assertThat(client.listPartitionNames("exch", "src", (short) -1)).hasSize(3);
        assertThat(client.listPartitions("exch", "dst", (short) -1)).isEmpty();
        assertThat(Files.exists(dir("dst", "hr=1"))).isFalse();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mariadb", "postgres"})
    void aFailedMoveChangesNothingOnEveryStore(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-exchange");
        try (TestServer other = TestServer.start(dir, TestStores.fresh(kind, dir)); HiveMetaStoreClient c = other.client()) {
            c.createDatabase(Fixtures.database("exch"));
            c.createTable(Fixtures.partitionedTable("exch", "src"));
            c.createTable(Fixtures.partitionedTable("exch", "dst"));
            Table src = c.getTable("exch", "src");
            c.add_partitions(new java.util.ArrayList<>(List.of(Fixtures.partition(src, "2024-01-01", "1"))));
            assertThatThrownBy(() -> c.exchange_partitions(Map.of("ds", "", "hr", "1"), "exch", "src", "exch", "dst"))
                    .isInstanceOf(MetaException.class).hasMessageContaining("does not exist");
            assertThat(c.listPartitionNames("exch", "src", (short) -1)).containsExactly("ds=2024-01-01/hr=1");
            assertThat(c.listPartitions("exch", "dst", (short) -1)).isEmpty();
            c.exchange_partitions(Map.of("ds", "2024-01-01"), "exch", "src", "exch", "dst");
            assertThat(c.listPartitionNames("exch", "dst", (short) -1)).containsExactly("ds=2024-01-01/hr=1");
            assertThat(other.warehouse().resolve("exch.db/dst/ds=2024-01-01/hr=1")).isDirectory();
            other.close();
            other.deleteData();
        }
    }

    @Test
    void badRequestsAreMetaExceptions() throws Exception {
        Table other = Fixtures.partitionedTable("exch", "other");
        other.getSd().getCols().get(0).setType("string");
        client.createTable(other);
        assertThatThrownBy(() -> client.exchange_partitions(Map.of("ds", "2024-01-01"), "exch", "src", "exch", "other"))
                .isInstanceOf(MetaException.class).hasMessageContaining("different schemas");
        assertThatThrownBy(() -> client.exchange_partitions(Map.of("ds", "2030-01-01"), "exch", "src", "exch", "dst"))
                .isInstanceOf(MetaException.class).hasMessageContaining("No partition is found");
        assertThatThrownBy(() -> client.exchange_partitions(Map.of("ds", "2024-01-01"), "exch", "nosuch", "exch", "dst"))
                .isInstanceOf(MetaException.class).hasMessageContaining("not found");
        assertThatThrownBy(() -> client.exchange_partitions(Map.of(), "exch", "src", "exch", "dst")).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.exchange_partitions(Map.of("ds", "2024-01-01"), "exch", "src", null, "dst")).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.getPartition("exch", "dst", List.of("2024-01-01", "1"))).isInstanceOf(NoSuchObjectException.class);
        assertThat(client.getTable("exch", "other").getPartitionKeys()).extracting(FieldSchema::getName).containsExactly("ds", "hr");
    }
}
