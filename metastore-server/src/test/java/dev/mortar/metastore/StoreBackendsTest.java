package dev.mortar.metastore;

import dev.mortar.testing.TestStores;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.EnvironmentContext;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The same catalog behaviour on every supported store: embedded H2, and the machine's MariaDB
 * (127.0.0.1:3306, root) and PostgreSQL (127.0.0.1:5432, trust) servers.
 */
class StoreBackendsTest {


    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void catalogBehavesTheSameOnEveryStore(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-store-" + kind);
        Map<String, String> store = TestStores.fresh(kind, dir);
        try (TestServer server = TestServer.start(dir, store)) {
            HiveMetaStoreClient client = server.client();
            client.createDatabase(Fixtures.database("Store_Db"));
            client.createTable(Fixtures.partitionedTable("store_db", "Events"));
            Table events = client.getTable("STORE_DB", "events");

            // 1,000 partitions where one already exists: none are added.
            client.add_partition(Fixtures.partition(events, "2024-01-01", "999"));
            List<Partition> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add(Fixtures.partition(events, "2024-01-0" + (1 + i % 3), String.valueOf(i)));
            }
            assertThatThrownBy(() -> client.add_partitions(batch)).isInstanceOf(AlreadyExistsException.class);
            assertThat(client.listPartitionNames("store_db", "events", (short) -1)).containsExactly("ds=2024-01-01/hr=999");
            batch.remove(999);
            assertThat(client.add_partitions(batch)).isEqualTo(999);

            // Filters are SQL over indexed key values: numeric comparison for integral keys.
            assertThat(client.listPartitionsByFilter("store_db", "events", "hr >= 990", (short) -1)).hasSize(10);
            assertThat(client.getNumPartitionsByFilter("store_db", "events", "ds = '2024-01-02' and hr < 30")).isEqualTo(10);
            assertThat(client.listPartitionsByFilter("store_db", "events", "ds like '%-03' and hr between 0 and 5", (short) -1)).hasSize(2);
            List<String> names = client.listPartitionNames("store_db", "events", (short) -1);
            assertThat(names).hasSize(1000).isSorted();
            assertThat(client.listPartitionNames("store_db", "events", List.of("2024-01-02", "1"), (short) -1)).containsExactly("ds=2024-01-02/hr=1");

            // Two clients altering the same table at once: every change is whole, none is half-applied.
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    try (HiveMetaStoreClient own = server.client()) {
                        for (int i = 0; i < 10; i++) {
                            Table t = own.getTable("store_db", "events");
                            t.getParameters().put("writer", String.valueOf(writer));
                            t.getParameters().put("version", writer + "-" + i);
                            own.alter_table("store_db", "events", t);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get();
            }
            pool.shutdown();
            Table after = client.getTable("store_db", "events");
            assertThat(after.getParameters().get("version")).startsWith(after.getParameters().get("writer") + "-");

            // Compare-and-swap: exactly one of many concurrent commits from the same base wins.
            Table base = client.getTable("store_db", "events");
            base.getParameters().put("metadata_location", "v0");
            client.alter_table("store_db", "events", base);
            ExecutorService racers = Executors.newFixedThreadPool(4);
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                int racer = r;
                outcomes.add(racers.submit(() -> {
                    try (HiveMetaStoreClient own = server.client()) {
                        Table t = own.getTable("store_db", "events");
                        t.getParameters().put("metadata_location", "v1-" + racer);
                        own.alter_table_with_environmentContext("store_db", "events", t,
                                new EnvironmentContext(Map.of("expected_parameter_key", "metadata_location", "expected_parameter_value", "v0")));
                        return true;
                    } catch (MetaException e) {
                        assertThat(e.getMessage()).startsWith("The table has been modified.");
                        return false;
                    }
                }));
            }
            int winners = 0;
            for (Future<Boolean> f : outcomes) {
                winners += f.get() ? 1 : 0;
            }
            racers.shutdown();
            assertThat(winners).isEqualTo(1);
            client.close();
        }

        // A restart on the same store loses nothing and migrates nothing twice.
        try (TestServer restarted = TestServer.start(dir, store)) {
            HiveMetaStoreClient client = restarted.client();
            assertThat(client.getAllDatabases()).contains("default", "store_db");
            assertThat(client.listPartitionNames("store_db", "events", (short) -1)).hasSize(1000);
            assertThat(client.getTable("store_db", "events").getParameters().get("metadata_location")).startsWith("v1-");
            client.dropDatabase("store_db", true, false, true);
            client.close();
        }
    }
}
