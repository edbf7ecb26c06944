package dev.mortar.metastore;

import dev.mortar.testing.TestStores;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * alter_table changing the types and comments of a table's partition keys, as the Hive Metastore allows: filters compare
 * the stored values by the new types at once (also those read from the partition cache), on every store.
 */
class PartitionKeyChangeTest {

    /** On each store with the partition cache off (filters run as SQL over the stored typed values), and on H2 with it on. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres", "h2 cached"})
    void partitionKeysChangeTypeAndComment(String run) throws Exception {
        String kind = run.split(" ")[0];
        Path dir = Files.createTempDirectory("mortar-keys-" + kind);
        Map<String, String> settings = new HashMap<>(TestStores.fresh(kind, dir));
        if (!run.endsWith("cached")) {
            settings.put("mortar.cache.partitions", "0");
        }
        try (TestServer server = TestServer.start(dir, settings)) {
            HiveMetaStoreClient client = server.client();
            client.createDatabase(Fixtures.database("keys"));
            client.createTable(Fixtures.table("keys", "events", List.of(new FieldSchema("ds", "string", null), new FieldSchema("hr", "string", null))));
            Table events = client.getTable("keys", "events");
            for (String hr : List.of("1", "2", "10")) {
                client.add_partition(Fixtures.partition(events, "2024-01-01", hr));
            }
            // hr is a string: "2" > "10".
            assertThat(hours(client, "hr > \"10\"")).containsExactly("2");

            // Now an int: numbers compare as numbers.
            Table asInt = client.getTable("keys", "events");
            asInt.getPartitionKeys().get(1).setType("int");
            asInt.getPartitionKeys().get(1).setComment("hour of day");
            client.alter_table("keys", "events", asInt);
            Table altered = client.getTable("keys", "events");
            assertThat(altered.getPartitionKeys()).containsExactly(new FieldSchema("ds", "string", null), new FieldSchema("hr", "int", "hour of day"));
            assertThat(hours(client, "hr > 1")).containsExactly("10", "2");
            assertThat(hours(client, "hr >= 10")).containsExactly("10");
            assertThat(client.listPartitionNames("keys", "events", (short) -1)).containsExactly("ds=2024-01-01/hr=1", "ds=2024-01-01/hr=10", "ds=2024-01-01/hr=2");

            // A string again, then a bigint: each time the values compare by the type of the moment.
            Table asString = client.getTable("keys", "events");
            asString.getPartitionKeys().get(1).setType("string");
            client.alter_table("keys", "events", asString);
            assertThat(hours(client, "hr > \"10\"")).containsExactly("2");
            Table asBigint = client.getTable("keys", "events");
            asBigint.getPartitionKeys().get(1).setType("bigint");
            client.alter_table("keys", "events", asBigint);
            assertThat(hours(client, "hr > 1")).containsExactly("10", "2");

            // Only the comment: nothing else changes.
            Table commented = client.getTable("keys", "events");
            commented.getPartitionKeys().get(0).setComment("day");
            client.alter_table("keys", "events", commented);
            assertThat(client.getTable("keys", "events").getPartitionKeys().get(0).getComment()).isEqualTo("day");
            assertThat(hours(client, "hr < 3")).containsExactly("1", "2");

            // Names and the number of keys still cannot change; a refused change changes nothing.
            Table renamed = client.getTable("keys", "events");
            renamed.getPartitionKeys().get(1).setName("hour");
            renamed.getPartitionKeys().get(1).setType("string");
            assertThatThrownBy(() -> client.alter_table("keys", "events", renamed)).isInstanceOf(InvalidOperationException.class);
            Table fewer = client.getTable("keys", "events");
            fewer.getPartitionKeys().remove(1);
            assertThatThrownBy(() -> client.alter_table("keys", "events", fewer)).isInstanceOf(InvalidOperationException.class);
            assertThat(client.getTable("keys", "events").getPartitionKeys().get(1)).isEqualTo(new FieldSchema("hr", "bigint", "hour of day"));
            assertThat(hours(client, "hr > 1")).containsExactly("10", "2");
            client.close();
        }
        deleteDir(dir);
    }

    /** The hours a filter selects, read before and after a full listing (which fills the partition cache, when on); both agree. */
    private static List<String> hours(HiveMetaStoreClient client, String filter) throws Exception {
        List<String> fromStore = selected(client, filter);
        client.listPartitions("keys", "events", (short) -1);
        assertThat(selected(client, filter)).as("from the cache").isEqualTo(fromStore);
        return fromStore;
    }

    private static List<String> selected(HiveMetaStoreClient client, String filter) throws Exception {
        return client.listPartitionsByFilter("keys", "events", filter, (short) -1).stream().map(Partition::getValues).map(v -> v.get(1)).sorted().toList();
    }

    private static void deleteDir(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
