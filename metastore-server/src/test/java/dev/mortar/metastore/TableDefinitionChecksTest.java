package dev.mortar.metastore;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the Hive Metastore requires of a table definition in create_table and alter_table. */
class TableDefinitionChecksTest {
    static TestServer server;
    static HiveMetaStoreClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        client.createDatabase(Fixtures.database("defs"));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        server.deleteData();
    }

    @Test
    void createNeedsNamesAStorageDescriptorColumnsSerdeAndHiveTypes() throws Exception {
        Table noSd = Fixtures.table("defs", "no_sd");
        noSd.setSd(null);
        assertThatThrownBy(() -> client.createTable(noSd)).isInstanceOf(MetaException.class).hasMessageContaining("no storage descriptor");
        Table noCols = Fixtures.table("defs", "no_cols");
        noCols.getSd().setCols(null);
        assertThatThrownBy(() -> client.createTable(noCols)).isInstanceOf(MetaException.class).hasMessageContaining("no columns");
        Table noSerde = Fixtures.table("defs", "no_serde");
        noSerde.getSd().setSerdeInfo(null);
        assertThatThrownBy(() -> client.createTable(noSerde)).isInstanceOf(MetaException.class).hasMessageContaining("no SerDe");
        Table noName = Fixtures.table("defs", "x");
        noName.setTableName(null);
        assertThatThrownBy(() -> client.createTable(noName)).isInstanceOf(InvalidObjectException.class);
        Table badType = Fixtures.table("defs", "bad_type");
        badType.getSd().getCols().get(0).setType("xyz");
        assertThatThrownBy(() -> client.createTable(badType)).isInstanceOf(InvalidObjectException.class).hasMessageContaining("Invalid column type");
        assertThat(client.getAllTables("defs")).doesNotContain("no_sd", "no_cols", "no_serde", "bad_type");

        // The types engines write are Hive's.
        Table typed = Fixtures.table("defs", "typed");
        typed.getSd().getCols().get(0).setType("decimal(10,2)");
        typed.getSd().getCols().get(1).setType("array<struct<a:int,b:varchar(10)>>");
        client.createTable(typed);
        assertThat(client.getTable("defs", "typed").getSd().getCols().get(1).getType()).isEqualTo("array<struct<a:int,b:varchar(10)>>");
    }

    @Test
    void unsetPartsOfANewTableAreEmptyAsInTheHiveMetastore() throws Exception {
        Table bare = new Table();
        bare.setDbName("defs");
        bare.setTableName("bare");
        org.apache.hadoop.hive.metastore.api.StorageDescriptor sd = new org.apache.hadoop.hive.metastore.api.StorageDescriptor();
        sd.setCols(new java.util.ArrayList<>(java.util.List.of(new org.apache.hadoop.hive.metastore.api.FieldSchema("c", "int", null))));
        sd.setSerdeInfo(new org.apache.hadoop.hive.metastore.api.SerDeInfo());
        bare.setSd(sd);
        client.createTable(bare);
        Table created = client.getTable("defs", "bare");
        assertThat(created.getOwnerType()).isEqualTo(org.apache.hadoop.hive.metastore.api.PrincipalType.USER);
        assertThat(created.getSd().getBucketCols()).isEmpty();
        assertThat(created.getSd().getSortCols()).isEmpty();
        assertThat(created.getSd().getParameters()).isEmpty();
        assertThat(created.getSd().getSerdeInfo().getParameters()).isEmpty();
        assertThat(created.getSd().getSkewedInfo().getSkewedColNames()).isEmpty();

        Table atRoot = Fixtures.table("defs", "at_root");
        atRoot.getSd().setLocation("file:/");
        assertThatThrownBy(() -> client.createTable(atRoot)).isInstanceOf(InvalidObjectException.class).hasMessageContaining("must not be root path");
    }

    @Test
    void materializedViewsForRewriting() throws Exception {
        Table mv = Fixtures.table("defs", "mv");
        mv.setTableType("MATERIALIZED_VIEW");
        mv.setViewOriginalText("select 1");
        mv.setViewExpandedText("select 1");
        mv.setRewriteEnabled(true);
        client.createTable(mv);
        assertThat(client.getMaterializedViewsForRewriting("defs")).containsExactly("mv");
        assertThat(client.getMaterializedViewsForRewriting("no_such_db")).isEmpty();
        assertThatThrownBy(() -> client.getDatabase(null)).isInstanceOf(MetaException.class);
    }

    @Test
    void alterNeedsTheSameAndALocation() throws Exception {
        client.createTable(Fixtures.table("defs", "altered"));
        Table noSd = client.getTable("defs", "altered");
        noSd.setSd(null);
        assertThatThrownBy(() -> client.alter_table("defs", "altered", noSd)).isInstanceOf(MetaException.class);
        Table noLocation = client.getTable("defs", "altered");
        noLocation.getSd().setLocation(null);
        assertThatThrownBy(() -> client.alter_table("defs", "altered", noLocation)).isInstanceOf(MetaException.class).hasMessageContaining("no location");
        Table badType = client.getTable("defs", "altered");
        badType.getSd().getCols().get(0).setType("xyz");
        assertThatThrownBy(() -> client.alter_table("defs", "altered", badType)).isInstanceOf(InvalidOperationException.class);
        assertThat(client.getTable("defs", "altered").getSd().getCols().get(0).getType()).isEqualTo("bigint");
    }
}
