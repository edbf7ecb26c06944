package dev.mortar.etl.python;

import dev.mortar.etl.Cancellation;
import dev.mortar.etl.JobCancelledException;
import dev.mortar.etl.JobException;
import dev.mortar.etl.JobTimeoutException;
import dev.mortar.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Python shell jobs run by the machine's python3: what a script receives, its output, failures, stops and timeouts. */
class PythonShellRunnerTest {
    private static final String PYTHON = "python3";
    private static PythonShellRunner runner;

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final ExecutorService runs = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void start() {
        runner = new PythonShellRunner();
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    @AfterEach
    void tearDown() {
        runs.shutdownNow();
    }

    private Path script(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private PythonRun run(Path script, List<String> args) {
        return new PythonRun(PYTHON, script, args, Map.of(), log::add);
    }

    @Test
    void aScriptReadsItsArgumentsWithGetResolvedOptions() throws IOException {
        Path script = script("report.py", """
                import sys
                from awsglue.utils import getResolvedOptions

                args = getResolvedOptions(sys.argv, ['JOB_NAME', 'day'])
                print('job=' + args['JOB_NAME'] + ' day=' + args['day'])
                print('bookmark=' + args['job_bookmark_option'])
                print('argv0=' + sys.argv[0])
                print('to stderr', file=sys.stderr)
                """);
        Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("--JOB_ID", "j_0123");
        arguments.put("--JOB_RUN_ID", "jr_4567");
        arguments.put("--JOB_NAME", "nightly");
        arguments.put("--TempDir", "/tmp/nightly");
        arguments.put("day", "2024-01-01");
        arguments.put("--extra", "ignored");

        PythonResult result = runner.run(run(script, PythonRun.argumentTokens(arguments)), new Cancellation());

        assertThat(result.exitCode()).isZero();
        // the two streams are read apart, so only each one's own order is kept
        assertThat(result.output()).filteredOn(line -> line.startsWith("stdout: ")).containsExactly(
                "stdout: job=nightly day=2024-01-01",
                "stdout: bookmark=job-bookmark-disable",
                "stdout: argv0=" + script.toAbsolutePath());
        assertThat(result.output()).filteredOn(line -> line.startsWith("stderr: ")).containsExactly("stderr: to stderr");
        assertThat(result.outputLines()).isEqualTo(4);
        assertThat(log).containsSubsequence("stdout: job=nightly day=2024-01-01", "Script report.py ended with exit code 0 after " + result.duration().toMillis() + " ms");
    }

    @Test
    void argumentTokensAreKeyThenValueInOrder() {
        Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("--JOB_NAME", "nightly");
        arguments.put("day", "2024-01-01");
        assertThat(PythonRun.argumentTokens(arguments)).containsExactly("--JOB_NAME", "nightly", "--day", "2024-01-01");
    }

    @Test
    void getResolvedOptionsFollowsTheDocumentedRules() throws IOException {
        Path script = script("options.py", """
                import json
                import sys
                from awsglue.utils import getResolvedOptions, GlueArgumentError

                def attempt(names, argv):
                    try:
                        return getResolvedOptions(['x.py'] + argv, names)
                    except GlueArgumentError as e:
                        return 'GlueArgumentError: ' + str(e)

                results = [
                    attempt(['RedshiftTempDir', 'TempDir'], ['--TempDir', 's3://tmp/']),
                    attempt(['JOB_NAME'], ['--JOB_NAME', 'j', '--job-bookmark-option', 'job-bookmark-enable']),
                    attempt(['JOB_NAME'], ['--JOB_NAME', 'j', '--continuation-option', 'continuation-readonly']),
                    attempt(['JOB_ID'], ['--JOB_ID', 'j_1']),
                    attempt(['day'], ['--da', '2024-01-01']),
                    attempt([], ['--job-bookmark-from', 'jr_1', '--job-bookmark-to', 'jr_2']),
                    attempt([], ['--job-bookmark-option', 'job-bookmark-pause', '--job-bookmark-from', 'jr_1', '--job-bookmark-to', 'jr_2']),
                    attempt([], ['--job-bookmark-option', 'job-bookmark-pause', '--job-bookmark-from', 'jr_1']),
                ]
                for r in results:
                    print(json.dumps(r, sort_keys=True))
                """);

        PythonResult result = runner.run(run(script, List.of()), new Cancellation());

        assertThat(result.output()).containsExactly(
                "stdout: {\"RedshiftTempDir\": \"s3://tmp/\", \"TempDir\": \"s3://tmp/\", \"job_bookmark_option\": \"job-bookmark-disable\"}",
                "stdout: {\"JOB_NAME\": \"j\", \"job_bookmark_option\": \"job-bookmark-enable\"}",
                "stdout: {\"JOB_NAME\": \"j\", \"job_bookmark_option\": \"job-bookmark-pause\"}",
                "stdout: \"GlueArgumentError: these argument names are kept for the job system and cannot be requested: JOB_ID\"",
                "stdout: \"GlueArgumentError: the following arguments are required: --day\"",
                "stdout: \"GlueArgumentError: Invalid option(s): --job-bookmark-from and --job-bookmark-to need --job-bookmark-option job-bookmark-pause\"",
                "stdout: {\"job_bookmark_from\": \"jr_1\", \"job_bookmark_option\": \"job-bookmark-pause\", \"job_bookmark_to\": \"jr_2\"}",
                "stdout: \"GlueArgumentError: give both --job-bookmark-from and --job-bookmark-to, or neither\"");
    }

    @Test
    void aMissingRequiredOptionFailsTheRunWithArgparsesMessage() throws IOException {
        Path script = script("needs_day.py", """
                import sys
                from awsglue.utils import getResolvedOptions
                args = getResolvedOptions(sys.argv, ['JOB_NAME', 'day'])
                print('not reached')
                """);

        assertThatThrownBy(() -> runner.run(run(script, List.of("--JOB_NAME", "nightly")), new Cancellation()))
                .isInstanceOfSatisfying(PythonScriptException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(1);
                    assertThat(e.errorLine()).contains("awsglue.utils.GlueArgumentError: the following arguments are required: --day");
                })
                .hasMessage("awsglue.utils.GlueArgumentError: the following arguments are required: --day (script needs_day.py, exit code 1)");
        assertThat(log).noneMatch(line -> line.contains("not reached"));
    }

    @Test
    void aFailingScriptsErrorIsTheLastLineOfItsTraceback() throws IOException {
        Path script = script("boom.py", """
                print('before')
                def work():
                    raise ValueError("boom")
                work()
                """);

        assertThatThrownBy(() -> runner.run(run(script, List.of()), new Cancellation()))
                .isInstanceOf(PythonScriptException.class)
                .isInstanceOf(JobException.class)
                .hasMessageContaining("ValueError: boom")
                .hasMessageContaining("exit code 1");
        assertThat(log).contains("stdout: before", "stderr: Traceback (most recent call last):", "stderr: ValueError: boom");
    }

    @Test
    void anExitCodeWithoutAnErrorLineIsStillAFailure() throws IOException {
        Path script = script("quiet.py", "import sys\nsys.exit(3)\n");

        assertThatThrownBy(() -> runner.run(run(script, List.of()), new Cancellation()))
                .isInstanceOfSatisfying(PythonScriptException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
                .hasMessage("Script quiet.py ended with exit code 3 and printed no error");
    }

    @Test
    void aStopEndsTheScriptAndTheProcessesItStarted() throws Exception {
        Path script = script("sleeper.py", """
                import subprocess
                import sys
                import time
                child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])
                print('child', child.pid, flush=True)
                time.sleep(600)
                """);
        Cancellation cancellation = new Cancellation();
        Future<PythonResult> running = runs.submit(() -> runner.run(run(script, List.of()), cancellation));
        long child = Await.until("the script's child process", Duration.ofSeconds(60),
                () -> log.stream().filter(l -> l.startsWith("stdout: child ")).findFirst().map(l -> Long.parseLong(l.substring("stdout: child ".length()))));
        long parent = Await.until("the script's process", Duration.ofSeconds(60), () -> ProcessHandle.of(child).flatMap(ProcessHandle::parent).map(ProcessHandle::pid));

        cancellation.cancel("asked by BatchStopJobRun");

        assertThatThrownBy(() -> running.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(JobCancelledException.class).hasMessage("Run stopped: asked by BatchStopJobRun");
        assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.of(parent).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aScriptLongerThanItsTimeoutIsStopped() throws IOException {
        Path script = script("slow.py", "import time\nprint('started', flush=True)\ntime.sleep(600)\n");
        PythonRun run = new PythonRun(PYTHON, script, List.of(), Map.of(), log::add, Optional.of(Duration.ofSeconds(1)));

        assertThatThrownBy(() -> runner.run(run, new Cancellation()))
                .isInstanceOfSatisfying(JobTimeoutException.class, e -> assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1)))
                .hasMessage("Script slow.py ran longer than its timeout of 1000 ms and was stopped");
    }

    @Test
    void theEnvironmentIsAddedToTheInheritedOneAndPythonPathKeepsItsEntries() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("helper.py"), "NAME = 'helper'\n");
        Path script = script("env.py", """
                import os
                import helper
                import awsglue.utils
                print(os.environ['STAGE'], helper.NAME, 'PATH' in os.environ)
                """);
        PythonRun run = new PythonRun(PYTHON, script, List.of(), Map.of("STAGE", "test", "PYTHONPATH", lib.toString()), log::add);

        assertThat(runner.run(run, new Cancellation()).output()).containsExactly("stdout: test helper True");
    }

    @Test
    void aMissingScriptOrPythonIsNamed() throws IOException {
        assertThatThrownBy(() -> runner.run(run(dir.resolve("none.py"), List.of()), new Cancellation()))
                .isInstanceOf(JobException.class).hasMessage("Script " + dir.resolve("none.py").toAbsolutePath() + " does not exist");
        Path script = script("ok.py", "print('ok')\n");
        assertThatThrownBy(() -> runner.run(new PythonRun("/no/such/python3", script, List.of(), Map.of(), null), new Cancellation()))
                .isInstanceOf(JobException.class).hasMessageStartingWith("Cannot start /no/such/python3 for script ok.py: ");
    }

    @Test
    void aRunStoppedBeforeItStartsStartsNothing() throws IOException {
        Path script = script("never.py", "open('ran', 'w').write('yes')\n");
        Cancellation cancellation = new Cancellation();
        cancellation.cancel("stopped while waiting");

        assertThatThrownBy(() -> runner.run(run(script, List.of()), cancellation)).isInstanceOf(JobCancelledException.class);
        assertThat(dir.resolve("ran")).doesNotExist();
    }
}
