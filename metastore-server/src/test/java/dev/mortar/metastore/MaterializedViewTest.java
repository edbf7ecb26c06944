package dev.mortar.metastore;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.TableType;
import org.apache.hadoop.hive.metastore.api.CreationMetadata;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.SourceTable;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.UnknownDBException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Materialized views: what they were built from ({@code update_creation_metadata}, read back with the view), and their drop. */
class MaterializedViewTest {
    static TestServer server;
    static HiveMetaStoreClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        client.createDatabase(Fixtures.database("mv"));
        client.createTable(Fixtures.table("mv", "orders"));
        client.createTable(Fixtures.table("mv", "customers"));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        server.deleteData();
    }

    private static Table view(String name) throws Exception {
        Table view = Fixtures.table("mv", name);
        view.setTableType(TableType.MATERIALIZED_VIEW.name());
        view.setRewriteEnabled(true);
        view.setViewOriginalText("select * from orders");
        view.setViewExpandedText("select * from mv.orders");
        CreationMetadata metadata = new CreationMetadata("hive", "mv", name, new HashSet<>(Set.of("mv.orders")));
        metadata.setSourceTables(new ArrayList<>(List.of(new SourceTable(client.getTable("mv", "orders"), 0, 0, 0))));
        view.setCreationMetadata(metadata);
        client.createTable(view);
        return client.getTable("mv", name);
    }

    @Test
    void updateCreationMetadataIsKeptAndReadWithTheView() throws Exception {
        Table created = view("order_totals");
        CreationMetadata metadata = created.getCreationMetadata();
        assertThat(metadata.getTablesUsed()).containsExactly("mv.orders");

        // As Hive sends it after a rebuild: the tables used by name, a snapshot, no time (the server sets it).
        CreationMetadata rebuilt = metadata.deepCopy();
        rebuilt.unsetSourceTables();
        rebuilt.unsetMaterializationTime();
        rebuilt.setTablesUsed(new HashSet<>(Set.of("mv.orders", "MV.Customers")));
        rebuilt.setValidTxnList("42:9223372036854775807::");
        long before = System.currentTimeMillis();
        client.updateCreationMetadata("hive", "mv", "order_totals", rebuilt);

        CreationMetadata read = client.getTable("mv", "order_totals").getCreationMetadata();
        assertThat(read.getTablesUsed()).containsExactlyInAnyOrder("mv.orders", "mv.customers");
        assertThat(read.getSourceTables()).extracting(s -> s.getTable().getTableName()).containsExactlyInAnyOrder("orders", "customers");
        assertThat(read.getValidTxnList()).isEqualTo("42:9223372036854775807::");
        assertThat(read.getMaterializationTime()).isGreaterThanOrEqualTo(before);
        assertThat(read.getCatName()).isEqualTo("hive");
        assertThat(read.getDbName()).isEqualTo("mv");
        assertThat(read.getTblName()).isEqualTo("order_totals");

        // Source tables with their counts of changed rows.
        CreationMetadata counted = read.deepCopy();
        counted.unsetMaterializationTime();
        counted.setSourceTables(new ArrayList<>(List.of(new SourceTable(client.getTable("mv", "customers"), 5, 1, 2))));
        client.updateCreationMetadata("hive", "mv", "order_totals", counted);
        read = client.getTable("mv", "order_totals").getCreationMetadata();
        assertThat(read.getTablesUsed()).containsExactly("mv.customers");
        assertThat(read.getSourceTables()).singleElement().satisfies(s -> {
            assertThat(s.getInsertedCount()).isEqualTo(5);
            assertThat(s.getUpdatedCount()).isEqualTo(1);
            assertThat(s.getDeletedCount()).isEqualTo(2);
        });
    }

    @Test
    void updateCreationMetadataOfSomethingElseChangesNothing() throws Exception {
        CreationMetadata metadata = new CreationMetadata("hive", "mv", "orders", new HashSet<>(Set.of("mv.customers")));
        assertThatThrownBy(() -> client.updateCreationMetadata("hive", "mv", "orders", metadata)).isInstanceOf(InvalidOperationException.class);
        assertThatThrownBy(() -> client.updateCreationMetadata("hive", "mv", "no_such_view", metadata)).isInstanceOf(InvalidOperationException.class);
        assertThatThrownBy(() -> client.updateCreationMetadata("hive", "no_such_db", "orders", metadata)).isInstanceOf(UnknownDBException.class);
        view("unchanged");
        CreationMetadata unknownSource = new CreationMetadata("hive", "mv", "unchanged", new HashSet<>(Set.of("mv.no_such_table")));
        assertThatThrownBy(() -> client.updateCreationMetadata("hive", "mv", "unchanged", unknownSource)).isInstanceOf(MetaException.class);
        assertThat(client.getTable("mv", "orders").isSetCreationMetadata()).isFalse();
        assertThat(client.getTable("mv", "unchanged").getCreationMetadata().getTablesUsed()).containsExactly("mv.orders");
    }

    @Test
    void droppingAViewWithItsDataDeletesItsFolder() throws Exception {
        Table created = view("dropped");
        Path folder = Path.of(URI.create(created.getSd().getLocation()));
        assertThat(folder).isDirectory();
        client.dropTable("mv", "dropped", true, false);
        assertThat(folder).doesNotExist();
    }
}
