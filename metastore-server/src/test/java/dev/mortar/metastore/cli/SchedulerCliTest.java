package dev.mortar.metastore.cli;

import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `mortar trigger ...` and `mortar workflow ...` against a real server whose embedded workers run the jobs: a workflow
 * of an on-demand trigger and a conditional one run with --wait (its graph printed as it progresses), a failed node
 * resumed, a conditional chain outside workflows, and the API's errors as one line.
 */
class SchedulerCliTest {
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

    private static CliRun cli(String command, String sub, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        all[1] = sub;
        all[2] = endpoint;
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRun.of(all);
    }

    private static CliRun ok(CliRun run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    @Test
    void aWorkflowRunsFollowedAndResumed(@TempDir Path dir) throws Exception {
        Path extract = Files.writeString(dir.resolve("extract.py"), "print('extracted')\n");
        Path flag = dir.resolve("fail-once");
        Files.writeString(flag, "x");
        Path load = Files.writeString(dir.resolve("load.py"), """
                import pathlib, sys
                flag = pathlib.Path(%s)
                if flag.exists():
                    flag.unlink()
                    sys.exit('the load failed once')
                print('loaded')
                """.formatted("'" + flag + "'"));
        ok(CliRun.of("job", "create", endpoint, "extract", "--script", extract.toString()));
        ok(CliRun.of("job", "create", endpoint, "load", "--script", load.toString()));
        ok(cli("workflow", "create", "daily", "--property", "day=2026-12-01", "--description", "extract then load"));
        assertThat(ok(cli("trigger", "create", "daily-start", "--job", "extract", "--workflow", "daily")).out()).contains("on demand");
        assertThat(ok(cli("trigger", "create", "daily-load", "--when", "job:extract:SUCCEEDED", "--job", "load", "--workflow", "daily", "--start")).out())
                .contains("after job extract SUCCEEDED", "ACTIVATED");
        String list = ok(cli("trigger", "list")).out();
        assertThat(list).contains("daily-start", "ON_DEMAND", "daily-load", "CONDITIONAL", "job load", "daily");

        CliRun first = cli("workflow", "run", "daily", "--wait");
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);
        assertThat(first.out()).contains("job extract", "SUCCEEDED", "job load", "FAILED", "COMPLETED: 2 actions, 1 succeeded, 1 failed",
                "mortar workflow resume daily");
        String runId = first.out().lines().filter(l -> l.startsWith("Started workflow run ")).findFirst().orElseThrow()
                .substring("Started workflow run ".length()).trim();

        CliRun resumed = ok(cli("workflow", "resume", "daily", runId, "--node", "job:load", "--wait"));
        assertThat(resumed.out()).contains("resumes " + runId, "job load", "SUCCEEDED", "COMPLETED: 1 actions, 1 succeeded");
        String runs = ok(cli("workflow", "runs", "daily")).out();
        assertThat(runs).contains(runId, "COMPLETED");
        assertThat(ok(cli("workflow", "list")).out()).contains("daily", "COMPLETED", "extract then load");

        CliRun missing = cli("workflow", "run", "nope");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).startsWith("Error: EntityNotFoundException: ");
        CliRun bad = cli("trigger", "create", "bad", "--schedule", "cron(0 * * * * *)", "--job", "extract");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).startsWith("Error: InvalidInputException: ");
        ok(cli("trigger", "delete", "bad"));
        ok(cli("trigger", "stop", "daily-load"));
        ok(cli("workflow", "delete", "daily"));
        assertThat(ok(cli("trigger", "list")).out()).doesNotContain("daily-load");
    }
}
