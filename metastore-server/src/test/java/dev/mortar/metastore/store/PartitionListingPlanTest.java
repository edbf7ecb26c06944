package dev.mortar.metastore.store;

import dev.mortar.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table's partitions are listed in the order of the (tbl_id, part_name) index, without sorting them:
 * H2 reads the index in order (its plan says so), and on PostgreSQL the column collates as the listing
 * orders ("C"), so that the index has that order.
 */
class PartitionListingPlanTest {

    private static CatalogDatabase open(String kind, Path dir) throws Exception {
        Map<String, String> store = TestStores.fresh(kind, dir);
        return new CatalogDatabase(store.get("mortar.store.url"), store.getOrDefault("mortar.store.user", ""), store.getOrDefault("mortar.store.password", ""), 2);
    }

    @Test
    void h2ReadsTheNameIndexInOrder() throws Exception {
        try (CatalogDatabase database = open("h2", Files.createTempDirectory("mortar-plan-h2"))) {
            CatalogStore store = new CatalogStore(database, 0);
            Sql query = store.partitionQuery("p.part_name", 1L, Optional.empty(), -1);
            List<String> plan = database.read(c -> explain(c, query));
            assertThat(String.join("\n", plan)).contains("M_PARTITIONS_NAME").contains("/* index sorted */");
        }
    }

    @Test
    void postgresKeepsPartitionNamesInCodePointOrder() throws Exception {
        try (CatalogDatabase database = open("postgres", Files.createTempDirectory("mortar-plan-pg"))) {
            String collation = database.read(c -> CatalogStore.queryOne(c,
                    "SELECT collation_name FROM information_schema.columns WHERE table_name = 'm_partitions' AND column_name = 'part_name'",
                    rs -> rs.getString(1)).orElseThrow());
            assertThat(collation).isEqualTo("C");
        }
    }

    private static List<String> explain(Connection c, Sql query) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("EXPLAIN " + query.text())) {
            for (int i = 0; i < query.params().size(); i++) {
                ps.setObject(i + 1, query.params().get(i));
            }
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return lines;
        }
    }
}
