package dev.mortar.metastore.cli;

import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `mortar crawler ...` against a real server on ephemeral ports: define, run with --wait, watch, and the API's errors. */
class CrawlerCliTest {
    static TestServer server;
    static String endpoint;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        endpoint = "http://127.0.0.1:" + server.server.httpPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    private static CliRun crawler(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "crawler";
        all[1] = args[0];
        all[2] = "--endpoint=" + endpoint;
        System.arraycopy(args, 1, all, 3, args.length - 1);
        return CliRun.of(all);
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

    @Test
    void createStartWaitStatusListAndRuns(@TempDir Path dir) throws Exception {
        write(dir.resolve("events/dt=2024-05-01/a.json"), "{\"id\": 1, \"kind\": \"click\"}\n{\"id\": 2, \"kind\": \"view\"}\n");
        write(dir.resolve("events/dt=2024-05-02/b.json"), "{\"id\": 3, \"kind\": \"click\"}\n");
        write(dir.resolve("people/people.csv"), "name,age\nann,31\nbob,42\n");
        write(dir.resolve("junk/blob.bin"), "\0\1\2 not a format anyone knows");
        write(dir.resolve("tmp/skip.csv"), "a,b\n1,2\n3,4\n");

        CliRun created = crawler("create", "lake", "--database", "lake", "--path", dir.toString(), "--exclude", "tmp/**", "--table-prefix", "cli_");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).isEqualTo("Created crawler lake: " + dir + " into database lake\n");

        CliRun run = crawler("start", "lake", "--wait", "--interval-ms", "50");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = run.out().lines().toList();
        // progress lines (if the crawl was still running when asked) come before the summary, which ends the output
        int summary = lines.indexOf(lines.stream().filter(l -> l.startsWith("Run ")).findFirst().orElseThrow());
        lines.subList(0, summary).forEach(l -> assertThat(l).matches("lake RUNNING: \\d+ files \\(.*\\), \\d+ tables( \\[worker .+\\])?"));
        assertThat(lines.get(summary)).matches("Run [0-9a-f-]{36} COMPLETED in \\d+\\.\\ds: 2 tables created, 0 updated, 0 deprecated; 2 partitions added, 0 deprecated; 4 files read, 1 errors");
        String crawlId = lines.get(summary).split(" ")[1];
        assertThat(lines.subList(summary + 1, lines.size())).containsExactly(
                "  tables created: cli_events, cli_people",
                "  error: file:" + dir.resolve("junk/blob.bin") + ": No classifier recognised the file (UNKNOWN)",
                "  why, decision by decision: mortar crawler log lake " + crawlId);

        try (var hms = server.client()) {
            assertThat(hms.getAllTables("lake")).containsExactlyInAnyOrder("cli_events", "cli_people");
            assertThat(hms.listPartitionNames("lake", "cli_events", (short) -1)).containsExactly("dt=2024-05-01", "dt=2024-05-02");
        }

        CliRun status = crawler("status", "lake");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        List<String> statusLines = status.out().lines().toList();
        assertThat(statusLines).hasSize(2);
        String header = statusLines.get(0);
        assertThat(header).startsWith("NAME  STATE  FILES SEEN  BYTES SEEN  TABLES FOUND  LAST RUN   LAST RUNTIME  TABLES CREATED  TABLES UPDATED");
        String row = statusLines.get(1);
        assertThat(row.substring(column(header, "STATE"))).startsWith("READY");
        assertThat(row.substring(column(header, "LAST RUN "))).startsWith("SUCCEEDED");
        assertThat(row.substring(column(header, "TABLES CREATED")).trim()).startsWith("2");
        assertThat(row.substring(column(header, "TABLES UPDATED")).trim()).matches("0\\s+-");

        crawler("create", "other", "-d", "lake", "-p", "file://" + dir.resolve("people"));
        CliRun list = crawler("list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        List<String> listLines = list.out().lines().toList();
        assertThat(listLines).hasSize(3);
        String listHeader = listLines.get(0);
        assertThat(listHeader).startsWith("NAME   STATE  DATABASE  PATHS");
        assertThat(listLines.get(1)).startsWith("lake   READY  lake      " + dir + " ");
        assertThat(listLines.get(1).substring(column(listHeader, "LAST RUN "))).startsWith("SUCCEEDED  ");
        assertThat(listLines.get(2)).startsWith("other  READY  lake      file://" + dir.resolve("people"));
        assertThat(listLines.get(2).substring(column(listHeader, "LAST RUN ")).trim()).matches("-\\s+-\\s+-");

        CliRun runs = crawler("runs", "lake");
        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        List<String> runLines = runs.out().lines().toList();
        assertThat(runLines).hasSize(2);
        assertThat(runLines.get(0)).startsWith("CRAWL ID").contains("STATE", "STARTED", "DURATION", "TABLES CREATED", "PARTITIONS ADDED", "FILES READ", "ERRORS");
        assertThat(runLines.get(1)).startsWith(crawlId + "  COMPLETED");
        assertThat(runLines.get(1).substring(column(runLines.get(0), "TABLES CREATED"))).startsWith("2 ");
        assertThat(runLines.get(1).substring(column(runLines.get(0), "PARTITIONS ADDED"))).startsWith("2 ");
        assertThat(runLines.get(1).substring(column(runLines.get(0), "FILES READ"))).startsWith("4 ");
        assertThat(runLines.get(1).substring(column(runLines.get(0), "ERRORS")).trim()).matches("1\\s+-");

        CliRun get = crawler("get", "lake");
        assertThat(get.out()).contains("\"Name\" : \"lake\"", "\"TablePrefix\" : \"cli_\"", "\"Exclusions\" : [ \"tmp/**\" ]");

        CliRun deleted = crawler("delete", "other");
        assertThat(deleted.out()).isEqualTo("Deleted crawler other\n");
        assertThat(crawler("list").out().lines()).hasSize(2);
    }

    @Test
    void aFailedRunSaysWhyInEveryViewAndGoneDataIsReported(@TempDir Path dir) throws Exception {
        CliRun created = crawler("create", "gone", "--database", "gone", "--path", dir.resolve("data").toString(), "--path", dir.resolve("nowhere").toString());
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String reason = "Include path file:" + dir.resolve("nowhere") + " does not exist";

        CliRun failed = crawler("start", "gone", "--wait", "--interval-ms", "50");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        List<String> lines = failed.out().lines().dropWhile(l -> !l.startsWith("Run ")).toList();
        assertThat(lines.get(0)).matches("Run [0-9a-f-]{36} FAILED in .*");
        String crawlId = lines.get(0).split(" ")[1];
        assertThat(lines.subList(1, lines.size())).containsExactly("  reason: Include path file:" + dir.resolve("data") + " does not exist; " + reason,
                "  why, decision by decision: mortar crawler log gone " + crawlId);
        try (var hms = server.client()) {
            assertThat(hms.getAllDatabases()).doesNotContain("gone");
        }
        assertThat(crawler("status", "gone").out()).contains("FAILED", reason);
        assertThat(crawler("runs", "gone").out()).contains(crawlId + "  FAILED", reason);
        assertThat(crawler("list").out()).contains(reason);
        CliRun log = crawler("log", "gone");
        assertThat(log.exitCode()).as(log.toString()).isZero();
        assertThat(log.out()).contains(crawlId, "FAILED", reason);
        assertThat(crawler("log", "gone", crawlId).out()).isEqualTo(log.out());

        // with the data there the run completes; when a partition's and then a table's data go, the summary says what was deprecated
        CliRun redefined = crawler("delete", "gone");
        assertThat(redefined.exitCode()).isZero();
        write(dir.resolve("data/t/k=1/a.json"), "{\"a\": 1}\n");
        write(dir.resolve("data/t/k=2/b.json"), "{\"a\": 2}\n");
        write(dir.resolve("data/u/c.json"), "{\"b\": 1}\n");
        assertThat(crawler("create", "gone", "-d", "gone", "-p", dir.resolve("data").toString()).exitCode()).isZero();
        assertThat(crawler("start", "gone", "--wait", "--interval-ms", "50").exitCode()).isZero();
        Files.delete(dir.resolve("data/t/k=2/b.json"));
        Files.delete(dir.resolve("data/u/c.json"));
        CliRun second = crawler("start", "gone", "--wait", "--interval-ms", "50");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).containsPattern("COMPLETED in .*: 0 tables created, \\d+ updated, 1 deprecated; 0 partitions added, 1 deprecated; ")
                .contains("  tables deprecated: u");
    }

    @Test
    void apiErrorsPrintTheirTypeAndExitNonZero() {
        CliRun missing = crawler("start", "no_such_crawler", "--wait");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).isEqualTo("Error: EntityNotFoundException: Crawler entry with name no_such_crawler does not exist\n");

        assertThat(crawler("create", "twice", "-d", "db", "-p", "/nowhere").exitCode()).isZero();
        CliRun again = crawler("create", "twice", "-d", "db", "-p", "/nowhere");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("Error: AlreadyExistsException: Crawler with name twice already exists\n");

        CliRun notRunning = crawler("stop", "twice");
        assertThat(notRunning.exitCode()).isEqualTo(1);
        assertThat(notRunning.err()).isEqualTo("Error: CrawlerNotRunningException: Crawler with name twice is not running\n");

        CliRun tooMany = crawler("runs", "twice", "--max", "5000");
        assertThat(tooMany.exitCode()).isEqualTo(1);
        assertThat(tooMany.err()).isEqualTo("Error: ValidationException: 1 validation error detected: Value '5000' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000\n");

        CliRun usage = CliRun.of("crawler", "create", "x");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required options");

        CliRun down = CliRun.of("crawler", "list", "--endpoint", "http://127.0.0.1:1");
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.err()).startsWith("Error: Cannot connect to the Mortar server at http://127.0.0.1:1/");
        // the server still answers
        assertThat(crawler("status", "twice").exitCode()).isZero();
    }

    @Test
    void signsRequestsWhenTheServerRequiresSignatures(@TempDir Path data) throws Exception {
        try (TestServer signed = TestServer.start(data, Map.of("mortar.glue.access.keys", "AKIDCLI:cli-secret"))) {
            String at = "--endpoint=http://127.0.0.1:" + signed.server.httpPort();
            CliRun unsigned = CliRun.of("crawler", "list", at);
            assertThat(unsigned.exitCode()).isEqualTo(1);
            assertThat(unsigned.err()).startsWith("Error: MissingAuthenticationTokenException: ");

            CliRun wrong = CliRun.of("crawler", "list", at, "--access-key-id", "AKIDCLI", "--secret-access-key", "not-the-secret");
            assertThat(wrong.exitCode()).isEqualTo(1);
            assertThat(wrong.err()).startsWith("Error: InvalidSignatureException: ");

            CliRun create = CliRun.of("crawler", "create", "s", at, "--access-key-id", "AKIDCLI", "--secret-access-key", "cli-secret", "-d", "db", "-p", "/x");
            assertThat(create.exitCode()).as(create.toString()).isZero();
            CliRun list = CliRun.of("crawler", "list", at, "--access-key-id", "AKIDCLI", "--secret-access-key", "cli-secret");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out().lines().toList().get(1)).startsWith("s     READY  db        /x");
        }
    }
}
