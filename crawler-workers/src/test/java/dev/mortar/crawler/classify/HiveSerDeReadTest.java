package dev.mortar.crawler.classify;

import dev.mortar.catalog.Column;
import dev.mortar.crawler.TestFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.serde2.AbstractSerDe;
import org.apache.hadoop.hive.serde2.OpenCSVSerde;
import org.apache.hadoop.hive.serde2.RegexSerDe;
import org.apache.hadoop.hive.serde2.avro.AvroGenericRecordWritable;
import org.apache.hadoop.hive.serde2.avro.AvroSerDe;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.hive.serde2.objectinspector.StructObjectInspector;
import org.apache.hadoop.io.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static dev.mortar.crawler.classify.ColumnarClassifierTest.classify;
import static org.assertj.core.api.Assertions.assertThat;

/** Hive's own SerDes, set up with the columns and SerDe parameters a classification records, read the classified lines as intended. */
class HiveSerDeReadTest {
    @TempDir
    Path dir;

    private static AbstractSerDe serde(AbstractSerDe serde, Classification c) throws Exception {
        Properties props = new Properties();
        props.setProperty("columns", String.join(",", c.columns().stream().map(Column::name).toList()));
        props.setProperty("columns.types", String.join(":", c.columns().stream().map(Column::type).toList()));
        props.setProperty("columns.comments", "\0".repeat(c.columns().size() - 1));
        c.serdeParameters().forEach(props::setProperty);
        serde.initialize(new Configuration(), props, null);
        return serde;
    }

    private static List<String> row(AbstractSerDe serde, String line) throws Exception {
        Object row = serde.deserialize(new Text(line));
        StructObjectInspector inspector = (StructObjectInspector) serde.getObjectInspector();
        List<String> values = new ArrayList<>();
        for (Object field : inspector.getStructFieldsDataAsList(row)) {
            values.add(field == null ? null : field.toString());
        }
        return values;
    }

    @Test
    void regexSerdeReadsAGrokClassifiedLineIntoTypedColumns() throws Exception {
        String line = "2024-05-01T10:00:00Z WARN ORD-0002 qty=12 took=0.25";
        Path f = TestFiles.text(dir.resolve("app.log"), line + "\n");
        Classification c = classify(new GrokClassifier("orders", "app-log",
                "%{TIMESTAMP_ISO8601:ts} %{LOGLEVEL:level} %{ORDER_ID:order} qty=%{INT:qty:int} took=%{NUMBER:took:double}", "ORDER_ID ORD-%{INT}"), f).orElseThrow();
        AbstractSerDe serde = serde(new RegexSerDe(), c);
        assertThat(row(serde, line)).containsExactly("2024-05-01T10:00:00Z", "WARN", "ORD-0002", "12", "0.25");
        assertThat(serde.deserialize(new Text("2024-05-01T10:00:00Z WARN ORD-0002 qty=12 took=0.25 and more"))).isNotNull();
    }

    @Test
    void regexSerdeReadsTheBuiltInApacheLog() throws Exception {
        String line = "127.0.0.1 - bob [10/Oct/2000:13:55:37 -0700] \"GET /b HTTP/1.1\" 404 - \"-\" \"curl/8.0\"";
        Path f = TestFiles.text(dir.resolve("access.log"), line + "\n");
        Classification c = ColumnarClassifierTest.classifyBuiltIn(f).orElseThrow();
        assertThat(c.name()).isEqualTo("combined_apache");
        assertThat(row(serde(new RegexSerDe(), c), line)).containsExactly("127.0.0.1", "-", "bob", "10/Oct/2000:13:55:37 -0700", "GET", "/b", "1.1",
                null, "404", null, "\"-\"", "\"curl/8.0\"");
    }

    @Test
    void avroSerdeDerivesTheSameColumnsFromTheLiteralAndReadsARecord() throws Exception {
        Path f = FormatFiles.avro(dir.resolve("orders.avro"), 2);
        Classification c = classify(new AvroClassifier(), f).orElseThrow();
        AbstractSerDe serde = serde(new AvroSerDe(), c);
        StructObjectInspector inspector = (StructObjectInspector) serde.getObjectInspector();
        List<String> hiveColumns = inspector.getAllStructFieldRefs().stream()
                .map(field -> field.getFieldName() + " " + field.getFieldObjectInspector().getTypeName()).toList();
        assertThat(hiveColumns).isEqualTo(ColumnarClassifierTest.columns(c));

        GenericRecord first;
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(f.toFile(), new GenericDatumReader<>())) {
            first = reader.next();
        }
        AvroGenericRecordWritable writable = new AvroGenericRecordWritable(first);
        writable.setFileSchema(FormatFiles.AVRO_SCHEMA);
        Object row = serde.deserialize(writable);
        List<Object> values = inspector.getStructFieldsDataAsList(row);
        assertThat(values.get(0)).hasToString("0");
        assertThat(values.get(2)).hasToString("c0");
    }

    @Test
    void openCsvSerdeReadsQuotedFieldsWithoutTheQuotes() throws Exception {
        Path f = TestFiles.text(dir.resolve("q.csv"), "id,name\n1,\"Smith, Ann\"\n2,\"Doe, Bob\"\n");
        Classification c = classify(new CsvClassifier(), f).orElseThrow();
        assertThat(c.serializationLibrary()).isEqualTo(OpenCSVSerde.class.getName());
        assertThat(row(serde(new OpenCSVSerde(), c), "1,\"Smith, Ann\"")).containsExactly("1", "Smith, Ann");
    }
}
