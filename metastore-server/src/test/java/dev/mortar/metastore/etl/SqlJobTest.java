package dev.mortar.metastore.etl;

import dev.mortar.catalog.hms.HmsCatalog;
import dev.mortar.catalog.hms.HmsCatalogWriter;
import dev.mortar.etl.JobException;
import dev.mortar.etl.JobRequest;
import dev.mortar.etl.RunResult;
import dev.mortar.etl.SqlJobRunner;
import dev.mortar.etl.duckdb.DuckDbEngine;
import dev.mortar.metastore.TestServer;
import dev.mortar.testing.HiveJdbc;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SQL jobs against a running server: a crawled-style CSV table read through the catalog (partitions pruned), output
 * written as Parquet and committed through HMS, read back with Hive's own client, DuckDB and the SQL gateway; a run
 * that fails half-way leaves its target as it was.
 */
class SqlJobTest {
    private static TestServer server;
    private static HmsCatalog catalog;
    private static HmsCatalogWriter writer;
    private static SqlJobRunner runner;
    private static int runs;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        Path source = server.dataDir.resolve("source/events");
        Map<String, String> days = Map.of(
                "2024-01-01", "1,apple,10\n2,pear,20\n3,apple,5\n",
                "2024-01-02", "4,plum,7\n5,apple,1\n");
        try (HiveMetaStoreClient hive = server.client()) {
            hive.createDatabase(new Database("src", "", "file:" + server.dataDir.resolve("src-db"), new HashMap<>()));
            hive.createDatabase(new Database("out", "", "file:" + server.dataDir.resolve("out-db"), new HashMap<>()));
            hive.createDatabase(new Database("my_db", "", "file:" + server.dataDir.resolve("my_db"), new HashMap<>()));
            StorageDescriptor sd = new StorageDescriptor(List.of(new FieldSchema("id", "bigint", null), new FieldSchema("name", "string", null),
                    new FieldSchema("amount", "int", null)), "file:" + source,
                    "org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat", false, -1,
                    new SerDeInfo(null, "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", Map.of("field.delim", ",")), List.of(), List.of(), Map.of());
            hive.createTable(new Table("events", "src", "test", 0, 0, 0, sd, List.of(new FieldSchema("dt", "string", null)),
                    new HashMap<>(Map.of("EXTERNAL", "TRUE", "classification", "csv")), null, null, "EXTERNAL_TABLE"));
            for (Map.Entry<String, String> day : days.entrySet()) {
                Path folder = source.resolve("dt=" + day.getKey());
                Files.createDirectories(folder);
                Files.writeString(folder.resolve("part-0.csv"), day.getValue());
                StorageDescriptor psd = sd.deepCopy();
                psd.setLocation("file:" + folder);
                hive.add_partition(new Partition(List.of(day.getKey()), "src", "events", 0, 0, psd, new HashMap<>()));
            }
        }
        catalog = new HmsCatalog("127.0.0.1", server.server.thriftPort());
        writer = new HmsCatalogWriter("127.0.0.1", server.server.thriftPort());
        runner = new SqlJobRunner(new DuckDbEngine("512MB", 1), catalog, writer);
    }

    @AfterAll
    static void stop() throws Exception {
        writer.close();
        catalog.close();
        server.close();
        server.deleteData();
    }

    private static RunResult run(String script, Map<String, String> arguments) {
        return runner.run(new JobRequest("jr_" + (++runs), script, arguments));
    }

    @Test
    void aPartitionedParquetTableFromACsvTableIsInTheCatalogAndReadable() throws Exception {
        RunResult result = run("""
                -- the managed service's example, as SQL
                CREATE TABLE ${output_database}.${output_table}
                PARTITIONED BY (dt) AS
                SELECT id, upper(name) AS name, amount * 2 AS doubled, dt
                FROM ${input_database}.${input_table}
                WHERE dt = '${day}';
                """, Map.of("--input_database", "src", "--input_table", "events", "--output_database", "out",
                "--output_table", "daily", "--day", "2024-01-01"));

        assertThat(result.rowsWritten()).isEqualTo(3);
        assertThat(result.rowsRead()).isEqualTo(3);
        assertThat(result.filesReadCount()).isEqualTo(1);
        assertThat(result.filesRead()).containsOnlyKeys("src.events");
        assertThat(result.bytesRead()).isEqualTo("1,apple,10\n2,pear,20\n3,apple,5\n".length());
        assertThat(result.filesWritten()).isEqualTo(1);
        assertThat(result.bytesWritten()).isPositive();
        assertThat(result.outputPartitions()).extracting(RunResult.OutputPartition::values).containsExactly(List.of("2024-01-01"));
        assertThat(result.statements()).singleElement().satisfies(s -> {
            assertThat(s.line()).isEqualTo(2);
            assertThat(s.kind()).isEqualTo("CREATE TABLE AS");
        });
        assertThat(result.log()).anyMatch(l -> l.contains("Partition filter for src.events: (dt = '2024-01-01') -> 1 partitions"));

        try (HiveMetaStoreClient hive = server.client()) {
            Table table = hive.getTable("out", "daily");
            assertThat(table.getSd().getLocation()).isEqualTo("file:" + server.dataDir.resolve("out-db/daily"));
            assertThat(table.getSd().getSerdeInfo().getSerializationLib()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
            assertThat(table.getSd().getCols()).extracting(FieldSchema::getName, FieldSchema::getType)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("id", "bigint"), org.assertj.core.groups.Tuple.tuple("name", "string"),
                            org.assertj.core.groups.Tuple.tuple("doubled", "int"));
            assertThat(table.getPartitionKeys()).extracting(FieldSchema::getName).containsExactly("dt");
            List<Partition> partitions = hive.listPartitions("out", "daily", (short) -1);
            assertThat(partitions).singleElement().satisfies(p -> {
                assertThat(p.getValues()).containsExactly("2024-01-01");
                assertThat(p.getSd().getLocation()).isEqualTo("file:" + server.dataDir.resolve("out-db/daily/dt=2024-01-01"));
            });
        }
        assertThat(duckdb("SELECT sum(doubled), string_agg(name, ',' ORDER BY id) FROM read_parquet('"
                + server.dataDir.resolve("out-db/daily/dt=2024-01-01") + "/*.parquet')")).isEqualTo("70|APPLE,PEAR,APPLE");
        assertThat(hiddenLeftovers(server.dataDir.resolve("out-db/daily"))).isEmpty();

        try (Connection gateway = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/out", "analyst", "any");
             Statement s = gateway.createStatement();
             ResultSet rs = s.executeQuery("SELECT dt, count(*), sum(doubled) FROM out.daily GROUP BY dt")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("2024-01-01");
            assertThat(rs.getLong(2)).isEqualTo(3);
            assertThat(rs.getLong(3)).isEqualTo(70);
        }
    }

    @Test
    void createInsertAndOverwriteWithStaticAndDynamicPartitionsInQuotedNames() throws Exception {
        RunResult first = run("""
                CREATE TABLE `my_db`.`totals` (name string, total bigint) PARTITIONED BY (dt string);
                INSERT INTO `my_db`.totals SELECT name, sum(amount), dt FROM src.events GROUP BY name, dt;
                CREATE TABLE IF NOT EXISTS "my_db".totals (x int);
                SELECT * FROM src.events
                """, Map.of());
        assertThat(first.statements()).extracting(RunResult.StatementResult::rows).containsExactly(0L, 4L, 0L, 5L);
        assertThat(first.outputPartitions()).extracting(RunResult.OutputPartition::change).containsOnly(RunResult.Change.ADDED);
        assertThat(totals()).isEqualTo(Map.of("2024-01-01", "apple=15,pear=20", "2024-01-02", "apple=1,plum=7"));

        RunResult second = run("""
                INSERT OVERWRITE TABLE `my_db`.totals PARTITION (dt = '2024-01-02') SELECT 'all', sum(amount) FROM src.events WHERE dt = '2024-01-02';
                INSERT INTO `my_db`.totals SELECT 'late', 1, '2024-01-01';
                INSERT INTO `my_db`.totals SELECT 'new', 2, '2024-01-03'
                """, Map.of());
        assertThat(second.outputPartitions()).extracting(p -> p.values().get(0) + ":" + p.change())
                .containsExactlyInAnyOrder("2024-01-02:REPLACED", "2024-01-01:APPENDED", "2024-01-03:ADDED");
        assertThat(totals()).isEqualTo(Map.of("2024-01-01", "apple=15,late=1,pear=20", "2024-01-02", "all=8", "2024-01-03", "new=2"));
        // the replaced partition's old files are gone, its new ones in a folder of the run
        try (HiveMetaStoreClient hive = server.client()) {
            Partition replaced = hive.getPartition("my_db", "totals", List.of("2024-01-02"));
            assertThat(replaced.getSd().getLocation()).endsWith("/my_db/totals/dt=2024-01-02/_mortar-jr_" + runs);
        }
        assertThat(visibleFiles(server.dataDir.resolve("my_db/totals/dt=2024-01-02"))).isEmpty();
    }

    @Test
    void aStatementThatFailsHalfWayLeavesTheTargetAsItWas() throws Exception {
        run("CREATE TABLE out.kept (id bigint, name string) PARTITIONED BY (dt string);"
                + "INSERT INTO out.kept SELECT id, name, dt FROM src.events", Map.of());
        Path home = server.dataDir.resolve("out-db/kept");
        Map<String, String> before = snapshot("kept");
        List<Path> filesBefore = allFiles(home);

        assertThatThrownBy(() -> run("""
                INSERT OVERWRITE TABLE out.kept PARTITION (dt) SELECT id, name, dt FROM src.events;
                INSERT INTO out.kept SELECT 9, 'x', '2030-01-01';
                CREATE TABLE out.never (a int);
                SELECT no_such_column
                FROM src.events;
                INSERT INTO out.kept SELECT 10, 'y', '2031-01-01'
                """, Map.of()))
                .isInstanceOf(JobException.class)
                .hasMessageStartingWith("Statement 4 (line 4): ")
                .hasMessageContaining("no_such_column")
                .satisfies(e -> assertThat(((JobException) e).line()).contains(4));

        assertThat(snapshot("kept")).isEqualTo(before);
        assertThat(allFiles(home)).isEqualTo(filesBefore);
        try (HiveMetaStoreClient hive = server.client()) {
            assertThat(hive.tableExists("out", "never")).isFalse();
        }
        assertThat(Files.exists(server.dataDir.resolve("out-db/never"))).isFalse();
    }

    @Test
    void anUnpartitionedOverwriteSwapsTheTablesFilesAtOnce() throws Exception {
        run("CREATE TABLE out.flat (name string, n bigint) STORED AS JSONFILE;"
                + "INSERT INTO out.flat SELECT name, count(*) FROM src.events GROUP BY name", Map.of());
        assertThat(duckdb("SELECT string_agg(name || '=' || n, ',' ORDER BY name) FROM read_json('"
                + server.dataDir.resolve("out-db/flat") + "/*.json')")).isEqualTo("apple=3,pear=1,plum=1");
        RunResult overwrite = run("INSERT OVERWRITE TABLE out.flat SELECT 'total', count(*) FROM src.events", Map.of());
        assertThat(overwrite.outputPartitions()).singleElement().satisfies(p -> assertThat(p.change()).isEqualTo(RunResult.Change.REPLACED));
        try (HiveMetaStoreClient hive = server.client()) {
            Table table = hive.getTable("out", "flat");
            assertThat(table.getSd().getLocation()).isEqualTo("file:" + server.dataDir.resolve("out-db/flat/_mortar-jr_" + runs));
            assertThat(table.getSd().getSerdeInfo().getSerializationLib()).isEqualTo("org.apache.hive.hcatalog.data.JsonSerDe");
            assertThat(table.getParameters()).containsEntry("mortar.home", "file:" + server.dataDir.resolve("out-db/flat"));
        }
        assertThat(visibleFiles(server.dataDir.resolve("out-db/flat"))).isEmpty();
        assertThat(run("SELECT * FROM out.flat WHERE n = 5", Map.of()).statements()).extracting(RunResult.StatementResult::rows).containsExactly(1L);
        run("INSERT OVERWRITE TABLE out.flat SELECT 'again', 1", Map.of());
        try (HiveMetaStoreClient hive = server.client()) {
            assertThat(hive.getTable("out", "flat").getSd().getLocation()).isEqualTo("file:" + server.dataDir.resolve("out-db/flat/_mortar-jr_" + runs));
        }
        try (Stream<Path> folders = Files.list(server.dataDir.resolve("out-db/flat"))) {
            assertThat(folders.map(p -> p.getFileName().toString())).containsExactly("_mortar-jr_" + runs);
        }
    }

    @Test
    void theServersOwnHmsHandlerInProcessCommitsTheSame() throws Exception {
        try (HmsCatalog local = new HmsCatalog(server.server.dispatcher().iface());
             HmsCatalogWriter localWriter = new HmsCatalogWriter(server.server.dispatcher().iface())) {
            SqlJobRunner inProcess = new SqlJobRunner(new DuckDbEngine("512MB", 1), local, localWriter);
            List<String> streamed = new ArrayList<>();
            RunResult result = inProcess.run(new JobRequest("jr_local", "CREATE TABLE out.local PARTITIONED BY (dt) AS SELECT name, dt FROM src.events",
                    Map.of(), streamed::add));
            assertThat(result.rowsWritten()).isEqualTo(5);
            assertThat(streamed).isEqualTo(result.log());
        }
        try (HiveMetaStoreClient hive = server.client()) {
            assertThat(hive.listPartitionNames("out", "local", (short) -1)).containsExactlyInAnyOrder("dt=2024-01-01", "dt=2024-01-02");
        }
    }

    @Test
    void aTextTableWrittenByAJobIsReadBackByTheNextStatementsRun() throws Exception {
        run("CREATE TABLE out.text STORED AS TEXTFILE AS SELECT id, name, CAST(NULL AS VARCHAR) AS missing FROM src.events", Map.of());
        try (HiveMetaStoreClient hive = server.client()) {
            Table table = hive.getTable("out", "text");
            assertThat(table.getSd().getSerdeInfo().getSerializationLib()).isEqualTo("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
            assertThat(table.getSd().getSerdeInfo().getParameters()).containsEntry("field.delim", ",");
        }
        RunResult read = run("SELECT * FROM out.text WHERE missing IS NULL AND name = 'apple'", Map.of());
        assertThat(read.statements()).extracting(RunResult.StatementResult::rows).containsExactly(3L);
        assertThat(read.rowsRead()).isEqualTo(5);
    }

    @Test
    void errorsNameTheStatementAndItsLine() {
        assertThatThrownBy(() -> run("SELECT 1;\nSELECT * FROM src.missing", Map.of()))
                .hasMessage("Statement 2 (line 2): Table not found: src.missing");
        assertThatThrownBy(() -> run("SELECT 1;\n\nINSERT INTO src.events SELECT 1", Map.of()))
                .hasMessageStartingWith("Statement 2 (line 3): The query gives 1 columns; src.events takes 4 (id, name, amount, dt");
        assertThatThrownBy(() -> run("CREATE TABLE out.daily2 PARTITIONED BY (nope) AS SELECT 1 AS a", Map.of()))
                .hasMessageStartingWith("Statement 1 (line 1): Partition column nope is not a column of the query");
    }

    private static Map<String, String> totals() throws Exception {
        Map<String, String> byDay = new TreeMap<>();
        try (HiveMetaStoreClient hive = server.client()) {
            for (Partition p : hive.listPartitions("my_db", "totals", (short) -1)) {
                Path folder = Path.of(URI.create("file://" + p.getSd().getLocation().substring("file:".length())));
                byDay.put(p.getValues().get(0), duckdb("SELECT string_agg(name || '=' || total, ',' ORDER BY name) FROM read_parquet('" + folder + "/*.parquet')"));
            }
        }
        return byDay;
    }

    private static Map<String, String> snapshot(String table) throws Exception {
        Map<String, String> partitions = new TreeMap<>();
        try (HiveMetaStoreClient hive = server.client()) {
            for (Partition p : hive.listPartitions("out", table, (short) -1)) {
                partitions.put(String.join("/", p.getValues()), p.getSd().getLocation());
            }
        }
        return partitions;
    }

    private static String duckdb(String query) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getString(i));
            }
            return String.join("|", values);
        }
    }

    private static List<Path> allFiles(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.sorted().toList();
        }
    }

    private static List<Path> visibleFiles(Path root) throws Exception {
        try (Stream<Path> paths = Files.list(root)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }

    private static List<Path> hiddenLeftovers(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> p.getFileName().toString().startsWith("_mortar-staging")).toList();
        }
    }
}
