package dev.mortar.metastore.catalog;

import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.Column;
import dev.mortar.catalog.TableName;
import dev.mortar.catalog.files.DataFolder;
import dev.mortar.catalog.files.TableData;
import dev.mortar.catalog.files.TableFiles;
import dev.mortar.catalog.files.UnsupportedLocationException;
import dev.mortar.catalog.hms.HmsCatalog;
import dev.mortar.metastore.TestServer;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A table made with Hive's own client, read through the catalog-client and resolved to its partitions and data files. */
class TableFilesTest {
    private static TestServer server;
    private static Path data;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        data = Files.createTempDirectory(server.dataDir, "data");
        for (String dt : List.of("a", "b")) {
            Path folder = data.resolve("events/dt=" + dt);
            Files.createDirectories(folder.resolve("nested"));
            Files.writeString(folder.resolve("part-0.csv"), "1\n");
            Files.writeString(folder.resolve("nested/part-1.csv"), "2\n");
            Files.writeString(folder.resolve("_SUCCESS"), "");
            Files.writeString(folder.resolve(".part-0.csv.crc"), "");
        }
        try (HiveMetaStoreClient hive = server.client()) {
            hive.createDatabase(new Database("files", "", null, new HashMap<>()));
            StorageDescriptor sd = new StorageDescriptor(List.of(new FieldSchema("id", "bigint", "the id")), "file:" + data.resolve("events"),
                    "org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat", false, -1,
                    new SerDeInfo(null, "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", Map.of("field.delim", ",")), List.of(), List.of(), Map.of());
            Table table = new Table("events", "files", "test", 0, 0, 0, sd, List.of(new FieldSchema("dt", "string", null)),
                    new HashMap<>(Map.of("EXTERNAL", "TRUE", "comment", "the events")), null, null, "EXTERNAL_TABLE");
            hive.createTable(table);
            for (String dt : List.of("a", "b", "c")) {
                StorageDescriptor psd = sd.deepCopy();
                psd.setLocation("file:" + data.resolve("events/dt=" + dt));
                hive.add_partition(new Partition(List.of(dt), "files", "events", 0, 0, psd, new HashMap<>()));
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    private static HmsCatalog catalog(String binding) {
        return binding.equals("socket") ? new HmsCatalog("127.0.0.1", server.server.thriftPort()) : new HmsCatalog(server.server.dispatcher().iface());
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "in-process"})
    void aTableIsReadAsItsRecords(String binding) {
        try (HmsCatalog catalog = catalog(binding)) {
            CatalogTable events = catalog.table("files", "events").orElseThrow();
            assertThat(events.name()).isEqualTo(new TableName("files", "events"));
            assertThat(events.tableType()).isEqualTo("EXTERNAL_TABLE");
            assertThat(events.columns()).containsExactly(new Column("id", "bigint", Optional.of("the id")));
            assertThat(events.partitionKeys()).containsExactly(new Column("dt", "string"));
            assertThat(events.location()).contains("file:" + data.resolve("events"));
            assertThat(events.format().serializationLibrary()).contains("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
            assertThat(events.format().serdeParameters()).containsEntry("field.delim", ",");
            assertThat(events.comment()).contains("the events");
            assertThat(events.isView()).isFalse();
            assertThat(catalog.table("files", "nothing")).isEmpty();
            assertThat(catalog.tableNames("files")).containsExactly("events");
            assertThat(catalog.tableNames("no_such_db")).isEmpty();
            assertThat(catalog.databaseExists("files")).isTrue();
            assertThat(catalog.partitions(events, Optional.of("dt = 'b'"))).singleElement()
                    .satisfies(p -> assertThat(p.location()).contains("file:" + data.resolve("events/dt=b")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "in-process"})
    void aTableResolvesToThePartitionsTheFilterSelectsAndTheirDataFiles(String binding) {
        try (HmsCatalog catalog = catalog(binding)) {
            TableFiles files = new TableFiles(catalog);
            CatalogTable events = catalog.table("files", "events").orElseThrow();

            TableData one = files.resolve(events, Optional.of("dt = 'a'"));
            assertThat(one.appliedFilter()).contains("dt = 'a'");
            assertThat(one.partitionCount()).isEqualTo(1);
            assertThat(one.folders()).singleElement().satisfies(f -> {
                assertThat(f.partitionValues()).containsExactly("a");
                assertThat(f.files()).containsExactly(data.resolve("events/dt=a/nested/part-1.csv"), data.resolve("events/dt=a/part-0.csv"));
            });

            // every partition; the one without files (c) holds no data folder
            TableData all = files.resolve(events, Optional.empty());
            assertThat(all.partitionCount()).isEqualTo(3);
            assertThat(all.folders()).extracting(DataFolder::partitionValues).containsExactly(List.of("a"), List.of("b"));
            assertThat(all.files()).hasSize(4);

            // a filter the catalog cannot evaluate reads every partition
            TableData unfiltered = files.resolve(events, Optional.of("dt === 'a'"));
            assertThat(unfiltered.appliedFilter()).isEmpty();
            assertThat(unfiltered.folders()).hasSize(2);

            CatalogTable remote = CatalogTable.external(new TableName("files", "remote"), "s3a://bucket/remote", events.columns(), List.of(),
                    events.format(), Map.of());
            assertThatThrownBy(() -> files.resolve(remote, Optional.empty())).isInstanceOf(UnsupportedLocationException.class)
                    .hasMessageContaining("files.remote").hasMessageContaining("s3a://bucket/remote");
        }
    }
}
