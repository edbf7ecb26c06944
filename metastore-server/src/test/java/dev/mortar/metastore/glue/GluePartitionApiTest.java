package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BatchUpdatePartitionRequestEntry;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.GetPartitionsRequest;
import software.amazon.awssdk.services.glue.model.GetPartitionsResponse;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.PartitionIndexDescriptor;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.PartitionValueList;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static dev.mortar.metastore.glue.GlueClients.column;
import static dev.mortar.metastore.glue.GlueClients.externalTable;
import static org.assertj.core.api.Assertions.assertThat;

/** Partitions through the AWS SDK: batches with per-entry errors, Expression filters, segments, pages, indexes. */
class GluePartitionApiTest {
    static TestServer server;
    static GlueClient glue;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        glue = GlueClients.client(server);
        glue.createDatabase(r -> r.databaseInput(d -> d.name("web")));
        glue.createTable(r -> r.databaseName("web").tableInput(externalTable("events", location("events"),
                List.of(column("ds", "string"), column("hr", "int"))).build()));
        List<PartitionInput> parts = new ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            for (int hr = 0; hr < 24; hr++) {
                parts.add(PartitionInput.builder().values("2024-01-0" + day, String.valueOf(hr)).build());
            }
        }
        assertThat(glue.batchCreatePartition(r -> r.databaseName("web").tableName("events").partitionInputList(parts)).errors()).isEmpty();
        glue.createTable(r -> r.databaseName("web").tableInput(externalTable("prices", location("prices"),
                List.of(column("price", "decimal(10,2)"), column("day", "date"))).build()));
        List<PartitionInput> prices = new ArrayList<>();
        for (String price : List.of("1.50", "9.99", "10.25", "100.00", "-3.5")) {
            for (String day : List.of("2024-01-01", "2024-02-15")) {
                prices.add(PartitionInput.builder().values(price, day).build());
            }
        }
        prices.add(PartitionInput.builder().values("__HIVE_DEFAULT_PARTITION__", "2024-02-15").build());
        assertThat(glue.batchCreatePartition(r -> r.databaseName("web").tableName("prices").partitionInputList(prices)).errors()).isEmpty();
    }

    @AfterAll
    static void stop() throws Exception {
        glue.close();
        server.close();
        server.deleteData();
    }

    private static String location(String name) {
        return server.dataDir.resolve("external").resolve(name).toUri().toString();
    }

    private static List<Partition> all(String table, Consumer<GetPartitionsRequest.Builder> request) {
        return glue.getPartitionsPaginator(r -> {
            r.databaseName("web").tableName(table);
            request.accept(r);
        }).stream().flatMap(p -> p.partitions().stream()).toList();
    }

    private static int count(String table, String expression) {
        return all(table, r -> r.expression(expression)).size();
    }

    static Stream<Arguments> eventExpressions() {
        return Stream.of(
                Arguments.of("", 72),
                Arguments.of("hr > 9", 42),
                Arguments.of("hr > 9.5", 42),
                Arguments.of("hr = '7'", 3),
                Arguments.of("hr BETWEEN 3 AND 5 AND ds = '2024-01-02'", 3),
                Arguments.of("ds <> '2024-01-01' AND hr < 2", 4),
                Arguments.of("ds != '2024-01-01' and hr <= 1", 4),
                Arguments.of("hr IN (1, 2, 3) OR ds >= '2024-01-03'", 30),
                Arguments.of("NOT (ds = '2024-01-01') AND hr NOT IN (0, 23)", 44),
                Arguments.of("ds LIKE '2024-01-0%' AND hr NOT BETWEEN 1 AND 22", 6),
                Arguments.of("ds NOT LIKE '%-02' AND hr = 7", 2),
                Arguments.of("'2024-01-02' = ds AND 5 > hr", 5),
                Arguments.of("ds IS NOT NULL AND hr = 0", 3),
                Arguments.of("ds IS NULL", 0),
                Arguments.of("(ds = '2024-01-01' OR ds = '2024-01-02') AND (hr = 1 OR hr = 2)", 4),
                Arguments.of("`ds` = '2024-01-03' AND \"hr\" >= 20", 4),
                Arguments.of("ds > DATE '2024-01-01' AND hr = 12", 2));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("eventExpressions")
    void expressionsFilterInTheStore(String expression, int expected) {
        assertThat(count("events", expression)).isEqualTo(expected);
    }

    static Stream<Arguments> priceExpressions() {
        return Stream.of(
                Arguments.of("price > 9.99", 4),
                Arguments.of("price >= '9.99'", 6),
                Arguments.of("price BETWEEN -4 AND 2", 4),
                Arguments.of("price IN (100, 1.5)", 4),
                Arguments.of("price < 0 OR price IS NULL", 3),
                Arguments.of("price IS NULL", 1),
                Arguments.of("NOT price IS NULL AND day > DATE '2024-01-31'", 5),
                Arguments.of("day = '2024-01-01'", 5));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("priceExpressions")
    void decimalAndDateKeysCompareAsNumbersAndDates(String expression, int expected) {
        assertThat(count("prices", expression)).isEqualTo(expected);
    }

    @Test
    void badExpressionsAreInvalidInput() {
        for (String bad : List.of("ds = ", "nokey = 1", "ds = 'x' AND", "ds = 'unterminated", "hr = ds", "ds ~ 'x'", "(ds = 'x'")) {
            assertGlueError(() -> glue.getPartitions(r -> r.databaseName("web").tableName("events").expression(bad)), "InvalidInputException");
        }
        assertGlueError(() -> glue.getPartitions(r -> r.databaseName("web").tableName("events").expression("ds = '" + "x".repeat(2048) + "'")), "ValidationException");
        assertGlueError(() -> glue.getPartitions(r -> r.databaseName("web").tableName("events").maxResults(1001)), "ValidationException");
        assertGlueError(() -> glue.getPartitions(r -> r.databaseName("web").tableName("nope")), "EntityNotFoundException");
    }

    @Test
    void segmentsSplitPartitionsDisjointly() {
        Set<String> union = new HashSet<>();
        int total = 0;
        for (int s = 0; s < 4; s++) {
            int segment = s;
            List<Partition> parts = all("events", r -> r.segment(g -> g.segmentNumber(segment).totalSegments(4)).maxResults(5));
            total += parts.size();
            parts.forEach(p -> union.add(String.join("/", p.values())));
        }
        assertThat(total).isEqualTo(72);
        assertThat(union).hasSize(72);
        assertThat(all("events", r -> r.segment(g -> g.segmentNumber(0).totalSegments(2)).expression("hr < 12")).size()
                + all("events", r -> r.segment(g -> g.segmentNumber(1).totalSegments(2)).expression("hr < 12")).size()).isEqualTo(36);
        assertGlueError(() -> glue.getPartitions(r -> r.databaseName("web").tableName("events").segment(g -> g.segmentNumber(4).totalSegments(4))), "InvalidInputException");
        assertGlueError(() -> glue.getPartitions(r -> r.databaseName("web").tableName("events").segment(g -> g.segmentNumber(0).totalSegments(11))), "ValidationException");
    }

    @Test
    void pagesAreStableWhilePartitionsAreAdded() {
        glue.createTable(r -> r.databaseName("web").tableInput(externalTable("paged", location("paged"), List.of(column("ds", "string"), column("hr", "int"))).build()));
        List<PartitionInput> parts = new ArrayList<>();
        for (int hr = 0; hr < 30; hr++) {
            parts.add(PartitionInput.builder().values("2024-01-01", String.valueOf(hr)).build());
        }
        glue.batchCreatePartition(r -> r.databaseName("web").tableName("paged").partitionInputList(parts));
        GetPartitionsResponse first = glue.getPartitions(r -> r.databaseName("web").tableName("paged").maxResults(10));
        assertThat(first.partitions()).hasSize(10);
        List<String> seen = new ArrayList<>(first.partitions().stream().map(p -> String.join("/", p.values())).toList());
        // One sorts before the cursor, one after; neither moves what the client has not seen yet.
        glue.createPartition(r -> r.databaseName("web").tableName("paged").partitionInput(p -> p.values("2024-01-01", "100")));
        glue.createPartition(r -> r.databaseName("web").tableName("paged").partitionInput(p -> p.values("2024-01-09", "1")));
        glue.deletePartition(r -> r.databaseName("web").tableName("paged").partitionValues(first.partitions().get(0).values()));
        String token = first.nextToken();
        while (token != null) {
            String t = token;
            GetPartitionsResponse page = glue.getPartitions(r -> r.databaseName("web").tableName("paged").maxResults(10).nextToken(t));
            page.partitions().forEach(p -> seen.add(String.join("/", p.values())));
            token = page.nextToken();
        }
        assertThat(seen).doesNotHaveDuplicates().hasSize(31).contains("2024-01-09/1").doesNotContain("2024-01-01/100");
        for (int hr = 0; hr < 30; hr++) {
            assertThat(seen).contains("2024-01-01/" + hr);
        }
        assertGlueError(() -> glue.getPartitions(r -> r.databaseName("web").tableName("paged").nextToken(first.nextToken() + "x")), "InvalidInputException");
    }

    @Test
    void partitionRoundTripsItsFields() {
        glue.createTable(r -> r.databaseName("web").tableInput(externalTable("fields", location("fields"), List.of(column("ds", "string"))).build()));
        Instant access = Instant.parse("2024-03-01T00:00:00Z");
        Instant analyzed = Instant.parse("2024-03-02T00:00:00Z");
        StorageDescriptor sd = GlueClients.parquet(location("fields-elsewhere"),
                List.of(Column.builder().name("id").type("bigint").parameters(Map.of("p", "1")).build(), column("name", "string")));
        glue.createPartition(r -> r.databaseName("web").tableName("fields").partitionInput(p -> p.values("2024-03-01").storageDescriptor(sd)
                .parameters(Map.of("numRows", "10")).lastAccessTime(access).lastAnalyzedTime(analyzed)));
        Partition p = glue.getPartition(r -> r.databaseName("web").tableName("fields").partitionValues("2024-03-01")).partition();
        assertThat(p.values()).containsExactly("2024-03-01");
        assertThat(p.databaseName()).isEqualTo("web");
        assertThat(p.tableName()).isEqualTo("fields");
        assertThat(p.creationTime()).isAfter(Instant.now().minusSeconds(60));
        assertThat(p.lastAccessTime()).isEqualTo(access);
        assertThat(p.lastAnalyzedTime()).isEqualTo(analyzed);
        assertThat(p.parameters()).containsEntry("numRows", "10");
        assertThat(p.storageDescriptor().columns()).isEqualTo(sd.columns());
        assertThat(p.storageDescriptor().location()).isEqualTo(sd.location().replace("file:///", "file:/"));
        assertThat(p.storageDescriptor().serdeInfo()).isEqualTo(sd.serdeInfo());
        assertThat(glue.getPartitions(r -> r.databaseName("web").tableName("fields").excludeColumnSchema(true)).partitions())
                .singleElement().satisfies(x -> assertThat(x.storageDescriptor().columns()).isEmpty());

        assertGlueError(() -> glue.createPartition(r -> r.databaseName("web").tableName("fields").partitionInput(x -> x.values("2024-03-01"))), "AlreadyExistsException");
        assertGlueError(() -> glue.createPartition(r -> r.databaseName("web").tableName("fields").partitionInput(x -> x.values("a", "b"))), "InvalidInputException");
        assertGlueError(() -> glue.createPartition(r -> r.databaseName("web").tableName("nope").partitionInput(x -> x.values("a"))), "EntityNotFoundException");
        assertGlueError(() -> glue.getPartition(r -> r.databaseName("web").tableName("fields").partitionValues("2099-01-01")), "EntityNotFoundException");

        // UpdatePartition replaces the definition; the values cannot change.
        glue.updatePartition(r -> r.databaseName("web").tableName("fields").partitionValueList("2024-03-01")
                .partitionInput(x -> x.values("2024-03-01").storageDescriptor(sd.toBuilder().location(location("moved")).build()).parameters(Map.of("k", "v"))));
        Partition updated = glue.getPartition(r -> r.databaseName("web").tableName("fields").partitionValues("2024-03-01")).partition();
        assertThat(updated.parameters()).containsEntry("k", "v").doesNotContainKey("numRows");
        assertThat(updated.storageDescriptor().location()).endsWith("/moved");
        assertThat(updated.lastAnalyzedTime()).isNull();
        assertThat(updated.creationTime()).isEqualTo(p.creationTime());
        assertGlueError(() -> glue.updatePartition(r -> r.databaseName("web").tableName("fields").partitionValueList("2024-03-01")
                .partitionInput(x -> x.values("2024-03-02"))), "InvalidInputException");
        assertGlueError(() -> glue.updatePartition(r -> r.databaseName("web").tableName("fields").partitionValueList("2024-03-09")
                .partitionInput(x -> x.values("2024-03-09"))), "EntityNotFoundException");
        assertThat(glue.getPartition(r -> r.databaseName("web").tableName("fields").partitionValues("2024-03-01")).partition()).isEqualTo(updated);
    }

    @Test
    void batchesReportEntriesAndApplyTheRestTogether() {
        glue.createTable(r -> r.databaseName("web").tableInput(externalTable("batch", location("batch"), List.of(column("ds", "string"))).build()));
        List<PartitionInput> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(PartitionInput.builder().values("d" + i).build());
        }
        assertGlueError(() -> glue.batchCreatePartition(r -> r.databaseName("web").tableName("batch").partitionInputList(tooMany)), "ValidationException");
        assertThat(all("batch", r -> { })).isEmpty();
        glue.createPartition(r -> r.databaseName("web").tableName("batch").partitionInput(p -> p.values("existing")));
        var created = glue.batchCreatePartition(r -> r.databaseName("web").tableName("batch").partitionInputList(
                PartitionInput.builder().values("a").build(), PartitionInput.builder().values("existing").build(),
                PartitionInput.builder().values("b").build(), PartitionInput.builder().values("a").build(),
                PartitionInput.builder().values("x", "y").build(), PartitionInput.builder().values("c").build()));
        assertThat(created.errors()).extracting(e -> String.join(",", e.partitionValues()) + ":" + e.errorDetail().errorCode())
                .containsExactlyInAnyOrder("existing:AlreadyExistsException", "a:AlreadyExistsException", "x,y:InvalidInputException");
        assertThat(all("batch", r -> { })).extracting(p -> p.values().get(0)).containsExactly("a", "b", "c", "existing");

        List<PartitionValueList> tooManyGets = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooManyGets.add(PartitionValueList.builder().values("d" + i).build());
        }
        assertGlueError(() -> glue.batchGetPartition(r -> r.databaseName("web").tableName("batch").partitionsToGet(tooManyGets)), "ValidationException");
        var got = glue.batchGetPartition(r -> r.databaseName("web").tableName("batch").partitionsToGet(
                PartitionValueList.builder().values("a").build(), PartitionValueList.builder().values("missing").build(),
                PartitionValueList.builder().values("c").build(), PartitionValueList.builder().values("a", "b").build()));
        assertThat(got.partitions()).extracting(p -> p.values().get(0)).containsExactlyInAnyOrder("a", "c");
        assertThat(got.unprocessedKeys()).isEmpty();

        var updated = glue.batchUpdatePartition(r -> r.databaseName("web").tableName("batch").entries(
                BatchUpdatePartitionRequestEntry.builder().partitionValueList("a").partitionInput(p -> p.values("a").parameters(Map.of("v", "2"))).build(),
                BatchUpdatePartitionRequestEntry.builder().partitionValueList("missing").partitionInput(p -> p.values("missing")).build(),
                BatchUpdatePartitionRequestEntry.builder().partitionValueList("b").partitionInput(p -> p.parameters(Map.of("v", "2"))).build()));
        assertThat(updated.errors()).singleElement().satisfies(e -> {
            assertThat(e.partitionValueList()).containsExactly("missing");
            assertThat(e.errorDetail().errorCode()).isEqualTo("EntityNotFoundException");
        });
        assertThat(all("batch", r -> r.expression("ds IN ('a', 'b')"))).allSatisfy(p -> assertThat(p.parameters()).containsEntry("v", "2"));
        assertGlueError(() -> glue.batchUpdatePartition(r -> r.databaseName("web").tableName("batch").entries(List.of())), "ValidationException");

        List<PartitionValueList> tooManyDeletes = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            tooManyDeletes.add(PartitionValueList.builder().values(i == 0 ? "a" : "d" + i).build());
        }
        assertGlueError(() -> glue.batchDeletePartition(r -> r.databaseName("web").tableName("batch").partitionsToDelete(tooManyDeletes)), "ValidationException");
        assertThat(all("batch", r -> { })).hasSize(4);
        var deleted = glue.batchDeletePartition(r -> r.databaseName("web").tableName("batch").partitionsToDelete(
                PartitionValueList.builder().values("a").build(), PartitionValueList.builder().values("missing").build(),
                PartitionValueList.builder().values("b").build()));
        assertThat(deleted.errors()).extracting(e -> e.partitionValues().get(0) + ":" + e.errorDetail().errorCode()).containsExactly("missing:EntityNotFoundException");
        assertThat(all("batch", r -> { })).extracting(p -> p.values().get(0)).containsExactly("c", "existing");
        glue.deletePartition(r -> r.databaseName("web").tableName("batch").partitionValues("c"));
        assertGlueError(() -> glue.deletePartition(r -> r.databaseName("web").tableName("batch").partitionValues("c")), "EntityNotFoundException");
    }

    @Test
    void partitionIndexes() {
        glue.createTable(r -> r.databaseName("web").tableInput(externalTable("indexed", location("indexed"),
                List.of(column("ds", "string"), column("hr", "int"), column("amount", "decimal(5,2)"))).build())
                .partitionIndexes(i -> i.indexName("by_ds").keys("ds")));
        glue.createPartitionIndex(r -> r.databaseName("web").tableName("indexed").partitionIndex(i -> i.indexName("by_ds_hr").keys("ds", "hr")));
        List<PartitionIndexDescriptor> indexes = glue.getPartitionIndexes(r -> r.databaseName("web").tableName("indexed")).partitionIndexDescriptorList();
        assertThat(indexes).extracting(PartitionIndexDescriptor::indexName).containsExactly("by_ds", "by_ds_hr");
        assertThat(indexes.get(1).keys()).extracting(k -> k.name() + ":" + k.type()).containsExactly("ds:string", "hr:int");
        assertThat(indexes).allSatisfy(i -> assertThat(i.indexStatusAsString()).isEqualTo("ACTIVE"));
        assertGlueError(() -> glue.createPartitionIndex(r -> r.databaseName("web").tableName("indexed").partitionIndex(i -> i.indexName("by_ds").keys("hr"))), "AlreadyExistsException");
        assertGlueError(() -> glue.createPartitionIndex(r -> r.databaseName("web").tableName("indexed").partitionIndex(i -> i.indexName("bad").keys("id"))), "InvalidInputException");
        assertGlueError(() -> glue.createPartitionIndex(r -> r.databaseName("web").tableName("indexed").partitionIndex(i -> i.indexName("bad").keys("amount"))), "InvalidInputException");
        glue.createPartitionIndex(r -> r.databaseName("web").tableName("indexed").partitionIndex(i -> i.indexName("by_hr").keys("hr")));
        assertGlueError(() -> glue.createPartitionIndex(r -> r.databaseName("web").tableName("indexed").partitionIndex(i -> i.indexName("fourth").keys("hr", "ds"))),
                "ResourceNumberLimitExceededException");
        glue.deletePartitionIndex(r -> r.databaseName("web").tableName("indexed").indexName("by_ds_hr"));
        assertGlueError(() -> glue.deletePartitionIndex(r -> r.databaseName("web").tableName("indexed").indexName("by_ds_hr")), "EntityNotFoundException");
        assertThat(glue.getPartitionIndexesPaginator(r -> r.databaseName("web").tableName("indexed")).stream()
                .flatMap(p -> p.partitionIndexDescriptorList().stream()).map(PartitionIndexDescriptor::indexName)).containsExactly("by_ds", "by_hr");
        assertGlueError(() -> glue.createTable(r -> r.databaseName("web").tableInput(externalTable("indexed2", location("indexed2"), List.of(column("ds", "string"))).build())
                .partitionIndexes(i -> i.indexName("x").keys("nokey"))), "InvalidInputException");
        assertGlueError(() -> glue.getTable(r -> r.databaseName("web").name("indexed2")), "EntityNotFoundException");
    }
}
