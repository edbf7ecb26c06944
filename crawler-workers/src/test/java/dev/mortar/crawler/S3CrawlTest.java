package dev.mortar.crawler;

import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.Column;
import dev.mortar.crawler.source.S3Settings;
import dev.mortar.testing.S3ProxyServer;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Crawls over s3a:// and s3:// include paths through Hadoop's S3A connector, against a real S3-API server (S3Proxy). */
class S3CrawlTest {
    static S3ProxyServer s3;

    @TempDir
    static Path s3Dir;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start(s3Dir);
        s3.createBucket("lake");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    private Configuration conf() {
        return S3Settings.from(s3.settings()).applyTo(new Configuration());
    }

    @Test
    void crawlsS3aAndS3PathsAndKeepsTheirSchemeInLocations() throws Exception {
        Path parquet = dir.resolve("a.parquet");
        TestFiles.parquetSimple(parquet, false);
        s3.put("lake", "s3a-sales/year=2024/month=01/part-0.parquet", parquet);
        s3.put("lake", "s3a-sales/year=2024/month=02/part-0.parquet", parquet);
        s3.put("lake", "s3-people/people.csv", "name,age\nann,31\nbob,42\n".getBytes(StandardCharsets.UTF_8));

        MemoryCatalog catalog = new MemoryCatalog();
        CrawlReport report = new Crawler(conf(), catalog).crawl(CrawlTarget.of("db", "", List.of("s3a://lake/s3a-sales", "s3://lake/s3-people")), () -> false);

        assertThat(report.errors()).isEmpty();
        assertThat(report.tablesCreated()).containsExactly("s3a_sales", "s3_people");
        CatalogTable sales = catalog.tables.get("db.s3a_sales");
        assertThat(sales.location()).contains("s3a://lake/s3a-sales");
        assertThat(sales.partitionKeys()).containsExactly(new Column("year", "int"), new Column("month", "int"));
        assertThat(catalog.partitions.get("db.s3a_sales").values()).extracting(p -> p.location().orElseThrow())
                .containsExactlyInAnyOrder("s3a://lake/s3a-sales/year=2024/month=01", "s3a://lake/s3a-sales/year=2024/month=02");
        CatalogTable people = catalog.tables.get("db.s3_people");
        assertThat(people.location()).contains("s3://lake/s3-people");
        assertThat(people.columns()).containsExactly(new Column("name", "string"), new Column("age", "bigint"));
    }

    @Test
    void aMissingBucketOrPathFailsTheRunNamingEach() {
        MemoryCatalog catalog = new MemoryCatalog();
        assertThatThrownBy(() -> new Crawler(conf(), catalog).crawl(CrawlTarget.of("db", "", List.of("s3a://no-such-bucket/data", "s3a://lake/no/such/path")), () -> false))
                .isInstanceOf(CrawlFailedException.class)
                .hasMessageStartingWith("Include path s3a://no-such-bucket/data cannot be read: ")
                .hasMessageEndingWith("; Include path s3a://lake/no/such/path does not exist");
        assertThat(catalog.tables).isEmpty();
    }
}
