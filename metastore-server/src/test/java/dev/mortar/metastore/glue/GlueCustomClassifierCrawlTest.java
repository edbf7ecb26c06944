package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.metastore.TestServer;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.OrcFile;
import org.apache.orc.TypeDescription;
import org.apache.orc.Writer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerHistoryState;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.CsvHeaderOption;
import software.amazon.awssdk.services.glue.model.LastCrawlStatus;
import software.amazon.awssdk.services.glue.model.S3Target;
import software.amazon.awssdk.services.glue.model.Table;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Crawls that use custom classifiers (grok over logs, a CSV classifier forcing the header) and the built-in Avro, ORC and compressed CSV. */
class GlueCustomClassifierCrawlTest {
    static TestServer server;
    static GlueClient glue;
    static final ObjectMapper JSON = new ObjectMapper();

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

    private static List<String> columns(List<Column> columns) {
        return columns.stream().map(c -> c.name() + " " + c.type()).toList();
    }

    private static Table table(String db, String name) {
        return glue.getTable(r -> r.databaseName(db).name(name)).table();
    }

    private static void crawler(String name, String database, Path dir, String... classifiers) {
        glue.createCrawler(r -> r.name(name).role("arn:aws:iam::123456789012:role/glue").databaseName(database).classifiers(classifiers)
                .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path(dir.toString()).build()).build()));
    }

    @Test
    void customClassifiersComeFirstAndBuiltInsTakeTheRest(@TempDir Path dir) throws Exception {
        GlueCrawlerDatasets.text(dir.resolve("applog/day=1/app.log"), """
                2024-05-01T10:00:00Z INFO ORD-0001 qty=3
                2024-05-01T10:00:01Z WARN ORD-0002 qty=12
                """);
        GlueCrawlerDatasets.gzip(dir.resolve("applog/day=2/app.log.1"), "2024-05-02T09:00:00Z ERROR ORD-0003 qty=1\n");
        GlueCrawlerDatasets.text(dir.resolve("names/names.csv"), "first,last\nann,smith\nbob,doe\n");
        GlueCrawlerDatasets.text(dir.resolve("plain/plain.csv"), "first,last\nann,smith\nbob,doe\n");
        bzip2(dir.resolve("sales/2024"), "id,amount\n1,2.5\n2,3\n");
        // Quoted fields in one file of a table: the whole table is read with OpenCSVSerde.
        GlueCrawlerDatasets.text(dir.resolve("contacts/a.tsv"), "id\tname\n1\tann\n2\tbob\n");
        GlueCrawlerDatasets.text(dir.resolve("contacts/b.tsv"), "id\tname\n3\t\"Doe\tBob\"\n4\teve\n");
        avro(dir.resolve("orders/part-0"));
        orc(dir.resolve("metrics/part-0"));

        GlueCrawlerDatasets.text(dir.resolve("exports/2024-05.json"), """
                {"exported": "2024-05-31", "records": [{"id": 1, "user": {"name": "ann"}}, {"id": 2, "user": {"name": "bob"}, "vip": true}]}""");
        glue.createClassifier(r -> r.jsonClassifier(j -> j.name("crawl-exports").jsonPath("$.records[*]")));
        glue.createClassifier(r -> r.grokClassifier(g -> g.name("crawl-applog").classification("app-log")
                .grokPattern("%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} %{ORDER_ID:order} qty=%{INT:qty:int}").customPatterns("ORDER_ID ORD-%{INT}")));
        // Forces the header of all-string files; other files fall through to the built-ins.
        glue.createClassifier(r -> r.csvClassifier(c -> c.name("crawl-names").delimiter(",").containsHeader(CsvHeaderOption.PRESENT)));
        crawler("custom", "custom", dir, "crawl-exports", "crawl-applog", "crawl-names");
        glue.startCrawler(r -> r.name("custom"));
        CrawlerHistory run = GlueCrawlerDatasets.awaitRuns(glue, "custom", 1).get(0);
        assertThat(run.state()).as(run.errorMessage()).isEqualTo(CrawlerHistoryState.COMPLETED);
        JsonNode summary = JSON.readTree(run.summary());
        assertThat(summary.get("Errors")).as(summary.toString()).isEmpty();
        assertThat(summary.get("TablesCreated")).extracting(JsonNode::asText).containsExactly("applog", "contacts", "exports", "metrics", "names", "orders", "plain", "sales");

        Table applog = table("custom", "applog");
        assertThat(applog.parameters()).containsEntry("classification", "app-log").containsEntry("compressionType", "none");
        assertThat(columns(applog.storageDescriptor().columns())).containsExactly("ts string", "level string", "order string", "qty int");
        assertThat(columns(applog.partitionKeys())).containsExactly("day int");
        assertThat(applog.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo("org.apache.hadoop.hive.serde2.RegexSerDe");
        assertThat(applog.storageDescriptor().inputFormat()).isEqualTo("org.apache.hadoop.mapred.TextInputFormat");
        String regex = applog.storageDescriptor().serdeInfo().parameters().get("input.regex");
        Matcher m = Pattern.compile(regex).matcher("2024-05-01T10:00:00Z INFO ORD-0001 qty=3");
        assertThat(m.matches()).isTrue();
        assertThat(List.of(m.group(1), m.group(2), m.group(3), m.group(4))).containsExactly("2024-05-01T10:00:00Z", "INFO", "ORD-0001", "3");

        // The custom CSV classifier gives names its header; its Delimiter fits plain too, so it takes plain as well.
        for (String name : List.of("names", "plain")) {
            Table t = table("custom", name);
            assertThat(columns(t.storageDescriptor().columns())).containsExactly("first string", "last string");
            assertThat(t.parameters()).containsEntry("skip.header.line.count", "1");
        }

        Table sales = table("custom", "sales");
        assertThat(columns(sales.storageDescriptor().columns())).containsExactly("id bigint", "amount double");
        assertThat(sales.parameters()).containsEntry("compressionType", "bzip2");
        assertThat(sales.storageDescriptor().compressed()).isTrue();

        Table exports = table("custom", "exports");
        assertThat(columns(exports.storageDescriptor().columns())).containsExactly("id bigint", "user struct<name:string>", "vip boolean");
        assertThat(exports.parameters()).containsEntry("classification", "json").containsEntry("jsonPath", "$.records[*]");
        assertThat(exports.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo("org.openx.data.jsonserde.JsonSerDe");

        Table contacts = table("custom", "contacts");
        assertThat(columns(contacts.storageDescriptor().columns())).containsExactly("id bigint", "name string");
        assertThat(contacts.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo("org.apache.hadoop.hive.serde2.OpenCSVSerde");
        assertThat(contacts.storageDescriptor().serdeInfo().parameters()).containsEntry("separatorChar", "\t").containsEntry("quoteChar", "\"");

        Table orders = table("custom", "orders");
        assertThat(orders.parameters()).containsEntry("classification", "avro");
        assertThat(columns(orders.storageDescriptor().columns())).containsExactly("id bigint", "note string", "day date", "tags array<string>");
        assertThat(orders.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo("org.apache.hadoop.hive.serde2.avro.AvroSerDe");
        assertThat(new Schema.Parser().parse(orders.storageDescriptor().serdeInfo().parameters().get("avro.schema.literal")).getName()).isEqualTo("Order");
        assertThat(orders.storageDescriptor().inputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat");

        Table metrics = table("custom", "metrics");
        assertThat(metrics.parameters()).containsEntry("classification", "orc");
        assertThat(columns(metrics.storageDescriptor().columns())).containsExactly("id bigint", "tags array<string>", "dims map<string,int>");
        assertThat(metrics.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo("org.apache.hadoop.hive.ql.io.orc.OrcSerde");

        // The same tables through the Hive Metastore API.
        try (var hms = server.client()) {
            var hive = hms.getTable("custom", "applog");
            assertThat(hive.getSd().getSerdeInfo().getSerializationLib()).isEqualTo("org.apache.hadoop.hive.serde2.RegexSerDe");
            assertThat(hive.getSd().getSerdeInfo().getParameters()).containsEntry("input.regex", regex);
            assertThat(hms.getTable("custom", "metrics").getSd().getInputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.orc.OrcInputFormat");
        }

        // Without the custom classifiers the all-string CSV loses its header, as the service's built-in rule says.
        crawler("builtin", "builtin", dir.resolve("names"));
        glue.startCrawler(r -> r.name("builtin"));
        assertThat(GlueCrawlerDatasets.awaitRuns(glue, "builtin", 1).get(0).state()).isEqualTo(CrawlerHistoryState.COMPLETED);
        assertThat(columns(table("builtin", "names").storageDescriptor().columns())).containsExactly("col0 string", "col1 string");
    }

    @Test
    void aMissingOrXmlClassifierFailsTheRunWithTheReason(@TempDir Path dir) throws Exception {
        GlueCrawlerDatasets.text(dir.resolve("t/a.csv"), "a,b\n1,2\n");
        crawler("missing", "missing", dir, "no-such-classifier");
        glue.startCrawler(r -> r.name("missing"));
        CrawlerHistory run = GlueCrawlerDatasets.awaitRuns(glue, "missing", 1).get(0);
        assertThat(run.state()).isEqualTo(CrawlerHistoryState.FAILED);
        assertThat(run.errorMessage()).contains("Classifier no-such-classifier named in the crawler's Classifiers does not exist");
        assertThat(glue.getCrawler(r -> r.name("missing")).crawler().lastCrawl().status()).isEqualTo(LastCrawlStatus.FAILED);

        glue.createClassifier(r -> r.xmlClassifier(x -> x.name("crawl-xml").classification("xml").rowTag("row")));
        crawler("xml", "xml", dir, "crawl-xml");
        glue.startCrawler(r -> r.name("xml"));
        run = GlueCrawlerDatasets.awaitRuns(glue, "xml", 1).get(0);
        assertThat(run.state()).isEqualTo(CrawlerHistoryState.FAILED);
        assertThat(run.errorMessage()).contains("Custom XML classifier crawl-xml cannot be used by crawls yet");
        // A refused run writes nothing, not even the database.
        GlueClients.assertGlueError(() -> glue.getDatabase(r -> r.name("xml")), "EntityNotFoundException");
        // The server keeps serving: the same crawler runs once the classifier is gone from its list.
        glue.updateCrawler(r -> r.name("xml").classifiers(List.of()));
        glue.startCrawler(r -> r.name("xml"));
        assertThat(GlueCrawlerDatasets.awaitRuns(glue, "xml", 2).get(0).state()).isEqualTo(CrawlerHistoryState.COMPLETED);
        assertThat(glue.getTables(r -> r.databaseName("xml")).tableList()).extracting(Table::name).containsExactly("t");
    }

    private static void bzip2(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new BZip2CompressorOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void avro(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "Order", "fields": [
                  {"name": "id", "type": "long"},
                  {"name": "note", "type": ["null", "string"], "default": null},
                  {"name": "day", "type": {"type": "int", "logicalType": "date"}},
                  {"name": "tags", "type": {"type": "array", "items": "string"}}]}""");
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
            writer.create(schema, file.toFile());
            GenericRecord r = new GenericData.Record(schema);
            r.put("id", 1L);
            r.put("note", "n");
            r.put("day", 19000);
            r.put("tags", List.of("a"));
            writer.append(r);
        }
    }

    private static void orc(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        TypeDescription schema = TypeDescription.fromString("struct<id:bigint,tags:array<string>,dims:map<string,int>>");
        try (Writer writer = OrcFile.createWriter(new org.apache.hadoop.fs.Path(file.toUri()), OrcFile.writerOptions(new Configuration()).setSchema(schema)
                .compress(org.apache.orc.CompressionKind.SNAPPY))) {
            VectorizedRowBatch batch = schema.createRowBatch();
            for (int i = 1; i < batch.cols.length; i++) {
                batch.cols[i].noNulls = false;
                java.util.Arrays.fill(batch.cols[i].isNull, true);
            }
            ((LongColumnVector) batch.cols[0]).vector[0] = 7;
            batch.size = 1;
            writer.addRowBatch(batch);
        }
    }
}
