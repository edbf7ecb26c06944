package dev.mortar.crawler.classify;

import dev.mortar.catalog.Column;
import dev.mortar.crawler.TestFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in classifiers on files written to disk: what each recognises, the columns and types it infers. */
class ClassifierTest {
    @TempDir
    Path dir;

    private Optional<Classification> classify(Classifier classifier, Path file) throws IOException {
        Configuration conf = new Configuration();
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
        return classifier.classify(new SampledFile(FileSystem.getLocal(conf), path, conf));
    }

    private static List<Column> cols(String... nameTypes) {
        List<Column> out = new java.util.ArrayList<>();
        for (int i = 0; i < nameTypes.length; i += 2) {
            out.add(new Column(nameTypes[i], nameTypes[i + 1]));
        }
        return out;
    }

    @Test
    void csvWithHeaderInfersTypesFromTheRowsBelow() throws IOException {
        Path f = TestFiles.text(dir.resolve("a.csv"), """
                id,Price,active,day,seen at,name
                1,2.5,true,2024-01-02,2024-01-02 10:00:00,ann
                2,3,false,2024-01-03,2024-01-03T11:00:00.5,bob
                """);
        Classification c = classify(new CsvClassifier(), f).orElseThrow();
        assertThat(c.name()).isEqualTo("csv");
        assertThat(c.columns()).containsExactlyElementsOf(cols("id", "bigint", "price", "double", "active", "boolean", "day", "date",
                "seen_at", "timestamp", "name", "string"));
        assertThat(c.serializationLibrary()).isEqualTo("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
        assertThat(c.serdeParameters()).isEqualTo(Map.of("field.delim", ","));
        assertThat(c.tableParameters()).containsEntry("skip.header.line.count", "1").containsEntry("classification", "csv");
    }

    @Test
    void csvDetectsTheDelimiterAndNoHeaderWhenEveryColumnIsString() throws IOException {
        Path f = TestFiles.text(dir.resolve("b.txt"), "a|b|c\nd|e|f\ng|h|i\n");
        Classification c = classify(new CsvClassifier(), f).orElseThrow();
        assertThat(c.columns()).containsExactlyElementsOf(cols("col0", "string", "col1", "string", "col2", "string"));
        assertThat(c.serdeParameters()).isEqualTo(Map.of("field.delim", "|"));
        assertThat(c.tableParameters()).doesNotContainKey("skip.header.line.count");

        Path tabs = TestFiles.text(dir.resolve("t.tsv"), "k\tv\nx\t1\ny\t2\n");
        assertThat(classify(new CsvClassifier(), tabs).orElseThrow().serdeParameters()).isEqualTo(Map.of("field.delim", "\t"));
        Path semis = TestFiles.text(dir.resolve("s.csv"), "1;2\n3;4\n");
        Classification s = classify(new CsvClassifier(), semis).orElseThrow();
        assertThat(s.columns()).containsExactlyElementsOf(cols("col0", "bigint", "col1", "bigint"));
    }

    @Test
    void csvNeedsTwoColumnsAndTwoRows() throws IOException {
        assertThat(classify(new CsvClassifier(), TestFiles.text(dir.resolve("one-col.csv"), "a\nb\nc\n"))).isEmpty();
        assertThat(classify(new CsvClassifier(), TestFiles.text(dir.resolve("one-row.csv"), "a,b\n"))).isEmpty();
        assertThat(classify(new CsvClassifier(), TestFiles.text(dir.resolve("ragged.csv"), "a,b\nc,d,e\n"))).isEmpty();
    }

    @Test
    void jsonMergesTypesAcrossRecordsAndNestsObjectsAsStructs() throws IOException {
        Path f = TestFiles.text(dir.resolve("a.json"), """
                {"id": 1, "Name": "a", "score": 1, "tags": ["x"], "addr": {"city": "p", "zip": 1}, "maybe": null}
                {"id": 2, "name": "b", "score": 2.5, "tags": [], "addr": {"city": "q", "street": "s"}, "maybe": true, "late": "x"}
                """);
        Classification c = classify(new JsonClassifier(), f).orElseThrow();
        assertThat(c.columns()).containsExactlyElementsOf(cols("id", "bigint", "name", "string", "score", "double", "tags", "array<string>",
                "addr", "struct<city:string,zip:bigint,street:string>", "maybe", "boolean", "late", "string"));
        assertThat(c.serializationLibrary()).isEqualTo("org.openx.data.jsonserde.JsonSerDe");
        assertThat(c.tableParameters()).containsEntry("classification", "json").containsEntry("compressionType", "none");
        assertThat(classify(new JsonClassifier(), TestFiles.text(dir.resolve("csv.json"), "a,b\n1,2\n"))).isEmpty();
        assertThat(classify(new JsonClassifier(), TestFiles.text(dir.resolve("arr.json"), "[1,2]\n"))).isEmpty();
    }

    @Test
    void gzipIsReadTransparently() throws IOException {
        Path f = TestFiles.gzip(dir.resolve("data.gz"), "{\"a\": 1}\n{\"a\": 2}\n");
        Classification c = classify(new JsonClassifier(), f).orElseThrow();
        assertThat(c.columns()).containsExactly(new Column("a", "bigint"));
        assertThat(c.tableParameters()).containsEntry("compressionType", "gzip");
        Path csv = TestFiles.gzip(dir.resolve("c.csv.gz"), "x,y\n1,2\n");
        assertThat(classify(new CsvClassifier(), csv).orElseThrow().columns()).containsExactlyElementsOf(cols("x", "bigint", "y", "bigint"));
    }

    @Test
    void parquetColumnsComeFromTheFooterWithLogicalAndNestedTypes() throws IOException {
        Path f = dir.resolve("e.parquet");
        TestFiles.parquetEvents(f, 3);
        Classification c = classify(new ParquetClassifier(), f).orElseThrow();
        assertThat(c.columns()).containsExactlyElementsOf(cols("id", "bigint", "name", "string", "day", "date", "ts", "timestamp",
                "amount", "decimal(9,2)", "score", "double", "ok", "boolean", "small", "smallint",
                "address", "struct<city:string,zip:int>", "tags", "array<string>", "attrs", "map<string,bigint>"));
        assertThat(c.inputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
        assertThat(classify(new ParquetClassifier(), TestFiles.text(dir.resolve("x.csv"), "a,b\n1,2\n"))).isEmpty();
        // Parquet bytes are not mistaken for text.
        assertThat(classify(new CsvClassifier(), f)).isEmpty();
        assertThat(classify(new JsonClassifier(), f)).isEmpty();
    }
}
