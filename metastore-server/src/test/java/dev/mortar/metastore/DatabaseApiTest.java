package dev.mortar.metastore;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.Catalog;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseApiTest {
    static TestServer server;
    static HiveMetaStoreClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        server.deleteData();
    }

    @Test
    void defaultCatalogAndDatabaseExistFromTheFirstStart() throws Exception {
        Database db = client.getDatabase("default");
        assertThat(db.getName()).isEqualTo("default");
        assertThat(db.getCatalogName()).isEqualTo("hive");
        assertThat(db.getLocationUri()).isEqualTo(server.warehouse().toUri().toString().replaceAll("/$", "").replace("file:///", "file:/"));
        assertThat(db.getOwnerName()).isEqualTo("public");
        assertThat(client.getCatalogs()).contains("hive");
        assertThat(client.getCatalog("hive").getLocationUri()).startsWith("file:");
    }

    @Test
    void createGetListAlterDrop() throws Exception {
        client.createDatabase(Fixtures.database("Sales_DB"));
        Database db = client.getDatabase("SALES_db");
        assertThat(db.getName()).isEqualTo("sales_db");
        assertThat(db.getDescription()).isEqualTo("test database Sales_DB");
        assertThat(db.getLocationUri()).endsWith("/warehouse/sales_db.db");
        assertThat(Files.isDirectory(server.warehouse().resolve("sales_db.db"))).isTrue();
        assertThat(db.getCreateTime()).isPositive();
        assertThat(db.getOwnerName()).isEqualTo("tester");
        assertThat(db.getOwnerType()).as("an owner without a type is a USER, as in the Hive Metastore").isEqualTo(org.apache.hadoop.hive.metastore.api.PrincipalType.USER);

        client.createDatabase(Fixtures.database("sales_archive"));
        assertThat(client.getDatabases("sales*")).containsExactly("sales_archive", "sales_db");
        assertThat(client.getDatabases("sales_db|default")).containsExactly("default", "sales_db");
        assertThat(client.getAllDatabases()).contains("default", "sales_db", "sales_archive");

        Database changed = db.deepCopy();
        changed.setParameters(Map.of("owner.team", "finance"));
        changed.setDescription("renamed description");
        client.alterDatabase("sales_db", changed);
        assertThat(client.getDatabase("sales_db").getParameters()).containsEntry("owner.team", "finance");
        assertThat(client.getDatabase("sales_db").getDescription()).isEqualTo("renamed description");

        client.dropDatabase("sales_archive", true, false, false);
        assertThat(client.getAllDatabases()).doesNotContain("sales_archive");
        assertThat(Files.exists(server.warehouse().resolve("sales_archive.db"))).isFalse();
    }

    @Test
    void errorsAreTheHiveMetastoresOwn() throws Exception {
        client.createDatabase(Fixtures.database("dup"));
        assertThatThrownBy(() -> client.createDatabase(Fixtures.database("dup"))).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> client.getDatabase("missing_db")).isInstanceOf(NoSuchObjectException.class)
                .hasMessageContaining("missing_db");
        assertThatThrownBy(() -> client.createDatabase(Fixtures.database("bad-name!"))).isInstanceOf(InvalidObjectException.class);
        assertThatThrownBy(() -> client.dropDatabase("default")).isInstanceOf(MetaException.class);
        assertThatThrownBy(() -> client.dropDatabase("missing_db", true, false, false)).isInstanceOf(NoSuchObjectException.class);
        client.dropDatabase("missing_db", true, true, false);

        client.createTable(Fixtures.table("dup", "t1"));
        assertThatThrownBy(() -> client.dropDatabase("dup", true, false, false)).isInstanceOf(InvalidOperationException.class)
                .hasMessageContaining("is not empty");
        assertThat(client.getTable("dup", "t1")).isNotNull();
        client.dropDatabase("dup", true, false, true);
        assertThatThrownBy(() -> client.getTable("dup", "t1")).isInstanceOf(NoSuchObjectException.class);
        assertThat(Files.exists(server.warehouse().resolve("dup.db"))).isFalse();
    }

    @Test
    void catalogs() throws Exception {
        String location = server.dataDir.resolve("other-catalog").toUri().toString();
        client.createCatalog(new Catalog("lake", location));
        assertThat(client.getCatalogs()).contains("hive", "lake");
        Database db = Fixtures.database("events");
        db.setCatalogName("lake");
        client.createDatabase(db);
        assertThat(client.getDatabase("lake", "events").getLocationUri()).contains("other-catalog/events.db");
        assertThat(client.getAllDatabases("lake")).as("a new catalog has its database default").containsExactly("default", "events");
        assertThat(client.getCatalog("lake").getLocationUri()).as("as given").isEqualTo(location);
        assertThat(client.getDatabase("lake", "default").getLocationUri()).isEqualTo(new org.apache.hadoop.fs.Path(location).toString());
        assertThatThrownBy(() -> client.dropCatalog("lake")).isInstanceOf(InvalidOperationException.class);
        client.dropDatabase("lake", "events", true, false, false);
        Table inDefault = Fixtures.table("default", "blocks_drop");
        inDefault.setCatName("lake");
        client.createTable(inDefault);
        assertThatThrownBy(() -> client.dropCatalog("lake")).as("its default database is not empty").isInstanceOf(InvalidOperationException.class);
        client.dropTable("lake", "default", "blocks_drop", true, false);
        client.dropCatalog("lake");
        assertThat(client.getCatalogs()).doesNotContain("lake");
        assertThatThrownBy(() -> client.getDatabase("lake", "default")).isInstanceOf(NoSuchObjectException.class);

        String plain = server.dataDir.resolve("plain-catalog").toString();
        client.createCatalog(new Catalog("plain", plain));
        assertThat(client.getCatalog("plain").getLocationUri()).isEqualTo(plain);
        Database inPlain = Fixtures.database("d1");
        inPlain.setCatalogName("plain");
        client.createDatabase(inPlain);
        assertThat(client.getDatabase("plain", "d1").getLocationUri()).isEqualTo("file:" + plain + "/d1.db");
        client.dropDatabase("plain", "d1", true, false, false);
        client.dropCatalog("plain");
        assertThat(java.nio.file.Path.of(plain)).as("the empty folder goes with the catalog").doesNotExist();
    }
}
