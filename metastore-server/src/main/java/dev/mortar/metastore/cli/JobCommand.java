package dev.mortar.metastore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.cli.GlueApiClient.GlueApiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code mortar job ...}: defines, runs and watches jobs (SQL and Python shell scripts) through a running server's Glue
 * API, and reads their runs' logs from {@code /jobs/{name}/runs/{runId}/log}. Errors of the API print as
 * {@code Error: <ErrorType>: <message>} and exit with status 1.
 */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = "Define, run and watch jobs (SQL and Python shell scripts) on a running Mortar server (through its Glue API).",
        subcommands = {JobCommand.Create.class, JobCommand.ListJobs.class, JobCommand.Get.class, JobCommand.Start.class, JobCommand.Runs.class,
                JobCommand.Logs.class, JobCommand.Stop.class, JobCommand.Bookmark.class, JobCommand.ResetBookmark.class, JobCommand.Delete.class})
final class JobCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOOKMARK_OPTION = "--job-bookmark-option";
    /** The states of a run that has not ended (it holds or waits for one of its job's concurrent-run slots). */
    private static final Set<String> IN_PROGRESS = Set.of("STARTING", "RUNNING", "STOPPING", "WAITING");
    /** Output partitions a summary lists before it counts the rest. */
    private static final int SHOWN_OUTPUTS = 20;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code --arg --key=value} (or {@code key=value}) options as Glue arguments, keys with their leading {@code --}. */
    static Map<String, String> arguments(List<String> args) {
        Map<String, String> arguments = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = eq < 0 ? "" : arg.substring(0, eq);
            if (key.isEmpty() || key.equals("--")) {
                throw new IllegalArgumentException("--arg takes --key=value (--arg --day=2024-01-01), not '" + arg + "'");
            }
            arguments.put(key.startsWith("--") ? key : "--" + key, arg.substring(eq + 1));
        }
        return arguments;
    }

    /** {@code sql} or {@code python} (the {@code --type} a job was made with), or the job's command name for other kinds of jobs. */
    static String type(JsonNode job) {
        String command = job.path("Command").path("Name").asText();
        String script = job.path("Command").path("ScriptLocation").asText().toLowerCase(Locale.ROOT);
        if (command.equals("glueetl") && script.endsWith(".sql")) {
            return "sql";
        }
        return command.equals("pythonshell") ? "python" : command;
    }

    private static JsonNode job(GlueApiClient glue, String name) throws Exception {
        return glue.call("GetJob", GlueApiClient.object().put("JobName", name)).path("Job");
    }

    private static JsonNode jobRun(GlueApiClient glue, String name, String runId) throws Exception {
        return glue.call("GetJobRun", GlueApiClient.object().put("JobName", name).put("RunId", runId)).path("JobRun");
    }

    /** Up to {@code max} runs of the job, newest first. */
    private static List<JsonNode> latestRuns(GlueApiClient glue, String name, int max) throws Exception {
        List<JsonNode> runs = new ArrayList<>();
        glue.call("GetJobRuns", GlueApiClient.object().put("JobName", name).put("MaxResults", max)).path("JobRuns").forEach(runs::add);
        return runs;
    }

    /** The job's newest run's id; refused when it has none. */
    private static String latestRunId(GlueApiClient glue, String name) throws Exception {
        List<JsonNode> runs = latestRuns(glue, name, 1);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("Job " + name + " has no runs yet (mortar job start " + name + ")");
        }
        return runs.get(0).path("Id").asText();
    }

    private static boolean ended(JsonNode run) {
        return !IN_PROGRESS.contains(run.path("JobRunState").asText());
    }

    /** From the run's start to its end, or "-" while it goes. */
    private static String duration(JsonNode run) {
        if (!run.hasNonNull("CompletedOn")) {
            return "-";
        }
        return Readable.seconds(run.path("CompletedOn").asDouble() - run.path("StartedOn").asDouble());
    }

    private static String logCommand(String name, String runId) {
        return "mortar job logs " + name + " " + runId;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Define a job: a SQL script (.sql, run on the server's DuckDB engine) or a Python shell script (.py).",
                    "Run it with `mortar job start NAME`."})
    static final class Create extends ApiCommand {
        @Parameters(index = "0", description = "Job name")
        String name;

        @Option(names = {"-s", "--script"}, required = true, paramLabel = "PATH_OR_URI",
                description = "The script the job runs: a local path (a relative path is taken from this folder and sent as an absolute path; "
                        + "the server reads it when a run starts), a file: URI, or s3:// or s3a://")
        String script;

        @Option(names = "--type", paramLabel = "sql|python",
                description = "sql: a SQL job (Glue command glueetl); python: a Python shell job (pythonshell). Default: from the script's extension, .sql or .py")
        String type;

        @Option(names = "--arg", paramLabel = "--KEY=VALUE",
                description = "A default argument of the job's runs: $${KEY} in a SQL script, --KEY VALUE in a Python script's argv; "
                        + "a run's own --arg replaces it. Repeatable")
        List<String> args = new ArrayList<>();

        @Option(names = "--role", defaultValue = "mortar", description = "Role recorded with the job (kept for Glue clients; default: ${DEFAULT-VALUE})")
        String role;

        @Option(names = "--description", description = "Description of the job")
        String description;

        @Option(names = "--max-concurrent-runs", paramLabel = "N", description = "Runs of the job that may go at once (default 1); another start is refused")
        Integer maxConcurrentRuns;

        @Option(names = "--max-retries", paramLabel = "N", description = "Times a failed run is retried as a new run (default 0)")
        Integer maxRetries;

        @Option(names = "--timeout", paramLabel = "MINUTES", description = "Minutes a run may take before it is stopped and ends TIMEOUT (default 480)")
        Integer timeout;

        @Option(names = "--bookmarks", paramLabel = "enable|disable|pause",
                description = "enable: each run reads only the files of its source tables that earlier runs did not, and remembers what it read; "
                        + "pause: reads only those, remembers nothing; disable (default): reads every file")
        String bookmarks;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            String location = absolute(script);
            String command = command(type, location);
            Map<String, String> defaults = arguments(args);
            if (bookmarks != null) {
                if (defaults.containsKey(BOOKMARK_OPTION)) {
                    throw new IllegalArgumentException("Give --bookmarks or --arg " + BOOKMARK_OPTION + "=..., not both");
                }
                defaults.put(BOOKMARK_OPTION, switch (bookmarks.toLowerCase(Locale.ROOT)) {
                    case "enable", "disable", "pause" -> "job-bookmark-" + bookmarks.toLowerCase(Locale.ROOT);
                    default -> throw new IllegalArgumentException("--bookmarks is enable, disable or pause, not '" + bookmarks + "'");
                });
            }
            ObjectNode input = GlueApiClient.object().put("Name", name).put("Role", role);
            input.putObject("Command").put("Name", command).put("ScriptLocation", location);
            if (!defaults.isEmpty()) {
                defaults.forEach(input.putObject("DefaultArguments")::put);
            }
            if (description != null) {
                input.put("Description", description);
            }
            if (maxConcurrentRuns != null) {
                input.putObject("ExecutionProperty").put("MaxConcurrentRuns", maxConcurrentRuns);
            }
            if (maxRetries != null) {
                input.put("MaxRetries", maxRetries);
            }
            if (timeout != null) {
                input.put("Timeout", timeout);
            }
            glue.call("CreateJob", input);
            out.printf("Created job %s: %s script %s%n", name, command.equals("pythonshell") ? "python" : "sql", location);
            return 0;
        }

        /** The Glue command of {@code --type}, or of the script's extension. */
        private static String command(String type, String location) {
            String kind = type != null ? type.toLowerCase(Locale.ROOT) : extensionType(location);
            return switch (kind) {
                case "sql" -> "glueetl";
                case "python" -> "pythonshell";
                default -> throw new IllegalArgumentException("--type is sql or python, not '" + type + "'");
            };
        }

        private static String extensionType(String location) {
            String lower = location.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".sql")) {
                return "sql";
            }
            if (lower.endsWith(".py")) {
                return "python";
            }
            throw new IllegalArgumentException("Cannot tell the kind of job from " + location + " (not .sql or .py): give --type sql or --type python");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the jobs: type, script and last run.")
    static final class ListJobs extends ApiCommand {
        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            List<JsonNode> jobs = new ArrayList<>();
            glue.pages("GetJobs", GlueApiClient.object(), "Jobs", jobs::add);
            TextTable table = new TextTable("NAME", "TYPE", "SCRIPT", "LAST RUN", "LAST RUN STARTED", "DURATION");
            for (JsonNode j : jobs) {
                String name = j.path("Name").asText();
                List<JsonNode> last = latestRuns(glue, name, 1);
                JsonNode run = last.isEmpty() ? GlueApiClient.object() : last.get(0);
                table.row(name, type(j), j.path("Command").path("ScriptLocation").asText("-"), run.path("JobRunState").asText("-"),
                        Readable.time(run.path("StartedOn")), duration(run));
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a job's definition.")
    static final class Get extends ApiCommand {
        @Parameters(index = "0", description = "Job name")
        String name;

        @Option(names = "--json", description = "Print the definition as the API gives it (GetJob's Job, JSON)")
        boolean json;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            JsonNode j = job(glue, name);
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(j));
                return 0;
            }
            TextTable fields = new TextTable("Job", j.path("Name").asText());
            fields.row("Type", type(j) + " (command " + j.path("Command").path("Name").asText() + ")");
            fields.row("Script", j.path("Command").path("ScriptLocation").asText());
            if (j.hasNonNull("Description")) {
                fields.row("Description", j.path("Description").asText());
            }
            fields.row("Role", j.path("Role").asText());
            fields.row("Arguments", argumentList(j.path("DefaultArguments"), BOOKMARK_OPTION));
            if (!j.path("NonOverridableArguments").isEmpty()) {
                fields.row("Fixed arguments", argumentList(j.path("NonOverridableArguments"), BOOKMARK_OPTION));
            }
            String option = j.path("NonOverridableArguments").path(BOOKMARK_OPTION).asText(j.path("DefaultArguments").path(BOOKMARK_OPTION).asText("job-bookmark-disable"));
            fields.row("Bookmarks", option.replace("job-bookmark-", ""));
            fields.row("Max concurrent runs", j.path("ExecutionProperty").path("MaxConcurrentRuns").asText("1"));
            fields.row("Max retries", j.path("MaxRetries").asText("0"));
            fields.row("Timeout", j.path("Timeout").asText() + " minutes");
            fields.row("Created", Readable.time(j.path("CreatedOn")));
            fields.row("Modified", Readable.time(j.path("LastModifiedOn")));
            fields.print(out);
            return 0;
        }

        private static String argumentList(JsonNode arguments, String leftOut) {
            List<String> list = new ArrayList<>();
            arguments.properties().forEach(a -> {
                if (!a.getKey().equals(leftOut)) {
                    list.add(a.getKey() + "=" + a.getValue().asText());
                }
            });
            return list.isEmpty() ? "-" : String.join(" ", list);
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start a run of a job and print its run id; with --wait, show its progress until it ends, then its summary.",
                    "Ending the command does not stop the run (mortar job stop does)."})
    static final class Start extends ApiCommand {
        @Parameters(index = "0", description = "Job name")
        String name;

        @Option(names = "--arg", paramLabel = "--KEY=VALUE", description = "An argument of this run, over the job's own of the same key. Repeatable")
        List<String> args = new ArrayList<>();

        @Option(names = {"-w", "--wait"}, description = "Show the run's state until it ends (following retries), then its summary; exit 1 unless it SUCCEEDED")
        boolean wait;

        @Option(names = "--interval-ms", defaultValue = "500", description = "How often --wait asks the server (default: ${DEFAULT-VALUE})")
        long intervalMillis;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            ObjectNode input = GlueApiClient.object().put("JobName", name);
            Map<String, String> arguments = arguments(args);
            if (!arguments.isEmpty()) {
                arguments.forEach(input.putObject("Arguments")::put);
            }
            String runId = glue.call("StartJobRun", input).path("JobRunId").asText();
            if (!wait) {
                out.println(runId);
                return 0;
            }
            return awaitRun(glue, out, name, runId, intervalMillis, terminal());
        }
    }

    /**
     * Shows a run's state until it ends, then its summary; a failed run that its job retries is followed into the retry.
     * On a terminal the state is one line updated in place, with the time waited; otherwise a line per change.
     */
    static int awaitRun(GlueApiClient glue, PrintWriter out, String name, String runId, long intervalMillis, boolean terminal) throws Exception {
        String lastLine = null;
        int width = 0;
        long started = System.nanoTime();
        String current = runId;
        JsonNode run;
        while (true) {
            run = jobRun(glue, name, current);
            if (ended(run)) {
                Optional<JsonNode> retry = run.path("JobRunState").asText().equals("FAILED") ? retryOf(glue, name, current) : Optional.empty();
                if (retry.isEmpty()) {
                    break;
                }
                if (terminal && width > 0) {
                    out.println();
                    width = 0;
                }
                out.printf("Run %s FAILED in %s: %s%n  retried as run %s (attempt %d)%n", current, duration(run), run.path("ErrorMessage").asText("-"),
                        retry.get().path("Id").asText(), retry.get().path("Attempt").asInt());
                out.flush();
                current = retry.get().path("Id").asText();
                lastLine = null;
                continue;
            }
            String state = run.path("JobRunState").asText();
            String line = name + " " + state + (run.path("Attempt").asInt() > 0 ? " (attempt " + run.path("Attempt").asInt() + ")" : "")
                    + (run.hasNonNull("StateDetail") ? ": " + run.path("StateDetail").asText() : "");
            if (terminal) {
                String shown = line + String.format(" %ds", (System.nanoTime() - started) / 1_000_000_000L);
                out.print("\r" + shown + " ".repeat(Math.max(0, width - shown.length())));
                width = shown.length();
                out.flush();
            } else if (!line.equals(lastLine)) {
                out.println(line);
                out.flush();
            }
            lastLine = line;
            Thread.sleep(intervalMillis);
        }
        if (terminal && width > 0) {
            out.println();
        }
        summary(out, name, run);
        return run.path("JobRunState").asText().equals("SUCCEEDED") ? 0 : 1;
    }

    /** The run that retries {@code runId}, if its job retried it. */
    private static Optional<JsonNode> retryOf(GlueApiClient glue, String name, String runId) throws Exception {
        // the retry is made in the same transaction that ends the failed run, so it is among the newest runs when the failure is seen
        return latestRuns(glue, name, 50).stream().filter(r -> r.path("PreviousRunId").asText().equals(runId)).findFirst();
    }

    /** An ended run: state, duration, what it read and wrote, where, and why it failed. */
    private static void summary(PrintWriter out, String name, JsonNode run) {
        String id = run.path("Id").asText();
        String state = run.path("JobRunState").asText();
        JsonNode f = run.path("MortarRunFigures");
        StringBuilder line = new StringBuilder("Run " + id + " " + state + " in " + duration(run));
        if (!f.isMissingNode()) {
            line.append(String.format(Locale.ROOT, ": %d rows read (%d files, %s), %d rows written (%d files, %s), %d output partitions",
                    f.path("RowsRead").asLong(), f.path("FilesRead").asLong(), Readable.bytes(f.path("BytesRead").asLong()), f.path("RowsWritten").asLong(),
                    f.path("FilesWritten").asLong(), Readable.bytes(f.path("BytesWritten").asLong()), f.path("OutputPartitions").size()));
        }
        out.println(line);
        int shown = 0;
        for (JsonNode o : f.path("OutputPartitions")) {
            if (shown++ == SHOWN_OUTPUTS) {
                out.printf("  and %d more output partitions%n", f.path("OutputPartitions").size() - SHOWN_OUTPUTS);
                break;
            }
            List<String> values = new ArrayList<>();
            o.path("Values").forEach(v -> values.add(v.asText()));
            out.printf("  %s %s%s: %s%n", o.path("Change").asText(), o.path("Table").asText(), values.isEmpty() ? "" : " (" + String.join(", ", values) + ")",
                    o.path("Location").asText());
        }
        if (run.hasNonNull("ErrorMessage")) {
            out.printf("  %s: %s%n", state.equals("STOPPED") ? "reason" : "error", run.path("ErrorMessage").asText());
        }
        if (!state.equals("SUCCEEDED")) {
            out.printf("  the run's log: %s%n", logCommand(name, id));
        }
        out.flush();
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "The runs of a job, newest first (GetJobRuns).")
    static final class Runs extends ApiCommand {
        @Parameters(index = "0", description = "Job name")
        String name;

        @Option(names = "--max", defaultValue = "20", description = "Most runs shown, up to 200 (default: ${DEFAULT-VALUE})")
        int max;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            TextTable table = new TextTable("RUN ID", "ATTEMPT", "STATE", "STARTED", "DURATION", "ROWS WRITTEN", "ERROR");
            for (JsonNode r : latestRuns(glue, name, max)) {
                JsonNode f = r.path("MortarRunFigures");
                table.row(r.path("Id").asText(), r.path("Attempt").asInt(), r.path("JobRunState").asText(), Readable.time(r.path("StartedOn")), duration(r),
                        f.isMissingNode() ? "-" : f.path("RowsWritten").asText(), r.path("ErrorMessage").asText("-"));
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true,
            description = "The log of a run: its states, each statement with its time and rows, a Python script's output, its error (default: the latest run).")
    static final class Logs extends ApiCommand {
        @Parameters(index = "0", description = "Job name")
        String name;

        @Parameters(index = "1", arity = "0..1", description = "Run id (from `mortar job runs`; default: the job's latest run)")
        String runId;

        @Option(names = {"-f", "--follow"}, description = "Keep printing the log as it grows, until the run ends")
        boolean follow;

        @Option(names = "--interval-ms", defaultValue = "500", description = "How often --follow asks the server (default: ${DEFAULT-VALUE})")
        long intervalMillis;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            String id = runId != null ? runId : latestRunId(glue, name);
            String path = "/jobs/" + GlueApiClient.pathSegment(name) + "/runs/" + GlueApiClient.pathSegment(id) + "/log";
            int printed = 0;
            while (true) {
                GlueApiClient.TextAnswer log = glue.get(path);
                // the log only grows: what is new is what lies past the part already printed
                if (log.body().length() > printed) {
                    out.print(log.body().substring(printed));
                    out.flush();
                    printed = log.body().length();
                }
                String state = log.header("X-Mortar-Run-State").orElse("");
                if (!follow || !IN_PROGRESS.contains(state)) {
                    return 0;
                }
                Thread.sleep(intervalMillis);
            }
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop runs of a job (default: every run of it in progress). A SQL run stops within moments and keeps nothing it wrote; "
                    + "a Python script's processes are ended.")
    static final class Stop extends ApiCommand {
        /** BatchStopJobRun takes up to 25 runs. */
        private static final int BATCH = 25;

        @Parameters(index = "0", description = "Job name")
        String name;

        @Parameters(index = "1..*", arity = "0..*", description = "Run ids (default: the job's runs in progress)")
        List<String> runIds = new ArrayList<>();

        @Option(names = {"-w", "--wait"}, description = "Wait until the runs have ended and show how; exit 1 unless every one ended STOPPED")
        boolean wait;

        @Option(names = "--interval-ms", defaultValue = "500", description = "How often --wait asks the server (default: ${DEFAULT-VALUE})")
        long intervalMillis;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            List<String> ids = new ArrayList<>(runIds);
            if (ids.isEmpty()) {
                glue.pages("GetJobRuns", GlueApiClient.object().put("JobName", name).put("MaxResults", 200), "JobRuns", r -> {
                    if (!ended(r)) {
                        ids.add(r.path("Id").asText());
                    }
                });
                if (ids.isEmpty()) {
                    throw new IllegalArgumentException("Job " + name + " has no runs in progress");
                }
            }
            List<String> stopping = new ArrayList<>();
            PrintWriter err = spec.commandLine().getErr();
            for (int from = 0; from < ids.size(); from += BATCH) {
                ObjectNode input = GlueApiClient.object().put("JobName", name);
                ArrayNode batch = input.putArray("JobRunIds");
                ids.subList(from, Math.min(ids.size(), from + BATCH)).forEach(batch::add);
                JsonNode answer = glue.call("BatchStopJobRun", input);
                for (JsonNode ok : answer.path("SuccessfulSubmissions")) {
                    stopping.add(ok.path("JobRunId").asText());
                    out.printf("Stopping run %s of job %s%n", ok.path("JobRunId").asText(), name);
                }
                for (JsonNode e : answer.path("Errors")) {
                    err.printf("Error: %s: %s%n", e.path("ErrorDetail").path("ErrorCode").asText(), e.path("ErrorDetail").path("ErrorMessage").asText());
                }
            }
            out.flush();
            err.flush();
            boolean allStopped = stopping.size() == ids.size();
            if (wait) {
                for (String id : stopping) {
                    JsonNode run = jobRun(glue, name, id);
                    while (!ended(run)) {
                        Thread.sleep(intervalMillis);
                        run = jobRun(glue, name, id);
                    }
                    String state = run.path("JobRunState").asText();
                    out.printf("Run %s %s%s%n", id, state, run.hasNonNull("ErrorMessage") ? ": " + run.path("ErrorMessage").asText() : "");
                    allStopped &= state.equals("STOPPED");
                }
            }
            return allStopped ? 0 : 1;
        }
    }

    @Command(name = "bookmark", mixinStandardHelpOptions = true,
            description = "What a job's bookmark holds: per source table, how many files its runs have read (a bookmarked run skips them).")
    static final class Bookmark extends ApiCommand {
        @Parameters(index = "0", description = "Job name")
        String name;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            job(glue, name);
            JsonNode entry;
            try {
                entry = glue.call("GetJobBookmark", GlueApiClient.object().put("JobName", name)).path("JobBookmarkEntry");
            } catch (GlueApiException e) {
                if (!e.type().equals("EntityNotFoundException")) {
                    throw e;
                }
                out.printf("Job %s has no bookmark: no run of it with bookmarks enabled has succeeded yet%n", name);
                return 0;
            }
            printBookmark(out, entry);
            return 0;
        }
    }

    private static void printBookmark(PrintWriter out, JsonNode entry) throws IOException {
        long run = entry.path("Run").asLong();
        out.printf("Bookmark of job %s: version %d, %s%n", entry.path("JobName").asText(), entry.path("Version").asLong(),
                run == 0 ? "empty (the next bookmarked run reads every file)"
                        : "after " + run + " bookmarked run" + (run == 1 ? "" : "s") + (entry.hasNonNull("RunId") ? ", the last " + entry.path("RunId").asText() : ""));
        JsonNode state = entry.path("JobBookmark").asText().isEmpty() ? JSON.createObjectNode() : JSON.readTree(entry.path("JobBookmark").asText());
        if (state.isEmpty()) {
            return;
        }
        TextTable tables = new TextTable("TABLE", "FILES READ", "NEWEST FILE MODIFIED");
        state.properties().forEach(t -> tables.row(t.getKey(), t.getValue().path("files").asText("-"),
                t.getValue().has("latestModifiedMillis") ? Readable.time(Instant.ofEpochMilli(t.getValue().path("latestModifiedMillis").asLong())) : "-"));
        tables.print(out);
    }

    @Command(name = "reset-bookmark", mixinStandardHelpOptions = true,
            description = "Clear a job's bookmark, so that its next bookmarked run reads every file again; or, with --run, rewind it to what it held after that run.")
    static final class ResetBookmark extends ApiCommand {
        @Parameters(index = "0", description = "Job name")
        String name;

        @Option(names = "--run", paramLabel = "RUN_ID", description = "A run that advanced the bookmark: keep what the bookmark held after it")
        String runId;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            ObjectNode input = GlueApiClient.object().put("JobName", name);
            if (runId != null) {
                input.put("RunId", runId);
            }
            JsonNode entry = glue.call("ResetJobBookmark", input).path("JobBookmarkEntry");
            out.printf(runId == null ? "Reset the bookmark of job %s%n" : "Rewound the bookmark of job %s to run %s%n", name, runId);
            printBookmark(out, entry);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a job with its runs' records and its bookmark (not the tables it wrote).")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", description = "Job name")
        String name;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            // DeleteJob of a missing job succeeds (as the service's does); a person who typed a name wants to know
            job(glue, name);
            glue.call("DeleteJob", GlueApiClient.object().put("JobName", name));
            out.printf("Deleted job %s%n", name);
            return 0;
        }
    }
}
