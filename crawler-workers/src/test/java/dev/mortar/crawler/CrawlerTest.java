package dev.mortar.crawler;

import dev.mortar.crawler.CrawlReport.FileError;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.Column;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Grouping of folders into tables and partitions, and re-crawls, against an in-memory catalog. */
class CrawlerTest {
    @TempDir
    Path dir;

    private CrawlReport crawl(MemoryCatalog catalog, String... paths) throws IOException {
        return new Crawler(new Configuration(), catalog).crawl(CrawlTarget.of("db", "", List.of(paths)), () -> false);
    }

    @Test
    void topLevelFoldersBecomeTablesAndKeyValueFoldersPartitions() throws IOException {
        TestFiles.text(dir.resolve("sales/year=2024/month=01/a.csv"), "id,amount\n1,2.5\n2,3.5\n");
        TestFiles.text(dir.resolve("sales/year=2024/month=02/b.csv"), "id,amount\n3,4.5\n4,1\n");
        TestFiles.text(dir.resolve("sales/_SUCCESS"), "");
        TestFiles.text(dir.resolve("events/2024/e.json"), "{\"k\": \"v\"}\n");
        TestFiles.text(dir.resolve("events/2025/e.json"), "{\"k\": \"w\", \"n\": 1}\n");
        TestFiles.text(dir.resolve("events/2025/.hidden.json"), "{\"hidden\": 1}\n");
        TestFiles.text(dir.resolve("events/notes.bin"), "\0\0\0binary");

        MemoryCatalog catalog = new MemoryCatalog();
        CrawlReport report = crawl(catalog, dir.toString());

        assertThat(catalog.databases).containsExactly("db");
        assertThat(report.tablesCreated()).containsExactly("events", "sales");
        CatalogTable sales = catalog.tables.get("db.sales");
        assertThat(sales.columns()).containsExactly(new Column("id", "bigint"), new Column("amount", "double"));
        assertThat(sales.partitionKeys()).containsExactly(new Column("year", "int"), new Column("month", "int"));
        assertThat(sales.location()).contains("file:" + dir.resolve("sales"));
        assertThat(catalog.partitions.get("db.sales").keySet()).containsExactly(List.of("2024", "01"), List.of("2024", "02"));
        assertThat(catalog.partitions.get("db.sales").get(List.of("2024", "01")).location()).contains("file:" + dir.resolve("sales/year=2024/month=01"));

        CatalogTable events = catalog.tables.get("db.events");
        assertThat(events.columns()).containsExactly(new Column("k", "string"), new Column("n", "bigint"));
        assertThat(events.partitionKeys()).containsExactly(new Column("partition_0", "int"));
        assertThat(catalog.partitions.get("db.events").keySet()).containsExactlyInAnyOrder(List.of("2024"), List.of("2025"));

        assertThat(report.partitionsAdded()).isEqualTo(4);
        assertThat(report.filesRead()).isEqualTo(5);
        assertThat(report.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).endsWith("events/notes.bin");
            assertThat(e.message()).contains("No classifier recognised");
        });
    }

    @Test
    void anIncludePathOfPartitionFoldersIsOneTable() throws IOException {
        TestFiles.text(dir.resolve("clicks/dt=2024-01-01/a.json"), "{\"u\": 1}\n");
        TestFiles.text(dir.resolve("clicks/dt=2024-01-02/a.json"), "{\"u\": 2}\n");
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlReport report = crawl(catalog, dir.resolve("clicks").toString());
        assertThat(report.tablesCreated()).containsExactly("clicks");
        assertThat(catalog.tables.get("db.clicks").partitionKeys()).containsExactly(new Column("dt", "string"));
        assertThat(catalog.partitions.get("db.clicks").keySet()).containsExactlyInAnyOrder(List.of("2024-01-01"), List.of("2024-01-02"));
    }

    @Test
    void aRecrawlAddsNewPartitionsAndNewColumns() throws IOException {
        TestFiles.parquetSimple(dir.resolve("t/p=1/a.parquet"), false);
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlReport first = crawl(catalog, dir.toString());
        assertThat(first.tablesCreated()).containsExactly("t");
        assertThat(catalog.tables.get("db.t").columns()).containsExactly(new Column("id", "bigint"));

        CrawlReport unchanged = crawl(catalog, dir.toString());
        assertThat(unchanged.tablesCreated()).isEmpty();
        assertThat(unchanged.tablesUpdated()).isEmpty();
        assertThat(unchanged.partitionsAdded()).isZero();

        TestFiles.parquetSimple(dir.resolve("t/p=2/b.parquet"), true);
        CrawlReport second = crawl(catalog, dir.toString());
        assertThat(second.tablesCreated()).isEmpty();
        assertThat(second.tablesUpdated()).containsExactly("t");
        assertThat(second.partitionsAdded()).isEqualTo(1);
        assertThat(catalog.tables.get("db.t").columns()).containsExactly(new Column("id", "bigint"), new Column("extra", "string"));
        assertThat(catalog.partitions.get("db.t").keySet()).containsExactlyInAnyOrder(List.of("1"), List.of("2"));
    }

    @Test
    void exclusionsAreGlobsRelativeToTheIncludePath() throws IOException {
        TestFiles.text(dir.resolve("a/x.json"), "{\"a\": 1}\n");
        TestFiles.text(dir.resolve("a/skip/y.json"), "{\"b\": 1}\n");
        TestFiles.text(dir.resolve("a/z.tmp"), "{\"c\": 1}\n");
        TestFiles.text(dir.resolve("b/w.json"), "{\"d\": 1}\n");
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlTarget target = new CrawlTarget("db", "p_", List.of(new CrawlTarget.Include(dir.toString(), List.of("a/skip/**", "**.tmp", "b/*"))), true);
        CrawlReport report = new Crawler(new Configuration(), catalog).crawl(target, () -> false);
        assertThat(report.tablesCreated()).containsExactly("p_a");
        assertThat(report.filesRead()).isEqualTo(1);
        assertThat(catalog.tables.get("db.p_a").columns()).containsExactly(new Column("a", "bigint"));
    }

    @Test
    void updateBehaviorLogReportsAChangedSchemaWithoutWritingIt() throws IOException {
        TestFiles.text(dir.resolve("t/k=1/a.json"), "{\"a\": 1}\n");
        MemoryCatalog catalog = new MemoryCatalog();
        crawl(catalog, dir.toString());
        TestFiles.text(dir.resolve("t/k=2/a.json"), "{\"a\": 1, \"b\": \"new\"}\n");
        CrawlTarget logOnly = new CrawlTarget("db", "", List.of(new CrawlTarget.Include(dir.toString(), List.of())), false);
        CrawlReport report = new Crawler(new Configuration(), catalog).crawl(logOnly, () -> false);
        assertThat(report.tablesUpdated()).isEmpty();
        assertThat(report.partitionsAdded()).isEqualTo(1);
        assertThat(report.errors()).extracting(FileError::message).singleElement().asString().contains("UpdateBehavior LOG");
        assertThat(catalog.tables.get("db.t").columns()).containsExactly(new Column("a", "bigint"));
    }

    @Test
    void filesOfAnotherFormatOrDepthAreReportedNotMerged() throws IOException {
        TestFiles.text(dir.resolve("m/a.json"), "{\"a\": 1}\n");
        TestFiles.text(dir.resolve("m/b.json"), "{\"a\": 2}\n");
        TestFiles.text(dir.resolve("m/c.csv"), "x,y\n1,2\n");
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlReport report = crawl(catalog, dir.toString());
        assertThat(catalog.tables.get("db.m").parameters().get("classification")).isEqualTo("json");
        assertThat(report.errors()).extracting(FileError::message).singleElement().asString().contains("Classified as csv");
    }

    @Test
    void aMissingIncludePathFailsTheRunBeforeAnythingIsWritten() throws IOException {
        TestFiles.text(dir.resolve("m/a.json"), "{\"a\": 1}\n");
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlLog log = new CrawlLog();
        CrawlTarget target = CrawlTarget.of("db", "", List.of(dir.toString(), dir.resolve("missing").toString()));
        assertThatThrownBy(() -> new Crawler(new Configuration(), catalog).crawl(target, CrawlState.empty(), () -> false, log))
                .isInstanceOf(CrawlFailedException.class)
                .hasMessage("Include path file:" + dir.resolve("missing") + " does not exist");
        assertThat(catalog.tables).isEmpty();
        assertThat(catalog.databases).isEmpty();
        assertThat(log.entries()).extracting(CrawlLog.Entry::message).containsExactly("Include path file:" + dir.resolve("missing") + " does not exist");
    }
}
