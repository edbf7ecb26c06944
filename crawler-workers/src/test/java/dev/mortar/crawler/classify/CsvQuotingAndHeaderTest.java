package dev.mortar.crawler.classify;

import dev.mortar.crawler.TestFiles;
import dev.mortar.crawler.classify.CsvClassifier.HeaderMode;
import dev.mortar.crawler.classify.CsvClassifier.SerdeChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mortar.crawler.classify.ColumnarClassifierTest.classify;
import static dev.mortar.crawler.classify.ColumnarClassifierTest.columns;
import static org.assertj.core.api.Assertions.assertThat;

/** CSV: quoted fields and the SerDe they need, header decisions (detected or forced by a custom classifier), and their explanations. */
class CsvQuotingAndHeaderTest {
    @TempDir
    Path dir;

    private static CustomClassifier.Csv custom(Optional<Character> delimiter, HeaderMode header, List<String> names, boolean allowSingle, SerdeChoice serde) {
        return new CustomClassifier.Csv("people", delimiter, Optional.empty(), header, names, false, allowSingle, serde);
    }

    @Test
    void quotedFieldsGetOpenCsvSerdeWithTheSeparatorAndQuote() throws IOException {
        Path f = TestFiles.text(dir.resolve("q.csv"), """
                "id","name","city"
                1,"Smith, Ann","Paris"
                2,"Doe, Bob","Rome"
                """);
        Classification c = classify(new CsvClassifier(), f).orElseThrow();
        assertThat(columns(c)).containsExactly("id bigint", "name string", "city string");
        assertThat(c.serializationLibrary()).isEqualTo("org.apache.hadoop.hive.serde2.OpenCSVSerde");
        assertThat(c.serdeParameters()).isEqualTo(Map.of("separatorChar", ",", "quoteChar", "\""));
        assertThat(c.tableParameters()).containsEntry("areColumnsQuoted", "true").containsEntry("skip.header.line.count", "1");
        assertThat(c.explanation()).isEqualTo("csv: delimiter ',' splits all 3 sampled rows into 3 columns (the most of the candidates , | \\t ; \\u0001"
                + " that split every row alike); header detected: every cell of the first row is a string and column 'id' below is bigint;"
                + " fields are quoted with '\"', so OpenCSVSerde (which removes the quotes)");
    }

    @Test
    void filesWithAndWithoutQuotesShareATableReadWithOpenCsvSerde() throws IOException {
        Classification plain = classify(new CsvClassifier(), TestFiles.text(dir.resolve("a.csv"), "id,name\n1,ann\n2,bob\n")).orElseThrow();
        Classification quoted = classify(new CsvClassifier(), TestFiles.text(dir.resolve("b.csv"), "id,name,note\n3,\"Doe, Bob\",x\n4,eve,y\n")).orElseThrow();
        Classification pipes = classify(new CsvClassifier(), TestFiles.text(dir.resolve("c.csv"), "id|name\n1|ann\n2|bob\n")).orElseThrow();
        assertThat(plain.compatibleWith(quoted)).isTrue();
        assertThat(quoted.compatibleWith(plain)).isTrue();
        assertThat(plain.compatibleWith(pipes)).isFalse();
        for (Classification merged : List.of(plain.mergedWith(quoted), quoted.mergedWith(plain))) {
            assertThat(merged.serializationLibrary()).isEqualTo(CsvClassifier.OPEN_CSV_SERDE);
            assertThat(merged.serdeParameters()).isEqualTo(Map.of("separatorChar", ",", "quoteChar", "\""));
            assertThat(columns(merged)).containsExactly("id bigint", "name string", "note string");
        }
        assertThat(plain.mergedWith(plain).serializationLibrary()).isEqualTo(CsvClassifier.SERDE);
    }

    @Test
    void unquotedFieldsKeepLazySimpleSerdeAndTheExplanationSaysWhy() throws IOException {
        Path f = TestFiles.text(dir.resolve("p.tsv"), "name\tage\nann\t31\nbob\t42\n");
        Classification c = classify(new CsvClassifier(), f).orElseThrow();
        assertThat(c.serializationLibrary()).isEqualTo(CsvClassifier.SERDE);
        assertThat(c.serdeParameters()).isEqualTo(Map.of("field.delim", "\t"));
        assertThat(c.tableParameters()).containsEntry("areColumnsQuoted", "false");
        assertThat(c.explanation()).contains("delimiter '\\t' splits all 3 sampled rows into 2 columns")
                .contains("header detected: every cell of the first row is a string and column 'age' below is bigint")
                .endsWith("; no quoted fields, so LazySimpleSerDe");
    }

    @Test
    void anAllStringFileHasNoDetectedHeaderButACustomClassifierForcesIt() throws IOException {
        Path f = TestFiles.text(dir.resolve("names.csv"), "first,last\nann,smith\nbob,doe\n");
        Classification detected = classify(new CsvClassifier(), f).orElseThrow();
        assertThat(columns(detected)).containsExactly("col0 string", "col1 string");
        assertThat(detected.tableParameters()).doesNotContainKey("skip.header.line.count");
        assertThat(detected.explanation()).contains("no header: every column is a string");

        Classification forced = classify(custom(Optional.of(','), HeaderMode.PRESENT, List.of(), false, SerdeChoice.AUTO).classifier(), f).orElseThrow();
        assertThat(columns(forced)).containsExactly("first string", "last string");
        assertThat(forced.tableParameters()).containsEntry("skip.header.line.count", "1");
        assertThat(forced.explanation()).startsWith("custom CSV classifier 'people': delimiter ',' splits all 3 sampled rows into 2 columns; header: present, as the classifier says");
    }

    @Test
    void aCustomClassifierForcesNoHeaderNamesColumnsAndChoosesTheSerde() throws IOException {
        Path f = TestFiles.text(dir.resolve("h.csv"), "name;age\nann;31\nbob;42\n");
        Classification absent = classify(custom(Optional.of(';'), HeaderMode.ABSENT, List.of("Who", "How Old"), false, SerdeChoice.OPEN_CSV).classifier(), f)
                .orElseThrow();
        assertThat(columns(absent)).containsExactly("who string", "how_old string");
        assertThat(absent.tableParameters()).doesNotContainKey("skip.header.line.count").containsEntry("delimiter", ";");
        assertThat(absent.serializationLibrary()).isEqualTo(CsvClassifier.OPEN_CSV_SERDE);
        assertThat(absent.explanation()).contains("header: absent, as the classifier says").contains("column names from the classifier's Header")
                .contains("SerDe OpenCSVSerde as the classifier says");
        // The classifier's delimiter is the only one tried; its Header must fit the rows.
        assertThat(classify(custom(Optional.of('|'), HeaderMode.UNKNOWN, List.of(), false, SerdeChoice.AUTO).classifier(), f)).isEmpty();
        assertThat(classify(custom(Optional.of(';'), HeaderMode.UNKNOWN, List.of("a", "b", "c"), false, SerdeChoice.AUTO).classifier(), f)).isEmpty();
    }

    @Test
    void singleColumnFilesNeedAllowSingleColumn() throws IOException {
        Path f = TestFiles.text(dir.resolve("one.txt"), "word\nalpha\nbeta\n");
        assertThat(classify(new CsvClassifier(), f)).isEmpty();
        Classification c = classify(custom(Optional.empty(), HeaderMode.PRESENT, List.of(), true, SerdeChoice.AUTO).classifier(), f).orElseThrow();
        assertThat(columns(c)).containsExactly("word string");
    }

    @Test
    void aCustomQuoteSymbolIsHonoured() throws IOException {
        Path f = TestFiles.text(dir.resolve("s.csv"), "id,label\n1,'a,b'\n2,'c'\n");
        CustomClassifier.Csv single = new CustomClassifier.Csv("single", Optional.of(','), Optional.of('\''), HeaderMode.UNKNOWN, List.of(), false, false, SerdeChoice.AUTO);
        Classification c = classify(single.classifier(), f).orElseThrow();
        assertThat(columns(c)).containsExactly("id bigint", "label string");
        assertThat(c.serdeParameters()).isEqualTo(Map.of("separatorChar", ",", "quoteChar", "'"));
    }

    @Test
    void valueTrimmingCanBeDisabled() throws IOException {
        Path f = TestFiles.text(dir.resolve("t.csv"), "id,n\na, 1\nb, 2\n");
        assertThat(columns(classify(new CsvClassifier(), f).orElseThrow())).containsExactly("id string", "n bigint");
        CustomClassifier.Csv noTrim = new CustomClassifier.Csv("raw", Optional.of(','), Optional.empty(), HeaderMode.PRESENT, List.of(), true, false, SerdeChoice.AUTO);
        assertThat(columns(classify(noTrim.classifier(), f).orElseThrow())).containsExactly("id string", "n string");
    }
}
