package dev.mortar.catalog.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.catalog.Column;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.StorageFormat;
import dev.mortar.catalog.TableName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which partition filters the catalog is asked for, from DuckDB's parse tree of a query. */
class PartitionFilterDerivationTest {
    private static final CatalogTable EVENTS = new CatalogTable(new TableName("db", "events"), "EXTERNAL_TABLE",
            List.of(new Column("id", "bigint", Optional.empty()), new Column("name", "string", Optional.empty())),
            List.of(new Column("ds", "string", Optional.empty()), new Column("hr", "int", Optional.empty())),
            Optional.of("file:/x"), new StorageFormat(Optional.of("parquet"), Map.of(), Optional.empty(), Optional.empty()), Map.of(), Optional.empty());

    private static Optional<String> filter(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             PreparedStatement s = c.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
            s.setString(1, sql);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                JsonNode statement = new ObjectMapper().readTree(rs.getString(1)).path("statements").get(0);
                QueryAnalysis analysis = QueryAnalysis.of(statement);
                analysis.derivePartitionFilters(ref -> ref.table.equals("events") ? Optional.of(EVENTS) : Optional.empty());
                return QueryAnalysis.combined(analysis.references().stream().filter(r -> r.table.equals("events")).toList());
            }
        }
    }

    @Test
    void comparisonsInAndBetweenOnKeysAreAndedIntoAFilter() throws Exception {
        assertThat(filter("SELECT * FROM db.events WHERE ds = '2024-01-01' AND hr IN (1, 2) AND id > 5"))
                .contains("(ds = '2024-01-01' and (hr = 1 or hr = 2))");
        assertThat(filter("SELECT * FROM db.events e WHERE '2024-01-02' <= e.ds AND e.ds BETWEEN '2024-01-01' AND '2024-02-01'"))
                .contains("(ds >= '2024-01-02' and (ds >= '2024-01-01' and ds <= '2024-02-01'))");
    }

    @Test
    void predicatesThatMayKeepOtherPartitionsPushNothing() throws Exception {
        assertThat(filter("SELECT * FROM db.events WHERE ds = '2024-01-01' OR id = 3")).isEmpty();
        assertThat(filter("SELECT * FROM db.events WHERE upper(ds) = '2024'")).isEmpty();
        assertThat(filter("SELECT * FROM db.events WHERE hr > 3")).isEmpty();
        // one use of the table has no predicate: every partition is needed
        assertThat(filter("SELECT * FROM db.events a JOIN db.events b ON a.id = b.id WHERE a.ds = 'x'")).isEmpty();
    }

    @Test
    void eachUseOfATableContributesItsOwnAlternative() throws Exception {
        assertThat(filter("SELECT * FROM db.events WHERE ds = 'a' UNION ALL SELECT * FROM db.events WHERE ds = 'b'"))
                .contains("(ds = 'a') or (ds = 'b')");
    }
}
