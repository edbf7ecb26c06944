package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.PartitionInput;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static dev.mortar.metastore.glue.GlueClients.column;
import static dev.mortar.metastore.glue.GlueClients.externalTable;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GetPartitions Expressions compare by the partition key's type, as the Glue service does: integral,
 * decimal, date and timestamp keys by value (a timestamp equals itself however many fraction digits it
 * is spelled with), string keys as text; a literal that is not a value of its key's type, LIKE on a
 * typed key and a key the table does not have are InvalidInputException. Two servers share one store,
 * one answering from its partition cache and one from SQL; both give the same answers, on H2, MariaDB
 * and PostgreSQL.
 */
class GlueExpressionTypesTest {
    private static final String TS = "2022-02-01 00:00:00";

    private static final Map<String, List<List<String>>> TABLES = Map.of(
            "ints", List.of(List.of("1"), List.of("2"), List.of("3")),
            "decimals", List.of(List.of("1.2"), List.of("2.6"), List.of("3e14")),
            "strings", List.of(List.of("one"), List.of("two"), List.of("2"), List.of("three")),
            "dates", List.of(List.of("2022-02-01"), List.of("2022-02-15"), List.of("2022-03-01")),
            "stamps", List.of(List.of(TS + ".000000"), List.of(TS + ".5"), List.of("2022-02-01 00:00:01"), List.of("2022-02-02 12:00:00")));

    private static final Map<String, String> KEYS = Map.of(
            "ints", "int_col int", "decimals", "decimal_col decimal(20,2)", "strings", "string_col string",
            "dates", "date_col date", "stamps", "ts timestamp");

    /** Expression, table, the values it selects (first key of each partition). */
    private record Case(String table, String expression, List<String> selects) {}

    private static final List<Case> CASES = List.of(
            new Case("ints", "int_col = 2", List.of("2")),
            new Case("ints", "int_col = '2'", List.of("2")),
            new Case("ints", "int_col IN (2)", List.of("2")),
            new Case("ints", "int_col in (6, '4', 2)", List.of("2")),
            new Case("ints", "int_col between 2 AND 2", List.of("2")),
            new Case("ints", "int_col > 1 AND int_col < 3", List.of("2")),
            new Case("ints", "int_col >= 2 and int_col <> 3", List.of("2")),
            new Case("ints", "int_col IS NOT NULL and int_col = 2", List.of("2")),
            new Case("ints", "int_col not IN (1, 3)", List.of("2")),
            new Case("ints", "int_col NOT BETWEEN 1 AND 1 and int_col NOT BETWEEN 3 AND 3", List.of("2")),
            new Case("ints", "int_col > 1.5 AND int_col < 2.5", List.of("2")),
            new Case("decimals", "decimal_col = 2.6", List.of("2.6")),
            new Case("decimals", "decimal_col = '2.60'", List.of("2.6")),
            new Case("decimals", "decimal_col IN (2.6)", List.of("2.6")),
            new Case("decimals", "decimal_col in (6, '4', 2.6)", List.of("2.6")),
            new Case("decimals", "decimal_col between 2 AND 3e10", List.of("2.6")),
            new Case("decimals", "decimal_col > 1.5 AND decimal_col < 3", List.of("2.6")),
            new Case("decimals", "decimal_col >= 2 and decimal_col <> '3e14'", List.of("2.6")),
            new Case("decimals", "decimal_col > 1000", List.of("3e14")),
            new Case("strings", "string_col = 'two'", List.of("two")),
            new Case("strings", "string_col = 2", List.of("2")),
            new Case("strings", "string_col IN (1, 2, 3)", List.of("2")),
            new Case("strings", "string_col IN ('test', 'two', '3')", List.of("two")),
            new Case("strings", "string_col between 'twn' AND 'twp'", List.of("two")),
            new Case("strings", "string_col LIKE 't_o'", List.of("two")),
            new Case("strings", "string_col LIKE '%wo'", List.of("two")),
            new Case("strings", "string_col NOT LIKE '%e' AND string_col not like '_'", List.of("two")),
            new Case("dates", "date_col = '2022-02-01'", List.of("2022-02-01")),
            new Case("dates", "date_col = DATE '2022-02-01'", List.of("2022-02-01")),
            new Case("dates", "date_col IN ('2022-2-15')", List.of("2022-02-15")),
            new Case("dates", "date_col > '2022-02-01'", List.of("2022-02-15", "2022-03-01")),
            new Case("dates", "date_col BETWEEN '2022-02-02' AND '2022-02-28'", List.of("2022-02-15")),
            new Case("stamps", "ts = '2022-02-01 00:00:00'", List.of(TS + ".000000")),
            new Case("stamps", "ts = '2022-02-01 00:00:00.0'", List.of(TS + ".000000")),
            new Case("stamps", "ts IN ('2022-02-01 00:00:00.000')", List.of(TS + ".000000")),
            new Case("stamps", "ts = DATE '2022-02-01'", List.of(TS + ".000000")),
            new Case("stamps", "ts = TIMESTAMP '2022-02-01 00:00:00.500'", List.of(TS + ".5")),
            new Case("stamps", "ts <> '2022-02-01 00:00:00'", List.of(TS + ".5", "2022-02-01 00:00:01", "2022-02-02 12:00:00")),
            new Case("stamps", "ts NOT IN ('2022-02-01 00:00:00.5', '2022-02-02 12:00:00.000000000')", List.of(TS + ".000000", "2022-02-01 00:00:01")),
            new Case("stamps", "ts > '2022-02-01 00:00:00'", List.of(TS + ".5", "2022-02-01 00:00:01", "2022-02-02 12:00:00")),
            new Case("stamps", "ts >= '2022-02-01 00:00:00.0'", List.of(TS + ".000000", TS + ".5", "2022-02-01 00:00:01", "2022-02-02 12:00:00")),
            new Case("stamps", "ts < '2022-02-01 00:00:00.5'", List.of(TS + ".000000")),
            new Case("stamps", "ts <= '2022-02-01 00:00:00.50'", List.of(TS + ".000000", TS + ".5")),
            new Case("stamps", "ts BETWEEN '2022-02-01 00:00:00.000' AND '2022-02-01 00:00:01'", List.of(TS + ".000000", TS + ".5", "2022-02-01 00:00:01")));

    /** Expression, table, a part of the service's message. */
    private record Refused(String table, String expression, String message) {}

    private static final List<Refused> REFUSED = List.of(
            new Refused("strings", "unknown_col LIKE 'two'", "Unknown column 'unknown_col'"),
            new Refused("strings", "string_col = 'two' AND unknown_col LIKE 'two'", "Unknown column 'unknown_col'"),
            new Refused("strings", "unknown_col IS NULL", "Unknown column 'unknown_col'"),
            new Refused("ints", "int_col = 'test'", "For input string: \"test\" is not an integer."),
            new Refused("ints", "int_col IN (2.5)", "For input string: \"2.5\" is not an integer."),
            new Refused("ints", "int_col = 1 OR int_col = 2.0", "is not an integer"),
            new Refused("ints", "int_col > 'x'", "is not an integer"),
            new Refused("ints", "int_col LIKE '2'", "Integral data type doesn't support operation 'LIKE'"),
            new Refused("decimals", "decimal_col = 'test'", "test is not a decimal."),
            new Refused("decimals", "decimal_col LIKE '2%'", "Decimal data type doesn't support operation 'LIKE'"),
            new Refused("dates", "date_col = '2022-02-32'", "2022-02-32 is not a date."),
            new Refused("dates", "date_col IN ('2022-02-01', 'x')", "x is not a date."),
            new Refused("dates", "date_col LIKE '2022%'", "Date data type doesn't support operation 'LIKE'"),
            new Refused("stamps", "ts = '2022-02-01'", "Timestamp format must be yyyy-mm-dd hh:mm:ss[.fffffffff]"),
            new Refused("stamps", "ts BETWEEN '2022-02-01 00:00:00' AND '2022-02-01 25:00:00'", "is not a timestamp"),
            new Refused("stamps", "ts LIKE '2022%'", "Timestamp data type doesn't support operation 'LIKE'"));

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void expressionsCompareByTheKeysTypeFromTheStoreAndFromTheCache(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-glue-types-" + kind);
        Map<String, String> store = TestStores.fresh(kind, dir);
        Map<String, String> uncached = new HashMap<>(store);
        uncached.put("mortar.cache.partitions", "0");
        try (TestServer cachedServer = TestServer.start(dir.resolve("a"), store);
             TestServer plainServer = TestServer.start(dir.resolve("b"), uncached);
             GlueClient cached = GlueClients.client(cachedServer);
             GlueClient plain = GlueClients.client(plainServer)) {
            plain.createDatabase(r -> r.databaseInput(d -> d.name("typed")));
            for (Map.Entry<String, List<List<String>>> table : TABLES.entrySet()) {
                String[] key = KEYS.get(table.getKey()).split(" ");
                plain.createTable(r -> r.databaseName("typed").tableInput(externalTable(table.getKey(), dir.resolve(table.getKey()).toUri().toString(),
                        List.of(column(key[0], key[1]))).build()));
                List<PartitionInput> parts = table.getValue().stream().map(v -> PartitionInput.builder().values(v).build()).toList();
                assertThat(plain.batchCreatePartition(r -> r.databaseName("typed").tableName(table.getKey()).partitionInputList(parts)).errors()).isEmpty();
                // Listing every partition through the cached server keeps them in its memory.
                assertThat(values(cached, table.getKey(), "")).hasSize(table.getValue().size());
            }
            long hitsBefore = cachedServer.server.context().store.partitionCache().stats().hits();

            for (Case c : CASES) {
                assertThat(values(plain, c.table(), c.expression())).as("%s from SQL on %s", c.expression(), kind).containsExactlyInAnyOrderElementsOf(c.selects());
                assertThat(values(cached, c.table(), c.expression())).as("%s from the cache on %s", c.expression(), kind).containsExactlyInAnyOrderElementsOf(c.selects());
            }
            // Most of them answered from memory (on PostgreSQL, string ranges and LIKE go to the store, whose collation orders them).
            assertThat(cachedServer.server.context().store.partitionCache().stats().hits() - hitsBefore).isGreaterThanOrEqualTo(kind.equals("postgres") ? 20 : 30);

            for (Refused r : REFUSED) {
                for (GlueClient glue : List.of(plain, cached)) {
                    var e = assertGlueError(() -> glue.getPartitions(q -> q.databaseName("typed").tableName(r.table()).expression(r.expression())), "InvalidInputException");
                    assertThat(e.awsErrorDetails().errorMessage()).as(r.expression()).contains(r.message());
                }
            }
        }
    }

    private static List<String> values(GlueClient glue, String table, String expression) {
        return glue.getPartitionsPaginator(r -> r.databaseName("typed").tableName(table).expression(expression)).stream()
                .flatMap(p -> p.partitions().stream()).map(p -> p.values().get(0)).toList();
    }
}
