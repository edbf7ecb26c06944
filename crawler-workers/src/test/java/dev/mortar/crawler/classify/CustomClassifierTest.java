package dev.mortar.crawler.classify;

import dev.mortar.crawler.TestFiles;
import dev.mortar.crawler.classify.FormatFiles.Packing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.mortar.crawler.classify.ColumnarClassifierTest.classify;
import static dev.mortar.crawler.classify.ColumnarClassifierTest.columns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Custom classifiers: grok (standard and custom patterns, casts, the RegexSerDe it records), JSON paths, and their order before the built-ins. */
class CustomClassifierTest {
    @TempDir
    Path dir;

    private static final String ACCESS_LOG = """
            10.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326
            192.168.1.20 - - [10/Oct/2000:13:56:01 -0700] "POST /login HTTP/1.1" 302 -
            """;

    @Test
    void grokWithTheStandardLibraryGivesTheNamedFieldsAsColumns() throws IOException {
        Path f = TestFiles.text(dir.resolve("access.log"), ACCESS_LOG);
        GrokClassifier grok = new GrokClassifier("apache", "apache-access", "%{COMMONAPACHELOG}", null);
        Classification c = classify(grok, f).orElseThrow();
        assertThat(c.name()).isEqualTo("apache-access");
        assertThat(columns(c)).containsExactly("clientip string", "ident string", "auth string", "timestamp string", "verb string", "request string",
                "httpversion string", "rawrequest string", "response string", "bytes string");
        assertThat(c.serializationLibrary()).isEqualTo("org.apache.hadoop.hive.serde2.RegexSerDe");
        assertThat(c.tableParameters()).containsEntry("classification", "apache-access").containsEntry("grokPattern", "%{COMMONAPACHELOG}")
                .containsEntry("compressionType", "none");
        assertThat(c.explanation()).isEqualTo("custom grok classifier 'apache': all 2 sampled lines match %{COMMONAPACHELOG}; 10 named fields are the"
                + " columns; RegexSerDe with the pattern expanded to a regular expression");

        // RegexSerDe maps capturing group n to column n over whole lines: the recorded expression must do exactly that.
        Pattern regex = Pattern.compile(c.serdeParameters().get("input.regex"));
        Matcher m = regex.matcher(ACCESS_LOG.lines().findFirst().orElseThrow());
        assertThat(m.matches()).isTrue();
        assertThat(m.groupCount()).isEqualTo(c.columns().size());
        assertThat(List.of(m.group(1), m.group(3), m.group(4), m.group(5), m.group(6), m.group(9), m.group(10)))
                .containsExactly("10.0.0.1", "frank", "10/Oct/2000:13:55:36 -0700", "GET", "/apache_pb.gif", "200", "2326");
    }

    @Test
    void apacheAccessLogsAreRecognisedByTheBuiltIns() throws IOException {
        Path common = TestFiles.text(dir.resolve("common.log"), ACCESS_LOG);
        Path combined = TestFiles.text(dir.resolve("combined.log"), """
                127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.1" 200 512 "http://example.com/" "Mozilla/5.0 (X11)"
                127.0.0.2 - bob [10/Oct/2000:13:55:37 -0700] "GET /b HTTP/1.1" 404 - "-" "curl/8.0"
                """);
        Classification c = ColumnarClassifierTest.classifyBuiltIn(combined).orElseThrow();
        assertThat(c.name()).isEqualTo("combined_apache");
        assertThat(columns(c)).endsWith("response string", "bytes string", "referrer string", "agent string");
        assertThat(c.explanation()).startsWith("combined_apache: built-in grok classifier: all 2 sampled lines match %{COMBINEDAPACHELOG}");
        Classification a = ColumnarClassifierTest.classifyBuiltIn(common).orElseThrow();
        assertThat(a.name()).isEqualTo("apache");
        assertThat(a.serializationLibrary()).isEqualTo(GrokClassifier.SERDE);
        assertThat(columns(a)).hasSize(10);
    }

    @Test
    void grokCustomPatternsAndCastsGiveTypedColumns() throws IOException {
        Path f = FormatFiles.packed(dir.resolve("app"), """
                2024-05-01T10:00:00Z INFO ORD-0001 qty=3 took=1.5 ok=true
                2024-05-01T10:00:01Z WARN ORD-0002 qty=12 took=0.25 ok=false
                """, Packing.BZIP2);
        GrokClassifier grok = new GrokClassifier("orders", "app-log",
                "%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} %{ORDER_ID:order} qty=%{INT:qty:int} took=%{NUMBER:took:double} ok=%{WORD:ok:boolean}",
                "# order ids\nORDER_ID ORD-%{INT}\n");
        Classification c = classify(grok, f).orElseThrow();
        assertThat(columns(c)).containsExactly("ts string", "level string", "order string", "qty int", "took double", "ok boolean");
        assertThat(c.tableParameters()).containsEntry("compressionType", "bzip2").containsEntry("grokCustomPatterns", "# order ids\nORDER_ID ORD-%{INT}\n");
        Matcher m = Pattern.compile(c.serdeParameters().get("input.regex")).matcher("2024-05-01T10:00:00Z INFO ORD-0001 qty=3 took=1.5 ok=true");
        assertThat(m.matches()).isTrue();
        assertThat(List.of(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)))
                .containsExactly("2024-05-01T10:00:00Z", "INFO", "ORD-0001", "3", "1.5", "true");
    }

    @Test
    void grokRecognisesAFileOnlyWhenEveryLineMatches() throws IOException {
        Path f = TestFiles.text(dir.resolve("mixed.log"), ACCESS_LOG + "this line is not an access log line\n");
        assertThat(classify(new GrokClassifier("apache", "apache-access", "%{COMMONAPACHELOG}", ""), f)).isEmpty();
    }

    @Test
    void badGrokDefinitionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new GrokClassifier("g", "c", "%{NO_SUCH_PATTERN:x}", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not compile");
        assertThatThrownBy(() -> new GrokClassifier("g", "c", "%{INT}-%{WORD}", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no field");
        assertThatThrownBy(() -> new GrokClassifier("g", "c", "%{INT:n:decimal}", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown type");
        assertThatThrownBy(() -> new GrokClassifier("g", "c", "%{X:n}", "X")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not NAME followed by a regular expression");
    }

    @Test
    void captureOnlyKeepsOneGroupPerColumn() {
        assertThat(GrokClassifier.captureOnly("(?<name0>a(b)[(]\\(c)(?<name1>d)(?<!x)(?i:e)", java.util.Set.of("name1")))
                .isEqualTo("(?:a(?:b)[(]\\(c)(d)(?<!x)(?i:e)");
    }

    @Test
    void aJsonPathSelectsTheRecordsOfADocument() throws IOException {
        Path doc = TestFiles.text(dir.resolve("export.json"), """
                {"exported": "2024-05-01", "records": [
                  {"id": 1, "user": {"name": "ann"}, "tags": ["a"]},
                  {"id": 2, "user": {"name": "bob"}, "score": 2.5}
                ]}""");
        Classification c = classify(new JsonPathClassifier("exports", "$.records[*]"), doc).orElseThrow();
        assertThat(columns(c)).containsExactly("id bigint", "user struct<name:string>", "tags array<string>", "score double");
        assertThat(c.serializationLibrary()).isEqualTo(JsonClassifier.SERDE);
        assertThat(c.serdeParameters()).isEqualTo(Map.of("paths", "id,user,tags,score"));
        assertThat(c.tableParameters()).containsEntry("jsonPath", "$.records[*]").containsEntry("classification", "json");
        assertThat(c.explanation()).isEqualTo("custom JSON classifier 'exports': $.records[*] selects 2 records (all objects) in 1 document; 4 fields merged across them");
        // A top-level array, and a path that selects nothing or no objects.
        Path array = TestFiles.text(dir.resolve("array.json"), "[{\"a\": 1}, {\"a\": 2, \"b\": \"x\"}]");
        assertThat(columns(classify(new JsonPathClassifier("arr", "$[*]"), array).orElseThrow())).containsExactly("a bigint", "b string");
        assertThat(classify(new JsonPathClassifier("none", "$.missing[*]"), doc)).isEmpty();
        assertThat(classify(new JsonPathClassifier("scalars", "$.records[*].id"), doc)).isEmpty();
        assertThatThrownBy(() -> new JsonPathClassifier("bad", "records[*]")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start at the root");
    }

    @Test
    void customClassifiersComeBeforeTheBuiltInsInTheCrawlersOrder() throws IOException {
        Path f = TestFiles.text(dir.resolve("kv.txt"), "a,1\nb,2\n");
        List<Classifier> order = Classifiers.forCrawler(List.of(
                new CustomClassifier.Json("never", "$[*]"),
                new CustomClassifier.Grok("pairs", "pairs", "%{WORD:key},%{INT:value:long}", Optional.empty()),
                new CustomClassifier.Csv("csv", Optional.of(','), Optional.empty(), CsvClassifier.HeaderMode.ABSENT, List.of(), false, false,
                        CsvClassifier.SerdeChoice.AUTO)));
        assertThat(order).hasSize(3 + Classifiers.builtIn().size());
        Classification first = null;
        for (Classifier c : order) {
            Optional<Classification> found = classify(c, f);
            if (found.isPresent()) {
                first = found.get();
                break;
            }
        }
        assertThat(first).isNotNull();
        assertThat(first.name()).isEqualTo("pairs");
        assertThat(columns(first)).containsExactly("key string", "value bigint");
    }

    @Test
    void xmlClassifiersAreRefusedWithAClearReason() {
        CustomClassifier xml = new CustomClassifier.Xml("books", "xml", Optional.of("book"));
        assertThatThrownBy(() -> Classifiers.forCrawler(List.of(xml))).isInstanceOf(CustomClassifier.UnsupportedClassifierException.class)
                .hasMessageContaining("Custom XML classifier books cannot be used by crawls yet");
    }
}
