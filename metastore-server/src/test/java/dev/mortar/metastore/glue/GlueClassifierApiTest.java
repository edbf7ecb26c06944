package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Classifier;
import software.amazon.awssdk.services.glue.model.CsvClassifier;
import software.amazon.awssdk.services.glue.model.CsvHeaderOption;
import software.amazon.awssdk.services.glue.model.CsvSerdeOption;
import software.amazon.awssdk.services.glue.model.GrokClassifier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.mortar.metastore.glue.GlueClients.assertGlueError;
import static org.assertj.core.api.Assertions.assertThat;

/** CreateClassifier, GetClassifier(s), UpdateClassifier, DeleteClassifier through the AWS SDK's Glue client, with bad input. */
class GlueClassifierApiTest {
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
    void classifiersOfEveryKindAreCreatedReadUpdatedAndDeleted() {
        Instant before = Instant.now().minusSeconds(1);
        glue.createClassifier(r -> r.grokClassifier(g -> g.name("api-grok").classification("app-log")
                .grokPattern("%{TIMESTAMP_ISO8601:ts} %{ORDER:order}").customPatterns("ORDER ORD-%{INT}")));
        glue.createClassifier(r -> r.jsonClassifier(j -> j.name("api-json").jsonPath("$.records[*]")));
        glue.createClassifier(r -> r.csvClassifier(c -> c.name("api-csv").delimiter(";").quoteSymbol("'").containsHeader(CsvHeaderOption.PRESENT)
                .header("a", "b").disableValueTrimming(false).allowSingleColumn(true).customDatatypeConfigured(true).customDatatypes("INT")
                .serde(CsvSerdeOption.OPEN_CSV_SER_DE)));
        glue.createClassifier(r -> r.xmlClassifier(x -> x.name("api-xml").classification("books").rowTag("book")));

        GrokClassifier grok = glue.getClassifier(r -> r.name("api-grok")).classifier().grokClassifier();
        assertThat(grok.name()).isEqualTo("api-grok");
        assertThat(grok.classification()).isEqualTo("app-log");
        assertThat(grok.grokPattern()).isEqualTo("%{TIMESTAMP_ISO8601:ts} %{ORDER:order}");
        assertThat(grok.customPatterns()).isEqualTo("ORDER ORD-%{INT}");
        assertThat(grok.version()).isEqualTo(1L);
        assertThat(grok.creationTime()).isAfter(before);
        assertThat(grok.lastUpdated()).isEqualTo(grok.creationTime());

        CsvClassifier csv = glue.getClassifier(r -> r.name("api-csv")).classifier().csvClassifier();
        assertThat(csv.delimiter()).isEqualTo(";");
        assertThat(csv.quoteSymbol()).isEqualTo("'");
        assertThat(csv.containsHeader()).isEqualTo(CsvHeaderOption.PRESENT);
        assertThat(csv.header()).containsExactly("a", "b");
        assertThat(csv.disableValueTrimming()).isFalse();
        assertThat(csv.allowSingleColumn()).isTrue();
        assertThat(csv.customDatatypeConfigured()).isTrue();
        assertThat(csv.customDatatypes()).containsExactly("INT");
        assertThat(csv.serde()).isEqualTo(CsvSerdeOption.OPEN_CSV_SER_DE);
        assertThat(glue.getClassifier(r -> r.name("api-json")).classifier().jsonClassifier().jsonPath()).isEqualTo("$.records[*]");
        assertThat(glue.getClassifier(r -> r.name("api-xml")).classifier().xmlClassifier().rowTag()).isEqualTo("book");

        // Pages in name order, each classifier under its kind's member.
        List<Classifier> all = new ArrayList<>();
        glue.getClassifiersPaginator(r -> r.maxResults(3)).forEach(page -> all.addAll(page.classifiers()));
        assertThat(all).extracting(GlueClassifierApiTest::nameOf).contains("api-csv", "api-grok", "api-json", "api-xml").isSorted();

        // Update replaces the members given and keeps the others; the version grows.
        glue.updateClassifier(r -> r.csvClassifier(c -> c.name("api-csv").containsHeader(CsvHeaderOption.ABSENT)));
        CsvClassifier updated = glue.getClassifier(r -> r.name("api-csv")).classifier().csvClassifier();
        assertThat(updated.containsHeader()).isEqualTo(CsvHeaderOption.ABSENT);
        assertThat(updated.delimiter()).isEqualTo(";");
        assertThat(updated.version()).isEqualTo(2L);
        assertThat(updated.creationTime()).isEqualTo(csv.creationTime());
        assertThat(updated.lastUpdated()).isAfterOrEqualTo(csv.lastUpdated());
        glue.updateClassifier(r -> r.grokClassifier(g -> g.name("api-grok").grokPattern("%{WORD:word}")));
        assertThat(glue.getClassifier(r -> r.name("api-grok")).classifier().grokClassifier())
                .extracting(GrokClassifier::grokPattern, GrokClassifier::classification, GrokClassifier::version)
                .containsExactly("%{WORD:word}", "app-log", 2L);

        glue.deleteClassifier(r -> r.name("api-xml"));
        assertGlueError(() -> glue.getClassifier(r -> r.name("api-xml")), "EntityNotFoundException");
    }

    private static String nameOf(Classifier c) {
        if (c.grokClassifier() != null) {
            return c.grokClassifier().name();
        }
        if (c.jsonClassifier() != null) {
            return c.jsonClassifier().name();
        }
        if (c.csvClassifier() != null) {
            return c.csvClassifier().name();
        }
        return c.xmlClassifier().name();
    }

    @Test
    void badInputIsRefusedWithTheServiceErrorsAndChangesNothing() {
        glue.createClassifier(r -> r.jsonClassifier(j -> j.name("bad-existing").jsonPath("$[*]")));
        assertGlueError(() -> glue.createClassifier(r -> r.jsonClassifier(j -> j.name("bad-existing").jsonPath("$.x[*]"))), "AlreadyExistsException");
        assertThat(glue.getClassifier(r -> r.name("bad-existing")).classifier().jsonClassifier().jsonPath()).isEqualTo("$[*]");

        assertGlueError(() -> glue.createClassifier(r -> r.grokClassifier(g -> g.name("bad-grok").classification("x").grokPattern("%{NOPE:x}"))),
                "InvalidInputException");
        assertThat(assertGlueError(() -> glue.createClassifier(r -> r.grokClassifier(g -> g.name("bad-grok").classification("x").grokPattern("%{INT}"))),
                "InvalidInputException").getMessage()).contains("names no field");
        assertGlueError(() -> glue.createClassifier(r -> r.jsonClassifier(j -> j.name("bad-json").jsonPath("records"))), "InvalidInputException");
        assertThat(assertGlueError(() -> glue.createClassifier(r -> r.csvClassifier(c -> c.name("bad-csv").delimiter("\"").quoteSymbol("\""))),
                "InvalidInputException").getMessage()).contains("Delimiter and QuoteSymbol must differ");
        assertGlueError(() -> glue.createClassifier(r -> r.csvClassifier(c -> c.name("bad-csv").delimiter(",,"))), "ValidationException");
        assertGlueError(() -> glue.createClassifier(r -> r.grokClassifier(g -> g.name("bad-grok").grokPattern("%{INT:n}"))), "ValidationException");
        assertGlueError(() -> glue.createClassifier(r -> r.jsonClassifier(j -> j.name("bad-two").jsonPath("$[*]"))
                .csvClassifier(c -> c.name("bad-two"))), "InvalidInputException");
        assertGlueError(() -> glue.createClassifier(r -> { }), "InvalidInputException");
        for (String name : List.of("bad-grok", "bad-json", "bad-csv", "bad-two")) {
            assertGlueError(() -> glue.getClassifier(r -> r.name(name)), "EntityNotFoundException");
        }

        assertGlueError(() -> glue.updateClassifier(r -> r.jsonClassifier(j -> j.name("bad-missing").jsonPath("$[*]"))), "EntityNotFoundException");
        assertGlueError(() -> glue.updateClassifier(r -> r.csvClassifier(c -> c.name("bad-existing").delimiter(","))), "InvalidInputException");
        assertGlueError(() -> glue.updateClassifier(r -> r.jsonClassifier(j -> j.name("bad-existing").jsonPath("nope"))), "InvalidInputException");
        assertThat(glue.getClassifier(r -> r.name("bad-existing")).classifier().jsonClassifier())
                .extracting(c -> c.jsonPath(), c -> c.version()).containsExactly("$[*]", 1L);
        assertGlueError(() -> glue.deleteClassifier(r -> r.name("bad-missing")), "EntityNotFoundException");
        assertGlueError(() -> glue.getClassifier(r -> r.name("bad-missing")), "EntityNotFoundException");
    }
}
