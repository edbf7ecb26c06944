package dev.mortar.etl;

import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.Column;
import dev.mortar.catalog.TableName;
import dev.mortar.etl.duckdb.DuckDbEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bookmarks of SQL jobs over real files: a partitioned text table read by DuckDB through the catalog, where a run
 * given the files of the runs before reads only what is new, and says which files it read.
 */
class SqlJobBookmarkTest {
    private static final String COUNT_EVENTS = "SELECT * FROM src.events";

    @TempDir
    Path dir;

    private MemoryCatalog catalog;
    private SqlJobRunner runner;
    private CatalogTable events;
    private int runs;

    @BeforeEach
    void setUp() throws IOException {
        catalog = new MemoryCatalog();
        catalog.database("src", "file:" + dir.resolve("src"));
        catalog.database("out", "file:" + dir.resolve("out"));
        events = CatalogTable.external(new TableName("src", "events"), "file:" + dir.resolve("src/events"),
                List.of(new Column("id", "bigint"), new Column("name", "string")), List.of(new Column("dt", "string")),
                OutputFormat.TEXTFILE.storage(), Map.of("classification", "csv"));
        catalog.createTable(events);
        addDay("2024-01-01", "1,apple\n2,pear\n3,plum\n");
        addDay("2024-01-02", "4,fig\n5,kiwi\n");
        runner = new SqlJobRunner(new DuckDbEngine("256MB", 1), catalog, catalog);
    }

    private Path addDay(String day, String rows) throws IOException {
        Path folder = dir.resolve("src/events/dt=" + day);
        Files.createDirectories(folder);
        Path file = folder.resolve("part-0.csv");
        Files.writeString(file, rows);
        catalog.addPartitions(events, List.of(new CatalogPartition(List.of(day), "file:" + folder)));
        return file;
    }

    private RunResult run(String script, Map<String, Set<FileMark>> alreadyRead) {
        return runner.run(new JobRequest("jr_" + (++runs), script, Map.of(), null, alreadyRead));
    }

    private static long rows(RunResult result) {
        return result.statements().getFirst().rows();
    }

    @Test
    void aBookmarkRangeReadsOnlyItsFiles() throws IOException {
        Path day1 = dir.resolve("src/events/dt=2024-01-01/part-0.csv");
        addDay("2024-01-03", "6,lime\n");
        // the range names the first day's file: the other days' files, read or not, are left out
        RunResult ranged = runner.run(new JobRequest("jr_range", COUNT_EVENTS, Map.of(), null, Map.of()).withOnlyRead(Map.of("src.events",
                Set.of(FileMark.of(day1)))));
        assertThat(rows(ranged)).isEqualTo(3);
        assertThat(ranged.filesRead().get("src.events")).containsExactly(FileMark.of(day1));
        assertThat(ranged.log()).anyMatch(l -> l.contains("Bookmark range for src.events: 1 of 3 files"));
        // a range with no file of a table reads none of it
        RunResult empty = runner.run(new JobRequest("jr_empty", COUNT_EVENTS, Map.of(), null, Map.of()).withOnlyRead(Map.of()));
        assertThat(rows(empty)).isZero();
    }

    @Test
    void aSecondRunReadsOnlyTheFilesOfTheNewPartition() throws IOException {
        RunResult first = run(COUNT_EVENTS, Map.of());
        assertThat(rows(first)).isEqualTo(5);
        Path day1 = dir.resolve("src/events/dt=2024-01-01/part-0.csv");
        Path day2 = dir.resolve("src/events/dt=2024-01-02/part-0.csv");
        assertThat(first.filesRead()).containsOnlyKeys("src.events");
        assertThat(first.filesRead().get("src.events")).containsExactlyInAnyOrder(FileMark.of(day1), FileMark.of(day2));
        assertThat(first.filesReadCount()).isEqualTo(2);

        Path day3 = addDay("2024-01-03", "6,lime\n7,date\n");
        RunResult second = run(COUNT_EVENTS, first.filesRead());

        assertThat(rows(second)).isEqualTo(2);
        assertThat(second.rowsRead()).isEqualTo(2);
        assertThat(second.filesRead()).isEqualTo(Map.of("src.events", Set.of(FileMark.of(day3))));
        assertThat(second.log()).contains("Bookmark for src.events: 2 of 3 files read before, 1 to read");
    }

    @Test
    void theNewRowsOfABookmarkedRunAreWhatItWrites() throws IOException {
        RunResult first = run("CREATE TABLE out.copy PARTITIONED BY (dt) AS SELECT id, upper(name) AS name, dt FROM src.events", Map.of());
        assertThat(first.rowsWritten()).isEqualTo(5);
        addDay("2024-01-03", "6,lime\n7,date\n");

        RunResult second = run("INSERT INTO out.copy SELECT id, upper(name), dt FROM src.events", first.filesRead());

        assertThat(second.rowsWritten()).isEqualTo(2);
        assertThat(second.outputPartitions()).extracting(RunResult.OutputPartition::values, RunResult.OutputPartition::change)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(List.of("2024-01-03"), RunResult.Change.ADDED));
        RunResult all = run("SELECT * FROM out.copy", Map.of());
        assertThat(rows(all)).isEqualTo(7);
        assertThat(all.filesRead()).containsOnlyKeys("out.copy");
        assertThat(names(dir.resolve("out/copy"))).containsExactlyInAnyOrder("APPLE", "PEAR", "PLUM", "FIG", "KIWI", "LIME", "DATE");
    }

    @Test
    void aFileRewrittenInPlaceIsReadAgain() throws IOException {
        RunResult first = run(COUNT_EVENTS, Map.of());
        Path day2 = dir.resolve("src/events/dt=2024-01-02/part-0.csv");
        FileTime time = Files.getLastModifiedTime(day2);
        Files.writeString(day2, "4,fig\n5,kiwi\n8,yuzu\n");
        Files.setLastModifiedTime(day2, time); // same path and time, another size

        RunResult second = run(COUNT_EVENTS, first.filesRead());

        assertThat(rows(second)).isEqualTo(3);
        assertThat(second.filesRead().get("src.events")).containsExactly(FileMark.of(day2));

        Files.setLastModifiedTime(day2, FileTime.fromMillis(time.toMillis() + 60_000)); // same size, another time
        RunResult third = run(COUNT_EVENTS, union(first.filesRead(), second.filesRead()));
        assertThat(rows(third)).isEqualTo(3);
        assertThat(third.filesRead().get("src.events")).containsExactly(FileMark.of(day2));
    }

    @Test
    void aTableWhoseFilesWereAllReadGivesNoRows() {
        RunResult first = run(COUNT_EVENTS, Map.of());

        RunResult second = run("SELECT name, dt FROM src.events WHERE id > 0", first.filesRead());

        assertThat(rows(second)).isZero();
        assertThat(second.filesRead()).isEmpty();
        assertThat(second.rowsRead()).isZero();
    }

    @Test
    void filesOfOtherTablesInTheBookmarkDoNotHideThisTablesFiles() throws IOException {
        Path day1 = dir.resolve("src/events/dt=2024-01-01/part-0.csv");
        RunResult result = run(COUNT_EVENTS, Map.of("SRC.Other", Set.of(FileMark.of(day1))));

        assertThat(rows(result)).isEqualTo(5);
    }

    /** A bookmark's files after two runs: what each of them read. */
    private static Map<String, Set<FileMark>> union(Map<String, Set<FileMark>> a, Map<String, Set<FileMark>> b) {
        Map<String, Set<FileMark>> all = new java.util.HashMap<>();
        a.forEach((table, files) -> all.computeIfAbsent(table, t -> new java.util.HashSet<>()).addAll(files));
        b.forEach((table, files) -> all.computeIfAbsent(table, t -> new java.util.HashSet<>()).addAll(files));
        return all;
    }

    private static List<String> names(Path table) {
        List<String> names = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM read_parquet('" + table + "/*/*.parquet')")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        return names;
    }
}
