package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.ConcurrentModificationException;
import software.amazon.awssdk.services.glue.model.GetTablesResponse;
import software.amazon.awssdk.services.glue.model.Order;
import software.amazon.awssdk.services.glue.model.PropertyPredicate;
import software.amazon.awssdk.services.glue.model.SerDeInfo;
import software.amazon.awssdk.services.glue.model.SkewedInfo;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableIdentifier;
import software.amazon.awssdk.services.glue.model.TableInput;
import software.amazon.awssdk.services.glue.model.TableVersion;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static dev.mortar.metastore.glue.GlueClients.column;
import static dev.mortar.metastore.glue.GlueClients.externalTable;
import static org.assertj.core.api.Assertions.assertThat;

/** Tables through the AWS SDK: every field, listing, versions and their compare-and-swap, deletes, search. */
class GlueTableApiTest {
    static TestServer server;
    static GlueClient glue;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        glue = GlueClients.client(server);
        glue.createDatabase(r -> r.databaseInput(d -> d.name("shop")));
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

    /** The input a client would send to write back a table it read. */
    private static TableInput inputOf(Table t) {
        return TableInput.builder().name(t.name()).description(t.description()).owner(t.owner()).lastAccessTime(t.lastAccessTime())
                .retention(t.retention()).storageDescriptor(t.storageDescriptor()).partitionKeys(t.partitionKeys())
                .viewOriginalText(t.viewOriginalText()).viewExpandedText(t.viewExpandedText()).tableType(t.tableType())
                .parameters(t.parameters()).targetTable(t.targetTable()).build();
    }

    /** The service's words for a missing table ("Table X not found."), whichever operation meets it; a missing database is named as such. */
    @Test
    void aMissingTableIsReportedAsTheServiceReportsIt() {
        String notFound = "Table nope not found.";
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = List.of(
                () -> glue.getTable(r -> r.databaseName("shop").name("Nope")),
                () -> glue.deleteTable(r -> r.databaseName("shop").name("nope")),
                () -> glue.updateTable(r -> r.databaseName("shop").tableInput(t -> t.name("nope"))),
                () -> glue.getTableVersions(r -> r.databaseName("shop").tableName("nope")),
                () -> glue.getTableVersion(r -> r.databaseName("shop").tableName("nope")),
                () -> glue.getPartitions(r -> r.databaseName("shop").tableName("nope")),
                () -> glue.getPartition(r -> r.databaseName("shop").tableName("nope").partitionValues("a")),
                () -> glue.createPartition(r -> r.databaseName("shop").tableName("nope").partitionInput(p -> p.values("a"))),
                () -> glue.batchCreatePartition(r -> r.databaseName("shop").tableName("nope").partitionInputList(p -> p.values("a"))),
                () -> glue.batchGetPartition(r -> r.databaseName("shop").tableName("nope").partitionsToGet(v -> v.values("a"))),
                () -> glue.getPartitionIndexes(r -> r.databaseName("shop").tableName("nope")),
                () -> glue.getColumnStatisticsForTable(r -> r.databaseName("shop").tableName("nope").columnNames("id")));
        for (var call : calls) {
            var e = assertGlueError(call, "EntityNotFoundException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(notFound);
        }
        assertThat(assertGlueError(() -> glue.getTable(r -> r.databaseName("nowhere").name("nope")), "EntityNotFoundException")
                .awsErrorDetails().errorMessage()).isEqualTo("Database nowhere not found.");
    }

    @Test
    void tableRoundTripsEveryField() {
        Instant lastAccess = Instant.parse("2024-05-01T10:00:00Z");
        StorageDescriptor sd = StorageDescriptor.builder()
                .columns(Column.builder().name("Id").type("bigint").comment("key").parameters(Map.of("iceberg.field.id", "1")).build(),
                        column("payload", "struct<a:int,b:array<string>>"))
                .location(location("events"))
                .additionalLocations(location("events-extra"))
                .inputFormat("org.apache.hadoop.mapred.TextInputFormat")
                .outputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat")
                .compressed(true)
                .numberOfBuckets(4)
                .serdeInfo(SerDeInfo.builder().name("lazy").serializationLibrary("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe")
                        .parameters(Map.of("field.delim", ",")).build())
                .bucketColumns("id")
                .sortColumns(Order.builder().column("id").sortOrder(1).build())
                .parameters(Map.of("sd.param", "v"))
                .skewedInfo(SkewedInfo.builder().skewedColumnNames("id").skewedColumnValues("1$7", "2$42")
                        .skewedColumnValueLocationMaps(Map.of("1$7", location("events") + "/id=7")).build())
                .storedAsSubDirectories(true)
                .build();
        TableInput input = TableInput.builder()
                .name("Events").description("click events").owner("analytics").lastAccessTime(lastAccess).retention(30)
                .storageDescriptor(sd)
                .partitionKeys(Column.builder().name("ds").type("string").parameters(Map.of("k", "v")).build())
                .tableType("EXTERNAL_TABLE")
                .parameters(Map.of("classification", "csv", "comment", "events of the shop"))
                .targetTable(TableIdentifier.builder().catalogId("123456789012").databaseName("other").name("events").build())
                .build();
        Instant before = Instant.now().minusSeconds(2);
        glue.createTable(r -> r.databaseName("SHOP").tableInput(input));
        Table t = glue.getTable(r -> r.databaseName("shop").name("EVENTS")).table();
        assertThat(t.name()).isEqualTo("events");
        assertThat(t.databaseName()).isEqualTo("shop");
        assertThat(t.description()).isEqualTo("click events");
        assertThat(t.owner()).isEqualTo("analytics");
        assertThat(t.lastAccessTime()).isEqualTo(lastAccess);
        assertThat(t.retention()).isEqualTo(30);
        assertThat(t.tableType()).isEqualTo("EXTERNAL_TABLE");
        assertThat(t.parameters()).containsExactlyInAnyOrderEntriesOf(Map.of("classification", "csv", "comment", "events of the shop",
                "transient_lastDdlTime", t.parameters().get("transient_lastDdlTime")));
        assertThat(t.targetTable().databaseName()).isEqualTo("other");
        assertThat(t.createTime()).isAfter(before);
        assertThat(t.updateTime()).isAfter(before);
        assertThat(t.versionId()).isEqualTo("0");
        assertThat(t.catalogId()).isEqualTo("000000000000");
        assertThat(t.isRegisteredWithLakeFormation()).isFalse();
        assertThat(t.partitionKeys()).containsExactly(Column.builder().name("ds").type("string").parameters(Map.of("k", "v")).build());
        StorageDescriptor got = t.storageDescriptor();
        assertThat(got.columns()).containsExactly(
                Column.builder().name("id").type("bigint").comment("key").parameters(Map.of("iceberg.field.id", "1")).build(),
                column("payload", "struct<a:int,b:array<string>>"));
        assertThat(got.location()).isEqualTo(sd.location().replace("file:///", "file:/"));
        assertThat(got.toBuilder().columns(sd.columns()).location(sd.location()).build()).isEqualTo(sd.toBuilder()
                .columns(sd.columns()).build());

        // A view, and a table whose client sent no type: both read back as sent.
        glue.createTable(r -> r.databaseName("shop").tableInput(TableInput.builder().name("v_events").tableType("VIRTUAL_VIEW")
                .viewOriginalText("select * from events").viewExpandedText("select `events`.`id` from `shop`.`events`")
                .storageDescriptor(StorageDescriptor.builder().columns(column("id", "bigint")).build()).build()));
        Table view = glue.getTable(r -> r.databaseName("shop").name("v_events")).table();
        assertThat(view.viewOriginalText()).isEqualTo("select * from events");
        assertThat(view.viewExpandedText()).isEqualTo("select `events`.`id` from `shop`.`events`");
        assertThat(view.tableType()).isEqualTo("VIRTUAL_VIEW");
        glue.createTable(r -> r.databaseName("shop").tableInput(TableInput.builder().name("untyped")
                .storageDescriptor(StorageDescriptor.builder().columns(column("a", "int")).location(location("untyped")).build()).build()));
        Table untyped = glue.getTable(r -> r.databaseName("shop").name("untyped")).table();
        assertThat(untyped.tableType()).isNull();
        assertThat(untyped.parameters()).doesNotContainKey("EXTERNAL");
        assertThat(untyped.storageDescriptor().serdeInfo()).isNull();
    }

    @Test
    void createAndDeleteErrorsChangeNothing() {
        assertGlueError(() -> glue.createTable(r -> r.databaseName("nowhere").tableInput(externalTable("t", location("t"), List.of()).build())),
                "EntityNotFoundException");
        glue.createTable(r -> r.databaseName("shop").tableInput(externalTable("dup", location("dup"), List.of()).build()));
        assertGlueError(() -> glue.createTable(r -> r.databaseName("shop").tableInput(externalTable("dup", location("dup2"), List.of()).build())),
                "AlreadyExistsException");
        assertThat(glue.getTable(r -> r.databaseName("shop").name("dup")).table().storageDescriptor().location()).endsWith("/dup");
        assertGlueError(() -> glue.createTable(r -> r.databaseName("shop").tableInput(externalTable("t".repeat(256), location("x"), List.of()).build())),
                "ValidationException");
        assertGlueError(() -> glue.createTable(r -> r.databaseName("shop").tableInput(TableInput.builder().name("no_type_col")
                .storageDescriptor(StorageDescriptor.builder().columns(column("a", "int"), column("A", "int")).build()).build())), "InvalidInputException");
        assertGlueError(() -> glue.getTable(r -> r.databaseName("shop").name("no_type_col")), "EntityNotFoundException");
        assertGlueError(() -> glue.deleteTable(r -> r.databaseName("shop").name("never")), "EntityNotFoundException");
        glue.deleteTable(r -> r.databaseName("shop").name("dup"));
        assertGlueError(() -> glue.getTable(r -> r.databaseName("shop").name("dup")), "EntityNotFoundException");
    }

    @Test
    void getTablesFiltersByExpressionAndPages() {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("listing")));
        List<String> names = List.of("alpha", "alpine", "beta", "gamma", "gamut", "delta", "epsilon");
        for (String n : names) {
            glue.createTable(r -> r.databaseName("listing").tableInput(externalTable(n, location("listing-" + n), List.of()).build()));
        }
        List<String> seen = new ArrayList<>();
        glue.getTablesPaginator(r -> r.databaseName("listing").maxResults(2)).stream().forEach(page -> {
            assertThat(page.tableList()).hasSizeLessThanOrEqualTo(2);
            page.tableList().forEach(t -> {
                assertThat(t.versionId()).isEqualTo("0");
                seen.add(t.name());
            });
        });
        assertThat(seen).containsExactly("alpha", "alpine", "beta", "delta", "epsilon", "gamma", "gamut");
        assertThat(glue.getTables(r -> r.databaseName("listing").expression("al.*")).tableList()).extracting(Table::name).containsExactly("alpha", "alpine");
        assertThat(glue.getTables(r -> r.databaseName("listing").expression("gam*|beta")).tableList()).extracting(Table::name).containsExactly("beta", "gamma", "gamut");
        assertThat(glue.getTables(r -> r.databaseName("listing").expression("^(beta|delta)$")).tableList()).extracting(Table::name).containsExactly("beta", "delta");
        GetTablesResponse names2 = glue.getTables(r -> r.databaseName("listing").attributesToGetWithStrings("NAME", "TABLE_TYPE").maxResults(3));
        assertThat(names2.tableList()).extracting(Table::name).containsExactly("alpha", "alpine", "beta");
        assertThat(names2.tableList()).allSatisfy(t -> {
            assertThat(t.tableType()).isEqualTo("EXTERNAL_TABLE");
            assertThat(t.storageDescriptor()).isNull();
        });
        // Paging with a filter, and tables created between pages.
        GetTablesResponse first = glue.getTables(r -> r.databaseName("listing").expression("(alp|gam|ep).*").maxResults(2));
        assertThat(first.tableList()).extracting(Table::name).containsExactly("alpha", "alpine");
        glue.createTable(r -> r.databaseName("listing").tableInput(externalTable("alp_new", location("listing-alp_new"), List.of()).build()));
        GetTablesResponse second = glue.getTables(r -> r.databaseName("listing").expression("(alp|gam|ep).*").maxResults(2).nextToken(first.nextToken()));
        assertThat(second.tableList()).extracting(Table::name).containsExactly("epsilon", "gamma");
        assertGlueError(() -> glue.getTables(r -> r.databaseName("nowhere")), "EntityNotFoundException");
        assertGlueError(() -> glue.getTables(r -> r.databaseName("listing").maxResults(0)), "ValidationException");
        assertGlueError(() -> glue.getTables(r -> r.databaseName("listing").expression("x".repeat(2049))), "ValidationException");
    }

    @Test
    void updateTableKeepsVersionsAndHonoursSkipArchive() {
        glue.createTable(r -> r.databaseName("shop").tableInput(externalTable("orders", location("orders"), List.of(column("ds", "string"))).build()));
        Table v0 = glue.getTable(r -> r.databaseName("shop").name("orders")).table();
        Map<String, String> params = new HashMap<>(v0.parameters());
        params.put("step", "1");
        glue.updateTable(r -> r.databaseName("shop").tableInput(inputOf(v0).toBuilder().parameters(params).description("first").build()).versionId("0"));
        Table v1 = glue.getTable(r -> r.databaseName("shop").name("orders")).table();
        assertThat(v1.versionId()).isEqualTo("1");
        assertThat(v1.description()).isEqualTo("first");
        assertThat(v1.parameters()).containsEntry("step", "1");
        assertThat(v1.createTime()).isEqualTo(v0.createTime());

        params.put("step", "2");
        glue.updateTable(r -> r.databaseName("shop").tableInput(inputOf(v1).toBuilder().parameters(params).build()));
        params.put("step", "3");
        glue.updateTable(r -> r.databaseName("shop").tableInput(inputOf(v1).toBuilder().parameters(params).build()).skipArchive(true));
        Table v3 = glue.getTable(r -> r.databaseName("shop").name("orders")).table();
        assertThat(v3.versionId()).isEqualTo("3");
        assertThat(v3.parameters()).containsEntry("step", "3");
        // Version 2 was not archived by the update that replaced it.
        List<TableVersion> versions = glue.getTableVersionsPaginator(r -> r.databaseName("shop").tableName("orders").maxResults(1)).stream()
                .flatMap(p -> p.tableVersions().stream()).toList();
        assertThat(versions).extracting(TableVersion::versionId).containsExactly("3", "1", "0");
        assertThat(versions.get(1).table().parameters()).containsEntry("step", "1");
        assertThat(versions.get(1).table().versionId()).isEqualTo("1");
        assertThat(versions.get(2).table().parameters()).doesNotContainKey("step");

        assertThat(glue.getTableVersion(r -> r.databaseName("shop").tableName("orders").versionId("1")).tableVersion().table().description()).isEqualTo("first");
        assertThat(glue.getTableVersion(r -> r.databaseName("shop").tableName("orders")).tableVersion().versionId()).isEqualTo("3");
        assertGlueError(() -> glue.getTableVersion(r -> r.databaseName("shop").tableName("orders").versionId("2")), "EntityNotFoundException");
        assertGlueError(() -> glue.deleteTableVersion(r -> r.databaseName("shop").tableName("orders").versionId("3")), "InvalidInputException");
        glue.deleteTableVersion(r -> r.databaseName("shop").tableName("orders").versionId("0"));
        var errors = glue.batchDeleteTableVersion(r -> r.databaseName("shop").tableName("orders").versionIds("1", "0", "3", "x")).errors();
        assertThat(errors).extracting(e -> e.versionId() + ":" + e.errorDetail().errorCode())
                .containsExactly("0:EntityNotFoundException", "3:InvalidInputException", "x:InvalidInputException");
        assertThat(glue.getTableVersions(r -> r.databaseName("shop").tableName("orders")).tableVersions()).extracting(TableVersion::versionId).containsExactly("3");

        // Partition keys cannot change, and renames are refused; neither changes the table.
        assertGlueError(() -> glue.updateTable(r -> r.databaseName("shop").tableInput(inputOf(v3).toBuilder().partitionKeys(column("dt", "date")).build())),
                "InvalidInputException");
        assertGlueError(() -> glue.updateTable(r -> r.databaseName("shop").name("orders").tableInput(inputOf(v3).toBuilder().name("orders2").build())),
                "InvalidInputException");
        assertGlueError(() -> glue.updateTable(r -> r.databaseName("shop").tableInput(inputOf(v3).toBuilder().name("missing").build())), "EntityNotFoundException");
        assertThat(glue.getTable(r -> r.databaseName("shop").name("orders")).table()).isEqualTo(v3);
    }

    @Test
    void staleVersionIdIsAConcurrentModificationAndChangesNothing() throws Exception {
        glue.createTable(r -> r.databaseName("shop").tableInput(externalTable("ledger", location("ledger"), List.of()).build()));
        Table base = glue.getTable(r -> r.databaseName("shop").name("ledger")).table();
        Map<String, String> first = new HashMap<>(base.parameters());
        first.put("metadata_location", "m1");
        glue.updateTable(r -> r.databaseName("shop").tableInput(inputOf(base).toBuilder().parameters(first).build()).versionId(base.versionId()));
        Table after = glue.getTable(r -> r.databaseName("shop").name("ledger")).table();
        Map<String, String> stale = new HashMap<>(base.parameters());
        stale.put("metadata_location", "stale");
        assertGlueError(() -> glue.updateTable(r -> r.databaseName("shop").tableInput(inputOf(base).toBuilder().parameters(stale).build())
                .versionId(base.versionId())), "ConcurrentModificationException");
        assertThat(glue.getTable(r -> r.databaseName("shop").name("ledger")).table()).isEqualTo(after);
        assertThat(glue.getTableVersions(r -> r.databaseName("shop").tableName("ledger")).tableVersions()).hasSize(2);

        // Eight writers race from the same version: exactly one wins, the others lose cleanly.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int writer = i;
            results.add(pool.submit(() -> {
                try (GlueClient own = GlueClients.client(server)) {
                    Map<String, String> p = new HashMap<>(after.parameters());
                    p.put("metadata_location", "writer-" + writer);
                    own.updateTable(r -> r.databaseName("shop").tableInput(inputOf(after).toBuilder().parameters(p).build()).versionId(after.versionId()));
                    return true;
                } catch (ConcurrentModificationException e) {
                    return false;
                }
            }));
        }
        int winners = 0;
        for (Future<Boolean> f : results) {
            winners += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(winners).isEqualTo(1);
        Table won = glue.getTable(r -> r.databaseName("shop").name("ledger")).table();
        assertThat(won.versionId()).isEqualTo("2");
        assertThat(won.parameters().get("metadata_location")).startsWith("writer-");
    }

    @Test
    void batchDeleteTableReportsEachMissingTable() {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("batchdel")));
        for (String n : List.of("a", "b", "c")) {
            glue.createTable(r -> r.databaseName("batchdel").tableInput(externalTable(n, location("batchdel-" + n), List.of()).build()));
        }
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(i == 0 ? "a" : "t" + i);
        }
        assertGlueError(() -> glue.batchDeleteTable(r -> r.databaseName("batchdel").tablesToDelete(tooMany)), "ValidationException");
        assertThat(glue.getTables(r -> r.databaseName("batchdel")).tableList()).hasSize(3);
        var errors = glue.batchDeleteTable(r -> r.databaseName("batchdel").tablesToDelete("a", "missing", "c")).errors();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.tableName()).isEqualTo("missing");
            assertThat(e.errorDetail().errorCode()).isEqualTo("EntityNotFoundException");
        });
        assertThat(glue.getTables(r -> r.databaseName("batchdel")).tableList()).extracting(Table::name).containsExactly("b");
        assertGlueError(() -> glue.batchDeleteTable(r -> r.databaseName("nowhere").tablesToDelete("b")), "EntityNotFoundException");
    }

    @Test
    void searchTablesMatchesTextAndFiltersAndPages() {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("search_a")));
        glue.createDatabase(r -> r.databaseInput(d -> d.name("search_b")));
        glue.createTable(r -> r.databaseName("search_a").tableInput(externalTable("customer_orders", location("s1"), List.of())
                .description("orders placed by customers").parameters(Map.of("classification", "parquet", "team", "sales")).build()));
        glue.createTable(r -> r.databaseName("search_b").tableInput(externalTable("customer_profiles", location("s2"), List.of())
                .parameters(Map.of("classification", "json", "team", "crm")).build()));
        glue.createTable(r -> r.databaseName("search_b").tableInput(externalTable("inventory", location("s3"), List.of())
                .parameters(Map.of("classification", "parquet", "team", "ops")).build()));
        assertThat(glue.searchTables(r -> r.searchText("customer")).tableList()).extracting(t -> t.databaseName() + "." + t.name())
                .containsExactly("search_a.customer_orders", "search_b.customer_profiles");
        assertThat(glue.searchTables(r -> r.searchText("placed by")).tableList()).extracting(Table::name).containsExactly("customer_orders");
        assertThat(glue.searchTables(r -> r.filters(PropertyPredicate.builder().key("classification").value("parquet").build())
                .searchText("customer")).tableList()).extracting(Table::name).containsExactly("customer_orders");
        assertThat(glue.searchTables(r -> r.searchText("\"customer\"")).tableList()).isEmpty();
        assertThat(glue.searchTables(r -> r.filters(PropertyPredicate.builder().key("DatabaseName").value("search_b").build(),
                PropertyPredicate.builder().key("classification").value("parquet").build())).tableList()).extracting(Table::name).containsExactly("inventory");
        assertThat(glue.searchTables(r -> r.filters(PropertyPredicate.builder().key("CreateTime").value("0").comparator("GREATER_THAN").build(),
                PropertyPredicate.builder().key("team").value("crm").build())).tableList()).extracting(Table::name).containsExactly("customer_profiles");
        List<String> sorted = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            var page = glue.searchTables(r -> r.filters(PropertyPredicate.builder().key("DatabaseName").value("search").build())
                    .sortCriteria(c -> c.fieldName("Name").sort("DESC")).maxResults(1).nextToken(t));
            page.tableList().forEach(x -> sorted.add(x.name()));
            token = page.nextToken();
        } while (token != null);
        assertThat(sorted).containsExactly("inventory", "customer_profiles", "customer_orders");
        assertGlueError(() -> glue.searchTables(r -> r.maxResults(1001)), "ValidationException");
    }
}
