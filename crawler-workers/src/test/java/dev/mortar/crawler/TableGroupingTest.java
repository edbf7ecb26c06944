package dev.mortar.crawler;

import dev.mortar.crawler.CrawlLog.Kind;
import dev.mortar.catalog.Column;
import dev.mortar.crawler.partition.PartitionKeyTypes;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** How sibling folders become partitions of one table or tables of their own, over generated folder trees. */
class TableGroupingTest {
    @TempDir
    java.nio.file.Path dir;

    private CrawlReport crawl(MemoryCatalog catalog, CrawlPolicy policy, java.nio.file.Path include) throws IOException {
        CrawlTarget target = new CrawlTarget("db", "", List.of(new CrawlTarget.Include(include.toString(), List.of())), policy);
        return new Crawler(new Configuration(), catalog).crawl(target, () -> false);
    }

    private static String json(String... fields) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < fields.length; i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(fields[i]).append("\": ").append(i + 1);
        }
        return sb.append("}\n").toString();
    }

    @Test
    void similarSiblingsUnderTheIncludePathArePartitionsOfOneTable() throws IOException {
        TestFiles.text(dir.resolve("lake/2023/a.json"), json("id", "name", "city"));
        TestFiles.text(dir.resolve("lake/2024/a.json"), json("id", "name", "city", "zip"));
        TestFiles.text(dir.resolve("lake/2025/a.json"), json("id", "name", "city"));
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlReport report = crawl(catalog, CrawlPolicy.defaults(), dir.resolve("lake"));

        assertThat(report.tablesCreated()).containsExactly("lake");
        assertThat(catalog.table("lake").columns()).containsExactly(new Column("id", "bigint"), new Column("name", "bigint"), new Column("city", "bigint"),
                new Column("zip", "bigint"));
        assertThat(catalog.table("lake").partitionKeys()).containsExactly(new Column("partition_0", "int"));
        assertThat(catalog.table("lake").location()).contains("file:" + dir.resolve("lake"));
        assertThat(catalog.partitionsOf("lake")).containsExactlyInAnyOrder(List.of("2023"), List.of("2024"), List.of("2025"));
        // a partition keeps its own schema unless partitions inherit from the table
        assertThat(catalog.partitions.get("db.lake").get(List.of("2023")).columns()).contains(
                List.of(new Column("id", "bigint"), new Column("name", "bigint"), new Column("city", "bigint")));
        assertThat(report.log().entries()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(Kind.GROUP);
            assertThat(e.message()).contains("3 sibling folder(s)").contains("2 distinct schemas").contains("100% alike");
        });
        assertThat(report.log().entries()).filteredOn(e -> e.kind() == Kind.CLASSIFY).hasSize(3)
                .allSatisfy(e -> assertThat(e.message()).startsWith("classified as json"));
    }

    @Test
    void dissimilarSiblingsAreTablesOfTheirOwn() throws IOException {
        TestFiles.text(dir.resolve("lake/orders/a.json"), json("order_id", "total", "placed"));
        TestFiles.text(dir.resolve("lake/people/a.json"), json("name", "age"));
        TestFiles.text(dir.resolve("lake/people/b.json"), json("name", "age", "email"));
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlReport report = crawl(catalog, CrawlPolicy.defaults(), dir.resolve("lake"));

        assertThat(report.tablesCreated()).containsExactly("orders", "people");
        assertThat(catalog.table("orders").columns()).extracting(Column::name).containsExactly("order_id", "total", "placed");
        assertThat(catalog.table("people").columns()).extracting(Column::name).containsExactly("name", "age", "email");
        assertThat(catalog.table("people").partitionKeys()).isEmpty();
        assertThat(report.log().entries()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(Kind.GROUP);
            assertThat(e.message()).contains("not one table").contains("orders and people").contains("0% alike");
        });
    }

    @Test
    void dissimilarFoldersDeeperDownSplitTheTableThere() throws IOException {
        TestFiles.text(dir.resolve("lake/sales/current/month=1/a.json"), json("id", "amount"));
        TestFiles.text(dir.resolve("lake/sales/current/month=2/a.json"), json("id", "amount"));
        TestFiles.text(dir.resolve("lake/sales/archive/a.json"), json("x", "y", "z"));
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlReport report = crawl(catalog, CrawlPolicy.defaults(), dir.resolve("lake"));

        // one folder under the include path: it is the table folder, and its sub-folders disagree
        assertThat(report.tablesCreated()).containsExactly("archive", "current");
        assertThat(catalog.table("current").partitionKeys()).containsExactly(new Column("month", "int"));
        assertThat(catalog.partitionsOf("current")).containsExactlyInAnyOrder(List.of("1"), List.of("2"));
        assertThat(catalog.table("archive").columns()).extracting(Column::name).containsExactly("x", "y", "z");
        assertThat(catalog.table("archive").partitionKeys()).isEmpty();
    }

    @Test
    void keyValueFoldersArePartitionsWhateverTheirSchemas() throws IOException {
        TestFiles.text(dir.resolve("lake/events/dt=2024-01-01/a.json"), json("id", "kind", "ctx", "tags"));
        TestFiles.text(dir.resolve("lake/events/dt=2024-01-02/a.json"), json("ok", "flag"));
        MemoryCatalog catalog = new MemoryCatalog();
        CrawlReport report = crawl(catalog, CrawlPolicy.defaults(), dir.resolve("lake"));
        assertThat(report.tablesCreated()).containsExactly("events");
        assertThat(catalog.table("events").partitionKeys()).containsExactly(new Column("dt", "string"));
        assertThat(catalog.table("events").columns()).extracting(Column::name).containsExactly("id", "kind", "ctx", "tags", "ok", "flag");
        assertThat(report.log().entries()).anySatisfy(e -> assertThat(e.message()).contains("name their partition key dt").contains("0% alike"));
    }

    @Test
    void moreThanFiveDistinctSchemasAreSeparateTablesEvenWhenAlike() throws IOException {
        for (int i = 1; i <= 6; i++) {
            TestFiles.text(dir.resolve("six/f" + i + "/a.json"), json("a", "b", "c", "d", "e", "f", "x" + i));
        }
        for (int i = 1; i <= 5; i++) {
            TestFiles.text(dir.resolve("five/f" + i + "/a.json"), json("a", "b", "c", "d", "e", "f", "x" + i));
        }
        MemoryCatalog six = new MemoryCatalog();
        CrawlReport sixReport = crawl(six, CrawlPolicy.defaults(), dir.resolve("six"));
        assertThat(sixReport.tablesCreated()).containsExactly("f1", "f2", "f3", "f4", "f5", "f6");
        assertThat(sixReport.log().entries()).anySatisfy(e -> assertThat(e.message()).contains("6 distinct schemas among the 6 folders").contains("at most 5"));

        MemoryCatalog five = new MemoryCatalog();
        assertThat(crawl(five, CrawlPolicy.defaults(), dir.resolve("five")).tablesCreated()).containsExactly("five");
        assertThat(five.table("five").columns()).extracting(Column::name).containsExactly("a", "b", "c", "d", "e", "f", "x1", "x2", "x3", "x4", "x5");
        assertThat(five.partitionsOf("five")).hasSize(5);
    }

    @Test
    void combineCompatibleSchemasIgnoresSimilarityButNotFormat() throws IOException {
        TestFiles.text(dir.resolve("lake/orders/a.json"), json("order_id", "total"));
        TestFiles.text(dir.resolve("lake/people/a.json"), json("name", "age"));
        TestFiles.text(dir.resolve("mixed/orders/a.json"), json("order_id", "total"));
        TestFiles.text(dir.resolve("mixed/people/a.csv"), "name,age\nann,3\nbob,4\n");
        CrawlPolicy combine = CrawlPolicy.defaults().withConfiguration(CrawlerConfiguration.parse(
                "{\"Version\": 1.0, \"Grouping\": {\"TableGroupingPolicy\": \"CombineCompatibleSchemas\"}}"));

        MemoryCatalog catalog = new MemoryCatalog();
        assertThat(crawl(catalog, combine, dir.resolve("lake")).tablesCreated()).containsExactly("lake");
        assertThat(catalog.table("lake").columns()).extracting(Column::name).containsExactly("order_id", "total", "name", "age");
        assertThat(catalog.partitionsOf("lake")).containsExactlyInAnyOrder(List.of("orders"), List.of("people"));
        assertThat(catalog.table("lake").partitionKeys()).containsExactly(new Column("partition_0", "string"));

        MemoryCatalog mixed = new MemoryCatalog();
        CrawlReport report = crawl(mixed, combine, dir.resolve("mixed"));
        assertThat(report.tablesCreated()).containsExactly("orders", "people");
        assertThat(report.log().entries()).anySatisfy(e -> assertThat(e.message()).contains("different formats"));
        assertThat(report.log().entries()).filteredOn(e -> e.kind() == Kind.HEADER).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("first row taken as the header"));
    }

    @Test
    void tableLevelConfigurationFixesTheTableFolders() throws IOException {
        TestFiles.text(dir.resolve("lake/a/x/f.json"), json("id", "v"));
        TestFiles.text(dir.resolve("lake/a/y/f.json"), json("id", "v"));
        TestFiles.text(dir.resolve("lake/b/z/f.json"), json("id", "v"));
        MemoryCatalog grouped = new MemoryCatalog();
        assertThat(crawl(grouped, CrawlPolicy.defaults(), dir.resolve("lake")).tablesCreated()).containsExactly("lake");
        assertThat(grouped.table("lake").partitionKeys()).containsExactly(new Column("partition_0", "string"), new Column("partition_1", "string"));
        assertThat(grouped.partitionsOf("lake")).containsExactlyInAnyOrder(List.of("a", "x"), List.of("a", "y"), List.of("b", "z"));

        int lakeLevel = Crawler.level(new Path("file:" + dir.resolve("lake")));
        CrawlPolicy level = CrawlPolicy.defaults().withConfiguration(CrawlerConfiguration.parse(
                "{\"Version\": 1.0, \"Grouping\": {\"TableLevelConfiguration\": " + (lakeLevel + 1) + "}}"));
        assertThat(level.tableLevel()).isEqualTo(OptionalInt.of(lakeLevel + 1));
        MemoryCatalog byLevel = new MemoryCatalog();
        CrawlReport report = crawl(byLevel, level, dir.resolve("lake"));
        assertThat(report.tablesCreated()).containsExactly("a", "b");
        assertThat(byLevel.table("a").location()).contains("file:" + dir.resolve("lake/a"));
        assertThat(byLevel.partitionsOf("a")).containsExactlyInAnyOrder(List.of("x"), List.of("y"));
        assertThat(byLevel.partitionsOf("b")).containsExactly(List.of("z"));
        assertThat(report.log().entries()).anySatisfy(e -> assertThat(e.message()).contains("TableLevelConfiguration " + (lakeLevel + 1)));
    }

    @Test
    void partitionKeyTypesFollowTheirValues() {
        assertThat(PartitionKeyTypes.infer(3, List.of(List.of("2024", "01", "eu"), List.of("2025", "3000000000", "us"))))
                .containsExactly("int", "bigint", "string");
        assertThat(PartitionKeyTypes.infer(2, List.of(List.of("1", "x"), List.of("a", "-7")))).containsExactly("string", "string");
        assertThat(PartitionKeyTypes.infer(1, List.of(List.of("-12")))).containsExactly("int");
        assertThat(PartitionKeyTypes.infer(1, List.of(List.of("99999999999999999999")))).containsExactly("string");
    }
}
