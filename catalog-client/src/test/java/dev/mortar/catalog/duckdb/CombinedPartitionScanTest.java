package dev.mortar.catalog.duckdb;

import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.Column;
import dev.mortar.catalog.StorageFormat;
import dev.mortar.catalog.TableName;
import dev.mortar.catalog.files.DataFolder;
import dev.mortar.catalog.files.TableData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One read_parquet over every partition's files ({@link TableScan#planCombined}) when the folder names say exactly the
 * catalog's partition values, a branch per partition otherwise; both read the same rows with the catalog's values.
 */
class CombinedPartitionScanTest {
    @TempDir
    Path dir;

    private static CatalogTable orders() {
        return new CatalogTable(new TableName("shop", "orders"), CatalogTable.EXTERNAL_TABLE,
                List.of(new Column("id", "bigint", Optional.empty()), new Column("amount", "decimal(10,2)", Optional.empty())),
                List.of(new Column("ds", "string", Optional.empty()), new Column("hour", "int", Optional.empty())),
                Optional.empty(), StorageFormat.of("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", Map.of(), null, null),
                Map.of(), Optional.empty());
    }

    /** A partition folder (under {@code folder}) with one Parquet file of one row; the file also holds a stale ds column. */
    private DataFolder partition(String folder, String ds, String hour, long id) throws Exception {
        Path location = dir.resolve(folder);
        Files.createDirectories(location);
        Path file = location.resolve("part-0.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT " + id + "::BIGINT AS id, 1.50::DECIMAL(10,2) AS amount, 'stale' AS ds) TO '" + file + "' (FORMAT parquet)");
        }
        return new DataFolder(List.of(ds, hour), location.toUri().toString(), List.of(file));
    }

    private static List<String> rows(String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, amount, ds, hour, typeof(hour) FROM (" + sql + ") ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getLong(1) + "," + rs.getBigDecimal(2) + "," + rs.getString(3) + "," + rs.getString(4) + "," + rs.getString(5));
            }
        }
        return rows;
    }

    private static TableData data(List<DataFolder> folders) {
        return new TableData(orders(), folders, Optional.empty(), folders.size(), List.of());
    }

    @Test
    void foldersNamedByTheCatalogsValuesAreReadByOneScan() throws Exception {
        TableData data = data(List.of(partition("orders/ds=2024-01-01/hour=07", "2024-01-01", "07", 1),
                partition("orders/ds=2024-01-02/hour=10", "2024-01-02", "10", 2)));
        TableScan.Plan combined = TableScan.planCombined(data);
        assertThat(combined.sql()).contains("hive_partitioning = true").doesNotContain("UNION ALL");
        assertThat(combined.files()).hasSize(2);
        // the folder's value wins over a column of the same name in the file, and keys have the catalog's types
        assertThat(rows(combined.sql())).containsExactly("1,1.50,2024-01-01,7,INTEGER", "2,1.50,2024-01-02,10,INTEGER")
                .isEqualTo(rows(TableScan.plan(data).sql()));
    }

    @Test
    void foldersThatDoNotSayTheCatalogsValuesKeepABranchEach() throws Exception {
        List<List<DataFolder>> layouts = List.of(
                // the catalog's value is not the folder's name
                List.of(partition("a/ds=2024-01-01/hour=7", "2024-01-01", "8", 1), partition("a/ds=2024-01-02/hour=9", "2024-01-02", "9", 2)),
                // folders not named key=value
                List.of(partition("b/2024-01-01/7", "2024-01-01", "7", 1), partition("b/2024-01-02/9", "2024-01-02", "9", 2)),
                // another folder name with = above the partition folders
                List.of(partition("c/x=1/ds=2024-01-01/hour=7", "2024-01-01", "7", 1), partition("c/x=1/ds=2024-01-02/hour=9", "2024-01-02", "9", 2)),
                // a value DuckDB would read as NULL
                List.of(partition("d/ds=NULL/hour=7", "NULL", "7", 1), partition("d/ds=2024-01-02/hour=9", "2024-01-02", "9", 2)));
        for (List<DataFolder> folders : layouts) {
            TableScan.Plan plan = TableScan.planCombined(data(folders));
            assertThat(plan.sql()).as(folders.toString()).contains("UNION ALL").doesNotContain("hive_partitioning");
            assertThat(rows(plan.sql())).hasSize(2);
        }
        assertThat(rows(TableScan.planCombined(data(layouts.get(0))).sql())).containsExactly(
                "1,1.50,2024-01-01,8,INTEGER", "2,1.50,2024-01-02,9,INTEGER");
    }
}
