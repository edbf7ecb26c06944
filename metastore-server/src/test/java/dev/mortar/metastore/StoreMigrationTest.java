package dev.mortar.metastore;

import dev.mortar.metastore.store.Dialect;
import dev.mortar.metastore.store.ThriftCodec;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Database;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A store made by an older build is migrated in place: its data stays, nothing is recreated. */
class StoreMigrationTest {
    @Test
    void storeOfTheFirstSchemaVersionIsMigratedWithItsData() throws Exception {
        Path dir = Files.createTempDirectory("mortar-migrate");
        String url = "jdbc:h2:file:" + dir.resolve("catalog") + ";DB_CLOSE_ON_EXIT=FALSE";
        Flyway.configure().dataSource(url, "", "").locations("classpath:db/migration")
                .placeholders(Dialect.H2.migrationPlaceholders()).table("m_schema_history").target("1").load().migrate();
        Database old = new Database("legacy_db", "made by schema version 1", dir.resolve("warehouse/legacy_db.db").toUri().toString(), new HashMap<>());
        old.setCatalogName("hive");
        try (Connection c = DriverManager.getConnection(url, "", "");
             PreparedStatement ps = c.prepareStatement("INSERT INTO m_dbs (db_id, cat_name, db_name, body) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, 999_999);
            ps.setString(2, "hive");
            ps.setString(3, "legacy_db");
            ps.setBytes(4, ThriftCodec.encode(old));
            ps.executeUpdate();
        }

        try (TestServer server = TestServer.start(dir, Map.of("mortar.store.url", url))) {
            HiveMetaStoreClient client = server.client();
            assertThat(client.getDatabase("legacy_db").getDescription()).isEqualTo("made by schema version 1");
            client.createTable(Fixtures.table("legacy_db", "after_upgrade"));
            assertThat(client.getAllTables("legacy_db")).containsExactly("after_upgrade");
            client.close();
        }
        try (Connection c = DriverManager.getConnection(url, "", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), MAX(\"version\") FROM \"m_schema_history\" WHERE \"success\"")) {
            rs.next();
            assertThat(rs.getInt(1)).isGreaterThan(1);
        }
    }
}
