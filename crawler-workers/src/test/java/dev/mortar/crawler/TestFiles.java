package dev.mortar.crawler;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.GZIPOutputStream;

/** Datasets written to disk for crawler tests: text as is, gzip, and Parquet through parquet-hadoop's example writer. */
public final class TestFiles {
    private TestFiles() {}

    public static java.nio.file.Path text(java.nio.file.Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    public static java.nio.file.Path gzip(java.nio.file.Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /** The schema of {@link #parquetEvents}: logical types, a struct, a list and a map. */
    public static final String EVENTS_SCHEMA = """
            message event {
              required int64 id;
              optional binary name (STRING);
              optional int32 day (DATE);
              optional int64 ts (TIMESTAMP(MILLIS,true));
              optional int32 amount (DECIMAL(9,2));
              optional double score;
              optional boolean ok;
              optional int32 small (INT_16);
              optional group address {
                optional binary city (STRING);
                optional int32 zip;
              }
              optional group tags (LIST) {
                repeated group list {
                  optional binary element (STRING);
                }
              }
              optional group attrs (MAP) {
                repeated group key_value {
                  required binary key (STRING);
                  optional int64 value;
                }
              }
            }""";

    public static void parquetEvents(java.nio.file.Path file, int rows) throws IOException {
        Files.createDirectories(file.getParent());
        MessageType schema = MessageTypeParser.parseMessageType(EVENTS_SCHEMA);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new Path(file.toUri())).withType(schema).withConf(new Configuration()).build()) {
            for (int i = 0; i < rows; i++) {
                Group g = groups.newGroup().append("id", (long) i).append("name", "n" + i).append("day", 19000 + i)
                        .append("ts", 1_700_000_000_000L + i).append("amount", 1234 + i).append("score", i * 0.5).append("ok", i % 2 == 0)
                        .append("small", i);
                g.addGroup("address").append("city", "c" + i).append("zip", 1000 + i);
                g.addGroup("tags").addGroup("list").append("element", "t" + i);
                g.addGroup("attrs").addGroup("key_value").append("key", "k").append("value", (long) i);
                writer.write(g);
            }
        }
    }

    /** A Parquet file of two plain columns, {@code id bigint} and {@code extra string} when {@code withExtra}. */
    public static void parquetSimple(java.nio.file.Path file, boolean withExtra) throws IOException {
        Files.createDirectories(file.getParent());
        MessageType schema = MessageTypeParser.parseMessageType("message m { required int64 id; " + (withExtra ? "optional binary extra (STRING); " : "") + "}");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new Path(file.toUri())).withType(schema).withConf(new Configuration()).build()) {
            Group g = groups.newGroup().append("id", 1L);
            if (withExtra) {
                g.append("extra", "x");
            }
            writer.write(g);
        }
    }
}
