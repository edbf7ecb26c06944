package dev.mortar.metastore;

import dev.mortar.testing.TestStores;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.NotificationEvent;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dropping partitions and tables with their data, on every store: the catalog change, its event and
 * the deleted directories, and the background deletion of directories moved aside.
 */
class DropDataTest {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void dropsDeleteMetadataEventsAndData(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-drop-" + kind);
        try (TestServer server = TestServer.start(dir, TestStores.fresh(kind, dir))) {
            HiveMetaStoreClient client = server.client();
            client.createDatabase(Fixtures.database("sales"));
            client.createTable(Fixtures.partitionedTable("sales", "orders"));
            Table orders = client.getTable("sales", "orders");
            List<Partition> parts = new ArrayList<>();
            for (int hr = 0; hr < 20; hr++) {
                parts.add(Fixtures.partition(orders, "2024-05-01", String.valueOf(hr)));
            }
            Path elsewhere = dir.resolve("elsewhere/ds=2024-05-02");
            Partition outside = Fixtures.partition(orders, "2024-05-02", "0");
            outside.getSd().setLocation(elsewhere.toUri().toString());
            parts.add(outside);
            client.add_partitions(parts);
            Path tableDir = local(orders.getSd().getLocation());
            Files.writeString(tableDir.resolve("ds=2024-05-01/hr=3/part-0.parquet"), "data");
            Files.writeString(elsewhere.resolve("part-0.parquet"), "data");
            long before = client.getCurrentNotificationEventId().getEventId();

            // By values and by name: the partition, its folder and its files are gone when the call returns.
            assertThat(client.dropPartition("sales", "orders", List.of("2024-05-01", "3"), true)).isTrue();
            assertThat(tableDir.resolve("ds=2024-05-01/hr=3")).doesNotExist();
            assertThat(client.dropPartition("sales", "orders", "ds=2024-05-01/hr=4", true)).isTrue();
            assertThat(tableDir.resolve("ds=2024-05-01/hr=4")).doesNotExist();
            assertThat(tableDir.resolve("ds=2024-05-01/hr=5")).isDirectory();
            // A partition that is not there: an error, and nothing changes.
            assertThatThrownBy(() -> client.dropPartition("sales", "orders", List.of("2024-05-01", "3"), true))
                    .isInstanceOf(NoSuchObjectException.class);
            assertThatThrownBy(() -> client.dropPartition("sales", "orders", List.of("2024-05-01", "3", "x"), true))
                    .isInstanceOf(NoSuchObjectException.class);
            assertThat(client.listPartitionNames("sales", "orders", (short) -1)).hasSize(19);

            // Four clients dropping at once: every drop is one event, none lost, ids without gaps.
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> droppers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int first = 6 + 3 * w;
                droppers.add(pool.submit(() -> {
                    try (HiveMetaStoreClient own = server.client()) {
                        for (int hr = first; hr < first + 3; hr++) {
                            assertThat(own.dropPartition("sales", "orders", List.of("2024-05-01", String.valueOf(hr)), true)).isTrue();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : droppers) {
                f.get();
            }
            pool.shutdown();
            assertThat(client.listPartitionNames("sales", "orders", (short) -1)).hasSize(7);

            // A table with a partition outside its folder: every folder is gone when the call returns.
            client.dropTable("sales", "orders", true, false);
            assertThat(tableDir).doesNotExist();
            assertThat(elsewhere).doesNotExist();
            assertThat(client.tableExists("sales", "orders")).isFalse();

            // One event per call, in call order, with contiguous ids.
            List<NotificationEvent> events = client.getNextNotification(before, 100, null).getEvents();
            assertThat(events).hasSize(15);
            assertThat(events.subList(0, 14)).extracting(NotificationEvent::getEventType).containsOnly("DROP_PARTITION");
            assertThat(events.get(14).getEventType()).isEqualTo("DROP_TABLE");
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).getEventId()).isEqualTo(before + 1 + i);
            }
            assertThat(events.get(0).getMessage()).contains("\"hr\":\"3\"");
            Set<String> droppedHours = new HashSet<>();
            for (NotificationEvent e : events.subList(2, 14)) {
                droppedHours.add(e.getMessage().replaceAll(".*\"partitions\":\\[\\{[^}]*\"hr\":\"(\\d+)\".*", "$1"));
            }
            assertThat(droppedHours).containsExactlyInAnyOrder("6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17");

            // The same table again, at the same place: new, empty folders; the old ones do not come back.
            client.createTable(Fixtures.partitionedTable("sales", "orders"));
            Table again = client.getTable("sales", "orders");
            assertThat(again.getSd().getLocation()).isEqualTo(orders.getSd().getLocation());
            client.add_partition(Fixtures.partition(again, "2024-05-01", "3"));
            assertThat(tableDir.resolve("ds=2024-05-01/hr=3")).isEmptyDirectory();
            assertThat(client.listPartitionNames("sales", "orders", (short) -1)).containsExactly("ds=2024-05-01/hr=3");
            awaitEmpty(purgeDir(server));
            assertThat(tableDir.resolve("ds=2024-05-01/hr=3")).isEmptyDirectory();
        }
    }

    @Test
    void anArchivedPartitionsDropDeletesItsArchiveAndKeepsItsFolder() throws Exception {
        Path dir = Files.createTempDirectory("mortar-drop-archived");
        try (TestServer server = TestServer.start(dir, Map.of())) {
            HiveMetaStoreClient client = server.client();
            client.createDatabase(Fixtures.database("arch"));
            client.createTable(Fixtures.partitionedTable("arch", "logs"));
            Table logs = client.getTable("arch", "logs");
            Path tableDir = local(logs.getSd().getLocation());
            // As Hive's ARCHIVE PARTITION leaves it: the files in an archive at the original location.
            Path archive = tableDir.resolve("ds=2024-01-01_archive");
            Files.createDirectories(archive);
            Files.writeString(archive.resolve("data.har"), "archive");
            Partition archived = Fixtures.partition(logs, "2024-01-01", "1");
            archived.getParameters().put("is_archived", "true");
            archived.getParameters().put("original_location", archive.toUri().toString());
            Partition plain = Fixtures.partition(logs, "2024-01-02", "1");
            client.add_partitions(new ArrayList<>(List.of(archived, plain)));
            Path archivedDir = tableDir.resolve("ds=2024-01-01/hr=1");
            assertThat(archivedDir).isDirectory();

            assertThat(client.dropPartition("arch", "logs", List.of("2024-01-01", "1"), true)).isTrue();
            assertThat(archive).doesNotExist();
            assertThat(archivedDir).isDirectory();
            assertThat(client.listPartitionNames("arch", "logs", (short) -1)).containsExactly("ds=2024-01-02/hr=1");

            // Kept data stays, archive and all.
            Files.createDirectories(archive);
            Partition again = Fixtures.partition(logs, "2024-01-01", "2");
            again.getParameters().put("is_archived", "TRUE");
            again.getParameters().put("original_location", archive.toUri().toString());
            client.add_partition(again);
            assertThat(client.dropPartition("arch", "logs", List.of("2024-01-01", "2"), false)).isTrue();
            assertThat(archive).isDirectory();
            client.close();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void directoriesLeftAsideAreDeletedAtTheNextStart() throws Exception {
        Path dir = Files.createTempDirectory("mortar-drop-restart");
        Path leftover;
        try (TestServer server = TestServer.start(dir, Map.of())) {
            leftover = purgeDir(server).resolve("left-by-a-crash");
        }
        // What a server that stopped before its background deletion finished leaves behind.
        Files.createDirectories(leftover.resolve("ds=1/hr=2"));
        Files.writeString(leftover.resolve("ds=1/hr=2/part-0.parquet"), "data");
        try (TestServer server = TestServer.start(dir, Map.of())) {
            awaitEmpty(purgeDir(server));
            assertThat(leftover).doesNotExist();
            assertThat(server.warehouse()).isDirectory();
        }
    }

    private static Path purgeDir(TestServer server) {
        return server.warehouse().resolve(".mortar-purge");
    }

    private static Path local(String location) {
        return Path.of(URI.create(location));
    }

    /** Waits for the background deletion (no timing is asserted: the deadline only ends a hung test). */
    private static void awaitEmpty(Path purgeDir) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            if (!Files.exists(purgeDir)) {
                return;
            }
            try (Stream<Path> entries = Files.list(purgeDir)) {
                if (entries.findAny().isEmpty()) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(purgeDir + " still holds directories");
            }
            Thread.sleep(20);
        }
    }
}
