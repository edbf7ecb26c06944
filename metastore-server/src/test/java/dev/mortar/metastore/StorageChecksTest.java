package dev.mortar.metastore;

import dev.mortar.metastore.config.MortarConfig;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code mortar.authorization.storage.checks} (Hive's {@code metastore.authorization.storage.checks}): dropping managed
 * data first checks, by the folder's permissions, that the server may write the folder that holds it.
 */
class StorageChecksTest {

    @Test
    void offByDefaultAndReadFromHiveSite() throws Exception {
        assertThat(MortarConfig.defaults().settings().hms().storageChecks()).isFalse();
        Path site = Files.createTempFile("hive-site", ".xml");
        Files.writeString(site, """
                <configuration>
                  <property><name>metastore.authorization.storage.checks</name><value>true</value></property>
                </configuration>
                """);
        assertThat(MortarConfig.builder().hiveSite(site).build().settings().hms().storageChecks()).isTrue();
        Files.delete(site);
    }

    @Test
    void aManagedTableOrPartitionInAFolderTheServerMayNotWriteIsNotDropped() throws Exception {
        try (TestServer server = TestServer.start(Map.of("mortar.authorization.storage.checks", "true"))) {
            HiveMetaStoreClient client = server.client();
            client.createDatabase(Fixtures.database("guard"));
            client.createTable(Fixtures.table("guard", "kept"));
            Table external = Fixtures.table("guard", "outside");
            external.setTableType("EXTERNAL_TABLE");
            external.getParameters().put("EXTERNAL", "TRUE");
            client.createTable(external);
            client.createTable(Fixtures.partitionedTable("guard", "parts"));
            client.add_partition(Fixtures.partition(client.getTable("guard", "parts"), "2024-01-01", "1"));
            Path dbDir = local(client.getDatabase("guard").getLocationUri());
            Path data = local(client.getTable("guard", "kept").getSd().getLocation()).resolve("part-0.parquet");
            Files.writeString(data, "rows");
            Path partitionParent = local(client.getPartition("guard", "parts", List.of("2024-01-01", "1")).getSd().getLocation()).getParent();

            readOnly(dbDir);
            try {
                assertThatThrownBy(() -> client.dropTable("guard", "kept", true, false))
                        .isInstanceOf(MetaException.class).hasMessageContaining("Table metadata not deleted since").hasMessageContaining("is not writable by");
                assertThat(client.getTable("guard", "kept")).isNotNull();
                assertThat(data).hasContent("rows");
                // Keeping the data, or an external table's, needs no check.
                client.dropTable("guard", "outside", true, false);
                assertThat(client.tableExists("guard", "outside")).isFalse();
            } finally {
                writable(dbDir);
            }

            readOnly(partitionParent);
            try {
                assertThatThrownBy(() -> client.dropPartition("guard", "parts", List.of("2024-01-01", "1"), true))
                        .isInstanceOf(MetaException.class).hasMessageContaining("Table partition not deleted since");
                assertThat(client.listPartitionNames("guard", "parts", (short) -1)).containsExactly("ds=2024-01-01/hr=1");
                assertThat(client.dropPartition("guard", "parts", List.of("2024-01-01", "1"), false)).isTrue();
            } finally {
                writable(partitionParent);
            }

            client.dropTable("guard", "kept", true, false);
            assertThatThrownBy(() -> client.getTable("guard", "kept")).isInstanceOf(NoSuchObjectException.class);
            assertThat(data).doesNotExist();
            client.close();
            server.deleteData();
        }
    }

    @Test
    void aDatabaseWhoseDataCannotBeDeletedIsNotDropped() throws Exception {
        Path elsewhere = Files.createTempDirectory("mortar-elsewhere");
        try (TestServer server = TestServer.start(Map.of("mortar.authorization.storage.checks", "true"))) {
            HiveMetaStoreClient client = server.client();
            client.createDatabase(Fixtures.database("vault"));
            Table outside = Fixtures.table("vault", "outside");
            outside.getSd().setLocation(elsewhere.resolve("data").toUri().toString());
            client.createTable(outside);

            readOnly(server.warehouse());
            try {
                assertThatThrownBy(() -> client.dropDatabase("vault", true, true, true))
                        .isInstanceOf(MetaException.class).hasMessageContaining("Database not dropped since its warehouse location");
                assertThat(client.getAllTables("vault")).containsExactly("outside");
            } finally {
                writable(server.warehouse());
            }
            readOnly(elsewhere);
            try {
                assertThatThrownBy(() -> client.dropDatabase("vault", true, true, true))
                        .isInstanceOf(MetaException.class).hasMessageContaining("Database metadata not deleted since table: outside");
                assertThat(client.getAllTables("vault")).containsExactly("outside");
            } finally {
                writable(elsewhere);
            }
            client.dropDatabase("vault", true, true, true);
            assertThat(client.getAllDatabases()).doesNotContain("vault");
            assertThat(elsewhere.resolve("data")).doesNotExist();
            client.close();
            server.deleteData();
        }
        Files.deleteIfExists(elsewhere);
    }

    @Test
    void withoutTheChecksADropDoesNotLookAtPermissions() throws Exception {
        try (TestServer server = TestServer.start()) {
            HiveMetaStoreClient client = server.client();
            client.createDatabase(Fixtures.database("open"));
            client.createTable(Fixtures.table("open", "gone"));
            Path dbDir = local(client.getDatabase("open").getLocationUri());
            readOnly(dbDir);
            try {
                client.dropTable("open", "gone", true, false);
                assertThat(client.tableExists("open", "gone")).isFalse();
            } finally {
                writable(dbDir);
            }
            client.close();
            server.deleteData();
        }
    }

    private static Path local(String location) {
        return Path.of(URI.create(location));
    }

    private static void readOnly(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    }

    private static void writable(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
