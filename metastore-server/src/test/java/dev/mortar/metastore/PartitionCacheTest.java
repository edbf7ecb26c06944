package dev.mortar.metastore;

import dev.mortar.testing.TestStores;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.EnvironmentContext;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Partitions kept in memory between reads are always current: two servers share one store, one with
 * the partition cache and one without, and after every kind of change made through either of them,
 * both answer every partition listing the same.
 */
class PartitionCacheTest {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void cachedReadsFollowChangesMadeThroughAnyServer(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-cache-" + kind);
        Map<String, String> store = TestStores.fresh(kind, dir);
        Map<String, String> uncached = new HashMap<>(store);
        uncached.put("mortar.cache.partitions", "0");
        try (TestServer cachedServer = TestServer.start(dir.resolve("a"), store);
             TestServer plainServer = TestServer.start(dir.resolve("b"), uncached)) {
            HiveMetaStoreClient cached = cachedServer.client();
            HiveMetaStoreClient plain = plainServer.client();
            plain.createDatabase(Fixtures.database("cache_db"));
            plain.createTable(Fixtures.partitionedTable("cache_db", "events"));
            Table events = plain.getTable("cache_db", "events");
            List<Partition> batch = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                batch.add(Fixtures.partition(events, "2024-01-0" + (1 + i % 3), String.valueOf(i)));
            }
            plain.add_partitions(batch);
            assertSameAnswers(cached, plain, 60);
            assertSameAnswers(cached, plain, 60); // now from memory
            assertSameOnEveryWireFormat(cachedServer, plainServer);

            // Added through the other server.
            plain.add_partition(Fixtures.partition(events, "2024-02-01", "7"));
            assertSameAnswers(cached, plain, 61);

            // Added and dropped through this server: its cached partitions follow its own writes.
            List<Partition> odd = new ArrayList<>();
            for (String[] values : new String[][] {{"2024-01-1", "08"}, {"a b", "3"}, {"Zürich", "12"}, {"2024-01-02 ", "5"}, {"2024-01-02_x", "-1"}, {"x%y", "4"}}) {
                odd.add(Fixtures.partition(events, values));
            }
            cached.add_partitions(odd);
            assertSameAnswers(cached, plain, 67);
            cached.add_partition(Fixtures.partition(events, "2024-02-02", "9"));
            assertThatThrownBy(() -> cached.add_partition(Fixtures.partition(events, "2024-02-02", "9"))).isInstanceOf(AlreadyExistsException.class);
            assertThatThrownBy(() -> plain.add_partition(Fixtures.partition(events, "2024-02-02", "9"))).isInstanceOf(AlreadyExistsException.class);
            assertThatThrownBy(() -> cached.add_partition(Fixtures.partition(events, "2024-02-02"))).isInstanceOf(MetaException.class);
            cached.dropPartition("cache_db", "events", List.of("2024-01-01", "3"), false);
            assertSameAnswers(cached, plain, 67);
            cached.dropPartition("cache_db", "events", List.of("a b", "3"), false);
            cached.dropPartition("cache_db", "events", List.of("x%y", "4"), false);
            assertSameAnswers(cached, plain, 65);

            // Changed through this server, then through the other.
            Partition p = cached.getPartition("cache_db", "events", List.of("2024-01-01", "0"));
            p.getParameters().put("touched", "a");
            cached.alter_partition("cache_db", "events", p, new EnvironmentContext());
            assertSameAnswers(cached, plain, 65);
            p.getParameters().put("touched", "b");
            plain.alter_partition("cache_db", "events", p, new EnvironmentContext());
            assertSameAnswers(cached, plain, 65);
            assertThat(cached.getPartition("cache_db", "events", List.of("2024-01-01", "0")).getParameters()).containsEntry("touched", "b");

            // Renamed and dropped.
            Partition renamed = plain.getPartition("cache_db", "events", List.of("2024-01-02", "1"));
            renamed.setValues(List.of("2024-03-01", "1"));
            plain.renamePartition("cache_db", "events", List.of("2024-01-02", "1"), renamed);
            assertSameAnswers(cached, plain, 65);
            plain.dropPartition("cache_db", "events", List.of("2024-01-03", "2"), false);
            assertSameAnswers(cached, plain, 64);

            // A batch that fails changes nothing, and the cached answers stay right.
            List<Partition> failing = new ArrayList<>(List.of(Fixtures.partition(events, "2024-04-01", "1"), Fixtures.partition(events, "2024-01-01", "0")));
            assertThatThrownBy(() -> plain.add_partitions(failing)).isInstanceOf(AlreadyExistsException.class);
            assertSameAnswers(cached, plain, 64);

            // A new column cascaded to every partition.
            Table altered = plain.getTable("cache_db", "events");
            altered.getSd().addToCols(new FieldSchema("extra", "string", null));
            EnvironmentContext cascade = new EnvironmentContext(Map.of("CASCADE", "true"));
            plain.alter_table_with_environmentContext("cache_db", "events", altered, cascade);
            assertSameAnswers(cached, plain, 64);
            assertThat(cached.listPartitions("cache_db", "events", (short) -1))
                    .allSatisfy(part -> assertThat(part.getSd().getCols()).extracting(FieldSchema::getName).contains("extra"));

            // The table dropped and made again under the same name starts empty.
            plain.dropTable("cache_db", "events");
            plain.createTable(Fixtures.partitionedTable("cache_db", "events"));
            assertSameAnswers(cached, plain, 0);
        }
    }

    /** Cached listings go out pre-encoded on the binary protocol: each wire format must still carry the same answer. */
    private static void assertSameOnEveryWireFormat(TestServer cachedServer, TestServer plainServer) throws Exception {
        for (String format : List.of("binary", "compact", "framed")) {
            try (TTransport a = open(cachedServer, format); TTransport b = open(plainServer, format)) {
                ThriftHiveMetastore.Client cached = client(a, format);
                ThriftHiveMetastore.Client plain = client(b, format);
                for (int round = 0; round < 2; round++) {
                    assertThat(cached.get_partition_names("cache_db", "events", (short) -1)).as(format)
                            .isEqualTo(plain.get_partition_names("cache_db", "events", (short) -1)).hasSize(60);
                    assertThat(cached.get_partition_names("cache_db", "events", (short) 4)).as(format)
                            .isEqualTo(plain.get_partition_names("cache_db", "events", (short) 4)).hasSize(4);
                    assertThat(cached.get_partitions("cache_db", "events", (short) -1)).as(format)
                            .isEqualTo(plain.get_partitions("cache_db", "events", (short) -1)).hasSize(60);
                    assertThat(cached.get_partitions_by_filter("cache_db", "events", "hr < 3", (short) -1)).as(format)
                            .isEqualTo(plain.get_partitions_by_filter("cache_db", "events", "hr < 3", (short) -1)).hasSize(3);
                }
                assertThatThrownBy(() -> cached.get_partition_names("cache_db", "missing", (short) -1)).isInstanceOf(NoSuchObjectException.class);
            }
        }
    }

    private static TTransport open(TestServer server, String format) throws Exception {
        TTransport socket = new TSocket("127.0.0.1", server.server.thriftPort());
        TTransport transport = format.equals("framed") ? new TFramedTransport(socket) : socket;
        transport.open();
        return transport;
    }

    private static ThriftHiveMetastore.Client client(TTransport transport, String format) {
        return new ThriftHiveMetastore.Client(format.equals("compact") ? new TCompactProtocol(transport) : new TBinaryProtocol(transport));
    }

    private static void assertSameAnswers(HiveMetaStoreClient cached, HiveMetaStoreClient plain, int expected) throws Exception {
        List<String> names = plain.listPartitionNames("cache_db", "events", (short) -1);
        assertThat(names).hasSize(expected);
        assertThat(cached.listPartitionNames("cache_db", "events", (short) -1)).isEqualTo(names);
        assertThat(cached.listPartitionNames("cache_db", "events", (short) 5)).isEqualTo(plain.listPartitionNames("cache_db", "events", (short) 5));
        List<Partition> all = plain.listPartitions("cache_db", "events", (short) -1);
        assertThat(cached.listPartitions("cache_db", "events", (short) -1)).isEqualTo(all);
        assertThat(cached.listPartitions("cache_db", "events", (short) 3)).isEqualTo(plain.listPartitions("cache_db", "events", (short) 3));
        List<String> some = new ArrayList<>(names.subList(0, Math.min(5, names.size())));
        some.add("ds=2030-01-01/hr=1");
        assertThat(cached.getPartitionsByNames("cache_db", "events", some)).isEqualTo(plain.getPartitionsByNames("cache_db", "events", some));
        for (String filter : FILTERS) {
            List<Partition> matching = plain.listPartitionsByFilter("cache_db", "events", filter, (short) -1);
            assertThat(cached.listPartitionsByFilter("cache_db", "events", filter, (short) -1)).as(filter).isEqualTo(matching);
            assertThat(cached.listPartitionsByFilter("cache_db", "events", filter, (short) 2)).as(filter).isEqualTo(plain.listPartitionsByFilter("cache_db", "events", filter, (short) 2));
        }
        for (List<String> spec : List.of(List.of("2024-01-01"), List.of("", "7"), List.of("", "07"), List.of("2024-01-02", ""))) {
            assertThat(cached.listPartitionNames("cache_db", "events", spec, (short) -1)).as(spec.toString())
                    .isEqualTo(plain.listPartitionNames("cache_db", "events", spec, (short) -1));
            assertThat(cached.listPartitions("cache_db", "events", spec, (short) -1)).as(spec.toString())
                    .isEqualTo(plain.listPartitions("cache_db", "events", spec, (short) -1));
        }
    }

    /** Filters answered from memory by the cached server and by SQL by the other: the answers must agree. */
    private static final List<String> FILTERS = List.of(
            "ds = '2024-01-01'", "ds = \"2024-01-02\"", "ds = '2024-01-02 '", "ds <> '2024-01-01'", "ds != '2024-01-01' and hr > 10",
            "ds > '2024-01-01'", "ds >= '2024-01-02' and ds < '2024-02-01'", "ds < 'a'", "ds <= 'Zürich'", "ds > 'Z'",
            "hr = 7", "hr = '07'", "hr < 5", "hr >= 58", "hr > -2 and hr <= 3", "hr <> 0", "hr = 'x'", "hr > '5'",
            "ds like '2024-01%'", "ds like '2024-01-0_'", "ds like '%b%'", "ds like 'x\\%y'", "ds like '2024.*'",
            "hr in (1, 2, 3)", "ds in ('a b', 'Zürich', '2024-02-01')", "hr in (1, 'x')",
            "hr between 10 and 20", "ds between '2024-01-02' and '2024-02-01'",
            "not (ds = '2024-01-01')", "not (hr < 30) and ds = '2024-01-03'", "ds = '2024-01-01' or hr = 59", "(ds = 'a b' or ds = 'x%y') and not hr = 4",
            // An equality on a key and more: answered from the cached partitions with that key's value.
            "ds = '2024-01-01' and hr < 5", "ds = '2024-01-02' and hr between 10 and 20", "ds = '2024-01-01' and hr in (1, 2, 3)",
            "ds = '2024-01-02' and not (hr >= 30)", "ds in ('2024-01-01', '2024-01-02') and hr > 50", "ds = '2024-01-01' and ds like '2024%'",
            "hr in (1, 'x', '3') and ds > '2024'", "ds = '2024-01-02 ' and hr <> 5", "ds = 'Zürich' and hr = '12'", "ds = '2024-01-03' and (hr < 3 or hr > 56)",
            "ds = '2024-01-01' and hr > 'x'", "hr = '08' and ds = '2024-01-1'", "ds = '2024-01-01' and ds between '2024-01-01' and '2024-01-01'",
            // Ranges and lists without an equality on a string key: answered from each key's distinct values.
            "ds >= '2024-01-02' and hr < 10", "ds > '2024-01-01' and ds <= '2024-01-02' and hr between 3 and 8", "ds < '2024-01-02 ' and hr >= '5'",
            "hr < 10 and hr > 2 and ds like '2024%'", "ds between '2024-01-02' and '2024-01-02' and hr <> 5", "ds > '2024-01-02' and (hr < 3 or hr > 56)",
            "hr in (5, 8) and ds < 'b'", "hr >= 58 and hr <= 7", "ds >= 'Z' and ds <= 'Zz'", "hr > '1' and hr < '2' and ds <> 'a b'");
}
