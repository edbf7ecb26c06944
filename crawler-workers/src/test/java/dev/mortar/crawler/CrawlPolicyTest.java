package dev.mortar.crawler;

import dev.mortar.crawler.CrawlLog.Kind;
import dev.mortar.crawler.CrawlPolicy.DeleteBehavior;
import dev.mortar.crawler.CrawlReport.FileError;
import dev.mortar.catalog.Column;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schema evolution, SchemaChangePolicy, RecrawlPolicy, SampleSize, Configuration and stopping, across runs over generated folders. */
class CrawlPolicyTest {
    @TempDir
    Path dir;

    private static CrawlTarget target(Path include, CrawlPolicy policy) {
        return new CrawlTarget("db", "", List.of(new CrawlTarget.Include(include.toString(), List.of())), policy);
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> paths = Files.walk(p)) {
            paths.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }

    @Test
    void typesWidenAndNewColumnsAreAddedUnlessOnlyNewColumnsMayBeMerged() throws IOException {
        TestFiles.text(dir.resolve("t/k=1/a.json"), "{\"n\": 1, \"s\": 5}\n");
        MemoryCatalog catalog = new MemoryCatalog();
        Crawler crawler = new Crawler(new Configuration(), catalog);
        CrawlReport first = crawler.crawl(target(dir, CrawlPolicy.defaults()), () -> false);
        assertThat(catalog.table("t").columns()).containsExactly(new Column("n", "bigint"), new Column("s", "bigint"));

        TestFiles.text(dir.resolve("t/k=2/a.json"), "{\"n\": 1.5, \"s\": \"text\", \"extra\": true}\n");
        CrawlReport second = crawler.crawl(target(dir, CrawlPolicy.defaults()), first.state().orElseThrow(), () -> false);
        assertThat(second.tablesUpdated()).containsExactly("t");
        assertThat(catalog.table("t").columns()).containsExactly(new Column("n", "double"), new Column("s", "string"), new Column("extra", "boolean"));
        assertThat(second.log().entries()).filteredOn(e -> e.kind() == Kind.CHANGE).singleElement().satisfies(e -> assertThat(e.message())
                .contains("new columns extra boolean").contains("n bigint -> double").contains("s bigint -> string"));

        // MergeNewColumns: a new column is appended, existing types stay
        MemoryCatalog merged = new MemoryCatalog();
        CrawlPolicy mergeOnly = CrawlPolicy.defaults().withConfiguration(CrawlerConfiguration.parse(
                "{\"Version\":1.0,\"CrawlerOutput\":{\"Tables\":{\"AddOrUpdateBehavior\":\"MergeNewColumns\"},\"Partitions\":{\"AddOrUpdateBehavior\":\"InheritFromTable\"}}}"));
        assertThat(mergeOnly.mergeNewColumnsOnly()).isTrue();
        assertThat(mergeOnly.partitionsInheritFromTable()).isTrue();
        deleteTree(dir.resolve("t/k=2"));
        Crawler c2 = new Crawler(new Configuration(), merged);
        CrawlReport m1 = c2.crawl(target(dir, mergeOnly), () -> false);
        TestFiles.text(dir.resolve("t/k=2/a.json"), "{\"n\": 1.5, \"s\": \"text\", \"extra\": true}\n");
        c2.crawl(target(dir, mergeOnly), m1.state().orElseThrow(), () -> false);
        assertThat(merged.table("t").columns()).containsExactly(new Column("n", "bigint"), new Column("s", "bigint"), new Column("extra", "boolean"));
        // partitions inherit the table's schema
        assertThat(merged.partitions.get("db.t").get(List.of("2")).columns()).isEmpty();
    }

    @Test
    void newFoldersOnlyListsAndReadsOnlyFoldersTheLastRunDidNotSee() throws IOException {
        for (int p = 1; p <= 3; p++) {
            TestFiles.text(dir.resolve("lake/events/dt=" + p + "/a.json"), "{\"id\": " + p + "}\n");
        }
        TestFiles.text(dir.resolve("lake/people/a.csv"), "name,age\nann,3\nbob,4\n");
        MemoryCatalog catalog = new MemoryCatalog();
        Configuration conf = RecordingFileSystem.configuration();
        CrawlReport first = new Crawler(conf, catalog).crawl(target(dir.resolve("lake"), CrawlPolicy.defaults()), () -> false);
        assertThat(first.tablesCreated()).containsExactly("events", "people");
        CrawlState state = first.state().orElseThrow();
        assertThat(state.dataFolders()).hasSize(4);

        // new: one partition of a known table, and a new table; old files turn into junk that a read would report
        TestFiles.text(dir.resolve("lake/events/dt=4/a.json"), "{\"id\": 4, \"more\": \"x\"}\n");
        TestFiles.text(dir.resolve("lake/clicks/a.json"), "{\"url\": \"/\"}\n");
        TestFiles.text(dir.resolve("lake/events/dt=1/a.json"), "\0\0 not json any more");
        TestFiles.text(dir.resolve("lake/events/dt=2/b.json"), "{\"late\": 1}\n");
        RecordingFileSystem.reset();
        CrawlReport second = new Crawler(conf, catalog).crawl(target(dir.resolve("lake"), CrawlPolicy.defaults().newFoldersOnly()), state, () -> false);

        String lake = "file:" + dir.resolve("lake");
        assertThat(RecordingFileSystem.LISTED).containsExactlyInAnyOrder(lake, lake + "/events", lake + "/events/dt=4", lake + "/clicks");
        assertThat(RecordingFileSystem.OPENED).allSatisfy(p -> assertThat(p).matches(".*/(events/dt=4|clicks)/a\\.json"));
        assertThat(second.filesSeen()).isEqualTo(2);
        assertThat(second.filesRead()).isEqualTo(2);
        assertThat(second.errors()).extracting(FileError::message).singleElement().asString()
                .contains("Table events would change").contains("UpdateBehavior LOG");
        assertThat(second.tablesCreated()).containsExactly("clicks");
        assertThat(second.partitionsAdded()).isEqualTo(1);
        assertThat(catalog.partitionsOf("events")).containsExactlyInAnyOrder(List.of("1"), List.of("2"), List.of("3"), List.of("4"));
        assertThat(catalog.table("events").columns()).containsExactly(new Column("id", "bigint"));
        assertThat(second.log().entries()).filteredOn(e -> e.kind() == Kind.SKIP).extracting(CrawlLog.Entry::subject)
                .contains(lake + "/events/dt=1", lake + "/events/dt=2", lake + "/events/dt=3", lake + "/people");
        CrawlState next = second.state().orElseThrow();
        assertThat(next.dataFolders()).hasSize(6).containsEntry(lake + "/events/dt=4", "events").containsEntry(lake + "/clicks", "clicks");
    }

    @Test
    void aNewFolderNamedLikeAKnownTableGetsATableOfItsOwn() throws IOException {
        TestFiles.text(dir.resolve("x/events/k=1/a.json"), "{\"id\": 1}\n");
        TestFiles.text(dir.resolve("x/other/b.csv"), "u,v\nx,1\ny,2\n");
        MemoryCatalog catalog = new MemoryCatalog();
        Crawler crawler = new Crawler(new Configuration(), catalog);
        CrawlReport first = crawler.crawl(target(dir.resolve("x"), CrawlPolicy.defaults()), () -> false);
        assertThat(first.tablesCreated()).containsExactly("events", "other");

        // a second include path with a folder of the same name, crawled for the first time
        TestFiles.text(dir.resolve("y/events/c.csv"), "p,q\nx,1\ny,2\n");
        TestFiles.text(dir.resolve("y/misc/d.json"), "{\"m\": 1}\n");
        CrawlTarget both = new CrawlTarget("db", "", List.of(new CrawlTarget.Include(dir.resolve("x").toString(), List.of()),
                new CrawlTarget.Include(dir.resolve("y").toString(), List.of())), CrawlPolicy.defaults().newFoldersOnly());
        CrawlReport second = crawler.crawl(both, first.state().orElseThrow(), () -> false);
        assertThat(second.tablesCreated()).hasSize(2).contains("misc").anySatisfy(n -> assertThat(n).startsWith("events_"));
        assertThat(catalog.table("events").location()).contains("file:" + dir.resolve("x/events"));
        assertThat(catalog.table("events").columns()).containsExactly(new Column("id", "bigint"));
        assertThat(second.errors()).isEmpty();
    }

    @Test
    void newFoldersOnlyNeedsBothBehavioursToBeLog() {
        assertThatThrownBy(() -> new CrawlPolicy(CrawlPolicy.UpdateBehavior.UPDATE_IN_DATABASE, DeleteBehavior.LOG,
                CrawlPolicy.RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY, false, OptionalInt.empty(), false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(CrawlPolicy.NEW_FOLDERS_ONLY_NEEDS_LOG);
        assertThatThrownBy(() -> new CrawlPolicy(CrawlPolicy.UpdateBehavior.LOG, DeleteBehavior.DEPRECATE_IN_DATABASE,
                CrawlPolicy.RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY, false, OptionalInt.empty(), false, false))
                .hasMessageContaining("can have only LOG DeleteBehavior value and LOG UpdateBehavior value");
    }

    private CrawlReport crawlTwiceWithDataGone(MemoryCatalog catalog, DeleteBehavior behavior) throws IOException {
        Path root = dir.resolve(behavior.name());
        TestFiles.text(root.resolve("sales/p=1/a.json"), "{\"id\": 1}\n");
        TestFiles.text(root.resolve("sales/p=2/a.json"), "{\"id\": 2}\n");
        TestFiles.text(root.resolve("refunds/a.csv"), "ref,amount\nr1,3\nr2,4\n");
        Crawler crawler = new Crawler(new Configuration(), catalog);
        CrawlReport first = crawler.crawl(target(root, CrawlPolicy.defaults()), () -> false);
        assertThat(first.tablesCreated()).containsExactly("refunds", "sales");
        deleteTree(root.resolve("sales/p=2"));
        deleteTree(root.resolve("refunds"));
        return crawler.crawl(target(root, CrawlPolicy.defaults().withDeleteBehavior(behavior)), first.state().orElseThrow(), () -> false);
    }

    @Test
    void deleteFromDatabaseRemovesTablesAndPartitionsWhoseDataIsGone() throws IOException {
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlReport report = crawlTwiceWithDataGone(catalog, DeleteBehavior.DELETE_FROM_DATABASE);
        assertThat(report.tablesDeleted()).containsExactly("refunds");
        assertThat(report.partitionsDeleted()).isEqualTo(1);
        assertThat(catalog.tables).containsOnlyKeys("db.sales");
        assertThat(catalog.partitionsOf("sales")).containsExactly(List.of("1"));
        assertThat(report.state().orElseThrow().dataFolders()).hasSize(1);
        assertThat(report.log().entries()).filteredOn(e -> e.kind() == Kind.DELETE).extracting(CrawlLog.Entry::message)
                .anySatisfy(m -> assertThat(m).contains("deleted (DeleteBehavior DELETE_FROM_DATABASE)").contains("partition [2]"))
                .anySatisfy(m -> assertThat(m).contains("no data left under").contains("refunds"));
    }

    @Test
    void deprecateInDatabaseMarksTablesAndPartitionsWhoseDataIsGone() throws IOException {
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlReport report = crawlTwiceWithDataGone(catalog, DeleteBehavior.DEPRECATE_IN_DATABASE);
        assertThat(report.tablesDeleted()).containsExactly("refunds");
        assertThat(catalog.tables).containsOnlyKeys("db.refunds", "db.sales");
        assertThat(catalog.table("refunds").parameters()).containsKey(CrawlPolicy.DEPRECATED_BY_CRAWLER);
        assertThat(Long.parseLong(catalog.table("refunds").parameters().get(CrawlPolicy.DEPRECATED_BY_CRAWLER))).isPositive();
        assertThat(catalog.table("sales").parameters()).doesNotContainKey(CrawlPolicy.DEPRECATED_BY_CRAWLER);
        assertThat(catalog.partitionsOf("sales")).containsExactlyInAnyOrder(List.of("1"), List.of("2"));
        assertThat(catalog.partitionParameters.get("db.sales")).containsOnlyKeys(List.of("2"));

        // the data comes back: the table is no longer deprecated
        Path root = dir.resolve("DEPRECATE_IN_DATABASE");
        TestFiles.text(root.resolve("refunds/a.csv"), "ref,amount\nr1,3\nr2,4\n");
        CrawlReport back = new Crawler(new Configuration(), catalog).crawl(target(root, CrawlPolicy.defaults()), report.state().orElseThrow(), () -> false);
        assertThat(back.tablesUpdated()).containsExactly("refunds");
        assertThat(catalog.table("refunds").parameters()).doesNotContainKey(CrawlPolicy.DEPRECATED_BY_CRAWLER);
    }

    @Test
    void deleteBehaviorLogOnlyReports() throws IOException {
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlReport report = crawlTwiceWithDataGone(catalog, DeleteBehavior.LOG);
        assertThat(report.tablesDeleted()).isEmpty();
        assertThat(catalog.tables).containsOnlyKeys("db.refunds", "db.sales");
        assertThat(catalog.partitionsOf("sales")).hasSize(2);
        assertThat(catalog.partitionParameters).isEmpty();
        assertThat(report.log().entries()).filteredOn(e -> e.kind() == Kind.DELETE).extracting(CrawlLog.Entry::message)
                .hasSize(2).allSatisfy(m -> assertThat(m).contains("kept (DeleteBehavior LOG)"));
        assertThat(report.state().orElseThrow().dataFolders()).hasSize(3);
    }

    @Test
    void sampleSizeReadsThatManyFilesPerFolder() throws IOException {
        TestFiles.text(dir.resolve("t/a.json"), "{\"a\": 1}\n");
        TestFiles.text(dir.resolve("t/b.json"), "{\"b\": 1}\n");
        TestFiles.text(dir.resolve("t/c.json"), "{\"c\": 1}\n");
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlTarget sampled = new CrawlTarget("db", "", List.of(new CrawlTarget.Include(dir.toString(), List.of(), OptionalInt.of(1))), CrawlPolicy.defaults());
        CrawlReport report = new Crawler(new Configuration(), catalog).crawl(sampled, () -> false);
        assertThat(report.filesSeen()).isEqualTo(3);
        assertThat(report.filesRead()).isEqualTo(1);
        assertThat(report.bytesRead()).isPositive();
        assertThat(catalog.table("t").columns()).containsExactly(new Column("a", "bigint"));
        assertThat(report.log().entries()).filteredOn(e -> e.kind() == Kind.SKIP).extracting(CrawlLog.Entry::message)
                .containsOnly("not read: SampleSize 1 files per folder").hasSize(2);
    }

    @Test
    void aStopBetweenFilesWritesNothingAndKeepsTheState() throws IOException {
        for (int i = 0; i < 5; i++) {
            TestFiles.text(dir.resolve("t/p=" + i + "/a.json"), "{\"a\": 1}\n");
        }
        MemoryCatalog catalog = new MemoryCatalog();
        AtomicInteger checks = new AtomicInteger();
        CrawlReport report = new Crawler(new Configuration(), catalog).crawl(target(dir, CrawlPolicy.defaults()), () -> checks.incrementAndGet() > 8);
        assertThat(report.filesRead()).isBetween(1, 4);
        assertThat(catalog.tables).isEmpty();
        assertThat(report.state()).isEmpty();
        assertThat(report.log().entries()).last().satisfies(e -> assertThat(e.kind()).isEqualTo(Kind.STOP));
    }

    @Test
    void configurationIsValidatedAsTheServiceDoes() {
        assertThat(CrawlerConfiguration.parse(null)).isEqualTo(CrawlerConfiguration.none());
        CrawlerConfiguration all = CrawlerConfiguration.parse("""
                {"Version": 1.0, "Grouping": {"TableGroupingPolicy": "CombineCompatibleSchemas", "TableLevelConfiguration": 3},
                 "CrawlerOutput": {"Tables": {"AddOrUpdateBehavior": "MergeNewColumns"}, "Partitions": {"AddOrUpdateBehavior": "InheritFromTable"}}}""");
        assertThat(all).isEqualTo(new CrawlerConfiguration(true, OptionalInt.of(3), true, true));
        assertThatThrownBy(() -> CrawlerConfiguration.parse("{\"Version\":1.0,\"CrawlerOutput\":{\"Partitions\":{\"UpdateBehavior\":\"LOG\"}}}"))
                .hasMessage("CrawlerOutput.Partitions contains unsupported keys: UpdateBehavior.");
        assertThatThrownBy(() -> CrawlerConfiguration.parse("{\"Version\":1.0,\"Grouping\":{\"TableGroupingPolicy\":\"Other\"}}"))
                .hasMessageContaining("Grouping.TableGroupingPolicy has an unsupported value");
        assertThatThrownBy(() -> CrawlerConfiguration.parse("{\"Version\":1.0,\"Grouping\":{\"TableLevelConfiguration\":0}}"))
                .hasMessageContaining("positive integer");
        assertThatThrownBy(() -> CrawlerConfiguration.parse("{\"Grouping\":{}}")).hasMessageContaining("Version must be 1.0");
        assertThatThrownBy(() -> CrawlerConfiguration.parse("{not json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> CrawlerConfiguration.parse("{\"Version\":1.0,\"Shiny\":1}")).hasMessage("Configuration contains unsupported keys: Shiny.");
    }
}
