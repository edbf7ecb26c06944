package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Database;
import software.amazon.awssdk.services.glue.model.DatabaseIdentifier;
import software.amazon.awssdk.services.glue.model.DatabaseInput;
import software.amazon.awssdk.services.glue.model.GetDatabasesResponse;
import software.amazon.awssdk.services.glue.model.UserDefinedFunctionInput;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;

/** CreateDatabase, GetDatabase, GetDatabases (pagination), UpdateDatabase, DeleteDatabase and database tags with the AWS SDK. */
class GlueDatabaseApiTest {
    static TestServer server;
    static GlueClient glue;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        glue = GlueClients.client(server);
    }

    @AfterAll
    static void stop() throws Exception {
        glue.close();
        server.close();
        server.deleteData();
    }

    @Test
    void databaseRoundTripsEveryField() {
        Instant before = Instant.now().minusSeconds(2);
        glue.createDatabase(r -> r.databaseInput(DatabaseInput.builder()
                .name("Sales").description("all sales").locationUri("file:///tmp/mortar-glue-sales")
                .parameters(Map.of("owner_team", "finance"))
                .targetDatabase(DatabaseIdentifier.builder().catalogId("123456789012").databaseName("remote").build())
                .build()));
        Database db = glue.getDatabase(r -> r.name("SALES")).database();
        assertThat(db.name()).isEqualTo("sales");
        assertThat(db.description()).isEqualTo("all sales");
        assertThat(db.locationUri()).isEqualTo("file:/tmp/mortar-glue-sales");
        assertThat(db.parameters()).containsExactlyEntriesOf(Map.of("owner_team", "finance"));
        assertThat(db.createTime()).isBetween(before, Instant.now().plusSeconds(2));
        assertThat(db.catalogId()).isEqualTo("000000000000");
        assertThat(db.targetDatabase().databaseName()).isEqualTo("remote");
        assertThat(db.createTableDefaultPermissions()).singleElement()
                .satisfies(p -> assertThat(p.principal().dataLakePrincipalIdentifier()).isEqualTo("IAM_ALLOWED_PRINCIPALS"));

        assertGlueError(() -> glue.createDatabase(r -> r.databaseInput(d -> d.name("sales"))), "AlreadyExistsException");
        // UpdateDatabase replaces the definition.
        glue.updateDatabase(r -> r.name("sales").databaseInput(d -> d.name("sales").parameters(Map.of("tier", "gold"))));
        Database updated = glue.getDatabase(r -> r.name("sales")).database();
        assertThat(updated.description()).isNull();
        assertThat(updated.parameters()).containsExactlyEntriesOf(Map.of("tier", "gold"));
        assertThat(updated.targetDatabase()).isNull();
        assertThat(updated.locationUri()).isEqualTo("file:/tmp/mortar-glue-sales");
        assertGlueError(() -> glue.updateDatabase(r -> r.name("sales").databaseInput(d -> d.name("sales2"))), "InvalidInputException");

        glue.deleteDatabase(r -> r.name("sales"));
        assertGlueError(() -> glue.getDatabase(r -> r.name("sales")), "EntityNotFoundException");
        assertGlueError(() -> glue.deleteDatabase(r -> r.name("sales")), "EntityNotFoundException");
        assertGlueError(() -> glue.updateDatabase(r -> r.name("sales").databaseInput(d -> d.name("sales"))), "EntityNotFoundException");
    }

    @Test
    void deleteDatabaseTakesItsTablesAndFunctionsButLeavesData() throws Exception {
        Path data = Files.createTempDirectory("mortar-glue-data");
        Files.writeString(data.resolve("part-0.parquet"), "data");
        glue.createDatabase(r -> r.databaseInput(d -> d.name("doomed")));
        glue.createTable(r -> r.databaseName("doomed").tableInput(GlueClients.externalTable("t", data.toUri().toString(), List.of()).build()));
        glue.createUserDefinedFunction(r -> r.databaseName("doomed").functionInput(UserDefinedFunctionInput.builder()
                .functionName("f").className("com.example.F").build()));
        glue.deleteDatabase(r -> r.name("doomed"));
        assertGlueError(() -> glue.getTable(r -> r.databaseName("doomed").name("t")), "EntityNotFoundException");
        assertThat(data.resolve("part-0.parquet")).exists();
        // A database of the same name starts empty.
        glue.createDatabase(r -> r.databaseInput(d -> d.name("doomed")));
        assertThat(glue.getTables(r -> r.databaseName("doomed")).tableList()).isEmpty();
        assertThat(glue.getUserDefinedFunctions(r -> r.databaseName("doomed").pattern("*")).userDefinedFunctions()).isEmpty();
        glue.deleteDatabase(r -> r.name("doomed"));
        assertGlueError(() -> glue.deleteDatabase(r -> r.name("default")), "InvalidInputException");
    }

    @Test
    void getDatabasesPagesWithStableTokens() {
        for (int i = 0; i < 7; i++) {
            int n = i;
            glue.createDatabase(r -> r.databaseInput(d -> d.name("page_" + n)));
        }
        Set<String> all = new HashSet<>();
        glue.getDatabasesPaginator(r -> r.maxResults(2)).stream().forEach(page -> {
            assertThat(page.databaseList()).hasSizeLessThanOrEqualTo(2);
            page.databaseList().forEach(d -> assertThat(all.add(d.name())).as("returned once: " + d.name()).isTrue());
        });
        assertThat(all).contains("default", "page_0", "page_6");

        // Databases created or dropped between pages do not shift the others.
        GetDatabasesResponse first = glue.getDatabases(r -> r.maxResults(3));
        List<String> seen = new ArrayList<>(first.databaseList().stream().map(Database::name).toList());
        glue.createDatabase(r -> r.databaseInput(d -> d.name("aaa_before_cursor")));
        glue.createDatabase(r -> r.databaseInput(d -> d.name("zzz_after_cursor")));
        String token = first.nextToken();
        while (token != null) {
            String t = token;
            GetDatabasesResponse page = glue.getDatabases(r -> r.maxResults(3).nextToken(t));
            page.databaseList().forEach(d -> seen.add(d.name()));
            token = page.nextToken();
        }
        assertThat(seen).doesNotHaveDuplicates().contains("default", "page_0", "page_6", "zzz_after_cursor").doesNotContain("aaa_before_cursor");

        assertThat(glue.getDatabases(r -> r.attributesToGetWithStrings("NAME")).databaseList())
                .allSatisfy(d -> assertThat(d.parameters()).isEmpty());
        assertThat(glue.getDatabases(r -> r.resourceShareType("FOREIGN")).databaseList()).isEmpty();
        assertGlueError(() -> glue.getDatabases(r -> r.maxResults(101)), "ValidationException");
        assertGlueError(() -> glue.getDatabases(r -> r.nextToken("not-a-token")), "InvalidInputException");
    }

    @Test
    void namesOutsideTheModelOrTheCatalogAreRefusedAndCreateNothing() {
        String tooLong = "d".repeat(256);
        assertGlueError(() -> glue.createDatabase(r -> r.databaseInput(d -> d.name(tooLong))), "ValidationException");
        // hyphens are names the Glue catalog takes (`my-database`); a semicolon is not
        assertGlueError(() -> glue.createDatabase(r -> r.databaseInput(d -> d.name("has;semicolon"))), "InvalidInputException");
        assertGlueError(() -> glue.createDatabase(r -> r.databaseInput(d -> d.name("ok").description("x".repeat(2049)))), "ValidationException");
        assertThat(glue.getDatabasesPaginator(r -> r.maxResults(100)).stream().flatMap(p -> p.databaseList().stream()).map(Database::name))
                .doesNotContain("has;semicolon", "ok");
    }

    @Test
    void hivesDefaultDatabaseIsListedAndCannotBeDeleted() {
        assertThat(glue.getDatabases(r -> { }).databaseList()).extracting(Database::name).contains("default");
        var e = assertGlueError(() -> glue.deleteDatabase(r -> r.name("default")), "InvalidInputException");
        assertThat(e.awsErrorDetails().errorMessage()).contains("default");
        assertThat(glue.getDatabase(r -> r.name("default")).database().name()).isEqualTo("default");
    }

    @Test
    void databasesKeepTheirTagsUntilDeleted() throws Exception {
        String arn = "arn:aws:glue:us-east-1:000000000000:database/";
        glue.createDatabase(r -> r.databaseInput(d -> d.name("Tagged-DB")).tags(Map.of("team", "data", "env", "dev")));
        assertThat(glue.getTags(r -> r.resourceArn(arn + "tagged-db")).tags()).isEqualTo(Map.of("team", "data", "env", "dev"));
        glue.tagResource(r -> r.resourceArn(arn + "Tagged-DB").tagsToAdd(Map.of("env", "prod", "cost", "42")));
        glue.untagResource(r -> r.resourceArn(arn + "tagged-db").tagsToRemove("team", "not-there"));
        assertThat(glue.getTags(r -> r.resourceArn(arn + "tagged-db")).tags()).isEqualTo(Map.of("env", "prod", "cost", "42"));
        // ARNs built without an account id or in another region name the same catalog
        assertThat(glue.getTags(r -> r.resourceArn("arn:aws:glue:eu-west-1::database/tagged-db")).tags()).containsEntry("cost", "42");

        assertGlueError(() -> glue.tagResource(r -> r.resourceArn(arn + "tagged-db").tagsToAdd(Map.of("aws:cost", "1"))), "InvalidInputException");
        assertGlueError(() -> glue.getTags(r -> r.resourceArn(arn + "no_such_db")), "EntityNotFoundException");
        assertGlueError(() -> glue.tagResource(r -> r.resourceArn(arn + "no_such_db").tagsToAdd(Map.of("a", "b"))), "EntityNotFoundException");
        // tables carry no tags in the service either; an ARN that is not Glue's is refused
        assertGlueError(() -> glue.getTags(r -> r.resourceArn("arn:aws:glue:us-east-1:000000000000:table/tagged-db/t")), "InvalidInputException");
        assertGlueError(() -> glue.getTags(r -> r.resourceArn("arn:aws:s3:::bucket")), "InvalidInputException");
        assertGlueError(() -> glue.getTags(r -> r.resourceArn(arn)), "InvalidInputException");
        // bad tags at creation create nothing
        assertGlueError(() -> glue.createDatabase(r -> r.databaseInput(d -> d.name("badly_tagged")).tags(Map.of("aws:team", "x"))), "InvalidInputException");
        assertGlueError(() -> glue.getDatabase(r -> r.name("badly_tagged")), "EntityNotFoundException");

        glue.deleteDatabase(r -> r.name("tagged-db"));
        assertGlueError(() -> glue.getTags(r -> r.resourceArn(arn + "tagged-db")), "EntityNotFoundException");
        glue.createDatabase(r -> r.databaseInput(d -> d.name("tagged-db")));
        assertThat(glue.getTags(r -> r.resourceArn(arn + "tagged-db")).tags()).isEmpty();

        // a database dropped through the HMS API and created again starts without tags too
        glue.tagResource(r -> r.resourceArn(arn + "tagged-db").tagsToAdd(Map.of("team", "data")));
        var hms = server.client();
        try {
            hms.dropDatabase("tagged-db");
        } finally {
            hms.close();
        }
        glue.createDatabase(r -> r.databaseInput(d -> d.name("tagged-db")));
        assertThat(glue.getTags(r -> r.resourceArn(arn + "tagged-db")).tags()).isEmpty();
        glue.deleteDatabase(r -> r.name("tagged-db"));
    }

    @Test
    void createTimeIsRecent() {
        glue.createDatabase(r -> r.databaseInput(d -> d.name("timely")));
        Instant created = glue.getDatabase(r -> r.name("timely")).database().createTime();
        assertThat(Duration.between(created, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
    }
}
