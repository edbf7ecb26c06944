package dev.mortar.benchmarks;

import static dev.mortar.benchmarks.BenchmarkFiles.awaitHealth;
import static dev.mortar.benchmarks.BenchmarkFiles.deleteTree;
import static dev.mortar.benchmarks.BenchmarkFiles.freePort;
import static dev.mortar.benchmarks.BenchmarkFiles.stop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.CrawlerState;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.JobCommand;
import software.amazon.awssdk.services.glue.model.JobRun;
import software.amazon.awssdk.services.glue.model.S3Target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The job benchmark: a SQL job that turns a crawled CSV table into Parquet partitioned by day, run on the server's
 * embedded job workers through the Glue job API, against DuckDB's JDBC driver running the same conversion over the
 * same files with the same memory limit and threads, the two alternating run by run; and the latency of a trivial job
 * ({@code SELECT 1}) from StartJobRun until the client sees it SUCCEEDED. Starts Mortar (its own JVM, 127.0.0.1 only),
 * prints the figures and writes them into docs/BENCHMARKS.md between {@code <!-- job-benchmark:begin -->} and
 * {@code <!-- job-benchmark:end -->}. Run through {@code bin/mortar-bench --jobs [--quick] [--no-doc]}.
 */
public final class JobBenchmark {
    static final String SECTION = "job-benchmark";
    private static final int DAYS = 30;
    private static final String CONVERSION_JOB = "events-by-day";
    private static final String TRIVIAL_JOB = "trivial";
    private static final String SCRIPT = """
            -- the crawled CSV events as Parquet, one partition per day
            CREATE TABLE bench.${output_table} PARTITIONED BY (day) AS
            SELECT id, ts, customer, amount, CAST(ts AS DATE) AS day FROM raw.events
            """;
    private static final String TRIVIAL_SCRIPT = "SELECT 1\n";
    /** The crawled table's columns, which the direct DuckDB run is given too (as the job's scan is, from the catalog). */
    private static final List<String[]> COLUMNS = List.of(new String[] {"id", "bigint", "BIGINT"}, new String[] {"ts", "timestamp", "TIMESTAMP"},
            new String[] {"customer", "string", "VARCHAR"}, new String[] {"amount", "double", "DOUBLE"});
    /** How often the client asks for the conversion's state: often enough to add little to runs of seconds, seldom enough not to load the server. */
    private static final Duration CONVERSION_POLL = Duration.ofMillis(50);
    private static final Duration TRIVIAL_POLL = Duration.ofMillis(5);
    private static final Duration RUN_LIMIT = Duration.ofMinutes(10);
    private static final double RATIO_GOAL = 1.15;
    private static final long TRIVIAL_GOAL_MILLIS = 300;
    private static final Pattern STATEMENT_LINE = Pattern.compile("^Statement \\d+ \\(line \\d+\\) [A-Z ]+: \\d+ rows in (\\d+) ms$");

    private record Options(Path mortarJar, Path mortarLib, String java, String heap, Path work, Optional<Path> doc, boolean quick, String command,
                           String duckDbMemory, int duckDbThreads, int jobWorkers) {}

    private record Scale(long rows, int files, int runs, int trivialWarmUps, int trivialRuns) {
        static Scale of(boolean quick) {
            return quick ? new Scale(1_000_000, 4, 3, 5, 20) : new Scale(10_000_000, 10, 9, 5, 50);
        }
    }

    /** What a finished output holds, read back with DuckDB: the same conversion gives the same figures. */
    private record Output(long rows, long days, long idSum, int files, long bytes) {
        boolean sameRows(Output other) {
            return rows == other.rows && days == other.days && idSum == other.idSum;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d rows, %d days, sum(id) %d, %d files, %,d bytes", rows, days, idSum, files, bytes);
        }
    }

    /**
     * Where a run's time went, in milliseconds, from its log's timestamps: queued (StartJobRun accepted until a worker
     * leased it), start (lease until the first statement began: the script read, DuckDB opened), statements (their own
     * timings), commit (the last statement's end until the output was committed) and end (until the run was recorded
     * SUCCEEDED).
     */
    private record Phases(double queued, double start, double statements, double commit, double end) {}

    /** One run of the job as the client saw it (wall) and as the server recorded it (StartedOn to CompletedOn). */
    private record MortarRun(String runId, long wallNanos, long cpuNanos, long serverMillis, long rowsRead, long rowsWritten, long filesWritten,
                             long bytesWritten, Phases phases) {}

    /** One direct DuckDB run: its wall time and the CPU time of the benchmark's process meanwhile. */
    private record DuckDbRun(long wallNanos, long cpuNanos) {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        new JobBenchmark(o).run();
    }

    private final Options o;
    private final Scale scale;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private int httpPort;
    private long serverPid;

    private JobBenchmark(Options o) {
        this.o = o;
        this.scale = Scale.of(o.quick());
    }

    private void run() throws Exception {
        ZonedDateTime started = ZonedDateTime.now();
        String loadBefore = Machine.loadAverage();
        deleteTree(o.work());
        Path lake = o.work().resolve("lake");
        Path events = lake.resolve("events");
        Files.createDirectories(events);
        log("generating %,d rows in %d CSV files under %s", scale.rows(), scale.files(), events);
        List<Path> csvFiles = generate(events);
        long csvBytes = 0;
        for (Path f : csvFiles) {
            csvBytes += Files.size(f);
        }

        httpPort = freePort();
        int thrift = freePort();
        Path serverDir = o.work().resolve("server");
        Files.createDirectories(serverDir);
        Path serverLog = serverDir.resolve("server.out");
        Process mortar = new ProcessBuilder(o.java(), "-Xmx" + o.heap(), "--enable-native-access=ALL-UNNAMED", "-cp", o.mortarJar() + ":" + o.mortarLib() + "/*",
                "dev.mortar.metastore.cli.MortarCli", "server", "--bind", "127.0.0.1", "--thrift-port", String.valueOf(thrift), "--http-port", String.valueOf(httpPort),
                "--data-dir", serverDir.resolve("data").toString(), "--set", "mortar.gateway.enabled=false",
                "--set", "mortar.jobs.embedded.workers=" + o.jobWorkers(), "--set", "mortar.jobs.duckdb.memory.limit=" + o.duckDbMemory(),
                "--set", "mortar.jobs.duckdb.threads=" + o.duckDbThreads())
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(mortar)));
        serverPid = mortar.pid();
        try {
            awaitHealth(mortar, httpPort, serverLog);
            try (GlueClient glue = GlueClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + httpPort)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench"))).build()) {
                double crawlSeconds = crawl(glue, lake);
                Path warehouse = o.work().resolve("warehouse");
                glue.createDatabase(r -> r.databaseInput(d -> d.name("bench").locationUri(warehouse.resolve("bench").toUri().toString())));
                Path scripts = o.work().resolve("scripts");
                Files.createDirectories(scripts);
                Files.writeString(scripts.resolve("events_by_day.sql"), SCRIPT);
                Files.writeString(scripts.resolve("trivial.sql"), TRIVIAL_SCRIPT);
                for (String[] job : List.of(new String[] {CONVERSION_JOB, "events_by_day.sql"}, new String[] {TRIVIAL_JOB, "trivial.sql"})) {
                    glue.createJob(r -> r.name(job[0]).role("arn:aws:iam::123456789012:role/bench")
                            .command(JobCommand.builder().name("glueetl").scriptLocation(scripts.resolve(job[1]).toString()).build()));
                }

                // --- the conversion, alternating with DuckDB alone ---
                String copy = directCopy(csvFiles);
                List<MortarRun> mortarRuns = new ArrayList<>();
                List<DuckDbRun> duckDbRuns = new ArrayList<>();
                Output mortarOutput = null;
                Output duckDbOutput = null;
                // round 0 is a warm-up (classes loaded, code compiled, files in the page cache); not counted
                for (int r = 0; r <= scale.runs(); r++) {
                    boolean mortarFirst = r % 2 == 0;
                    for (int k = 0; k < 2; k++) {
                        if ((k == 0) == mortarFirst) {
                            String table = "events_by_day_" + r;
                            MortarRun run = mortarRun(glue, table);
                            Output out = mortarOutput(glue, table);
                            checkSame("Mortar run " + run.runId(), out, duckDbOutput != null ? duckDbOutput : mortarOutput);
                            if (run.rowsWritten() != scale.rows()) {
                                throw new IllegalStateException("Run " + run.runId() + " reports " + run.rowsWritten() + " rows written; the input has " + scale.rows());
                            }
                            mortarOutput = out;
                            dropMortarOutput(glue, table);
                            log("%s Mortar: %.2f s (server %.2f s, CPU %.2f s)  %s", r == 0 ? "warm-up" : "run " + r, run.wallNanos() / 1e9,
                                    run.serverMillis() / 1e3, run.cpuNanos() / 1e9, out);
                            if (r > 0) {
                                mortarRuns.add(run);
                            }
                        } else {
                            Path dir = o.work().resolve("duckdb-out/run-" + r);
                            Files.createDirectories(dir.getParent());
                            DuckDbRun run = duckDbRun(copy, dir);
                            Output out = output(dir);
                            checkSame("DuckDB run " + r, out, mortarOutput != null ? mortarOutput : duckDbOutput);
                            duckDbOutput = out;
                            deleteTree(dir);
                            log("%s DuckDB: %.2f s (CPU %.2f s)  %s", r == 0 ? "warm-up" : "run " + r, run.wallNanos() / 1e9, run.cpuNanos() / 1e9, out);
                            if (r > 0) {
                                duckDbRuns.add(run);
                            }
                        }
                        settle();
                    }
                }
                if (mortarOutput.rows() != scale.rows() || !mortarOutput.sameRows(duckDbOutput)) {
                    throw new IllegalStateException("The outputs differ: Mortar " + mortarOutput + ", DuckDB " + duckDbOutput + ", input " + scale.rows() + " rows");
                }

                // --- a trivial job's latency ---
                for (int i = 0; i < scale.trivialWarmUps(); i++) {
                    trivialRun(glue);
                }
                List<String> trivialIds = new ArrayList<>();
                List<Long> trivialNanos = new ArrayList<>();
                List<Long> trivialServerMillis = new ArrayList<>();
                for (int i = 0; i < scale.trivialRuns(); i++) {
                    TrivialRun trivial = trivialRun(glue);
                    trivialIds.add(trivial.run().id());
                    trivialNanos.add(trivial.wallNanos());
                    trivialServerMillis.add(Duration.between(trivial.run().startedOn(), trivial.run().completedOn()).toMillis());
                }
                // the logs are read once all runs have ended, so that reading them does not load the server during a run
                List<Phases> trivialPhases = new ArrayList<>();
                for (int i = 0; i < trivialIds.size(); i++) {
                    trivialPhases.add(phases(runLog(TRIVIAL_JOB, trivialIds.get(i))));
                }
                log("trivial job: client p50 %.0f ms, p90 %.0f ms, max %.0f ms; server p50 %d ms", percentile(trivialNanos, 0.5) / 1e6,
                        percentile(trivialNanos, 0.9) / 1e6, percentile(trivialNanos, 1.0) / 1e6, percentile(trivialServerMillis, 0.5));
                String loadAfter = Machine.loadAverage();
                String section = render(started, loadBefore, loadAfter, csvFiles.size(), csvBytes, crawlSeconds, mortarRuns, duckDbRuns, mortarOutput,
                        duckDbOutput, trivialNanos, trivialServerMillis, trivialPhases);
                System.out.println(section);
                if (o.doc().isPresent()) {
                    BenchmarkSections.write(o.doc().get(), SECTION, section);
                    log("wrote the job section of %s", o.doc().get());
                }
            }
        } finally {
            stop(mortar);
        }
    }

    // --- data --------------------------------------------------------------------------------------

    /** Writes the CSV files with DuckDB: ids in order, timestamps spread over {@link #DAYS} days, 5,000 customers. */
    private List<Path> generate(Path folder) throws SQLException {
        List<Path> files = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads = " + o.duckDbThreads());
            long per = scale.rows() / scale.files();
            for (int f = 0; f < scale.files(); f++) {
                long from = f * per;
                long to = f == scale.files() - 1 ? scale.rows() : from + per;
                Path file = folder.resolve(String.format(Locale.ROOT, "events-%02d.csv", f));
                s.execute("COPY (SELECT range AS id, TIMESTAMP '2024-01-01 00:00:00' + to_seconds((hash(range) % " + DAYS * 86_400L + ")::BIGINT) AS ts, "
                        + "'c' || lpad((hash(range * 7) % 5000)::VARCHAR, 5, '0') AS customer, (hash(range * 13) % 1000000)::DOUBLE / 100 AS amount "
                        + "FROM range(" + from + ", " + to + ")) TO '" + file + "' (FORMAT csv, HEADER true, DELIMITER ',')");
                files.add(file);
            }
        }
        return files;
    }

    /** Crawls the CSV folder as a user would (not timed as part of the job), and checks the table it made. */
    private double crawl(GlueClient glue, Path lake) throws Exception {
        long t0 = System.nanoTime();
        glue.createCrawler(r -> r.name("bench-raw").role("arn:aws:iam::123456789012:role/bench").databaseName("raw")
                .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path(lake.toString()).build()).build()));
        glue.startCrawler(r -> r.name("bench-raw"));
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (true) {
            var crawler = glue.getCrawler(r -> r.name("bench-raw")).crawler();
            if (crawler.state() == CrawlerState.READY && crawler.lastCrawl() != null) {
                if (!"SUCCEEDED".equals(crawler.lastCrawl().statusAsString())) {
                    throw new IllegalStateException("The crawl of " + lake + " ended " + crawler.lastCrawl().statusAsString() + ": " + crawler.lastCrawl().errorMessage());
                }
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The crawl of " + lake + " did not end within " + RUN_LIMIT);
            }
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        var table = glue.getTable(r -> r.databaseName("raw").name("events")).table();
        List<String> found = table.storageDescriptor().columns().stream().map(c -> c.name() + " " + c.type()).toList();
        List<String> expected = COLUMNS.stream().map(c -> c[0] + " " + c[1]).toList();
        if (!found.equals(expected) || !table.partitionKeys().isEmpty()) {
            throw new IllegalStateException("The crawler made raw.events with columns " + found + " and partition keys "
                    + table.partitionKeys().stream().map(Column::name).toList() + "; the benchmark expects " + expected + " and none");
        }
        log("crawled raw.events in %.1f s: %s, %s, %s", seconds, found, table.storageDescriptor().serdeInfo().serializationLibrary(), table.parameters());
        return seconds;
    }

    // --- Mortar ------------------------------------------------------------------------------------

    private MortarRun mortarRun(GlueClient glue, String table) throws Exception {
        long cpu0 = ProcessCpu.cpuNanos(serverPid);
        long t0 = System.nanoTime();
        String runId = glue.startJobRun(r -> r.jobName(CONVERSION_JOB).arguments(Map.of("--output_table", table))).jobRunId();
        JobRun run = await(glue, CONVERSION_JOB, runId, CONVERSION_POLL);
        long wall = System.nanoTime() - t0;
        long cpu = ProcessCpu.cpuNanos(serverPid) - cpu0;
        JsonNode raw = rawJobRun(CONVERSION_JOB, runId);
        JsonNode figures = raw.path("MortarRunFigures");
        if (figures.isMissingNode()) {
            throw new IllegalStateException("GetJobRun of " + runId + " has no MortarRunFigures: " + raw);
        }
        long serverMillis = Math.round(raw.path("CompletedOn").asDouble() * 1000) - Math.round(raw.path("StartedOn").asDouble() * 1000);
        return new MortarRun(run.id(), wall, cpu, serverMillis, figures.path("RowsRead").asLong(), figures.path("RowsWritten").asLong(),
                figures.path("FilesWritten").asLong(), figures.path("BytesWritten").asLong(), phases(runLog(CONVERSION_JOB, runId)));
    }

    private record TrivialRun(JobRun run, long wallNanos) {}

    private TrivialRun trivialRun(GlueClient glue) throws Exception {
        long t0 = System.nanoTime();
        String runId = glue.startJobRun(r -> r.jobName(TRIVIAL_JOB)).jobRunId();
        JobRun run = await(glue, TRIVIAL_JOB, runId, TRIVIAL_POLL);
        return new TrivialRun(run, System.nanoTime() - t0);
    }

    /** Polls GetJobRun (through the AWS SDK, as a client does) until the run ended; fails unless it SUCCEEDED. */
    private JobRun await(GlueClient glue, String job, String runId, Duration poll) throws Exception {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (true) {
            JobRun run = glue.getJobRun(r -> r.jobName(job).runId(runId)).jobRun();
            switch (run.jobRunState()) {
                case SUCCEEDED -> {
                    return run;
                }
                case FAILED, ERROR, TIMEOUT, STOPPED, EXPIRED -> throw new IllegalStateException("Run " + runId + " of " + job + " ended " + run.jobRunState() + ": "
                        + run.errorMessage() + "\n" + runLog(job, runId));
                default -> { }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Run " + runId + " of " + job + " did not end within " + RUN_LIMIT);
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** GetJobRun's JobRun as the server sends it, with Mortar's extension (the SDK's model has no place for it). */
    private JsonNode rawJobRun(String job, String runId) throws Exception {
        String body = json.createObjectNode().put("JobName", job).put("RunId", runId).toString();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/"))
                .header("X-Amz-Target", "AWSGlue.GetJobRun").header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GetJobRun of " + runId + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body()).path("JobRun");
    }

    private String runLog(String job, String runId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/jobs/"
                + URLEncoder.encode(job, StandardCharsets.UTF_8) + "/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8) + "/log")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("The log of run " + runId + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The phases of a run from its log (each line starts with its time); see {@link Phases}. */
    static Phases phases(String log) {
        Instant starting = null;
        Instant running = null;
        Instant firstStatementStart = null;
        Instant lastStatementEnd = null;
        Instant committed = null;
        Instant ended = null;
        double statements = 0;
        for (String line : log.lines().toList()) {
            int space = line.indexOf(' ');
            if (space < 0) {
                continue;
            }
            Instant at;
            try {
                at = Instant.parse(line.substring(0, space));
            } catch (java.time.format.DateTimeParseException e) {
                continue; // a continuation of a multi-line entry
            }
            String text = line.substring(space + 1);
            Matcher statement = STATEMENT_LINE.matcher(text);
            if (starting == null && text.endsWith(": STARTING")) {
                starting = at;
            } else if (running == null && text.startsWith("RUNNING on ")) {
                running = at;
            } else if (statement.matches()) {
                long millis = Long.parseLong(statement.group(1));
                statements += millis;
                if (firstStatementStart == null) {
                    firstStatementStart = at.minusMillis(millis);
                }
                lastStatementEnd = at;
            } else if (text.startsWith("Committed ")) {
                committed = at;
            } else if (text.equals("SUCCEEDED")) {
                ended = at;
            }
        }
        if (starting == null || running == null || firstStatementStart == null || committed == null || ended == null) {
            throw new IllegalStateException("The run's log lacks a line the benchmark reads (STARTING, RUNNING on, Statement, Committed, SUCCEEDED):\n" + log);
        }
        return new Phases(millisBetween(starting, running), millisBetween(running, firstStatementStart), statements, millisBetween(lastStatementEnd, committed),
                millisBetween(committed, ended));
    }

    private static double millisBetween(Instant a, Instant b) {
        return Duration.between(a, b).toNanos() / 1e6;
    }

    private Output mortarOutput(GlueClient glue, String table) throws Exception {
        String location = glue.getTable(r -> r.databaseName("bench").name(table)).table().storageDescriptor().location();
        int partitions = glue.getPartitionsPaginator(r -> r.databaseName("bench").tableName(table)).stream().mapToInt(p -> p.partitions().size()).sum();
        Output out = output(Path.of(URI.create(location)));
        if (partitions != out.days()) {
            throw new IllegalStateException("bench." + table + " has " + partitions + " partitions in the catalog and " + out.days() + " days in its files");
        }
        return out;
    }

    private void dropMortarOutput(GlueClient glue, String table) throws IOException {
        String location = glue.getTable(r -> r.databaseName("bench").name(table)).table().storageDescriptor().location();
        glue.deleteTable(r -> r.databaseName("bench").name(table));
        deleteTree(Path.of(URI.create(location)));
    }

    // --- DuckDB alone ------------------------------------------------------------------------------

    /** The same conversion as one COPY: the files listed, the same column types as the catalog's, written partitioned by day. */
    private String directCopy(List<Path> files) {
        String list = files.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", ", "[", "]"));
        String columns = COLUMNS.stream().map(c -> "'" + c[0] + "': '" + c[2] + "'").collect(Collectors.joining(", ", "{", "}"));
        return "COPY (SELECT id, ts, customer, amount, CAST(ts AS DATE) AS day FROM read_csv(" + list + ", header = true, delim = ',', columns = " + columns
                + ", auto_detect = false)) TO '%s' (FORMAT parquet, PARTITION_BY (day))";
    }

    /** One direct run, timed from opening a fresh in-memory database (as each job run does) until the COPY returned. */
    private DuckDbRun duckDbRun(String copy, Path dir) throws SQLException {
        long self = ProcessHandle.current().pid();
        long cpu0 = ProcessCpu.cpuNanos(self);
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET memory_limit = '" + o.duckDbMemory() + "'");
            s.execute("SET threads = " + o.duckDbThreads());
            s.execute(copy.formatted(dir));
        }
        long wall = System.nanoTime() - t0;
        return new DuckDbRun(wall, ProcessCpu.cpuNanos(self) - cpu0);
    }

    /** Counts what a folder of Parquet files in day=... folders holds. */
    private Output output(Path dir) throws SQLException, IOException {
        int files;
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> parquet = walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".parquet")).toList();
            files = parquet.size();
            for (Path p : parquet) {
                bytes += Files.size(p);
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads = " + o.duckDbThreads());
            try (ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT day), sum(id) FROM read_parquet('" + dir + "/*/*.parquet', hive_partitioning = true)")) {
                rs.next();
                return new Output(rs.getLong(1), rs.getLong(2), rs.getLong(3), files, bytes);
            }
        }
    }

    private static void checkSame(String what, Output out, Output earlier) {
        if (earlier != null && !out.sameRows(earlier)) {
            throw new IllegalStateException(what + " wrote " + out + "; an earlier run wrote " + earlier);
        }
    }

    /** Between runs: the driver's garbage collected and a second's pause, so that one run's after-effects fall less on the next. */
    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(1000);
    }

    // --- report ------------------------------------------------------------------------------------

    private String render(ZonedDateTime started, String loadBefore, String loadAfter, int fileCount, long csvBytes, double crawlSeconds,
                          List<MortarRun> runs, List<DuckDbRun> duckDbRuns, Output mortarOut, Output duckOut, List<Long> trivialNanos,
                          List<Long> trivialServerMillis, List<Phases> trivialPhases) {
        List<Long> wall = runs.stream().map(MortarRun::wallNanos).toList();
        List<Long> server = runs.stream().map(r -> r.serverMillis() * 1_000_000).toList();
        List<Long> cpu = runs.stream().map(MortarRun::cpuNanos).toList();
        List<Long> duckDbNanos = duckDbRuns.stream().map(DuckDbRun::wallNanos).toList();
        List<Long> duckDbCpu = duckDbRuns.stream().map(DuckDbRun::cpuNanos).toList();
        double medianRatio = (double) percentile(wall, 0.5) / percentile(duckDbNanos, 0.5);
        long trivialP50 = percentile(trivialNanos, 0.5) / 1_000_000;
        List<Phases> conversionPhases = runs.stream().map(MortarRun::phases).toList();

        StringBuilder s = new StringBuilder();
        s.append("## Jobs: a SQL job on the server's workers, and DuckDB alone\n\n");
        s.append("<!-- Written by bin/mortar-bench --jobs (dev.mortar.benchmarks.JobBenchmark). Run it again rather than editing the figures. -->\n\n");
        s.append("| | |\n|---|---|\n");
        s.append("| date | ").append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"))).append(" |\n");
        s.append("| machine | ").append(Machine.cores()).append(" cores (").append(Machine.cpuModel()).append("), ").append(Machine.memory())
                .append(" memory, Linux ").append(Machine.kernel()).append(" |\n");
        s.append("| load average (1 min) | ").append(loadBefore).append(" before, ").append(loadAfter).append(" after")
                .append(busy(loadBefore, loadAfter) ? " (above the core count: other work shared the CPU, so absolute figures are high; Mortar and DuckDB "
                        + "alternated run by run and shared the same noise, so their ratio still compares)" : "")
                .append(" |\n");
        s.append("| command | `").append(o.command()).append("` |\n");
        s.append(String.format(Locale.ROOT, "| data | `raw.events`: %,d rows in %d CSV files with a header, %.1f MiB on local disk; columns id bigint, "
                + "ts timestamp (over %d days), customer string (5,000 values), amount double; crawled into the catalog (LazySimpleSerDe, `field.delim` `,`, "
                + "`skip.header.line.count=1`; the crawl, %.1f s, is not measured) |\n", scale.rows(), fileCount, csvBytes / 1024.0 / 1024.0, DAYS, crawlSeconds));
        s.append("| engine | DuckDB ").append(duckDbVersion()).append(" (").append(duckDbDriverJar())
                .append("), `memory_limit` ").append(o.duckDbMemory()).append(", `threads` ").append(o.duckDbThreads())
                .append(" on both sides: the server's `mortar.jobs.duckdb.memory.limit` and `mortar.jobs.duckdb.threads`, and the direct run's `SET` |\n");
        s.append("| server | Mortar (jar of ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC)
                        .format(lastModified(o.mortarJar()))).append("), embedded H2, `-Xmx").append(o.heap()).append("`, ").append(o.jobWorkers())
                .append(" embedded job workers, JDK ").append(Runtime.version()).append(", 127.0.0.1; the client is the AWS SDK for Java v2's Glue client |\n\n");

        s.append("### CSV to Parquet partitioned by day\n\n");
        s.append("The job's script (run with `--output_table events_by_day_<n>`, a new table each run; each output is checked, then dropped with ")
                .append("`DeleteTable` and its folder deleted, unmeasured):\n\n```sql\n").append(SCRIPT.strip()).append("\n```\n\n");
        s.append("DuckDB alone, in the benchmark's JVM, a new in-memory database per run (as each job run opens one):\n\n```sql\n")
                .append("COPY (SELECT id, ts, customer, amount, CAST(ts AS DATE) AS day\n      FROM read_csv([<the ").append(fileCount)
                .append(" files>], header = true, delim = ',', columns = {<the catalog's types>}, auto_detect = false))\n")
                .append("  TO '<folder>' (FORMAT parquet, PARTITION_BY (day))\n```\n\n");
        s.append(String.format(Locale.ROOT, "%d rounds after one unmeasured warm-up round; a round is one run of each, the side that goes first alternating "
                + "from round to round, with a second's pause after every run. Seconds:\n\n", runs.size()));
        s.append("| | min | median | max |\n|---|---:|---:|---:|\n");
        s.append(row("Mortar job, as the client sees it: StartJobRun until GetJobRun says SUCCEEDED (polled every " + CONVERSION_POLL.toMillis() + " ms)", wall));
        s.append(row("Mortar job, as the server records it: StartedOn to CompletedOn", server));
        s.append(row("DuckDB alone: opening the database, the COPY", duckDbNanos));
        s.append(row("Mortar job: CPU time of the server's process meanwhile", cpu));
        s.append(row("DuckDB alone: CPU time of the benchmark's process meanwhile", duckDbCpu));
        s.append('\n');
        s.append("| Mortar / DuckDB | ratio of the medians | median of the rounds' ratios |\n|---|---:|---:|\n");
        s.append(ratioRow("**time, as the client sees it**", wall, duckDbNanos, true));
        s.append(ratioRow("time, as the server records it", server, duckDbNanos, false));
        s.append(ratioRow("CPU time", cpu, duckDbCpu, false));
        s.append('\n');
        MortarRun last = runs.getLast();
        s.append(String.format(Locale.ROOT, "Both wrote the same rows: %,d rows in %d day partitions, the same sum of ids, read back from the Parquet files with "
                        + "DuckDB (the benchmark fails otherwise); Mortar's partitions are in the catalog too. Mortar: %d files, %.1f MiB "
                        + "(its run figures: %,d rows read, %,d written); DuckDB: %d files, %.1f MiB.\n\n",
                mortarOut.rows(), mortarOut.days(), mortarOut.files(), mortarOut.bytes() / 1024.0 / 1024.0, last.rowsRead(), last.rowsWritten(),
                duckOut.files(), duckOut.bytes() / 1024.0 / 1024.0));
        s.append("Where a run's time goes, from the timestamps of the run's log (`GET /jobs/{name}/runs/{id}/log`):\n\n");
        s.append(phasesTable(conversionPhases, wall, server));

        s.append("### A trivial job's latency\n\n");
        s.append(String.format(Locale.ROOT, "A job whose script is `SELECT 1`: %d runs one after another, after %d unmeasured ones; the client polls "
                + "GetJobRun every %d ms from StartJobRun's answer on. Milliseconds:\n\n", trivialNanos.size(), scale.trivialWarmUps(), TRIVIAL_POLL.toMillis()));
        s.append("| | p50 | p90 | max |\n|---|---:|---:|---:|\n");
        s.append(String.format(Locale.ROOT, "| as the client sees it: StartJobRun until GetJobRun says SUCCEEDED | %d | %d | %d |\n", trivialP50,
                percentile(trivialNanos, 0.9) / 1_000_000, percentile(trivialNanos, 1.0) / 1_000_000));
        s.append(String.format(Locale.ROOT, "| as the server records it: StartedOn to CompletedOn | %d | %d | %d |\n\n", percentile(trivialServerMillis, 0.5),
                percentile(trivialServerMillis, 0.9), percentile(trivialServerMillis, 1.0)));
        s.append("Its phases, as above:\n\n");
        s.append(phasesTable(trivialPhases, trivialNanos, trivialServerMillis.stream().map(m -> m * 1_000_000).toList()));

        s.append("### What the figures mean\n\n");
        s.append(String.format(Locale.ROOT, "At the median, the job takes %.2fx DuckDB's own time for the same conversion (goal: at most %.2fx, %s), "
                        + "and its server spends %.2fx the CPU time DuckDB's run does (a figure that does not count the time a run waited for a core, "
                        + "though other work on the machine inflates it too, through the caches and cores they share). ", medianRatio, RATIO_GOAL, medianRatio <= RATIO_GOAL ? "met" : "**not met**",
                (double) percentile(cpu, 0.5) / percentile(duckDbCpu, 0.5)));
        double statementMillis = median(conversionPhases, Phases::statements);
        double fixedMillis = median(conversionPhases, Phases::queued) + median(conversionPhases, Phases::start) + median(conversionPhases, Phases::commit)
                + median(conversionPhases, Phases::end);
        s.append(String.format(Locale.ROOT, "The job's one statement, which runs the same conversion on the same engine (its scan a view over the catalog's files, "
                        + "its query described first to type the new table, its output staged), took %.2f s at the median against DuckDB's %.2f s; around it, "
                        + "queueing, starting the run, committing %d partitions through the catalog and recording the end took %.0f ms (medians of each "
                        + "phase), and the client's calls and polling the rest. ",
                statementMillis / 1e3, percentile(duckDbNanos, 0.5) / 1e9, mortarOut.days(), fixedMillis));
        s.append(String.format(Locale.ROOT, "A trivial job is seen SUCCEEDED %d ms after StartJobRun at the median (goal: at most %d ms, %s): that is the fixed cost "
                        + "of any run, which the server's own record puts at %d ms, the rest being the client's calls and polling.\n",
                trivialP50, TRIVIAL_GOAL_MILLIS, trivialP50 <= TRIVIAL_GOAL_MILLIS ? "met" : "**not met**", percentile(trivialServerMillis, 0.5)));
        return s.toString();
    }

    /**
     * The phases of the run with the median client time, which add up to its server time (StartedOn is its STARTING
     * line, CompletedOn its SUCCEEDED line), next to the median of each phase over all runs.
     */
    private static String phasesTable(List<Phases> phases, List<Long> wallNanos, List<Long> serverNanos) {
        long medianWall = percentile(wallNanos, 0.5);
        int m = wallNanos.indexOf(medianWall);
        Phases run = phases.get(m);
        StringBuilder s = new StringBuilder("| phase | the median run, ms | median of the phase over all runs, ms |\n|---|---:|---:|\n");
        s.append(phase("queued: StartJobRun accepted until a worker leased the run", run, phases, Phases::queued));
        s.append(phase("start: the lease until the first statement began (script read and parsed, DuckDB opened)", run, phases, Phases::start));
        s.append(phase("statements, as the run times them", run, phases, Phases::statements));
        s.append(phase("commit: the last statement's end until the output was committed", run, phases, Phases::commit));
        s.append(phase("end: committed until the run was recorded SUCCEEDED", run, phases, Phases::end));
        List<Long> client = new ArrayList<>();
        for (int i = 0; i < wallNanos.size(); i++) {
            client.add(wallNanos.get(i) - serverNanos.get(i));
        }
        s.append(String.format(Locale.ROOT, "| the client's side: its time minus the server's (StartJobRun's and GetJobRun's calls, the wait for the next poll) | %.0f | %.0f |\n",
                (wallNanos.get(m) - serverNanos.get(m)) / 1e6, percentile(client, 0.5) / 1e6));
        s.append(String.format(Locale.ROOT, "| **total**, as the client sees it | %.0f | |\n\n", medianWall / 1e6));
        return s.toString();
    }

    private static String phase(String label, Phases run, List<Phases> phases, ToDoubleFunction<Phases> value) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f |\n", label, value.applyAsDouble(run), median(phases, value));
    }

    private static double median(List<Phases> phases, ToDoubleFunction<Phases> value) {
        double[] sorted = phases.stream().mapToDouble(value).sorted().toArray();
        return sorted[(sorted.length - 1) / 2];
    }

    /** Mortar's figures over DuckDB's: the ratio of their medians, and the median of the ratios of each round's two runs. */
    private static String ratioRow(String label, List<Long> mortar, List<Long> duckDb, boolean bold) {
        List<Double> rounds = new ArrayList<>();
        for (int i = 0; i < mortar.size(); i++) {
            rounds.add((double) mortar.get(i) / duckDb.get(i));
        }
        List<Double> sorted = rounds.stream().sorted().toList();
        String b = bold ? "**" : "";
        return String.format(Locale.ROOT, "| %s | %s%.2fx%s | %.2fx |\n", label, b, (double) percentile(mortar, 0.5) / percentile(duckDb, 0.5), b,
                sorted.get((sorted.size() - 1) / 2));
    }

    private static String row(String label, List<Long> nanos) {
        return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |\n", label, percentile(nanos, 0.0) / 1e9, percentile(nanos, 0.5) / 1e9,
                percentile(nanos, 1.0) / 1e9);
    }

    /** Nearest-rank percentile; 0 is the minimum, 1 the maximum, 0.5 the lower median of an even count. */
    static long percentile(List<Long> values, double p) {
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static String duckDbVersion() {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "(version unknown: " + e.getMessage() + ")";
        }
    }

    /** The driver's jar (its metadata says only "1.0"): the same version as the project's, from the parent pom. */
    private static String duckDbDriverJar() {
        try {
            return Path.of(org.duckdb.DuckDBDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return "duckdb_jdbc";
        }
    }

    private static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean busy(String loadBefore, String loadAfter) {
        try {
            return Math.max(Double.parseDouble(loadBefore), Double.parseDouble(loadAfter)) > Machine.cores();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    // --- the server and files ----------------------------------------------------------------------

    private static void log(String format, Object... args) {
        System.err.printf("[job-bench] " + format + "%n", args);
    }

    private static Options parse(String[] args) {
        Path jar = null;
        Path lib = null;
        String java = ProcessHandle.current().info().command().orElse("java");
        String heap = "1g";
        Path work = Path.of("benchmarks/target/job-run");
        Optional<Path> doc = Optional.empty();
        boolean quick = false;
        String command = "bin/mortar-bench --jobs";
        String memory = "2GB";
        int threads = Runtime.getRuntime().availableProcessors();
        int workers = 2;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--mortar-jar" -> jar = Path.of(value(args, ++i, a));
                case "--mortar-lib" -> lib = Path.of(value(args, ++i, a));
                case "--java" -> java = value(args, ++i, a);
                case "--heap" -> heap = value(args, ++i, a);
                case "--work" -> work = Path.of(value(args, ++i, a));
                case "--doc" -> doc = Optional.of(Path.of(value(args, ++i, a)));
                case "--no-doc" -> doc = Optional.empty();
                case "--quick" -> quick = true;
                case "--command" -> command = value(args, ++i, a);
                case "--duckdb-memory" -> memory = value(args, ++i, a);
                case "--duckdb-threads" -> threads = Integer.parseInt(value(args, ++i, a));
                case "--job-workers" -> workers = Integer.parseInt(value(args, ++i, a));
                default -> throw new IllegalArgumentException("Unknown option " + a);
            }
        }
        if (jar == null || lib == null) {
            throw new IllegalArgumentException("--mortar-jar and --mortar-lib are required (bin/mortar-bench --jobs passes them)");
        }
        if (threads < 1 || workers < 1) {
            throw new IllegalArgumentException("--duckdb-threads and --job-workers must be at least 1, not " + threads + " and " + workers);
        }
        return new Options(jar, lib, java, heap, work.toAbsolutePath(), doc, quick, command, memory, threads, workers);
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new IllegalArgumentException("Missing value after " + flag);
        }
        return args[index];
    }
}
