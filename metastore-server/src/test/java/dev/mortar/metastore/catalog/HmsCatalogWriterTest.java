package dev.mortar.metastore.catalog;

import dev.mortar.catalog.CatalogException;
import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.CatalogUnavailableException;
import dev.mortar.catalog.Column;
import dev.mortar.catalog.StorageFormat;
import dev.mortar.catalog.TableName;
import dev.mortar.catalog.hms.HmsCatalogWriter;
import dev.mortar.metastore.TestServer;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The catalog-client's HMS writer against a running Mortar server, over its metastore port and bound to the server's
 * HMS handler in-process; every write is checked with what Hive's own client then reads.
 */
class HmsCatalogWriterTest {
    private static final StorageFormat CSV = StorageFormat.of("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", Map.of("field.delim", ","),
            "org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat");

    private static TestServer server;
    private static HiveMetaStoreClient hive;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        hive = server.client();
    }

    @AfterAll
    static void stop() throws Exception {
        hive.close();
        server.close();
        server.deleteData();
    }

    private static HmsCatalogWriter writer(String binding) {
        return binding.equals("socket") ? new HmsCatalogWriter("127.0.0.1", server.server.thriftPort())
                : new HmsCatalogWriter(server.server.dispatcher().iface());
    }

    private static CatalogTable events(String db, Path dir, List<Column> columns) {
        return CatalogTable.external(new TableName(db, "events"), "file:" + dir.resolve("events"), columns, List.of(new Column("dt", "string")), CSV,
                Map.of("classification", "csv", "compressionType", "none"));
    }

    private static List<String> names(List<FieldSchema> fields) {
        return fields.stream().map(f -> f.getName() + " " + f.getType()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "in-process"})
    void tablesAndPartitionsAreWrittenAsHiveReadsThem(String binding) throws Exception {
        String db = "w_" + binding.replace('-', '_');
        Path dir = Files.createTempDirectory(server.dataDir, "data");
        try (HmsCatalogWriter writer = writer(binding)) {
            writer.ensureDatabase(db);
            writer.ensureDatabase(db);
            CatalogTable table = events(db, dir, List.of(new Column("id", "bigint"), new Column("name", "string")));
            writer.createTable(table);
            writer.addPartitions(table, List.of(
                    new CatalogPartition(List.of("2024-01-01"), "file:" + dir.resolve("events/dt=2024-01-01")),
                    new CatalogPartition(List.of("2024-01-02"), "file:" + dir.resolve("events/dt=2024-01-02"), Optional.of(List.of(new Column("id", "bigint"))))));
            // added again (a crawl run again after its worker died): kept once
            writer.addPartitions(table, List.of(new CatalogPartition(List.of("2024-01-01"), "file:" + dir.resolve("events/dt=2024-01-01"))));

            Table t = hive.getTable(db, "events");
            assertThat(t.getTableType()).isEqualTo("EXTERNAL_TABLE");
            assertThat(t.getParameters()).containsEntry("classification", "csv").containsEntry("EXTERNAL", "TRUE");
            assertThat(names(t.getSd().getCols())).containsExactly("id bigint", "name string");
            assertThat(names(t.getPartitionKeys())).containsExactly("dt string");
            assertThat(t.getSd().getSerdeInfo().getSerializationLib()).isEqualTo("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
            assertThat(t.getSd().getSerdeInfo().getParameters()).containsEntry("field.delim", ",");
            assertThat(t.getSd().getInputFormat()).isEqualTo("org.apache.hadoop.mapred.TextInputFormat");
            assertThat(hive.listPartitions(db, "events", (short) -1)).hasSize(2);
            assertThat(names(hive.getPartition(db, "events", List.of("2024-01-02")).getSd().getCols())).containsExactly("id bigint");
            assertThat(writer.partitionValues(db, "events")).containsExactlyInAnyOrder(List.of("2024-01-01"), List.of("2024-01-02"));

            CatalogTable read = writer.table(db, "events").orElseThrow();
            assertThat(read.name()).isEqualTo(new TableName(db, "events"));
            assertThat(read.location()).contains("file:" + dir.resolve("events"));
            assertThat(read.columns()).containsExactly(new Column("id", "bigint"), new Column("name", "string"));
            assertThat(read.format()).isEqualTo(CSV);
            assertThat(read.parameters()).containsEntry("classification", "csv");
            assertThat(writer.table(db, "nothing")).isEmpty();

            // the table's schema changes and existing partitions take it; their own parameters stay
            writer.setPartitionParameter(db, "events", List.of(List.of("2024-01-02")), "owner", "etl");
            CatalogTable wider = events(db, dir, List.of(new Column("id", "bigint"), new Column("name", "string"), new Column("score", "double")));
            writer.updateTable(wider);
            writer.updatePartitions(wider, List.of(new CatalogPartition(List.of("2024-01-02"), "file:" + dir.resolve("events/dt=2024-01-02"))));
            assertThat(names(hive.getTable(db, "events").getSd().getCols())).containsExactly("id bigint", "name string", "score double");
            Partition updated = hive.getPartition(db, "events", List.of("2024-01-02"));
            assertThat(names(updated.getSd().getCols())).containsExactly("id bigint", "name string", "score double");
            assertThat(updated.getSd().getLocation()).isEqualTo("file:" + dir.resolve("events/dt=2024-01-02"));
            assertThat(updated.getParameters()).containsEntry("owner", "etl");
            assertThat(names(hive.getPartition(db, "events", List.of("2024-01-01")).getSd().getCols())).containsExactly("id bigint", "name string");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "in-process"})
    void parametersAreSetAndRemovalsKeepTheFiles(String binding) throws Exception {
        String db = "r_" + binding.replace('-', '_');
        Path dir = Files.createTempDirectory(server.dataDir, "data");
        Files.createDirectories(dir.resolve("events/dt=a"));
        Files.writeString(dir.resolve("events/dt=a/f.csv"), "1,x\n");
        try (HmsCatalogWriter writer = writer(binding)) {
            writer.ensureDatabase(db);
            CatalogTable table = events(db, dir, List.of(new Column("id", "bigint"), new Column("name", "string")));
            writer.createTable(table);
            writer.addPartitions(table, List.of(new CatalogPartition(List.of("a"), "file:" + dir.resolve("events/dt=a")),
                    new CatalogPartition(List.of("b"), "file:" + dir.resolve("events/dt=b"))));

            writer.setTableParameter(db, "events", "DEPRECATED_BY_CRAWLER", "1700000000");
            Table t = hive.getTable(db, "events");
            assertThat(t.getParameters()).containsEntry("DEPRECATED_BY_CRAWLER", "1700000000").containsEntry("classification", "csv");
            assertThat(names(t.getSd().getCols())).containsExactly("id bigint", "name string");
            assertThat(t.getSd().getLocation()).isEqualTo("file:" + dir.resolve("events"));

            writer.setPartitionParameter(db, "events", List.of(List.of("a"), List.of("b")), "DEPRECATED_BY_CRAWLER", "1700000001");
            assertThat(hive.listPartitions(db, "events", (short) -1)).allSatisfy(p ->
                    assertThat(p.getParameters()).containsEntry("DEPRECATED_BY_CRAWLER", "1700000001"));

            writer.deletePartitions(db, "events", List.of(List.of("a"), List.of("gone")));
            assertThat(hive.listPartitions(db, "events", (short) -1)).extracting(Partition::getValues).containsExactly(List.of("b"));
            assertThat(dir.resolve("events/dt=a/f.csv")).exists();

            writer.deleteTable(db, "events");
            assertThatThrownBy(() -> hive.getTable(db, "events")).isInstanceOf(NoSuchObjectException.class);
            assertThat(dir.resolve("events/dt=a/f.csv")).exists();
            writer.deleteTable(db, "events"); // already gone: nothing to do
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "in-process"})
    void refusalsAreCatalogExceptionsNamingTheObject(String binding) throws Exception {
        String db = "e_" + binding.replace('-', '_');
        Path dir = Files.createTempDirectory(server.dataDir, "data");
        try (HmsCatalogWriter writer = writer(binding)) {
            writer.ensureDatabase(db);
            CatalogTable table = events(db, dir, List.of(new Column("id", "bigint")));
            writer.createTable(table);
            assertThatThrownBy(() -> writer.createTable(table)).isInstanceOf(CatalogException.class).hasMessageContaining("create table " + db + ".events");
            assertThatThrownBy(() -> writer.setTableParameter(db, "missing", "k", "v")).isInstanceOf(CatalogException.class)
                    .hasMessageContaining(db + ".missing");
            assertThatThrownBy(() -> writer.updatePartitions(table, List.of(new CatalogPartition(List.of("none"), "file:/x"))))
                    .isInstanceOf(CatalogException.class).hasMessageContaining("update partitions of " + db + ".events");
            assertThat(hive.listPartitions(db, "events", (short) -1)).isEmpty();
            // the server keeps serving the same writer
            assertThat(writer.table(db, "events")).isPresent();
        }
    }

    @org.junit.jupiter.api.Test
    void aMetastoreThatCannotBeReachedIsUnavailable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (HmsCatalogWriter writer = new HmsCatalogWriter("127.0.0.1", port)) {
            assertThatThrownBy(() -> writer.ensureDatabase("x")).isInstanceOf(CatalogUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
        }
    }
}
