package dev.mortar.etl;

import dev.mortar.etl.duckdb.DuckDbEngine;
import dev.mortar.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stopping a SQL job: the statement in flight is interrupted, no further one runs, and nothing of the run is kept. */
class SqlJobCancellationTest {
    /** Runs for hours unless it is interrupted: 10^18 rows to sum, and a result of one row. */
    private static final String ENDLESS = "CREATE TABLE out.endless AS SELECT sum(a.range * b.range) AS total FROM range(1000000000) a, range(1000000000) b";

    @TempDir
    Path dir;

    private MemoryCatalog catalog;
    private SqlJobRunner runner;
    private final ExecutorService runs = Executors.newSingleThreadExecutor();

    @BeforeEach
    void setUp() {
        catalog = new MemoryCatalog();
        catalog.database("out", "file:" + dir.resolve("out"));
        runner = new SqlJobRunner(new DuckDbEngine("256MB", 1), catalog, catalog);
    }

    @AfterEach
    void tearDown() {
        runs.shutdownNow();
    }

    @Test
    void aStopInterruptsTheStatementInFlightAndKeepsNothing() throws Exception {
        Cancellation cancellation = new Cancellation();
        List<String> log = new CopyOnWriteArrayList<>();
        JobRequest request = new JobRequest("jr_stop", "CREATE TABLE out.first AS SELECT 1 AS a;\n" + ENDLESS + ";\nCREATE TABLE out.after AS SELECT 2 AS b",
                Map.of(), log::add);
        Future<RunResult> run = runs.submit(() -> runner.run(request, cancellation));

        // the second statement stages its output folder right before DuckDB starts the query
        Path staging = dir.resolve("out/endless/" + OutputCommit.STAGING_PREFIX + "jr_stop");
        Await.untilTrue("the endless statement to start", Duration.ofSeconds(60), () -> Files.isDirectory(staging));
        cancellation.cancel("asked by BatchStopJobRun");

        assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(JobCancelledException.class)
                .hasMessage("Run stopped: asked by BatchStopJobRun")
                .satisfies(e -> assertThat(((JobCancelledException) e).reason()).isEqualTo("asked by BatchStopJobRun"))
                .rootCause().hasMessageContaining("nterrupt");
        assertThat(catalog.tables).isEmpty();
        assertThat(catalog.partitions).isEmpty();
        assertThat(filesUnder(dir.resolve("out"))).isEmpty();
        assertThat(log).noneMatch(line -> line.startsWith("Statement 2")).anyMatch(line -> line.equals("Failed: Run stopped: asked by BatchStopJobRun"));
    }

    @Test
    void aStopBetweenStatementsRunsNoFurtherStatement() {
        Cancellation cancellation = new Cancellation();
        List<String> log = new CopyOnWriteArrayList<>();
        // the log sink is called on the run's thread right after statement 1 ended
        JobRequest request = new JobRequest("jr_between", "CREATE TABLE out.first AS SELECT 1 AS a;\nCREATE TABLE out.second AS SELECT 2 AS b",
                Map.of(), line -> {
                    log.add(line);
                    if (line.startsWith("Statement 1 ")) {
                        cancellation.cancel("timeout of 1 minute");
                    }
                });

        assertThatThrownBy(() -> runner.run(request, cancellation))
                .isInstanceOf(JobCancelledException.class)
                .hasMessage("Run stopped: timeout of 1 minute");
        assertThat(log).noneMatch(line -> line.startsWith("Statement 2"));
        assertThat(catalog.tables).isEmpty();
        assertThat(filesUnder(dir.resolve("out"))).isEmpty();
    }

    @Test
    void aRunStoppedBeforeItStartsRunsNothing() {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel("stopped while waiting");
        List<String> log = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> runner.run(new JobRequest("jr_early", "CREATE TABLE out.first AS SELECT 1 AS a", Map.of(), log::add), cancellation))
                .isInstanceOf(JobCancelledException.class)
                .hasMessage("Run stopped: stopped while waiting");
        assertThat(catalog.tables).isEmpty();
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void theFirstReasonIsKeptAndActionsRunOnce() {
        Cancellation cancellation = new Cancellation();
        List<String> calls = new CopyOnWriteArrayList<>();
        cancellation.onCancel(() -> calls.add("registered before"));
        Cancellation.Registration dropped = cancellation.onCancel(() -> calls.add("dropped"));
        dropped.close();
        assertThat(cancellation.isCancelled()).isFalse();
        assertThat(cancellation.reason()).isEmpty();

        cancellation.cancel("first");
        cancellation.cancel("second");
        cancellation.onCancel(() -> calls.add("registered after"));

        assertThat(cancellation.isCancelled()).isTrue();
        assertThat(cancellation.reason()).contains("first");
        assertThat(calls).containsExactly("registered before", "registered after");
    }

    @Test
    void aRunNotStoppedCommitsAsBefore() {
        RunResult result = runner.run(new JobRequest("jr_plain", "CREATE TABLE out.first AS SELECT 1 AS a", Map.of()), new Cancellation());

        assertThat(result.rowsWritten()).isEqualTo(1);
        assertThat(catalog.tables).containsOnlyKeys("out.first");
    }

    private static List<Path> filesUnder(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
