package dev.mortar.metastore.cli;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `mortar job ...` against a real server on ephemeral ports, whose embedded workers run the jobs: a SQL job over a
 * crawled table run with --wait, its runs, log and bookmark; a failing job retried and its exit status (also through
 * bin/mortar); a Python shell job's output in its log; a long Python run stopped while its log is followed; the API's
 * errors.
 */
class JobCliTest {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    static TestServer server;
    static String endpoint;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        endpoint = "--endpoint=http://127.0.0.1:" + server.server.httpPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    private static CliRun job(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "job";
        all[1] = args[0];
        all[2] = endpoint;
        System.arraycopy(args, 1, all, 3, args.length - 1);
        return CliRun.of(all);
    }

    private static CliRun ok(CliRun run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    private static void write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** The column of each header cell's first character in the header line. */
    private static int column(String header, String cell) {
        int at = header.indexOf(cell);
        assertThat(at).as("header %s has %s", header, cell).isGreaterThanOrEqualTo(0);
        return at;
    }

    /** Lines of label and value, two or more spaces apart, as "label: value". */
    private static List<String> fields(String out) {
        return out.lines().map(l -> l.replaceFirst("\\s{2,}", ": ")).toList();
    }

    /** The lines from the first that starts with {@code prefix}. */
    private static List<String> from(String out, String prefix) {
        List<String> lines = out.lines().dropWhile(l -> !l.startsWith(prefix)).toList();
        assertThat(lines).as("a line starting with %s in:%n%s", prefix, out).isNotEmpty();
        return lines;
    }

    @Test
    void aSqlJobOverACrawledTableRunsWithWaitAndShowsItsRunsLogAndBookmark(@TempDir Path dir) throws Exception {
        write(dir.resolve("lake/orders/ds=2024-01-01/part-0.csv"), "id,amount\n1,12.5\n2,7.25\n");
        write(dir.resolve("lake/orders/ds=2024-01-02/part-0.csv"), "id,amount\n3,30.0\n");
        ok(CliRun.of("crawler", "create", "shop", endpoint, "--database", "shop", "--path", dir.resolve("lake").toString()));
        ok(CliRun.of("crawler", "start", "shop", endpoint, "--wait", "--interval-ms", "50"));
        Path script = dir.resolve("jobs/totals.sql");
        write(script, """
                -- totals per day of the orders from ${from} on
                CREATE TABLE IF NOT EXISTS shop.order_totals (orders bigint, total double) PARTITIONED BY (ds string);
                INSERT INTO shop.order_totals SELECT count(*), sum(amount), ds FROM shop.orders WHERE ds >= '${from}' GROUP BY ds;
                """);
        // a relative script path is the caller's folder's
        String relative = Path.of("").toAbsolutePath().relativize(script).toString();
        assertThat(relative).doesNotStartWith("/");

        CliRun created = ok(job("create", "totals", "--script", relative, "--arg", "--from=2024-01-01", "--bookmarks", "enable", "--description", "daily totals"));
        assertThat(created.out()).isEqualTo("Created job totals: sql script " + script + "\n");

        CliRun run = ok(job("start", "totals", "--wait", "--interval-ms", "50"));
        List<String> lines = run.out().lines().toList();
        List<String> summary = from(run.out(), "Run ");
        // progress lines (while the run was queued or running) come before the summary
        lines.subList(0, lines.size() - summary.size()).forEach(l -> assertThat(l).matches("totals (STARTING|RUNNING)"));
        assertThat(summary.get(0)).matches("Run jr_[0-9a-f]{64} SUCCEEDED in \\d+\\.\\ds: 3 rows read \\(2 files, \\d+ B\\), 2 rows written \\(2 files, .+\\), 2 output partitions");
        String runId = summary.get(0).split(" ")[1];
        Path table = server.warehouse().resolve("shop.db/order_totals");
        assertThat(summary.subList(1, summary.size())).hasSize(2).allMatch(l -> l.startsWith("  ADDED shop.order_totals (2024-01-0"));
        assertThat(summary.get(1)).startsWith("  ADDED shop.order_totals (2024-01-01): ").contains(table + "/ds=2024-01-01");
        try (var hms = server.client()) {
            assertThat(hms.listPartitionNames("shop", "order_totals", (short) -1)).containsExactly("ds=2024-01-01", "ds=2024-01-02");
        }

        CliRun get = ok(job("get", "totals"));
        assertThat(fields(get.out())).hasSize(12);
        assertThat(fields(get.out()).subList(0, 10)).containsExactly("Job: totals", "Type: sql (command glueetl)", "Script: " + script, "Description: daily totals",
                "Role: mortar", "Arguments: --from=2024-01-01", "Bookmarks: enable", "Max concurrent runs: 1", "Max retries: 0", "Timeout: 480 minutes");
        assertThat(fields(get.out()).subList(10, 12)).allMatch(f -> f.matches("(Created|Modified): \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"));
        assertThat(ok(job("get", "totals", "--json")).out()).contains("\"ScriptLocation\" : \"" + script + "\"", "\"--job-bookmark-option\" : \"job-bookmark-enable\"");

        List<String> listLines = ok(job("list")).out().lines().toList();
        String listHeader = listLines.get(0);
        assertThat(listHeader).startsWith("NAME").contains("TYPE", "SCRIPT", "LAST RUN", "LAST RUN STARTED", "DURATION");
        String listed = listLines.stream().filter(l -> l.startsWith("totals ")).findFirst().orElseThrow();
        assertThat(listed.substring(column(listHeader, "TYPE"))).startsWith("sql ");
        assertThat(listed.substring(column(listHeader, "SCRIPT"))).startsWith(script + " ");
        assertThat(listed.substring(column(listHeader, "LAST RUN "))).startsWith("SUCCEEDED ");
        assertThat(listed.substring(column(listHeader, "DURATION"))).matches("\\d+\\.\\ds");

        CliRun log = ok(job("logs", "totals"));
        assertThat(log.out()).contains("Run " + runId + " of job totals", "Statement 2 (line 3) INSERT INTO: 2 rows in ",
                "Committed 2 outputs: 2 rows in 2 files", "SUCCEEDED");
        assertThat(ok(job("logs", "totals", runId)).out()).isEqualTo(log.out());
        assertThat(ok(job("logs", "totals", "--follow")).out()).as("an ended run's log, followed, is printed once").isEqualTo(log.out());

        CliRun bookmark = ok(job("bookmark", "totals"));
        assertThat(bookmark.out().lines().toList().get(0)).isEqualTo("Bookmark of job totals: version 1, after 1 bookmarked run, the last " + runId);
        assertThat(bookmark.out()).containsPattern("(?m)^TABLE\\s+FILES READ\\s+NEWEST FILE MODIFIED$").containsPattern("(?m)^shop\\.orders\\s+2\\s+\\d{4}-");

        // a second run reads only the file that is new since the first, and appends its day's total
        write(dir.resolve("lake/orders/ds=2024-01-02/part-1.csv"), "id,amount\n4,5.75\n5,14.25\n");
        CliRun second = ok(job("start", "totals", "--wait", "--interval-ms", "50"));
        List<String> secondSummary = from(second.out(), "Run ");
        assertThat(secondSummary.get(0)).contains(" SUCCEEDED in ", ": 2 rows read (1 files, ", "1 rows written (1 files, ", "1 output partitions");
        assertThat(secondSummary.get(1)).startsWith("  APPENDED shop.order_totals (2024-01-02): ");
        String secondId = secondSummary.get(0).split(" ")[1];
        assertThat(ok(job("logs", "totals")).out()).contains("Run " + secondId + " of job totals", "Bookmark for shop.orders: 2 of 3 files read before, 1 to read");

        CliRun runs = ok(job("runs", "totals"));
        List<String> runLines = runs.out().lines().toList();
        assertThat(runLines).hasSize(3);
        String header = runLines.get(0);
        assertThat(header).startsWith("RUN ID").contains("ATTEMPT", "STATE", "STARTED", "DURATION", "ROWS WRITTEN", "ERROR");
        assertThat(runLines.get(1)).startsWith(secondId + "  0        SUCCEEDED");
        assertThat(runLines.get(2)).startsWith(runId + "  0        SUCCEEDED");
        assertThat(runLines.get(1).substring(column(header, "ROWS WRITTEN"))).matches("1\\s+-");
        assertThat(runLines.get(2).substring(column(header, "ROWS WRITTEN"))).matches("2\\s+-");
        assertThat(runLines.get(2).substring(column(header, "DURATION"))).matches("\\d+\\.\\ds.*");

        assertThat(ok(job("bookmark", "totals")).out()).contains("version 2, after 2 bookmarked runs, the last " + secondId)
                .containsPattern("(?m)^shop\\.orders\\s+3\\s+");
        CliRun rewound = ok(job("reset-bookmark", "totals", "--run", runId));
        assertThat(rewound.out()).startsWith("Rewound the bookmark of job totals to run " + runId + "\nBookmark of job totals: version 3, after 1 bookmarked run")
                .containsPattern("(?m)^shop\\.orders\\s+2\\s+");
        CliRun reset = ok(job("reset-bookmark", "totals"));
        assertThat(reset.out()).isEqualTo("Reset the bookmark of job totals\nBookmark of job totals: version 4, empty (the next bookmarked run reads every file)\n");
        assertThat(ok(job("bookmark", "totals")).out()).isEqualTo("Bookmark of job totals: version 4, empty (the next bookmarked run reads every file)\n");

        assertThat(ok(job("delete", "totals")).out()).isEqualTo("Deleted job totals\n");
        assertThat(ok(job("list")).out().lines()).noneMatch(l -> l.startsWith("totals "));
        try (var hms = server.client()) {
            assertThat(hms.listPartitionNames("shop", "order_totals", (short) -1)).as("the job's tables stay").hasSize(2);
        }
    }

    @Test
    void aFailingJobIsRetriedAndExitsOneWithItsReason(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("broken.sql");
        write(script, "SELECT 1;\nSELECT no_such_column;\n");
        ok(job("create", "broken", "--script", script.toString(), "--max-retries", "1"));
        String reason = "Statement 2 (line 2): Binder Error: Referenced column \"no_such_column\" was not found";

        CliRun failed = job("start", "broken", "--wait", "--interval-ms", "50");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        List<String> lines = from(failed.out(), "Run ");
        assertThat(lines.get(0)).matches("Run jr_[0-9a-f]{64} FAILED in \\d+\\.\\ds: " + java.util.regex.Pattern.quote(reason) + ".*");
        String first = lines.get(0).split(" ")[1];
        assertThat(lines.get(1)).isEqualTo("  retried as run " + first + "_attempt_1 (attempt 1)");
        List<String> summary = from(failed.out(), "Run " + first + "_attempt_1 ");
        assertThat(summary.get(0)).matches("Run \\S+ FAILED in \\d+\\.\\ds");
        assertThat(summary.get(1)).startsWith("  error: " + reason);
        assertThat(summary.get(2)).isEqualTo("  the run's log: mortar job logs broken " + first + "_attempt_1");

        CliRun runs = ok(job("runs", "broken"));
        List<String> runLines = runs.out().lines().toList();
        assertThat(runLines).hasSize(3);
        assertThat(runLines.get(1)).startsWith(first + "_attempt_1  1        FAILED").contains(reason);
        assertThat(runLines.get(2)).startsWith(first + "            0        FAILED").contains(reason);
        assertThat(runLines.get(1).substring(column(runLines.get(0), "ROWS WRITTEN"))).startsWith("-  ");

        CliRun log = ok(job("logs", "broken"));
        assertThat(log.out()).as("the latest run's log").contains("Run " + first + "_attempt_1 of job broken", reason).doesNotContain("Run " + first + " of");
        assertThat(ok(job("logs", "broken", first)).out()).contains("Run " + first + " of job broken", reason);

        // the real command line: bin/mortar exits with the run's status
        Path repo = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("bin/mortar").toString(), "job", "start", "broken", endpoint, "--wait").redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MORTAR_"));
        pb.environment().put("MORTAR_CLASSPATH", Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("hive-jdbc")).collect(Collectors.joining(File.pathSeparator)));
        pb.environment().put("MORTAR_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process cli = pb.start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cli.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(cli.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("FAILED in ", "  error: " + reason, "  retried as run ");
    }

    @Test
    void aPythonJobsOutputIsInItsLogAndAStoppedRunEndsStopped(@TempDir Path dir) throws Exception {
        Path hello = dir.resolve("hello.py");
        write(hello, """
                import sys
                from awsglue.utils import getResolvedOptions
                args = getResolvedOptions(sys.argv, ['JOB_NAME', 'greeting'])
                print(f"{args['greeting']} from {args['JOB_NAME']}")
                """);
        assertThat(ok(job("create", "hello", "--script", hello.toString(), "--arg", "--greeting=hi")).out())
                .isEqualTo("Created job hello: python script " + hello + "\n");
        CliRun run = ok(job("start", "hello", "--wait", "--interval-ms", "50"));
        assertThat(from(run.out(), "Run ")).singleElement().asString().matches("Run jr_[0-9a-f]{64} SUCCEEDED in \\d+\\.\\ds");
        assertThat(ok(job("logs", "hello")).out()).contains("stdout: hi from hello");
        // a run's own argument replaces the job's; without --wait the run id is printed
        CliRun started = ok(job("start", "hello", "--arg", "greeting=bonjour"));
        String runId = started.out().strip();
        assertThat(runId).matches("jr_[0-9a-f]{64}");
        Await.untilTrue("run " + runId + " ends", LIMIT, () -> job("logs", "hello", runId).out().contains("SUCCEEDED"));
        assertThat(ok(job("logs", "hello", runId)).out()).contains("stdout: bonjour from hello");
        assertThat(fields(ok(job("get", "hello")).out())).contains("Type: python (command pythonshell)", "Arguments: --greeting=hi", "Bookmarks: disable");

        Path sleeper = dir.resolve("sleeper.py");
        write(sleeper, "import time\nprint('sleeping', flush=True)\ntime.sleep(600)\n");
        ok(job("create", "sleeper", "--script", sleeper.toString()));
        CompletableFuture<CliRun> waiting = CompletableFuture.supplyAsync(() -> job("start", "sleeper", "--wait", "--interval-ms", "50"));
        Await.untilTrue("the sleeper prints", LIMIT, () -> {
            CliRun log = job("logs", "sleeper");
            return log.exitCode() == 0 && log.out().contains("stdout: sleeping");
        });
        CompletableFuture<CliRun> following = CompletableFuture.supplyAsync(() -> job("logs", "sleeper", "--follow", "--interval-ms", "50"));
        String sleeperRun = job("runs", "sleeper").out().lines().toList().get(1).split(" ")[0];

        CliRun stopped = ok(job("stop", "sleeper", "--wait", "--interval-ms", "50"));
        assertThat(stopped.out()).startsWith("Stopping run " + sleeperRun + " of job sleeper\nRun " + sleeperRun + " STOPPED");

        CliRun waited = waiting.get(2, TimeUnit.MINUTES);
        assertThat(waited.exitCode()).as(waited.toString()).isEqualTo(1);
        List<String> summary = from(waited.out(), "Run ");
        assertThat(summary.get(0)).matches("Run " + sleeperRun + " STOPPED in \\d+\\.\\ds");
        assertThat(summary.subList(1, summary.size())).containsExactly("  reason: Run stopped: Stopped by request (BatchStopJobRun)",
                "  the run's log: mortar job logs sleeper " + sleeperRun);
        CliRun followed = following.get(2, TimeUnit.MINUTES);
        assertThat(followed.exitCode()).as(followed.toString()).isZero();
        assertThat(followed.out()).contains("stdout: sleeping", "STOPPED").isEqualTo(ok(job("logs", "sleeper")).out());
        assertThat(ok(job("runs", "sleeper")).out().lines().toList().get(1)).startsWith(sleeperRun + "  0        STOPPED");

        CliRun nothing = job("stop", "sleeper");
        assertThat(nothing.exitCode()).isEqualTo(1);
        assertThat(nothing.err()).isEqualTo("Error: Job sleeper has no runs in progress\n");
        CliRun again = job("stop", "sleeper", sleeperRun);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("Error: InvalidInputException: Job run " + sleeperRun + " of job sleeper is STOPPED and cannot be stopped\n");
    }

    @Test
    void refusalsAndApiErrorsPrintOneLineAndExitNonZero(@TempDir Path dir) throws Exception {
        CliRun missing = job("start", "no_such_job", "--wait");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).isEqualTo("Error: EntityNotFoundException: Job with name no_such_job not found\n");
        for (String command : List.of("get", "runs", "logs", "bookmark", "delete", "stop")) {
            CliRun run = job(command, "no_such_job");
            assertThat(run.exitCode()).as(command).isEqualTo(1);
            assertThat(run.err()).as(command).isEqualTo("Error: EntityNotFoundException: Job with name no_such_job not found\n");
        }

        Path script = dir.resolve("noop.sql");
        write(script, "SELECT 1");
        ok(job("create", "twice", "--script", script.toString()));
        CliRun again = job("create", "twice", "--script", script.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).startsWith("Error: AlreadyExistsException: ").contains("twice").doesNotContain("\n\n");
        assertThat(again.err().lines()).hasSize(1);

        CliRun noRuns = job("logs", "twice");
        assertThat(noRuns.exitCode()).isEqualTo(1);
        assertThat(noRuns.err()).isEqualTo("Error: Job twice has no runs yet (mortar job start twice)\n");
        assertThat(ok(job("bookmark", "twice")).out()).isEqualTo("Job twice has no bookmark: no run of it with bookmarks enabled has succeeded yet\n");

        CliRun unknownKind = job("create", "text", "--script", dir.resolve("notes.txt").toString());
        assertThat(unknownKind.exitCode()).isEqualTo(1);
        assertThat(unknownKind.err()).isEqualTo("Error: Cannot tell the kind of job from " + dir.resolve("notes.txt") + " (not .sql or .py): give --type sql or --type python\n");
        assertThat(ok(job("create", "text", "--script", dir.resolve("notes.txt").toString(), "--type", "python")).out()).contains("python script");

        CliRun badArg = job("create", "x", "--script", script.toString(), "--arg", "--day");
        assertThat(badArg.exitCode()).isEqualTo(1);
        assertThat(badArg.err()).isEqualTo("Error: --arg takes --key=value (--arg --day=2024-01-01), not '--day'\n");
        CliRun badBookmarks = job("create", "x", "--script", script.toString(), "--bookmarks", "sometimes");
        assertThat(badBookmarks.exitCode()).isEqualTo(1);
        assertThat(badBookmarks.err()).isEqualTo("Error: --bookmarks is enable, disable or pause, not 'sometimes'\n");
        CliRun badTimeout = job("create", "x", "--script", script.toString(), "--timeout", "0");
        assertThat(badTimeout.exitCode()).isEqualTo(1);
        assertThat(badTimeout.err()).startsWith("Error: ").hasLineCount(1);
        assertThat(ok(job("list")).out().lines()).noneMatch(l -> l.startsWith("x "));

        CliRun usage = CliRun.of("job", "create", "x");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required option: '--script=PATH_OR_URI'");
        CliRun down = CliRun.of("job", "list", "--endpoint", "http://127.0.0.1:1");
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.err()).startsWith("Error: Cannot connect to the Mortar server at http://127.0.0.1:1/");
        assertThat(CliRun.of("--help").out()).contains("job").contains("crawler");
    }
}
