package dev.mortar.metastore;

import dev.mortar.metastore.config.MortarConfig;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.EnvironmentContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigurationAndTrashTest {

    @Test
    void hiveSiteKeysArePickedUpAndMortarSettingsWin() throws Exception {
        Path dir = Files.createTempDirectory("mortar-conf");
        Path site = dir.resolve("metastore-site.xml");
        Files.writeString(site, """
                <?xml version="1.0"?>
                <configuration>
                  <property><name>metastore.thrift.port</name><value>9999</value></property>
                  <property><name>metastore.warehouse.dir</name><value>file:///data/hive/warehouse</value></property>
                  <property><name>javax.jdo.option.ConnectionURL</name><value>jdbc:mysql://db:3306/hms</value></property>
                  <property><name>javax.jdo.option.ConnectionUserName</name><value>hive</value></property>
                  <property><name>metastore.limit.partition.request</name><value>5000</value></property>
                  <property><name>hive.txn.timeout</name><value>120s</value></property>
                  <property><name>unrelated.key</name><value>x</value></property>
                </configuration>
                """);
        Path properties = dir.resolve("mortar.properties");
        Files.writeString(properties, "mortar.thrift.port=9183\n");
        MortarConfig config = MortarConfig.builder()
                .hiveSite(site)
                .propertiesFile(properties)
                .environment(Map.of("MORTAR_HTTP_PORT", "8999"))
                .build();
        assertThat(config.getInt("mortar.thrift.port")).isEqualTo(9183);
        assertThat(config.getInt("mortar.http.port")).isEqualTo(8999);
        assertThat(config.warehouseDir()).isEqualTo("file:///data/hive/warehouse");
        assertThat(config.storeUrl()).isEqualTo("jdbc:mysql://db:3306/hms");
        assertThat(config.get("mortar.store.user")).isEqualTo("hive");
        assertThat(config.getInt("mortar.limit.partition.request")).isEqualTo(5000);
        assertThat(config.getLong("mortar.lock.timeout.seconds")).isEqualTo(120);
        // an unknown key is reported with every other wrong setting when the settings are built
        assertThatThrownBy(() -> MortarConfig.builder().set("mortar.no.such.key", "1").set("mortar.store.pool.size", "none").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid settings (2): mortar.no.such.key is not a setting (conf/mortar.properties lists them all); "
                        + "mortar.store.pool.size must be a whole number, not 'none'");
    }

    @Test
    void droppedManagedDataGoesToTheOwnersTrashUnlessPurged() throws Exception {
        Path home = Files.createTempDirectory("mortar-home");
        String previousHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try (TestServer server = TestServer.start(Map.of("mortar.fs.trash.interval.minutes", "60"))) {
            HiveMetaStoreClient client = server.client();
            client.createDatabase(Fixtures.database("bin"));
            client.createTable(Fixtures.table("bin", "kept"));
            Path data = server.warehouse().resolve("bin.db/kept/part-0.parquet");
            Files.writeString(data, "rows");
            client.dropTable("bin", "kept", true, false);
            assertThat(data).doesNotExist();
            try (Stream<Path> trash = Files.walk(home)) {
                assertThat(trash.filter(p -> p.getFileName().toString().equals("part-0.parquet")).toList())
                        .as("the dropped file is in a .Trash directory").singleElement()
                        .satisfies(p -> assertThat(p.toString()).contains(".Trash"));
            }

            client.createTable(Fixtures.table("bin", "purged"));
            Path purgedData = server.warehouse().resolve("bin.db/purged/part-0.parquet");
            Files.writeString(purgedData, "rows");
            client.dropTable("hive", "bin", "purged", true, false, true);
            assertThat(purgedData).doesNotExist();
            try (Stream<Path> trash = Files.walk(home)) {
                assertThat(trash.filter(p -> p.toString().contains("purged")).toList()).isEmpty();
            }
            client.close();
            server.deleteData();
        } finally {
            System.setProperty("user.home", previousHome);
        }
    }

    @Test
    void skipTrashTablesAndEmptyPartitionParentsAreDeletedForGood() throws Exception {
        Path home = Files.createTempDirectory("mortar-home");
        String previousHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try (TestServer server = TestServer.start(Map.of("mortar.fs.trash.interval.minutes", "60"))) {
            HiveMetaStoreClient client = server.client();
            client.createDatabase(Fixtures.database("skip"));
            org.apache.hadoop.hive.metastore.api.Table table = Fixtures.table("skip", "facts", java.util.List.of(
                    new org.apache.hadoop.hive.metastore.api.FieldSchema("year", "string", null), new org.apache.hadoop.hive.metastore.api.FieldSchema("month", "string", null)));
            table.getParameters().put("skip.trash", "true");
            client.createTable(table);
            table = client.getTable("skip", "facts");
            for (String month : java.util.List.of("march", "april")) {
                client.add_partition(Fixtures.partition(table, "2017", month));
            }
            client.add_partition(Fixtures.partition(table, "2018", "may"));
            Path tableDir = server.warehouse().resolve("skip.db/facts");
            Files.writeString(tableDir.resolve("year=2017/month=march/part-0.parquet"), "rows");

            client.dropPartition("skip", "facts", java.util.List.of("2017", "march"), true);
            assertThat(tableDir.resolve("year=2017")).as("april is still there").isDirectory();
            client.dropPartition("skip", "facts", java.util.List.of("2017", "april"), true);
            assertThat(tableDir.resolve("year=2017")).as("left empty by the drops").doesNotExist();
            assertThat(tableDir.resolve("year=2018/month=may")).isDirectory();
            try (Stream<Path> trash = Files.walk(home)) {
                assertThat(trash.filter(p -> p.toString().contains("march")).toList()).as("skip.trash: not in the trash").isEmpty();
            }

            client.dropTable("skip", "facts", true, false);
            assertThat(tableDir).doesNotExist();
            try (Stream<Path> trash = Files.walk(home)) {
                assertThat(trash.filter(p -> p.toString().contains("facts")).toList()).isEmpty();
            }
            client.close();
            server.deleteData();
        } finally {
            System.setProperty("user.home", previousHome);
        }
    }
}
