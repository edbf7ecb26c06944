package dev.mortar.metastore;

import dev.mortar.metastore.config.InvalidSettingsException;
import dev.mortar.metastore.config.MortarConfig;
import dev.mortar.metastore.config.ServerSettings;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.PrincipalType;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code mortar.hms.compatibility}: where Hive's own metastore tests and the engines disagree, the default answers as the
 * engines need and {@code hive} exactly as the Hive Metastore does; either way a refused call changes nothing.
 */
class HmsCompatibilitySettingTest {
    static TestServer engines;
    static TestServer hive;
    static HiveMetaStoreClient enginesClient;
    static HiveMetaStoreClient hiveClient;

    @BeforeAll
    static void start() throws Exception {
        engines = TestServer.start();
        hive = TestServer.start(Map.of("mortar.hms.compatibility", "hive"));
        enginesClient = engines.client();
        hiveClient = hive.client();
        for (HiveMetaStoreClient client : List.of(enginesClient, hiveClient)) {
            client.createDatabase(Fixtures.database("compat"));
            Table table = Fixtures.partitionedTable("compat", "events");
            client.createTable(table);
            client.add_partition(Fixtures.partition(client.getTable("compat", "events"), "2024-01-01", "1"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        enginesClient.close();
        hiveClient.close();
        engines.close();
        hive.close();
        engines.deleteData();
        hive.deleteData();
    }

    @Test
    void theSettingIsCheckedAtStartup() {
        assertThat(MortarConfig.defaults().settings().hms().compatibility()).isEqualTo(ServerSettings.HmsCompatibility.ENGINES);
        assertThat(MortarConfig.builder().set("mortar.hms.compatibility", "HIVE").build().settings().hms().hiveAnswers()).isTrue();
        assertThatThrownBy(() -> MortarConfig.builder().set("mortar.hms.compatibility", "strict").build())
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("mortar.hms.compatibility must be one of engines, hive, not 'strict'");
    }

    @Test
    void alterDatabaseNamingAnotherDatabase() throws Exception {
        for (HiveMetaStoreClient client : List.of(enginesClient, hiveClient)) {
            Database db = new Database("renamed_db", "described", null, new HashMap<>(Map.of("k", "v")));
            db.setOwnerName("owner");
            db.setOwnerType(PrincipalType.ROLE);
            client.createDatabase(db);
        }
        Database rename = new Database();
        rename.setName("new_name");

        // Engines: Trino's ALTER SCHEMA ... RENAME sends this, and it must fail rather than do nothing.
        assertThatThrownBy(() -> enginesClient.alterDatabase("renamed_db", rename))
                .isInstanceOf(MetaException.class).hasMessageContaining("Renaming databases is not supported");
        Database unchanged = enginesClient.getDatabase("renamed_db");
        assertThat(unchanged.getParameters()).containsEntry("k", "v");
        assertThat(unchanged.getOwnerName()).isEqualTo("owner");

        // Hive: the name is ignored; parameters and owner are replaced by the (empty) new ones; the rest stays.
        String location = hiveClient.getDatabase("renamed_db").getLocationUri();
        hiveClient.alterDatabase("renamed_db", rename);
        Database altered = hiveClient.getDatabase("renamed_db");
        assertThat(altered.getName()).isEqualTo("renamed_db");
        assertThat(altered.getDescription()).isEqualTo("described");
        assertThat(altered.getParameters()).isEmpty();
        assertThat(altered.getOwnerName()).isNull();
        assertThat(altered.getOwnerType()).isEqualTo(PrincipalType.ROLE);
        assertThat(altered.getLocationUri()).isEqualTo(location);
        assertThatThrownBy(() -> hiveClient.getDatabase("new_name")).isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void dropPartitionWithValuesOfTheWrongNumber() throws Exception {
        assertThatThrownBy(() -> enginesClient.dropPartition("compat", "events", List.of("2024-01-01"), false))
                .isInstanceOf(NoSuchObjectException.class);
        assertThatThrownBy(() -> enginesClient.dropPartition("compat", "events", List.of("2024-01-01", "1", "x"), false))
                .isInstanceOf(NoSuchObjectException.class);
        assertThatThrownBy(() -> hiveClient.dropPartition("compat", "events", List.of("2024-01-01"), false))
                .isInstanceOf(MetaException.class).hasMessageContaining("Incorrect number of partition values");
        assertThatThrownBy(() -> hiveClient.dropPartition("compat", "events", List.of("2024-01-01", "1", "x"), false))
                .isInstanceOf(MetaException.class).hasMessageContaining("Incorrect number of partition values");
        // Empty values name no partition with either setting, as in the Hive Metastore.
        assertThatThrownBy(() -> hiveClient.dropPartition("compat", "events", List.of("", ""), false)).isInstanceOf(NoSuchObjectException.class);
        for (HiveMetaStoreClient client : List.of(enginesClient, hiveClient)) {
            assertThat(client.listPartitionNames("compat", "events", (short) -1)).containsExactly("ds=2024-01-01/hr=1");
        }
    }

    @Test
    void createTableWithoutDatabaseNameOrColumnType() throws Exception {
        Table noDb = Fixtures.table("compat", "no_db");
        noDb.setDbName(null);
        Table noName = Fixtures.table("compat", "x");
        noName.setTableName(null);
        Table noType = Fixtures.table("compat", "no_type");
        noType.getSd().getCols().get(0).setType(null);
        for (Table table : List.of(noDb, noName, noType)) {
            assertThatThrownBy(() -> enginesClient.createTable(table.deepCopy())).isInstanceOf(InvalidObjectException.class);
            assertThatThrownBy(() -> hiveClient.createTable(table.deepCopy())).isInstanceOf(MetaException.class);
        }
        // An invalid name stays an InvalidObjectException, as in the Hive Metastore.
        assertThatThrownBy(() -> hiveClient.createTable(Fixtures.table("compat", "bad name"))).isInstanceOf(InvalidObjectException.class);
        for (HiveMetaStoreClient client : List.of(enginesClient, hiveClient)) {
            assertThat(client.getAllTables("compat")).containsExactly("events");
        }
    }
}
