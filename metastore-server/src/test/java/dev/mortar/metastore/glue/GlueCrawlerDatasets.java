package dev.mortar.metastore.glue;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerHistoryState;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Datasets on disk for crawler tests (text, gzip, Parquet through parquet-hadoop's example writer), and waiting for runs. */
final class GlueCrawlerDatasets {
    private GlueCrawlerDatasets() {}

    static void text(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    static void gzip(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Parquet rows {@code id}, {@code amount decimal(9,2)}, {@code ts timestamp}, {@code address struct}, plus {@code note} when asked. */
    static void parquet(Path file, boolean withNote) throws IOException {
        Files.createDirectories(file.getParent());
        MessageType schema = MessageTypeParser.parseMessageType("""
                message sale {
                  required int64 id;
                  optional int32 amount (DECIMAL(9,2));
                  optional int64 ts (TIMESTAMP(MICROS,true));
                  optional group address { optional binary city (STRING); optional int32 zip; }
                """ + (withNote ? "  optional binary note (STRING);\n" : "") + "}");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri())).withType(schema)
                .withConf(new Configuration()).build()) {
            for (int i = 0; i < 3; i++) {
                Group g = groups.newGroup().append("id", (long) i).append("amount", 100 + i).append("ts", 1_700_000_000_000_000L + i);
                g.addGroup("address").append("city", "c" + i).append("zip", i);
                if (withNote) {
                    g.append("note", "n" + i);
                }
                writer.write(g);
            }
        }
    }

    /** Waits until the crawler has {@code runs} runs and none is running; returns them, newest first. */
    static List<CrawlerHistory> awaitRuns(GlueClient glue, String crawler, int runs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            List<CrawlerHistory> crawls = glue.listCrawls(r -> r.crawlerName(crawler)).crawls();
            if (crawls.size() >= runs && crawls.stream().noneMatch(c -> c.state() == CrawlerHistoryState.RUNNING)
                    && glue.getCrawler(r -> r.name(crawler)).crawler().stateAsString().equals("READY")) {
                return crawls;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Crawler " + crawler + " did not finish " + runs + " runs: " + crawls);
            }
            Thread.sleep(50);
        }
    }
}
