package dev.mortar.crawler.classify;

import dev.mortar.crawler.TestFiles;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.orc.CompressionKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Avro and ORC classifiers on files written by Avro's DataFileWriter and ORC's Writer, and the built-in order. */
class ColumnarClassifierTest {
    @TempDir
    Path dir;

    static Optional<Classification> classify(Classifier classifier, Path file) throws IOException {
        Configuration conf = new Configuration();
        return classifier.classify(new SampledFile(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(file.toUri()), conf));
    }

    static Optional<Classification> classifyBuiltIn(Path file) throws IOException {
        for (Classifier c : Classifiers.builtIn()) {
            Optional<Classification> found = classify(c, file);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    static List<String> columns(Classification c) {
        return c.columns().stream().map(col -> col.name() + " " + col.type()).toList();
    }

    @Test
    void avroColumnsComeFromTheWriterSchemaWithLogicalAndNestedTypes() throws IOException {
        Path file = FormatFiles.avro(dir.resolve("orders.avro"), 3);
        Classification c = classify(new AvroClassifier(), file).orElseThrow();
        assertThat(c.name()).isEqualTo("avro");
        assertThat(columns(c)).containsExactly("id bigint", "qty int", "customer string", "note string", "price decimal(10,2)", "day date",
                "created timestamp", "updated bigint", "ratio float", "score double", "paid boolean", "payload binary", "hash binary",
                "status string", "address struct<city:string,zip:int>", "tags array<string>", "attrs map<string,double>",
                "either uniontype<int,string>", "uuid string");
        assertThat(c.serializationLibrary()).isEqualTo("org.apache.hadoop.hive.serde2.avro.AvroSerDe");
        assertThat(c.inputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat");
        assertThat(c.outputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat");
        // The literal is the writer schema itself: Hive's AvroSerDe reads the files with it.
        assertThat(new Schema.Parser().parse(c.serdeParameters().get("avro.schema.literal"))).isEqualTo(FormatFiles.AVRO_SCHEMA);
        assertThat(c.tableParameters()).containsEntry("classification", "avro").containsEntry("avro.schema.literal", FormatFiles.AVRO_SCHEMA.toString());
        assertThat(c.explanation()).startsWith("avro: ").contains("shop.Order").contains("deflate");
    }

    @Test
    void avroFilesWithAnotherSchemaShareATableWithoutTheLiteral() throws IOException {
        Classification a = classify(new AvroClassifier(), FormatFiles.avro(dir.resolve("a.avro"), 1)).orElseThrow();
        Classification narrower = a.withColumns(a.columns().subList(0, 2));
        assertThat(a.compatibleWith(narrower)).isTrue();
        assertThat(narrower.serdeParameters()).doesNotContainKey("avro.schema.literal");
        assertThat(narrower.tableParameters()).doesNotContainKey("avro.schema.literal");
        assertThat(a.withColumns(a.columns()).serdeParameters()).containsKey("avro.schema.literal");
    }

    @Test
    void orcColumnsComeFromTheFooterSchemaWithNestedTypes() throws IOException {
        Path file = FormatFiles.orc(dir.resolve("part-0.orc"), 5, CompressionKind.ZSTD);
        Classification c = classify(new OrcClassifier(), file).orElseThrow();
        assertThat(c.name()).isEqualTo("orc");
        assertThat(columns(c)).containsExactly("id bigint", "name string", "price decimal(10,2)", "day date", "ts timestamp", "flag boolean",
                "tiny tinyint", "small smallint", "i int", "f float", "d double", "bin binary", "code char(3)", "label varchar(20)",
                "tags array<string>", "attrs map<string,int>", "addr struct<city:string,zip:int>", "u uniontype<int,string>");
        assertThat(c.serializationLibrary()).isEqualTo("org.apache.hadoop.hive.ql.io.orc.OrcSerde");
        assertThat(c.inputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.orc.OrcInputFormat");
        assertThat(c.outputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat");
        assertThat(c.serdeParameters()).isEqualTo(Map.of("serialization.format", "1"));
        assertThat(c.tableParameters()).containsEntry("classification", "orc").containsEntry("typeOfData", "file");
        assertThat(c.explanation()).startsWith("orc: ").contains("5 rows").contains("ZSTD");
    }

    @Test
    void eachBuiltInRecognisesOnlyItsOwnFormatWhateverTheFileName() throws IOException {
        Path avro = FormatFiles.avro(dir.resolve("x/data.parquet"), 1);
        Path orc = FormatFiles.orc(dir.resolve("x/data.avro"), 1, CompressionKind.ZLIB);
        Path parquet = dir.resolve("x/data.orc");
        TestFiles.parquetSimple(parquet, false);
        Path json = TestFiles.text(dir.resolve("x/data.csv"), "{\"a\": 1}\n{\"a\": 2}\n");
        Path csv = TestFiles.text(dir.resolve("x/data.json"), "a,b\n1,2\n");
        assertThat(classifyBuiltIn(avro).orElseThrow().name()).isEqualTo("avro");
        assertThat(classifyBuiltIn(orc).orElseThrow().name()).isEqualTo("orc");
        assertThat(classifyBuiltIn(parquet).orElseThrow().name()).isEqualTo("parquet");
        assertThat(classifyBuiltIn(json).orElseThrow().name()).isEqualTo("json");
        assertThat(classifyBuiltIn(csv).orElseThrow().name()).isEqualTo("csv");
        assertThat(classifyBuiltIn(parquet).orElseThrow().explanation()).isEqualTo("parquet: the file starts with the Parquet magic 'PAR1'; columns from the footer's schema (1 columns)");
        for (Classifier c : List.of(new AvroClassifier(), new OrcClassifier())) {
            assertThat(classify(c, json)).isEmpty();
            assertThat(classify(c, parquet)).isEmpty();
        }
        assertThat(Classifiers.builtIn()).extracting(c -> c.getClass().getSimpleName())
                .containsExactly("AvroClassifier", "OrcClassifier", "ParquetClassifier", "JsonClassifier", "GrokClassifier", "GrokClassifier", "CsvClassifier");
    }
}
