package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.ColumnStatistics;
import software.amazon.awssdk.services.glue.model.ColumnStatisticsData;
import software.amazon.awssdk.services.glue.model.ColumnStatisticsType;
import software.amazon.awssdk.services.glue.model.LongColumnStatisticsData;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableInput;
import software.amazon.awssdk.services.glue.model.TableVersion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static dev.mortar.metastore.glue.GlueClients.column;
import static dev.mortar.metastore.glue.GlueClients.externalTable;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Glue API on every supported store: the V2 migration, the SQL of Expression filters (numeric,
 * decimal, string), segments and page tokens in binary name order, versions and Glue-only fields —
 * on embedded H2 and the machine's MariaDB (127.0.0.1:3306, root) and PostgreSQL (127.0.0.1:5432).
 */
class GlueStoreBackendsTest {



    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void glueApiBehavesTheSameOnEveryStore(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-glue-store-" + kind);
        Map<String, String> store = TestStores.fresh(kind, dir);
        try (TestServer server = TestServer.start(dir, store); GlueClient glue = GlueClients.client(server)) {
            glue.createDatabase(r -> r.databaseInput(d -> d.name("db").parameters(Map.of("k", "v")).targetDatabase(t -> t.databaseName("x"))));
            glue.createTable(r -> r.databaseName("db").tableInput(externalTable("t", dir.resolve("t").toUri().toString(),
                    List.of(column("region", "string"), column("n", "int"), column("amount", "decimal(12,3)")))
                    .description("on " + kind).build()).partitionIndexes(i -> i.indexName("by_region").keys("region")));
            List<PartitionInput> parts = new ArrayList<>();
            for (String region : List.of("EU", "eu", "Us", "ápac", "Zulu")) {
                for (int n : List.of(1, 2, 10, 20, -3)) {
                    parts.add(PartitionInput.builder().values(region, String.valueOf(n), n + ".5")
                            .lastAnalyzedTime(Instant.ofEpochSecond(1_700_000_000L + n))
                            .storageDescriptor(s -> s.columns(Column.builder().name("id").type("bigint").parameters(Map.of("p", region)).build())).build());
                }
            }
            assertThat(glue.batchCreatePartition(r -> r.databaseName("db").tableName("t").partitionInputList(parts)).errors()).isEmpty();

            assertThat(count(glue, "n > 2")).isEqualTo(10);
            assertThat(count(glue, "n BETWEEN -5 AND 1")).isEqualTo(10);
            assertThat(count(glue, "amount >= 10.5")).isEqualTo(10);
            assertThat(count(glue, "amount < 2")).isEqualTo(10);
            assertThat(count(glue, "region = 'eu' AND n IN (1, 20)")).isEqualTo(2);
            assertThat(count(glue, "region LIKE 'E%' OR region = 'ápac'")).isEqualTo(10);
            assertThat(count(glue, "NOT region IN ('EU', 'eu') AND amount > 1.5")).isEqualTo(9);

            // Pages follow the binary order of partition names, whatever the database's collation.
            List<String> paged = new ArrayList<>();
            glue.getPartitionsPaginator(r -> r.databaseName("db").tableName("t").maxResults(4)).stream()
                    .flatMap(p -> p.partitions().stream()).forEach(p -> paged.add(String.join("/", p.values())));
            assertThat(paged).hasSize(25).doesNotHaveDuplicates();
            List<String> regions = paged.stream().map(v -> v.split("/")[0]).distinct().toList();
            assertThat(regions).containsExactly("EU", "Us", "Zulu", "eu", "ápac");
            int total = 0;
            for (int s = 0; s < 3; s++) {
                int segment = s;
                total += glue.getPartitionsPaginator(r -> r.databaseName("db").tableName("t").segment(g -> g.segmentNumber(segment).totalSegments(3)).maxResults(7))
                        .stream().mapToInt(p -> p.partitions().size()).sum();
            }
            assertThat(total).isEqualTo(25);
            Partition one = glue.getPartition(r -> r.databaseName("db").tableName("t").partitionValues("ápac", "10", "10.5")).partition();
            assertThat(one.lastAnalyzedTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_010L));
            assertThat(one.storageDescriptor().columns().get(0).parameters()).containsEntry("p", "ápac");

            // Versions and the compare-and-swap.
            Table t = glue.getTable(r -> r.databaseName("db").name("t")).table();
            assertThat(t.description()).isEqualTo("on " + kind);
            Map<String, String> params = new HashMap<>(t.parameters());
            params.put("v", "1");
            TableInput next = TableInput.builder().name("t").tableType(t.tableType()).storageDescriptor(t.storageDescriptor())
                    .partitionKeys(t.partitionKeys()).parameters(params).description(t.description()).build();
            glue.updateTable(r -> r.databaseName("db").tableInput(next).versionId(t.versionId()));
            assertGlueError(() -> glue.updateTable(r -> r.databaseName("db").tableInput(next).versionId(t.versionId())), "ConcurrentModificationException");
            assertThat(glue.getTableVersions(r -> r.databaseName("db").tableName("t")).tableVersions()).extracting(TableVersion::versionId).containsExactly("1", "0");
            assertThat(glue.getPartitionIndexes(r -> r.databaseName("db").tableName("t")).partitionIndexDescriptorList()).hasSize(1);

            // Glue-only fields of databases, statistics times and functions.
            assertThat(glue.getDatabase(r -> r.name("db")).database().targetDatabase().databaseName()).isEqualTo("x");
            ColumnStatistics stats = ColumnStatistics.builder().columnName("id").columnType("bigint").analyzedTime(Instant.ofEpochSecond(1_600_000_000L))
                    .statisticsData(ColumnStatisticsData.builder().type(ColumnStatisticsType.LONG)
                            .longColumnStatisticsData(LongColumnStatisticsData.builder().numberOfNulls(0L).numberOfDistinctValues(5L).build()).build()).build();
            glue.updateColumnStatisticsForTable(r -> r.databaseName("db").tableName("t").columnStatisticsList(stats));
            assertThat(glue.getColumnStatisticsForTable(r -> r.databaseName("db").tableName("t").columnNames("id")).columnStatisticsList()).containsExactly(stats);
            glue.createUserDefinedFunction(r -> r.databaseName("db").functionInput(f -> f.functionName("f").className("x.F").functionType("AGGREGATE_FUNCTION")));
            assertThat(glue.getUserDefinedFunction(r -> r.databaseName("db").functionName("f")).userDefinedFunction().functionTypeAsString()).isEqualTo("AGGREGATE_FUNCTION");

            glue.deleteDatabase(r -> r.name("db"));
            assertGlueError(() -> glue.getTable(r -> r.databaseName("db").name("t")), "EntityNotFoundException");
        }
    }

    private static int count(GlueClient glue, String expression) {
        return glue.getPartitionsPaginator(r -> r.databaseName("db").tableName("t").expression(expression)).stream().mapToInt(p -> p.partitions().size()).sum();
    }
}
