package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;
import org.apache.hadoop.hive.metastore.api.FunctionType;
import org.apache.hadoop.hive.metastore.api.PrincipalType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BinaryColumnStatisticsData;
import software.amazon.awssdk.services.glue.model.BooleanColumnStatisticsData;
import software.amazon.awssdk.services.glue.model.ColumnStatistics;
import software.amazon.awssdk.services.glue.model.ColumnStatisticsData;
import software.amazon.awssdk.services.glue.model.ColumnStatisticsType;
import software.amazon.awssdk.services.glue.model.DateColumnStatisticsData;
import software.amazon.awssdk.services.glue.model.DecimalColumnStatisticsData;
import software.amazon.awssdk.services.glue.model.DecimalNumber;
import software.amazon.awssdk.services.glue.model.DoubleColumnStatisticsData;
import software.amazon.awssdk.services.glue.model.LongColumnStatisticsData;
import software.amazon.awssdk.services.glue.model.ResourceUri;
import software.amazon.awssdk.services.glue.model.StringColumnStatisticsData;
import software.amazon.awssdk.services.glue.model.UserDefinedFunction;
import software.amazon.awssdk.services.glue.model.UserDefinedFunctionInput;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static dev.mortar.metastore.glue.GlueClients.column;
import static dev.mortar.metastore.glue.GlueClients.externalTable;
import static org.assertj.core.api.Assertions.assertThat;

/** Column statistics of tables and partitions, and user-defined functions, through the AWS SDK and the Hive client. */
class GlueStatisticsAndFunctionTest {
    static TestServer server;
    static GlueClient glue;
    static HiveMetaStoreClient hive;
    static final Instant ANALYZED = Instant.parse("2024-06-01T12:00:00Z");

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        glue = GlueClients.client(server);
        hive = server.client();
        glue.createDatabase(r -> r.databaseInput(d -> d.name("stats")));
        glue.createTable(r -> r.databaseName("stats").tableInput(externalTable("facts", server.dataDir.resolve("facts").toUri().toString(), List.of(column("ds", "string")))
                .storageDescriptor(GlueClients.parquet(server.dataDir.resolve("facts").toUri().toString(), List.of(
                        column("id", "bigint"), column("price", "double"), column("name", "string"), column("flag", "boolean"),
                        column("day", "date"), column("amount", "decimal(10,2)"), column("raw", "binary")))).build()));
        glue.createPartition(r -> r.databaseName("stats").tableName("facts").partitionInput(p -> p.values("2024-06-01")));
    }

    @AfterAll
    static void stop() throws Exception {
        hive.close();
        glue.close();
        server.close();
        server.deleteData();
    }

    static ColumnStatistics stats(String column, String type, ColumnStatisticsData data) {
        return ColumnStatistics.builder().columnName(column).columnType(type).analyzedTime(ANALYZED).statisticsData(data).build();
    }

    static List<ColumnStatistics> everyKind() {
        return List.of(
                stats("id", "bigint", ColumnStatisticsData.builder().type(ColumnStatisticsType.LONG)
                        .longColumnStatisticsData(LongColumnStatisticsData.builder().minimumValue(-5L).maximumValue(1_000_000L).numberOfNulls(2L).numberOfDistinctValues(900L).build()).build()),
                stats("price", "double", ColumnStatisticsData.builder().type(ColumnStatisticsType.DOUBLE)
                        .doubleColumnStatisticsData(DoubleColumnStatisticsData.builder().minimumValue(0.5).maximumValue(99.75).numberOfNulls(0L).numberOfDistinctValues(40L).build()).build()),
                stats("name", "string", ColumnStatisticsData.builder().type(ColumnStatisticsType.STRING)
                        .stringColumnStatisticsData(StringColumnStatisticsData.builder().maximumLength(30L).averageLength(7.5).numberOfNulls(1L).numberOfDistinctValues(77L).build()).build()),
                stats("flag", "boolean", ColumnStatisticsData.builder().type(ColumnStatisticsType.BOOLEAN)
                        .booleanColumnStatisticsData(BooleanColumnStatisticsData.builder().numberOfTrues(10L).numberOfFalses(20L).numberOfNulls(3L).build()).build()),
                stats("day", "date", ColumnStatisticsData.builder().type(ColumnStatisticsType.DATE)
                        .dateColumnStatisticsData(DateColumnStatisticsData.builder().minimumValue(Instant.parse("2024-01-01T00:00:00Z"))
                                .maximumValue(Instant.parse("2024-06-01T00:00:00Z")).numberOfNulls(0L).numberOfDistinctValues(150L).build()).build()),
                stats("amount", "decimal(10,2)", ColumnStatisticsData.builder().type(ColumnStatisticsType.DECIMAL)
                        .decimalColumnStatisticsData(DecimalColumnStatisticsData.builder()
                                .minimumValue(DecimalNumber.builder().unscaledValue(SdkBytes.fromByteArray(BigInteger.valueOf(-1234).toByteArray())).scale(2).build())
                                .maximumValue(DecimalNumber.builder().unscaledValue(SdkBytes.fromByteArray(BigInteger.valueOf(987654321).toByteArray())).scale(2).build())
                                .numberOfNulls(4L).numberOfDistinctValues(500L).build()).build()),
                stats("raw", "binary", ColumnStatisticsData.builder().type(ColumnStatisticsType.BINARY)
                        .binaryColumnStatisticsData(BinaryColumnStatisticsData.builder().maximumLength(1024L).averageLength(100.25).numberOfNulls(9L).build()).build()));
    }

    private static final List<String> COLUMNS = List.of("id", "price", "name", "flag", "day", "amount", "raw");

    @Test
    void tableStatisticsOfEveryKindRoundTripAndHiveSeesThem() throws Exception {
        assertThat(glue.updateColumnStatisticsForTable(r -> r.databaseName("stats").tableName("facts").columnStatisticsList(everyKind())).errors()).isEmpty();
        var got = glue.getColumnStatisticsForTable(r -> r.databaseName("stats").tableName("facts").columnNames(COLUMNS));
        assertThat(got.errors()).isEmpty();
        assertThat(got.columnStatisticsList()).containsExactlyInAnyOrderElementsOf(everyKind());

        // The same statistics through the HMS API: engines planning with Hive statistics see what Glue clients wrote.
        List<ColumnStatisticsObj> viaHive = hive.getTableColumnStatistics("stats", "facts", List.of("id", "amount"), "hive");
        assertThat(viaHive).hasSize(2);
        ColumnStatisticsObj id = viaHive.stream().filter(o -> o.getColName().equals("id")).findFirst().orElseThrow();
        assertThat(id.getStatsData().getLongStats().getHighValue()).isEqualTo(1_000_000L);
        assertThat(id.getStatsData().getLongStats().getNumDVs()).isEqualTo(900L);

        // Unknown columns are reported per entry; the rest is written.
        var partial = glue.updateColumnStatisticsForTable(r -> r.databaseName("stats").tableName("facts").columnStatisticsList(
                stats("nope", "int", everyKind().get(0).statisticsData()), everyKind().get(0).toBuilder().analyzedTime(ANALYZED.plusSeconds(60)).build()));
        assertThat(partial.errors()).singleElement().satisfies(e -> {
            assertThat(e.columnStatistics().columnName()).isEqualTo("nope");
            assertThat(e.error().errorCode()).isEqualTo("EntityNotFoundException");
        });
        assertThat(glue.getColumnStatisticsForTable(r -> r.databaseName("stats").tableName("facts").columnNames("id")).columnStatisticsList())
                .singleElement().satisfies(s -> assertThat(s.analyzedTime()).isEqualTo(ANALYZED.plusSeconds(60)));

        List<ColumnStatistics> tooMany = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            tooMany.add(everyKind().get(0));
        }
        assertGlueError(() -> glue.updateColumnStatisticsForTable(r -> r.databaseName("stats").tableName("facts").columnStatisticsList(tooMany)), "ValidationException");

        glue.deleteColumnStatisticsForTable(r -> r.databaseName("stats").tableName("facts").columnName("price"));
        var afterDelete = glue.getColumnStatisticsForTable(r -> r.databaseName("stats").tableName("facts").columnNames("price", "name"));
        assertThat(afterDelete.columnStatisticsList()).extracting(ColumnStatistics::columnName).containsExactly("name");
        assertThat(afterDelete.errors()).singleElement().satisfies(e -> assertThat(e.columnName()).isEqualTo("price"));
        assertGlueError(() -> glue.deleteColumnStatisticsForTable(r -> r.databaseName("stats").tableName("facts").columnName("price")), "EntityNotFoundException");
        assertGlueError(() -> glue.getColumnStatisticsForTable(r -> r.databaseName("stats").tableName("nope").columnNames("id")), "EntityNotFoundException");
    }

    @Test
    void partitionStatisticsRoundTripBothWays() throws Exception {
        List<ColumnStatistics> some = everyKind().subList(0, 3);
        assertThat(glue.updateColumnStatisticsForPartition(r -> r.databaseName("stats").tableName("facts").partitionValues("2024-06-01")
                .columnStatisticsList(some)).errors()).isEmpty();
        var got = glue.getColumnStatisticsForPartition(r -> r.databaseName("stats").tableName("facts").partitionValues("2024-06-01").columnNames("id", "price", "name", "flag"));
        assertThat(got.columnStatisticsList()).containsExactlyInAnyOrderElementsOf(some);
        assertThat(got.errors()).extracting(e -> e.columnName()).containsExactly("flag");
        var viaHive = hive.getPartitionColumnStatistics("stats", "facts", List.of("ds=2024-06-01"), List.of("name"), "hive");
        assertThat(viaHive.get("ds=2024-06-01")).singleElement().satisfies(o -> assertThat(o.getStatsData().getStringStats().getAvgColLen()).isEqualTo(7.5));

        glue.deleteColumnStatisticsForPartition(r -> r.databaseName("stats").tableName("facts").partitionValues("2024-06-01").columnName("id"));
        assertThat(glue.getColumnStatisticsForPartition(r -> r.databaseName("stats").tableName("facts").partitionValues("2024-06-01").columnNames("id"))
                .columnStatisticsList()).isEmpty();
        assertGlueError(() -> glue.getColumnStatisticsForPartition(r -> r.databaseName("stats").tableName("facts").partitionValues("2030-01-01").columnNames("id")),
                "EntityNotFoundException");
        assertGlueError(() -> glue.deleteColumnStatisticsForPartition(r -> r.databaseName("stats").tableName("facts").partitionValues("2024-06-01").columnName("id")),
                "EntityNotFoundException");
    }

    @Test
    void userDefinedFunctions() throws Exception {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("udfs")));
        glue.createUserDefinedFunction(r -> r.databaseName("udfs").functionInput(UserDefinedFunctionInput.builder()
                .functionName("Parse_Url").className("com.example.ParseUrl").ownerName("alice").ownerType("USER").functionType("REGULAR_FUNCTION")
                .resourceUris(ResourceUri.builder().resourceType("JAR").uri("s3://libs/udfs.jar").build()).build()));
        UserDefinedFunction f = glue.getUserDefinedFunction(r -> r.databaseName("udfs").functionName("parse_url")).userDefinedFunction();
        assertThat(f.functionName()).isEqualTo("parse_url");
        assertThat(f.databaseName()).isEqualTo("udfs");
        assertThat(f.className()).isEqualTo("com.example.ParseUrl");
        assertThat(f.ownerName()).isEqualTo("alice");
        assertThat(f.ownerTypeAsString()).isEqualTo("USER");
        assertThat(f.functionTypeAsString()).isEqualTo("REGULAR_FUNCTION");
        assertThat(f.resourceUris()).containsExactly(ResourceUri.builder().resourceType("JAR").uri("s3://libs/udfs.jar").build());
        assertThat(f.createTime()).isAfter(Instant.now().minusSeconds(60));
        assertThat(f.catalogId()).isEqualTo("000000000000");
        // The function is Hive's: engines using the HMS API load it.
        var viaHive = hive.getFunction("udfs", "parse_url");
        assertThat(viaHive.getClassName()).isEqualTo("com.example.ParseUrl");
        assertThat(viaHive.getFunctionType()).isEqualTo(FunctionType.JAVA);
        assertThat(viaHive.getOwnerType()).isEqualTo(PrincipalType.USER);
        assertThat(viaHive.getResourceUris()).singleElement().satisfies(u -> assertThat(u.getUri()).isEqualTo("s3://libs/udfs.jar"));

        assertGlueError(() -> glue.createUserDefinedFunction(r -> r.databaseName("udfs").functionInput(i -> i.functionName("parse_url").className("x.Y"))), "AlreadyExistsException");
        assertGlueError(() -> glue.createUserDefinedFunction(r -> r.databaseName("nowhere").functionInput(i -> i.functionName("f").className("x.Y"))), "EntityNotFoundException");
        assertGlueError(() -> glue.createUserDefinedFunction(r -> r.databaseName("udfs").functionInput(i -> i.functionName("no_class"))), "InvalidInputException");
        for (int i = 0; i < 5; i++) {
            int n = i;
            glue.createUserDefinedFunction(r -> r.databaseName("udfs").functionInput(x -> x.functionName("fn_" + n).className("com.example.F" + n)
                    .functionType(n % 2 == 0 ? "AGGREGATE_FUNCTION" : "REGULAR_FUNCTION")));
        }
        List<String> all = glue.getUserDefinedFunctionsPaginator(r -> r.databaseName("udfs").pattern("*").maxResults(2)).stream()
                .flatMap(p -> p.userDefinedFunctions().stream()).map(UserDefinedFunction::functionName).toList();
        assertThat(all).containsExactly("fn_0", "fn_1", "fn_2", "fn_3", "fn_4", "parse_url");
        assertThat(glue.getUserDefinedFunctions(r -> r.databaseName("udfs").pattern("fn_.*").functionType("AGGREGATE_FUNCTION")).userDefinedFunctions())
                .extracting(UserDefinedFunction::functionName).containsExactly("fn_0", "fn_2", "fn_4");
        assertThat(glue.getUserDefinedFunctions(r -> r.pattern("parse*")).userDefinedFunctions()).extracting(UserDefinedFunction::databaseName).contains("udfs");
        assertGlueError(() -> glue.getUserDefinedFunctions(r -> r.databaseName("nowhere").pattern("*")), "EntityNotFoundException");

        glue.updateUserDefinedFunction(r -> r.databaseName("udfs").functionName("fn_1").functionInput(i -> i.functionName("fn_one").className("com.example.One")));
        // worded as the service words it
        assertThat(assertGlueError(() -> glue.getUserDefinedFunction(r -> r.databaseName("udfs").functionName("fn_1")), "EntityNotFoundException")
                .awsErrorDetails().errorMessage()).isEqualTo("Cannot find function.");
        UserDefinedFunction renamed = glue.getUserDefinedFunction(r -> r.databaseName("udfs").functionName("fn_one")).userDefinedFunction();
        assertThat(renamed.className()).isEqualTo("com.example.One");
        assertThat(renamed.functionType()).isNull();
        assertGlueError(() -> glue.updateUserDefinedFunction(r -> r.databaseName("udfs").functionName("missing").functionInput(i -> i.className("x.Y"))), "EntityNotFoundException");
        glue.deleteUserDefinedFunction(r -> r.databaseName("udfs").functionName("fn_one"));
        assertGlueError(() -> glue.deleteUserDefinedFunction(r -> r.databaseName("udfs").functionName("fn_one")), "EntityNotFoundException");
        assertThat(hive.getFunctions("udfs", "*")).doesNotContain("fn_one", "fn_1").contains("parse_url");
    }
}
