package dev.mortar.crawler.classify;

import dev.mortar.crawler.classify.FormatFiles.Packing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.mortar.crawler.classify.ColumnarClassifierTest.classify;
import static dev.mortar.crawler.classify.ColumnarClassifierTest.columns;
import static org.assertj.core.api.Assertions.assertThat;

/** Whole-file compressions, recognised by their first bytes (the files have no telling extension) and read transparently. */
class CompressionTest {
    @TempDir
    Path dir;

    private static final String CSV = """
            id,name,price
            1,ann,2.5
            2,bob,3.25
            """;

    private static String expectedType(Packing packing) {
        return switch (packing) {
            case NONE -> "none";
            case GZIP -> "gzip";
            case BZIP2 -> "bzip2";
            case FRAMED_SNAPPY, HADOOP_SNAPPY -> "snappy";
            case LZ4, HADOOP_LZ4 -> "lz4";
            case ZSTD -> "zstd";
            case ZIP -> "zip";
        };
    }

    @ParameterizedTest
    @EnumSource(Packing.class)
    void csvIsReadThroughEachCompression(Packing packing) throws IOException {
        Path file = FormatFiles.packed(dir.resolve("data"), CSV, packing);
        Classification c = classify(new CsvClassifier(), file).orElseThrow();
        assertThat(columns(c)).containsExactly("id bigint", "name string", "price double");
        assertThat(c.tableParameters()).containsEntry("compressionType", expectedType(packing)).containsEntry("skip.header.line.count", "1");
        if (packing != Packing.NONE) {
            assertThat(c.explanation()).contains(expectedType(packing) + " compressed, read transparently");
        }
    }

    @ParameterizedTest
    @EnumSource(Packing.class)
    void jsonLinesAreReadThroughEachCompression(Packing packing) throws IOException {
        Path file = FormatFiles.packed(dir.resolve("events"), "{\"id\": 1, \"tags\": [\"a\"]}\n{\"id\": 2, \"ok\": true}\n", packing);
        Classification c = classify(new JsonClassifier(), file).orElseThrow();
        assertThat(columns(c)).containsExactly("id bigint", "tags array<string>", "ok boolean");
        assertThat(c.tableParameters()).containsEntry("compressionType", expectedType(packing));
        assertThat(c.explanation()).startsWith("json: every one of the 2 sampled lines is a JSON object; 3 fields merged across them");
    }

    @Test
    void detectionUsesContentNotNames() throws IOException {
        Path gzNamedCsv = FormatFiles.packed(dir.resolve("plain.csv"), CSV, Packing.BZIP2);
        assertThat(classify(new CsvClassifier(), gzNamedCsv).orElseThrow().tableParameters()).containsEntry("compressionType", "bzip2");
        Path plainNamedGz = FormatFiles.packed(dir.resolve("data.csv.gz"), CSV, Packing.NONE);
        assertThat(classify(new CsvClassifier(), plainNamedGz).orElseThrow().tableParameters()).containsEntry("compressionType", "none");
    }

    @Test
    void aHadoopSnappyFileOfManyBlocksIsRecognisedFromItsFirstChunk() throws IOException {
        java.util.Random random = new java.util.Random(7);
        StringBuilder big = new StringBuilder("id,token\n");
        while (big.length() < 3 << 20) {
            big.append(random.nextInt(1_000_000)).append(',').append(Long.toHexString(random.nextLong())).append('\n');
        }
        Path file = FormatFiles.packed(dir.resolve("big"), big.toString(), Packing.HADOOP_SNAPPY);
        assertThat(Files.size(file)).isGreaterThan(1 << 20);
        Classification c = classify(new CsvClassifier(), file).orElseThrow();
        assertThat(columns(c)).containsExactly("id bigint", "token string");
        assertThat(c.tableParameters()).containsEntry("compressionType", "snappy");
    }

    @Test
    void textIsNeverTakenForAHadoopSnappyBlock() {
        for (String text : new String[] {CSV, "{\"a\":1}\n", "\0\0\0\u0010\0\0\0\u0004abcd", "x"}) {
            assertThat(Compression.detect(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(Compression.NONE);
        }
    }

    @Test
    void aTruncatedCompressedFileIsClassifiedFromWhatCanBeRead() throws IOException {
        StringBuilder big = new StringBuilder("id,name\n");
        for (int i = 0; i < 20_000; i++) {
            big.append(i).append(",name").append(i).append('\n');
        }
        Path full = FormatFiles.packed(dir.resolve("full"), big.toString(), Packing.GZIP);
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Classification c = classify(new CsvClassifier(), cut).orElseThrow();
        assertThat(columns(c)).containsExactly("id bigint", "name string");
    }
}
