package dev.mortar.crawler;

import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.CatalogWriter;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a running crawl tells its progress listener: files taken in, their bytes, tables found, as it goes. */
class CrawlProgressTest {
    @TempDir
    Path dir;

    @Test
    void countsFilesBytesAndTablesWhileTheCrawlRuns() throws Exception {
        String a1 = "id,name\n1,a\n2,b\n";
        String a2 = "id,name\n3,c\n";
        String b = "{\"x\": 1}\n";
        TestFiles.text(dir.resolve("a/dt=1/f.csv"), a1);
        TestFiles.text(dir.resolve("a/dt=2/f.csv"), a2);
        TestFiles.text(dir.resolve("b/f.json"), b);
        TestFiles.text(dir.resolve("b/_SUCCESS"), "");
        TestFiles.text(dir.resolve("b/empty.json"), "");
        TestFiles.text(dir.resolve("tmp/skipped.csv"), "a,b\n1,2\n3,4\n");

        CrawlCounters counters = new CrawlCounters();
        List<CrawlCounters.Snapshot> atCreate = new ArrayList<>();
        MemoryCatalog memory = new MemoryCatalog();
        CatalogWriter catalog = new CatalogWriter() {
            @Override
            public void ensureDatabase(String database) {
                memory.ensureDatabase(database);
            }

            @Override
            public Optional<CatalogTable> table(String database, String name) {
                return memory.table(database, name);
            }

            @Override
            public void createTable(CatalogTable table) {
                atCreate.add(counters.snapshot());
                memory.createTable(table);
            }

            @Override
            public void updateTable(CatalogTable table) {
                memory.updateTable(table);
            }

            @Override
            public Set<List<String>> partitionValues(String database, String table) {
                return memory.partitionValues(database, table);
            }

            @Override
            public void addPartitions(CatalogTable table, List<CatalogPartition> partitions) {
                memory.addPartitions(table, partitions);
            }

            @Override
            public void updatePartitions(CatalogTable table, List<CatalogPartition> partitions) {
                memory.updatePartitions(table, partitions);
            }

            @Override
            public void deleteTable(String database, String name) {
                memory.deleteTable(database, name);
            }

            @Override
            public void deletePartitions(String database, String table, List<List<String>> values) {
                memory.deletePartitions(database, table, values);
            }

            @Override
            public void setTableParameter(String database, String table, String key, String value) {
                memory.setTableParameter(database, table, key, value);
            }

            @Override
            public void setPartitionParameter(String database, String table, List<List<String>> values, String key, String value) {
                memory.setPartitionParameter(database, table, values, key, value);
            }
        };
        CrawlTarget target = new CrawlTarget("db", "", List.of(new CrawlTarget.Include(dir.toString(), List.of("tmp/**"))), true);
        CrawlReport report = new Crawler(new Configuration(), catalog, counters).crawl(target, () -> false);

        assertThat(report.tablesCreated()).containsExactly("a", "b");
        long aBytes = a1.length() + a2.length();
        // every file is taken in before any table is written (a stopped run writes nothing half); each table is counted before it is written
        assertThat(atCreate).containsExactly(new CrawlCounters.Snapshot(3, aBytes + b.length(), 1), new CrawlCounters.Snapshot(3, aBytes + b.length(), 2));
        assertThat(counters.snapshot()).isEqualTo(new CrawlCounters.Snapshot(3, aBytes + b.length(), 2));
        assertThat(report.filesRead()).isEqualTo(3);
    }
}
