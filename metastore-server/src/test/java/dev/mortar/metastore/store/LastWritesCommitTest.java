package dev.mortar.metastore.store;

import dev.mortar.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The last writes of a transaction carry its COMMIT where the store allows it (MariaDB): the
 * transaction is then committed whole, a body joined to an enclosing transaction never commits it
 * early, and the pooled connection keeps its transactions afterwards.
 */
class LastWritesCommitTest {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void lastWritesCommitOnlyTheirOwnTransaction(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-last-writes-" + kind);
        Map<String, String> store = TestStores.fresh(kind, dir);
        // a small pool (the schema migration needs two connections): the pool hands a thread back the
        // connection it used last, so the transactions below run on the one the inline COMMIT used
        try (CatalogDatabase database = new CatalogDatabase(store.get("mortar.store.url"), store.getOrDefault("mortar.store.user", ""), store.getOrDefault("mortar.store.password", ""), 2)) {
            CatalogStore catalog = new CatalogStore(database, 1000);
            database.inTransaction(c -> catalog.execute(c, List.of(new CatalogStore.Write("CREATE TABLE t_last (id INT PRIMARY KEY, v VARCHAR(20))"))));

            // A transaction of its own: both writes land, and only MariaDB commits them in the same round trip.
            database.inTransaction(c -> {
                assertThat(database.commitsWithLastWrites(c)).isEqualTo(kind.equals("mariadb"));
                return catalog.executeLast(c, List.of(
                        new CatalogStore.Write("INSERT INTO t_last (id, v) VALUES (?, ?)", 1, "a"),
                        new CatalogStore.Write("UPDATE t_last SET v = ? WHERE id = ?", "b", 1)));
            });
            assertThat(values(database, catalog)).containsExactly("1=b");

            // Joined to an enclosing transaction: its writes roll back with the enclosing one.
            assertThatThrownBy(() -> database.inTransaction(outer -> {
                catalog.execute(outer, List.of(new CatalogStore.Write("INSERT INTO t_last (id, v) VALUES (?, ?)", 2, "c")));
                database.inTransaction(inner -> {
                    assertThat(database.commitsWithLastWrites(inner)).isFalse();
                    return catalog.executeLast(inner, List.of(
                            new CatalogStore.Write("INSERT INTO t_last (id, v) VALUES (?, ?)", 3, "d"),
                            new CatalogStore.Write("UPDATE t_last SET v = ? WHERE id = ?", "e", 1)));
                });
                assertThat(database.commitsWithLastWrites(outer)).isEqualTo(kind.equals("mariadb"));
                throw new IllegalStateException("the enclosing call fails");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(values(database, catalog)).containsExactly("1=b");

            // A failing statement among the last writes: none of them lands.
            assertThatThrownBy(() -> database.inTransaction(c -> catalog.executeLast(c, List.of(
                    new CatalogStore.Write("INSERT INTO t_last (id, v) VALUES (?, ?)", 4, "f"),
                    new CatalogStore.Write("INSERT INTO t_last (id, v) VALUES (?, ?)", 1, "duplicate")))))
                    .isInstanceOf(StoreException.class);
            assertThat(values(database, catalog)).containsExactly("1=b");

            // After an inline COMMIT the pooled connection still runs transactions: a failing one rolls back.
            assertThatThrownBy(() -> database.inTransaction(c -> {
                catalog.execute(c, List.of(new CatalogStore.Write("INSERT INTO t_last (id, v) VALUES (?, ?)", 5, "g")));
                throw new IllegalStateException("fails after a write");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(values(database, catalog)).containsExactly("1=b");
        }
    }

    private static List<String> values(CatalogDatabase database, CatalogStore catalog) throws Exception {
        return database.read((Connection c) -> CatalogStore.query(c, "SELECT id, v FROM t_last ORDER BY id", rs -> rs.getInt(1) + "=" + rs.getString(2)));
    }
}
