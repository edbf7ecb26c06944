package dev.mortar.metastore.catalog;

import dev.mortar.catalog.hms.HmsCatalogWriter;
import dev.mortar.crawler.CrawlPolicy;
import dev.mortar.crawler.CrawlPolicy.DeleteBehavior;
import dev.mortar.crawler.CrawlReport;
import dev.mortar.crawler.CrawlTarget;
import dev.mortar.crawler.Crawler;
import dev.mortar.crawler.CrawlerConfiguration;
import dev.mortar.metastore.TestServer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crawls written through the HMS writer bound to a running server's HMS handler (as a worker inside the server does)
 * follow every DeleteBehavior and InheritFromTable, as Hive's own client then reads the catalog.
 */
class HmsCrawlPolicyTest {
    private static TestServer server;
    private static HiveMetaStoreClient hive;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        hive = server.client();
    }

    @AfterAll
    static void stop() throws Exception {
        hive.close();
        server.close();
        server.deleteData();
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> paths = Files.walk(p)) {
            paths.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }

    private static CrawlTarget target(String db, Path root, CrawlPolicy policy) {
        return new CrawlTarget(db, "", List.of(new CrawlTarget.Include(root.toString(), List.of())), policy);
    }

    /** Two tables crawled, then a partition folder and a whole table's folder gone, crawled again with {@code behavior}. */
    private static CrawlReport crawlTwiceWithDataGone(String db, HmsCatalogWriter writer, DeleteBehavior behavior) throws Exception {
        Path root = Files.createTempDirectory(server.dataDir, db);
        write(root.resolve("sales/p=1/a.json"), "{\"id\": 1}\n");
        write(root.resolve("sales/p=2/a.json"), "{\"id\": 2}\n");
        write(root.resolve("refunds/a.csv"), "ref,amount\nr1,3\nr2,4\n");
        Crawler crawler = new Crawler(new Configuration(), writer);
        CrawlReport first = crawler.crawl(target(db, root, CrawlPolicy.defaults()), () -> false);
        assertThat(first.tablesCreated()).containsExactly("refunds", "sales");
        assertThat(hive.getAllTables(db)).containsExactlyInAnyOrder("refunds", "sales");
        deleteTree(root.resolve("sales/p=2"));
        deleteTree(root.resolve("refunds"));
        return crawler.crawl(target(db, root, CrawlPolicy.defaults().withDeleteBehavior(behavior)), first.state().orElseThrow(), () -> false);
    }

    @Test
    void deleteFromDatabaseDropsTablesAndPartitionsWhoseDataIsGone() throws Exception {
        try (HmsCatalogWriter writer = new HmsCatalogWriter(server.server.dispatcher().iface())) {
            CrawlReport report = crawlTwiceWithDataGone("hms_delete", writer, DeleteBehavior.DELETE_FROM_DATABASE);
            assertThat(report.tablesDeleted()).containsExactly("refunds");
            assertThat(report.partitionsDeleted()).isEqualTo(1);
            assertThat(hive.getAllTables("hms_delete")).containsExactly("sales");
            assertThat(hive.listPartitions("hms_delete", "sales", (short) -1)).extracting(Partition::getValues).containsExactly(List.of("1"));
        }
    }

    @Test
    void deprecateInDatabaseMarksTablesAndPartitionsWhoseDataIsGone() throws Exception {
        try (HmsCatalogWriter writer = new HmsCatalogWriter(server.server.dispatcher().iface())) {
            CrawlReport report = crawlTwiceWithDataGone("hms_deprecate", writer, DeleteBehavior.DEPRECATE_IN_DATABASE);
            assertThat(report.tablesDeleted()).containsExactly("refunds");
            assertThat(hive.getAllTables("hms_deprecate")).containsExactlyInAnyOrder("refunds", "sales");
            assertThat(Long.parseLong(hive.getTable("hms_deprecate", "refunds").getParameters().get(CrawlPolicy.DEPRECATED_BY_CRAWLER))).isPositive();
            assertThat(hive.getTable("hms_deprecate", "sales").getParameters()).doesNotContainKey(CrawlPolicy.DEPRECATED_BY_CRAWLER);
            assertThat(hive.getPartition("hms_deprecate", "sales", List.of("2")).getParameters()).containsKey(CrawlPolicy.DEPRECATED_BY_CRAWLER);
            assertThat(hive.getPartition("hms_deprecate", "sales", List.of("1")).getParameters()).doesNotContainKey(CrawlPolicy.DEPRECATED_BY_CRAWLER);
        }
    }

    @Test
    void partitionsInheritTheTablesNewSchemaOrKeepTheirOwn() throws Exception {
        CrawlPolicy inherit = CrawlPolicy.defaults().withConfiguration(CrawlerConfiguration.parse(
                "{\"Version\":1.0,\"CrawlerOutput\":{\"Partitions\":{\"AddOrUpdateBehavior\":\"InheritFromTable\"}}}"));
        for (CrawlPolicy policy : List.of(inherit, CrawlPolicy.defaults())) {
            String db = policy.partitionsInheritFromTable() ? "hms_inherit" : "hms_own";
            Path root = Files.createTempDirectory(server.dataDir, db);
            write(root.resolve("t/k=1/a.json"), "{\"n\": 1}\n");
            try (HmsCatalogWriter writer = new HmsCatalogWriter("127.0.0.1", server.server.thriftPort())) {
                Crawler crawler = new Crawler(new Configuration(), writer);
                CrawlReport first = crawler.crawl(target(db, root, policy), () -> false);
                write(root.resolve("t/k=2/a.json"), "{\"n\": 1, \"extra\": true}\n");
                crawler.crawl(target(db, root, policy), first.state().orElseThrow(), () -> false);
            }
            List<String> tableColumns = hive.getTable(db, "t").getSd().getCols().stream().map(FieldSchema::getName).toList();
            List<String> oldPartition = hive.getPartition(db, "t", List.of("1")).getSd().getCols().stream().map(FieldSchema::getName).toList();
            List<String> newPartition = hive.getPartition(db, "t", List.of("2")).getSd().getCols().stream().map(FieldSchema::getName).toList();
            assertThat(tableColumns).containsExactly("n", "extra");
            if (policy.partitionsInheritFromTable()) {
                assertThat(oldPartition).containsExactly("n", "extra");
                assertThat(newPartition).containsExactly("n", "extra");
            } else {
                assertThat(oldPartition).containsExactly("n");
                assertThat(newPartition).containsExactly("n", "extra");
            }
        }
    }
}
