package dev.mortar.metastore;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionApiTest {
    static TestServer server;
    static HiveMetaStoreClient client;
    static Table logs;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("mortar.limit.partition.request", "500"));
        client = server.client();
        client.createDatabase(Fixtures.database("web"));
        client.createTable(Fixtures.partitionedTable("web", "logs"));
        logs = client.getTable("web", "logs");
        List<Partition> parts = new ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            for (int hr = 0; hr < 12; hr++) {
                parts.add(Fixtures.partition(logs, "2024-01-0" + day, String.valueOf(hr)));
            }
        }
        assertThat(client.add_partitions(parts)).isEqualTo(36);
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        server.deleteData();
    }

    private Path tableDir() {
        return server.warehouse().resolve("web.db/logs");
    }

    @Test
    void addedPartitionsAreStoredWithLocationsAndDirectories() throws Exception {
        Partition p = client.getPartition("web", "logs", List.of("2024-01-02", "5"));
        assertThat(p.getValues()).containsExactly("2024-01-02", "5");
        assertThat(p.getSd().getLocation()).endsWith("/warehouse/web.db/logs/ds=2024-01-02/hr=5");
        assertThat(p.getParameters()).containsKey("transient_lastDdlTime");
        assertThat(p.getCreateTime()).isPositive();
        assertThat(p.isSetWriteId()).as("a write id (-1: none), as the Hive Metastore answers").isTrue();
        assertThat(p.getWriteId()).isEqualTo(-1);
        assertThat(tableDir().resolve("ds=2024-01-02/hr=5")).isDirectory();
        assertThat(client.getPartition("web", "logs", "ds=2024-01-02/hr=5").getValues()).containsExactly("2024-01-02", "5");
        assertThatThrownBy(() -> client.getPartition("web", "logs", List.of("2030-01-01", "1"))).isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void namesAreSortedAndListsHonourMax() throws Exception {
        List<String> names = client.listPartitionNames("web", "logs", (short) -1);
        assertThat(names).hasSize(36).isSorted();
        assertThat(names.get(0)).isEqualTo("ds=2024-01-01/hr=0");
        assertThat(client.listPartitionNames("web", "logs", (short) 5)).hasSize(5);
        assertThat(client.listPartitions("web", "logs", (short) -1)).hasSize(36);
        assertThat(client.listPartitions("web", "logs", (short) 3)).extracting(p -> p.getValues().get(1)).containsExactly("0", "1", "10");
        assertThat(client.listPartitionNames("web", "logs", List.of("2024-01-03", ""), (short) -1)).hasSize(12).allMatch(n -> n.startsWith("ds=2024-01-03/"));
        assertThat(client.listPartitions("web", "logs", List.of("", "7"), (short) -1)).hasSize(3);
        assertThat(client.getPartitionsByNames("web", "logs", List.of("ds=2024-01-01/hr=1", "ds=2024-01-03/hr=11", "ds=1999-01-01/hr=1")))
                .extracting(p -> p.getValues().get(0) + "/" + p.getValues().get(1)).containsExactly("2024-01-01/1", "2024-01-03/11");
    }

    @Test
    void filtersRunWithHiveGrammarAndTypes() throws Exception {
        assertThat(filter("ds = '2024-01-02'")).hasSize(12);
        assertThat(filter("ds = \"2024-01-02\" and hr = 5")).hasSize(1);
        assertThat(filter("hr > 9")).hasSize(6); // 10 and 11 compare as numbers, not strings
        assertThat(filter("hr >= 10 AND (ds = '2024-01-01' OR ds = '2024-01-03')")).hasSize(4);
        assertThat(filter("ds >= '2024-01-02' and hr < 2")).hasSize(4);
        assertThat(filter("ds <> '2024-01-01' and hr = 0")).hasSize(2);
        assertThat(filter("ds != '2024-01-01' and hr = 0")).hasSize(2);
        assertThat(filter("ds like '2024-01-0%' and hr = 3")).hasSize(3);
        assertThat(filter("ds like '2024-01-0.*' and hr = 3")).hasSize(3);
        assertThat(filter("hr between 2 and 4 and ds = '2024-01-01'")).hasSize(3);
        assertThat(filter("hr in (1, 11) and ds = '2024-01-01'")).hasSize(2);
        assertThat(filter("not (hr < 11)")).hasSize(3);
        assertThat(filter("5 = hr and ds = '2024-01-01'")).hasSize(1);
        assertThat(client.getNumPartitionsByFilter("web", "logs", "hr < 6")).isEqualTo(18);
        assertThat(filter("")).hasSize(36);

        assertThatThrownBy(() -> filter("ds = ")).isInstanceOf(MetaException.class).hasMessageContaining("Error parsing partition filter");
        assertThatThrownBy(() -> filter("nosuchkey = 1")).isInstanceOf(MetaException.class).hasMessageContaining("nosuchkey");
    }

    private List<Partition> filter(String f) throws Exception {
        return client.listPartitionsByFilter("web", "logs", f, (short) -1);
    }

    @Test
    void addPartitionsIsAllOrNothing() throws Exception {
        client.createTable(Fixtures.partitionedTable("web", "batch"));
        Table batch = client.getTable("web", "batch");
        client.add_partition(Fixtures.partition(batch, "2024-02-01", "500"));
        List<Partition> thousand = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            thousand.add(Fixtures.partition(batch, "2024-02-01", String.valueOf(i)));
        }
        assertThatThrownBy(() -> client.add_partitions(thousand)).isInstanceOf(AlreadyExistsException.class);
        assertThat(client.listPartitionNames("web", "batch", (short) -1)).containsExactly("ds=2024-02-01/hr=500");
        assertThat(server.warehouse().resolve("web.db/batch/ds=2024-02-01/hr=1")).doesNotExist();

        List<Partition> added = client.add_partitions(thousand, true, true);
        assertThat(added).hasSize(999);
        assertThat(client.listPartitionNames("web", "batch", (short) -1)).hasSize(1000);

        Partition bad = Fixtures.partition(batch, "2024-02-02");
        assertThatThrownBy(() -> client.add_partition(bad)).isInstanceOf(MetaException.class);
    }

    @Test
    void partitionRequestLimit() throws Exception {
        client.createTable(Fixtures.partitionedTable("web", "wide"));
        Table wide = client.getTable("web", "wide");
        List<Partition> parts = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            parts.add(Fixtures.partition(wide, "d", String.valueOf(i)));
        }
        client.add_partitions(parts);
        assertThatThrownBy(() -> client.listPartitions("web", "wide", (short) -1)).isInstanceOf(MetaException.class)
                .hasMessageContaining("exceeds limit (=500)").hasMessageContaining("metastore.limit.partition.request");
        assertThat(client.listPartitions("web", "wide", (short) 100)).hasSize(100);
        assertThat(client.listPartitionsByFilter("web", "wide", "hr < 10", (short) -1)).hasSize(10);
        assertThat(client.listPartitionNames("web", "wide", (short) -1)).hasSize(600);
    }

    @Test
    void appendAlterRenameDrop() throws Exception {
        client.createTable(Fixtures.partitionedTable("web", "life"));
        Partition appended = client.appendPartition("web", "life", List.of("2024-03-01", "1"));
        assertThat(appended.getSd().getLocation()).endsWith("/web.db/life/ds=2024-03-01/hr=1");
        assertThat(client.appendPartition("web", "life", "ds=2024-03-01/hr=2").getValues()).containsExactly("2024-03-01", "2");
        assertThatThrownBy(() -> client.appendPartition("web", "life", List.of("2024-03-01", "1"))).isInstanceOf(AlreadyExistsException.class);

        Partition changed = client.getPartition("web", "life", List.of("2024-03-01", "1"));
        changed.getParameters().put("numRows", "42");
        client.alter_partition("web", "life", changed, null);
        assertThat(client.getPartition("web", "life", List.of("2024-03-01", "1")).getParameters()).containsEntry("numRows", "42");

        Partition renamed = client.getPartition("web", "life", List.of("2024-03-01", "1"));
        Path oldDir = server.warehouse().resolve("web.db/life/ds=2024-03-01/hr=1");
        Files.writeString(oldDir.resolve("f"), "x");
        renamed.setValues(List.of("2024-03-09", "1"));
        client.renamePartition("web", "life", List.of("2024-03-01", "1"), renamed);
        assertThat(client.listPartitionNames("web", "life", (short) -1)).containsExactly("ds=2024-03-01/hr=2", "ds=2024-03-09/hr=1");
        assertThat(server.warehouse().resolve("web.db/life/ds=2024-03-09/hr=1/f")).exists();
        assertThat(oldDir).doesNotExist();

        assertThat(client.dropPartition("web", "life", List.of("2024-03-09", "1"), true)).isTrue();
        assertThat(server.warehouse().resolve("web.db/life/ds=2024-03-09/hr=1")).doesNotExist();
        assertThat(client.dropPartition("web", "life", "ds=2024-03-01/hr=2", false)).isTrue();
        assertThat(server.warehouse().resolve("web.db/life/ds=2024-03-01/hr=2")).isDirectory();
        assertThatThrownBy(() -> client.dropPartition("web", "life", List.of("2024-03-09", "1"), true)).isInstanceOf(NoSuchObjectException.class);
        assertThat(client.listPartitionNames("web", "life", (short) -1)).isEmpty();
    }

    @Test
    void valuesAreEscapedAsHiveEscapesThem() throws Exception {
        client.createTable(Fixtures.table("web", "odd", List.of(new FieldSchema("path", "string", null))));
        Table odd = client.getTable("web", "odd");
        client.add_partition(Fixtures.partition(odd, "a/b:c=d"));
        assertThat(client.listPartitionNames("web", "odd", (short) -1)).containsExactly("path=a%2Fb%3Ac%3Dd");
        assertThat(client.getPartition("web", "odd", List.of("a/b:c=d")).getSd().getLocation()).endsWith("/odd/path=a%2Fb%3Ac%3Dd");
        assertThat(client.partitionNameToVals("path=a%2Fb%3Ac%3Dd")).containsExactly("a/b:c=d");
        assertThat(client.partitionNameToSpec("ds=2024-01-01/hr=3")).containsEntry("ds", "2024-01-01").containsEntry("hr", "3");
    }

    @Test
    void byNamesIsExactAndWithAuthCarriesPrivileges() throws Exception {
        assertThat(client.getPartitionsByNames("web", "logs", List.of("ds=2024-01-01/hr=1", "DS=2024-01-02/HR=1", "ds=2024-01-03"))).extracting(Partition::getValues)
                .as("key names as Hive writes them, every key").containsExactly(List.of("2024-01-01", "1"));
        assertThatThrownBy(() -> client.getPartitionsByNames("web", "logs", null)).isInstanceOf(org.apache.hadoop.hive.metastore.api.MetaException.class);

        assertThat(client.listPartitionNames("web", "no_such_table", (short) -1)).isEmpty();
        assertThat(client.listPartitionNames("no_such_db", "logs", (short) -1)).isEmpty();
        assertThatThrownBy(() -> client.listPartitionNames("web", "", (short) -1)).as("an empty name names no table").isInstanceOf(NoSuchObjectException.class);
        assertThat(client.getPartitionWithAuthInfo("web", "logs", List.of("2024-01-01", "1"), "alice", List.of("staff")).getPrivileges())
                .as("a table without partition-level privileges").isNull();

        client.createTable(Fixtures.partitionedTable("web", "guarded"));
        Table guarded = client.getTable("web", "guarded");
        guarded.getParameters().put("PARTITION_LEVEL_PRIVILEGE", "TRUE");
        client.alter_table("web", "guarded", guarded);
        client.add_partition(Fixtures.partition(guarded, "2024-01-01", "1"));
        Partition p = client.getPartitionWithAuthInfo("web", "guarded", List.of("2024-01-01", "1"), "alice", List.of("staff", "ops"));
        assertThat(p.getPrivileges().getUserPrivileges()).containsOnlyKeys("alice");
        assertThat(p.getPrivileges().getGroupPrivileges()).containsOnlyKeys("staff", "ops");
        assertThat(p.getPrivileges().getRolePrivileges()).containsOnlyKeys("public");
        assertThat(p.getPrivileges().getUserPrivileges().get("alice")).isEmpty();
        assertThat(client.listPartitionsWithAuthInfo("web", "guarded", (short) -1, "bob", List.of())).singleElement()
                .satisfies(q -> assertThat(q.getPrivileges().getUserPrivileges()).containsOnlyKeys("bob"));
        assertThat(client.getPartition("web", "guarded", List.of("2024-01-01", "1")).isSetPrivileges()).as("other reads: none").isFalse();
        client.dropTable("web", "guarded");
    }

    @Test
    void altersKeepAGivenCreateTimeAndRenamesMoveToTheDefaultFolder() throws Exception {
        client.createTable(Fixtures.partitionedTable("web", "moving"));
        Table moving = client.getTable("web", "moving");
        client.add_partition(Fixtures.partition(moving, "2024-02-01", "1"));
        Partition p = client.getPartition("web", "moving", List.of("2024-02-01", "1"));
        int created = p.getCreateTime();
        p.setCreateTime(123456789);
        client.alter_partition("web", "moving", p);
        assertThat(client.getPartition("web", "moving", List.of("2024-02-01", "1")).getCreateTime()).isEqualTo(123456789);
        p.setCreateTime(0);
        client.alter_partition("web", "moving", p);
        assertThat(client.getPartition("web", "moving", List.of("2024-02-01", "1")).getCreateTime()).as("none given: kept").isEqualTo(123456789);

        Partition renamed = client.getPartition("web", "moving", List.of("2024-02-01", "1"));
        renamed.setValues(List.of("2024-02-02", "1"));
        renamed.getSd().setLocation(renamed.getSd().getLocation() + "/hh=01");
        client.renamePartition("web", "moving", List.of("2024-02-01", "1"), renamed);
        String location = client.getPartition("web", "moving", List.of("2024-02-02", "1")).getSd().getLocation();
        assertThat(location).endsWith("/web.db/moving/ds=2024-02-02/hr=1");
        assertThat(server.warehouse().resolve("web.db/moving/ds=2024-02-02/hr=1")).isDirectory();
        assertThat(created).isPositive();
        client.dropTable("web", "moving");
    }
}
