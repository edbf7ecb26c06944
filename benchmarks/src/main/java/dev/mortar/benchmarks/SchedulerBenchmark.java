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
import software.amazon.awssdk.services.glue.model.Action;
import software.amazon.awssdk.services.glue.model.Condition;
import software.amazon.awssdk.services.glue.model.JobCommand;
import software.amazon.awssdk.services.glue.model.JobRun;
import software.amazon.awssdk.services.glue.model.JobRunState;
import software.amazon.awssdk.services.glue.model.LogicalOperator;
import software.amazon.awssdk.services.glue.model.Predicate;
import software.amazon.awssdk.services.glue.model.TriggerType;

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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import static dev.mortar.benchmarks.JobBenchmark.percentile;

/**
 * The scheduler benchmark, against a real Mortar server process with its embedded job workers, all jobs trivial SQL
 * jobs ({@code SELECT 1}):
 * <ol>
 *   <li>dependent-start latency: an ON_DEMAND trigger starts job A, a CONDITIONAL trigger (A SUCCEEDED) starts job B;
 *   the latency is B's StartedOn minus A's CompletedOn, as GetJobRun reports them (milliseconds);</li>
 *   <li>scheduled fire lag: a SCHEDULED trigger {@code cron(* * * * ? *)}; the lag is a run's StartedOn minus its
 *   tick, next to the server's {@code mortar_scheduler_fire_lag_seconds} histogram;</li>
 *   <li>a chain of 40 jobs through 39 conditional triggers, against the same 40 jobs started one after another by the
 *   client, alternating run by run.</li>
 * </ol>
 * Prints the figures and writes them into docs/BENCHMARKS.md between {@code <!-- scheduler-benchmark:begin -->} and
 * {@code <!-- scheduler-benchmark:end -->}. Run through {@code bin/mortar-bench --scheduler [--quick] [--no-doc]}.
 */
public final class SchedulerBenchmark {
    static final String SECTION = "scheduler-benchmark";
    private static final String SCRIPT = "SELECT 1\n";
    private static final String ROLE = "arn:aws:iam::123456789012:role/bench";
    private static final String JOB_A = "dep-a";
    private static final String JOB_B = "dep-b";
    private static final String START_A = "dep-start";
    private static final String AFTER_A = "dep-after-a";
    private static final String TICKED_JOB = "ticked";
    private static final String EVERY_MINUTE = "every-minute";
    private static final String SCHEDULE = "cron(* * * * ? *)";
    private static final int CHAIN_LENGTH = 40;
    private static final String CHAIN_START = "chain-start";
    /** How often the client asks for a run's state while it measures; as the job benchmark's trivial job. */
    private static final Duration POLL = Duration.ofMillis(5);
    /** How often it asks while it only waits for the scheduled runs (it does not time them itself). */
    private static final Duration TICK_POLL = Duration.ofMillis(500);
    private static final Duration PAUSE = Duration.ofMillis(200);
    private static final Duration RUN_LIMIT = Duration.ofMinutes(5);
    private static final long DEPENDENT_GOAL_MILLIS = 200;
    private static final long FIRE_LAG_GOAL_MILLIS = 1000;
    private static final String FIRE_LAG_METRIC = "mortar_scheduler_fire_lag_seconds";

    private record Options(Path mortarJar, Path mortarLib, String java, String heap, Path work, Optional<Path> doc, boolean quick, String command,
                           int jobWorkers, int pollMillis) {}

    private record Scale(int dependentWarmUps, int dependentRuns, int ticks, int chainRounds) {
        static Scale of(boolean quick) {
            return quick ? new Scale(3, 20, 2, 1) : new Scale(5, 100, 5, 3);
        }
    }

    /** A finished run as GetJobRun reports it, its times in epoch milliseconds. */
    private record RunTimes(String job, String id, long startedOn, long completedOn, Optional<String> trigger, List<String> predecessorRunIds,
                            long runningOn) {}

    /**
     * One firing of A and B: the client's time from StartTrigger until it saw B SUCCEEDED, the wall-clock instants (epoch
     * milliseconds, the same machine's clock as the server's) it sent StartTrigger and saw B SUCCEEDED, and both runs.
     */
    private record Dependent(long wallNanos, long sentMillis, long seenMillis, RunTimes a, RunTimes b) {
        long latencyMillis() {
            return b.startedOn() - a.completedOn();
        }

        long runningMillis() {
            return b.runningOn() - a.completedOn();
        }

        long endToEndMillis() {
            return b.completedOn() - a.completedOn();
        }
    }

    /** The client's side of one firing of A and B. */
    private record Fired(String bRunId, long wallNanos, long sentMillis, long seenMillis) {}

    /** One tick's run: its tick, StartedOn, and the lag between them. */
    private record Tick(Instant tick, RunTimes run) {
        long lagMillis() {
            return run.startedOn() - tick.toEpochMilli();
        }
    }

    /** One way of running the 40 jobs once: the client's time and the runs in order. */
    private record ChainRun(boolean triggered, int round, long wallNanos, List<RunTimes> runs) {
        long serverMillis() {
            return runs.getLast().completedOn() - runs.getFirst().startedOn();
        }

        /** The gaps between one job's CompletedOn and the next one's StartedOn. */
        List<Long> gaps() {
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < runs.size(); i++) {
                gaps.add(runs.get(i).startedOn() - runs.get(i - 1).completedOn());
            }
            return gaps;
        }

        /** Each run's own time, StartedOn to CompletedOn. */
        List<Long> runMillis() {
            return runs.stream().map(r -> r.completedOn() - r.startedOn()).toList();
        }
    }

    /** A histogram's count and sum as /metrics shows them. */
    private record HistogramReading(double count, double sum) {
        HistogramReading minus(HistogramReading earlier) {
            return new HistogramReading(count - earlier.count, sum - earlier.sum);
        }
    }

    public static void main(String[] args) throws Exception {
        new SchedulerBenchmark(parse(args)).run();
    }

    private final Options o;
    private final Scale scale;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private int httpPort;

    private SchedulerBenchmark(Options o) {
        this.o = o;
        this.scale = Scale.of(o.quick());
    }

    private void run() throws Exception {
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        String loadBefore = Machine.loadAverage();
        deleteTree(o.work());
        httpPort = freePort();
        int thrift = freePort();
        Path serverDir = o.work().resolve("server");
        Files.createDirectories(serverDir);
        Path serverLog = serverDir.resolve("server.out");
        Process mortar = new ProcessBuilder(o.java(), "-Xmx" + o.heap(), "--enable-native-access=ALL-UNNAMED", "-cp", o.mortarJar() + ":" + o.mortarLib() + "/*",
                "dev.mortar.metastore.cli.MortarCli", "server", "--bind", "127.0.0.1", "--thrift-port", String.valueOf(thrift), "--http-port", String.valueOf(httpPort),
                "--data-dir", serverDir.resolve("data").toString(), "--set", "mortar.gateway.enabled=false",
                "--set", "mortar.jobs.embedded.workers=" + o.jobWorkers(), "--set", "mortar.scheduler.poll.millis=" + o.pollMillis())
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(mortar)));
        try {
            awaitHealth(mortar, httpPort, serverLog);
            try (GlueClient glue = GlueClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + httpPort)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench"))).build()) {
                Path script = o.work().resolve("scripts/trivial.sql");
                Files.createDirectories(script.getParent());
                Files.writeString(script, SCRIPT);
                List<String> chainJobs = new ArrayList<>();
                for (int k = 1; k <= CHAIN_LENGTH; k++) {
                    chainJobs.add(String.format(Locale.ROOT, "chain-j%02d", k));
                }
                List<String> jobs = new ArrayList<>(List.of(JOB_A, JOB_B, TICKED_JOB));
                jobs.addAll(chainJobs);
                for (String job : jobs) {
                    glue.createJob(r -> r.name(job).role(ROLE).command(JobCommand.builder().name("glueetl").scriptLocation(script.toString()).build()));
                }

                // --- 1. dependent start ---
                glue.createTrigger(r -> r.name(START_A).type(TriggerType.ON_DEMAND).actions(Action.builder().jobName(JOB_A).build()));
                glue.createTrigger(r -> r.name(AFTER_A).type(TriggerType.CONDITIONAL).startOnCreation(true).predicate(succeeded(JOB_A))
                        .actions(Action.builder().jobName(JOB_B).build()));
                for (int i = 0; i < scale.dependentWarmUps(); i++) {
                    dependentRun(glue);
                    pause();
                }
                List<Fired> firings = new ArrayList<>();
                for (int i = 0; i < scale.dependentRuns(); i++) {
                    firings.add(dependentRun(glue));
                    pause();
                }
                // the runs' records and logs are read once all firings are over, so that reading them does not load the server meanwhile
                List<Dependent> dependents = new ArrayList<>();
                for (Fired fired : firings) {
                    RunTimes b = runTimes(JOB_B, fired.bRunId());
                    if (!b.trigger().equals(Optional.of(AFTER_A)) || b.predecessorRunIds().size() != 1) {
                        throw new IllegalStateException("Run " + b.id() + " of " + JOB_B + " has trigger " + b.trigger() + " and predecessors " + b.predecessorRunIds()
                                + "; expected " + AFTER_A + " and one run of " + JOB_A);
                    }
                    RunTimes a = runTimes(JOB_A, b.predecessorRunIds().getFirst());
                    if (!a.trigger().equals(Optional.of(START_A))) {
                        throw new IllegalStateException("Run " + a.id() + " of " + JOB_A + " has trigger " + a.trigger() + "; expected " + START_A);
                    }
                    dependents.add(new Dependent(fired.wallNanos(), fired.sentMillis(), fired.seenMillis(), a, b));
                }
                List<Long> latencies = dependents.stream().map(Dependent::latencyMillis).toList();
                log("dependent start: B StartedOn - A CompletedOn p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (%d firings)", percentile(latencies, 0.5),
                        percentile(latencies, 0.9), percentile(latencies, 0.99), percentile(latencies, 1.0), latencies.size());
                boolean millisecondTimes = dependents.stream().anyMatch(d -> d.a().completedOn() % 1000 != 0 || d.b().startedOn() % 1000 != 0);
                if (!millisecondTimes) {
                    throw new IllegalStateException("Every StartedOn and CompletedOn read is a whole second: GetJobRun's times lack milliseconds, which this benchmark needs");
                }

                // --- 2. scheduled fire lag ---
                HistogramReading lagBefore = histogram(FIRE_LAG_METRIC);
                Instant activated = Instant.now();
                glue.createTrigger(r -> r.name(EVERY_MINUTE).type(TriggerType.SCHEDULED).schedule(SCHEDULE).startOnCreation(true)
                        .actions(Action.builder().jobName(TICKED_JOB).build()));
                log("scheduled trigger %s activated at %s; waiting for %d ticks", SCHEDULE, activated, scale.ticks());
                List<String> tickRunIds = awaitRuns(glue, TICKED_JOB, scale.ticks(), Duration.ofMinutes(scale.ticks() + 2));
                glue.stopTrigger(r -> r.name(EVERY_MINUTE));
                HistogramReading lagDelta = histogram(FIRE_LAG_METRIC).minus(lagBefore);
                List<Tick> ticks = new ArrayList<>();
                for (String id : tickRunIds) {
                    RunTimes run = runTimes(TICKED_JOB, id);
                    if (!run.trigger().equals(Optional.of(EVERY_MINUTE))) {
                        throw new IllegalStateException("Run " + id + " of " + TICKED_JOB + " has trigger " + run.trigger() + "; expected " + EVERY_MINUTE);
                    }
                    // a tick falls on the whole minute at or before the run's start; a lag of a minute or more would show as ticks not one minute apart
                    ticks.add(new Tick(Instant.ofEpochMilli(run.startedOn()).truncatedTo(ChronoUnit.MINUTES), run));
                }
                ticks.sort(Comparator.comparing(Tick::tick));
                for (int i = 1; i < ticks.size(); i++) {
                    if (!ticks.get(i).tick().equals(ticks.get(i - 1).tick().plus(Duration.ofMinutes(1)))) {
                        throw new IllegalStateException("The scheduled runs' ticks are not one minute apart: " + ticks.stream().map(t -> t.tick() + " " + t.run().id()).toList());
                    }
                }
                if (!ticks.getFirst().tick().isAfter(activated.minusSeconds(1))) {
                    throw new IllegalStateException("The first scheduled run's tick " + ticks.getFirst().tick() + " is before the trigger was activated at " + activated);
                }
                List<Long> lags = ticks.stream().map(Tick::lagMillis).toList();
                log("scheduled fire lag: %s ms; /metrics %s: %.0f firings, sum %.3f s", lags, FIRE_LAG_METRIC, lagDelta.count(), lagDelta.sum());

                // --- 3. a chain of 40 jobs, against the client running them one after another ---
                glue.createTrigger(r -> r.name(CHAIN_START).type(TriggerType.ON_DEMAND).actions(Action.builder().jobName(chainJobs.getFirst()).build()));
                for (int k = 1; k < CHAIN_LENGTH; k++) {
                    String watched = chainJobs.get(k - 1);
                    String next = chainJobs.get(k);
                    glue.createTrigger(r -> r.name("chain-after-" + watched).type(TriggerType.CONDITIONAL).startOnCreation(true).predicate(succeeded(watched))
                            .actions(Action.builder().jobName(next).build()));
                }
                List<ChainRun> chainRuns = new ArrayList<>();
                // round 0 is a warm-up of each way; then the way that goes first alternates from round to round
                for (int round = 0; round <= scale.chainRounds(); round++) {
                    boolean triggeredFirst = round % 2 == 0;
                    for (int k = 0; k < 2; k++) {
                        boolean triggered = (k == 0) == triggeredFirst;
                        ChainRun run = triggered ? triggeredChain(glue, chainJobs, round) : directChain(glue, chainJobs, round);
                        log("%s %s: %.2f s (server: first StartedOn to last CompletedOn %.2f s)", round == 0 ? "warm-up" : "round " + round,
                                triggered ? "chain of triggers" : "client, one job after another", run.wallNanos() / 1e9, run.serverMillis() / 1e3);
                        if (round > 0) {
                            chainRuns.add(run);
                        }
                        pause();
                    }
                }
                checkRunCounts(glue, chainJobs, 2 * (scale.chainRounds() + 1));
                String loadAfter = Machine.loadAverage();
                String metricsText = scrape();
                String section = render(started, loadBefore, loadAfter, dependents, activated, ticks, lagDelta, chainRuns);
                System.out.println(section);
                log("the server's scheduler metrics at the end:%n%s", metricsText.lines().filter(l -> l.startsWith("mortar_scheduler_")).collect(Collectors.joining("\n")));
                if (o.doc().isPresent()) {
                    BenchmarkSections.write(o.doc().get(), SECTION, section);
                    log("wrote the scheduler section of %s", o.doc().get());
                }
            }
        } finally {
            stop(mortar);
        }
    }

    private static Predicate succeeded(String job) {
        return Predicate.builder().conditions(Condition.builder().logicalOperator(LogicalOperator.EQUALS).jobName(job).state(JobRunState.SUCCEEDED).build()).build();
    }

    // --- 1. dependent start --------------------------------------------------------------------------

    /** Fires A's ON_DEMAND trigger and waits until B's new run SUCCEEDED. */
    private Fired dependentRun(GlueClient glue) throws Exception {
        Optional<String> before = newestRunId(glue, JOB_B);
        long sent = System.currentTimeMillis();
        long t0 = System.nanoTime();
        glue.startTrigger(r -> r.name(START_A));
        JobRun b = awaitNewRun(glue, JOB_B, before);
        long wall = System.nanoTime() - t0;
        return new Fired(b.id(), wall, sent, System.currentTimeMillis());
    }

    // --- 2. scheduled fire lag -----------------------------------------------------------------------

    /** Waits until {@code count} runs of the job have SUCCEEDED (none may end otherwise); their ids, oldest first. */
    private List<String> awaitRuns(GlueClient glue, String job, int count, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<JobRun> runs = glue.getJobRuns(r -> r.jobName(job).maxResults(200)).jobRuns();
            for (JobRun run : runs) {
                if (isEnded(run) && run.jobRunState() != JobRunState.SUCCEEDED) {
                    throw new IllegalStateException("Run " + run.id() + " of " + job + " ended " + run.jobRunState() + ": " + run.errorMessage() + "\n" + runLog(job, run.id()));
                }
            }
            List<JobRun> succeeded = runs.stream().filter(r -> r.jobRunState() == JobRunState.SUCCEEDED).toList();
            if (succeeded.size() >= count) {
                return succeeded.reversed().stream().limit(count).map(JobRun::id).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(succeeded.size() + " runs of " + job + " succeeded within " + limit + "; " + count + " were awaited");
            }
            Thread.sleep(TICK_POLL.toMillis());
        }
    }

    /** The server's histogram, summed over its labels, from /metrics on the HTTP port. */
    private HistogramReading histogram(String name) throws Exception {
        double count = 0;
        double sum = 0;
        for (String line : scrape().lines().toList()) {
            if (line.startsWith(name + "_count")) {
                count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith(name + "_sum")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new HistogramReading(count, sum);
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    // --- 3. the chain ------------------------------------------------------------------------------

    /** StartTrigger on the chain's ON_DEMAND trigger until the client sees the last job's new run SUCCEEDED. */
    private ChainRun triggeredChain(GlueClient glue, List<String> jobs, int round) throws Exception {
        Optional<String> before = newestRunId(glue, jobs.getLast());
        long t0 = System.nanoTime();
        glue.startTrigger(r -> r.name(CHAIN_START));
        JobRun last = awaitNewRun(glue, jobs.getLast(), before);
        long wall = System.nanoTime() - t0;
        // back from the last run through each run's predecessor, which also checks that the triggers made the chain
        List<RunTimes> runs = new ArrayList<>();
        RunTimes run = runTimes(jobs.getLast(), last.id());
        runs.add(run);
        for (int k = jobs.size() - 2; k >= 0; k--) {
            String expectedTrigger = "chain-after-" + jobs.get(k);
            if (!run.trigger().equals(Optional.of(expectedTrigger)) || run.predecessorRunIds().size() != 1) {
                throw new IllegalStateException("Run " + run.id() + " of " + run.job() + " has trigger " + run.trigger() + " and predecessors "
                        + run.predecessorRunIds() + "; expected " + expectedTrigger + " and one run of " + jobs.get(k));
            }
            run = runTimes(jobs.get(k), run.predecessorRunIds().getFirst());
            runs.add(run);
        }
        if (!run.trigger().equals(Optional.of(CHAIN_START))) {
            throw new IllegalStateException("Run " + run.id() + " of " + run.job() + " has trigger " + run.trigger() + "; expected " + CHAIN_START);
        }
        return new ChainRun(true, round, wall, runs.reversed());
    }

    /** The same 40 jobs, each started by StartJobRun once the client saw the one before SUCCEEDED. */
    private ChainRun directChain(GlueClient glue, List<String> jobs, int round) throws Exception {
        List<String> ids = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String job : jobs) {
            String id = glue.startJobRun(r -> r.jobName(job)).jobRunId();
            await(glue, job, id);
            ids.add(id);
        }
        long wall = System.nanoTime() - t0;
        List<RunTimes> runs = new ArrayList<>();
        for (int k = 0; k < jobs.size(); k++) {
            RunTimes run = runTimes(jobs.get(k), ids.get(k));
            if (run.trigger().isPresent()) {
                throw new IllegalStateException("Run " + run.id() + " of " + run.job() + ", started by StartJobRun, has trigger " + run.trigger().get());
            }
            runs.add(run);
        }
        return new ChainRun(false, round, wall, runs);
    }

    /** Every chain job ran exactly once per way and round: a run the client started fired no trigger. */
    private static void checkRunCounts(GlueClient glue, List<String> jobs, int expected) {
        for (String job : jobs) {
            int runs = glue.getJobRunsPaginator(r -> r.jobName(job).maxResults(200)).stream().mapToInt(p -> p.jobRuns().size()).sum();
            if (runs != expected) {
                throw new IllegalStateException(job + " has " + runs + " runs; " + expected + " were started (half by the triggers, half by the client)");
            }
        }
    }

    // --- runs --------------------------------------------------------------------------------------

    private static Optional<String> newestRunId(GlueClient glue, String job) {
        return glue.getJobRuns(r -> r.jobName(job).maxResults(1)).jobRuns().stream().findFirst().map(JobRun::id);
    }

    /** Polls the job's newest run until it is a run other than {@code before} and has ended; fails unless it SUCCEEDED. */
    private JobRun awaitNewRun(GlueClient glue, String job, Optional<String> before) throws Exception {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (true) {
            Optional<JobRun> newest = glue.getJobRuns(r -> r.jobName(job).maxResults(1)).jobRuns().stream().findFirst();
            if (newest.isPresent() && !newest.map(JobRun::id).equals(before) && isEnded(newest.get())) {
                return succeededOrFail(job, newest.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No new run of " + job + " ended within " + RUN_LIMIT);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Polls GetJobRun until the run ended; fails unless it SUCCEEDED. */
    private JobRun await(GlueClient glue, String job, String runId) throws Exception {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (true) {
            JobRun run = glue.getJobRun(r -> r.jobName(job).runId(runId)).jobRun();
            if (isEnded(run)) {
                return succeededOrFail(job, run);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Run " + runId + " of " + job + " did not end within " + RUN_LIMIT);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static boolean isEnded(JobRun run) {
        return switch (run.jobRunState()) {
            case SUCCEEDED, FAILED, ERROR, TIMEOUT, STOPPED, EXPIRED -> true;
            default -> false;
        };
    }

    private JobRun succeededOrFail(String job, JobRun run) throws Exception {
        if (run.jobRunState() != JobRunState.SUCCEEDED) {
            throw new IllegalStateException("Run " + run.id() + " of " + job + " ended " + run.jobRunState() + ": " + run.errorMessage() + "\n" + runLog(job, run.id()));
        }
        return run;
    }

    /**
     * A finished run's times from GetJobRun as the server sends it (epoch seconds with three decimals, read exactly),
     * and when a worker took it, from the "RUNNING on" line of its log.
     */
    private RunTimes runTimes(String job, String runId) throws Exception {
        String body = json.createObjectNode().put("JobName", job).put("RunId", runId).toString();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/"))
                .header("X-Amz-Target", "AWSGlue.GetJobRun").header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GetJobRun of " + runId + " answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode run = json.readTree(response.body()).path("JobRun");
        if (!"SUCCEEDED".equals(run.path("JobRunState").asText()) || !run.has("CompletedOn")) {
            throw new IllegalStateException("Run " + runId + " of " + job + " is not SUCCEEDED with a CompletedOn: " + run);
        }
        List<String> predecessors = new ArrayList<>();
        run.path("PredecessorRuns").forEach(p -> predecessors.add(p.path("RunId").asText()));
        Optional<String> trigger = run.has("TriggerName") ? Optional.of(run.path("TriggerName").asText()) : Optional.empty();
        return new RunTimes(job, runId, epochMillis(run.path("StartedOn")), epochMillis(run.path("CompletedOn")), trigger, predecessors,
                runningOn(runLog(job, runId)));
    }

    private static long epochMillis(JsonNode seconds) {
        return seconds.decimalValue().movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    /** When the run's log says a worker took it ("RUNNING on ..."), in epoch milliseconds. */
    private static long runningOn(String log) {
        for (String line : log.lines().toList()) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("RUNNING on ", space + 1)) {
                return Instant.parse(line.substring(0, space)).toEpochMilli();
            }
        }
        throw new IllegalStateException("The run's log has no \"RUNNING on\" line:\n" + log);
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

    /** Between measured runs: a short pause, so that one run's after-effects (its worker's clean-up) fall less on the next. */
    private static void pause() throws InterruptedException {
        Thread.sleep(PAUSE.toMillis());
    }

    // --- report ------------------------------------------------------------------------------------

    private String render(ZonedDateTime started, String loadBefore, String loadAfter, List<Dependent> dependents, Instant activated, List<Tick> ticks,
                          HistogramReading lagDelta, List<ChainRun> chainRuns) {
        StringBuilder s = new StringBuilder();
        s.append("## Scheduler: dependent starts, scheduled fires, a chain of 40 jobs\n\n");
        s.append("<!-- Written by bin/mortar-bench --scheduler (dev.mortar.benchmarks.SchedulerBenchmark). Run it again rather than editing the figures. -->\n\n");
        s.append("| | |\n|---|---|\n");
        s.append("| date | ").append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"))).append(" |\n");
        s.append("| machine | ").append(Machine.cores()).append(" cores (").append(Machine.cpuModel()).append("), ").append(Machine.memory())
                .append(" memory, Linux ").append(Machine.kernel()).append(" |\n");
        s.append("| load average (1 min) | ").append(loadBefore).append(" before, ").append(loadAfter).append(" after")
                .append(busy(loadBefore, loadAfter) ? " (above the core count: other work shared the CPU, so figures are higher than on an idle machine)" : "")
                .append(" |\n");
        s.append("| command | `").append(o.command()).append("` (").append(o.quick() ? "the quick scale" : "the default scale").append(") |\n");
        s.append("| server | Mortar (jar of ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(lastModified(o.mortarJar())))
                .append("), its own JVM, embedded H2, `-Xmx").append(o.heap()).append("`, JDK ").append(Runtime.version()).append(", 127.0.0.1; `mortar.jobs.embedded.workers=")
                .append(o.jobWorkers()).append("`, `mortar.scheduler.poll.millis=").append(o.pollMillis())
                .append(o.pollMillis() == 1000 ? "` (the default)" : "`").append(", the other scheduler settings at their defaults; the client is the AWS SDK for Java v2's Glue client |\n");
        s.append("| jobs | every job is a SQL job whose script is `SELECT 1` (as the job benchmark's trivial job) |\n");
        s.append("| times | StartedOn and CompletedOn as GetJobRun reports them: epoch seconds with milliseconds, recorded by the server when the run was "
                + "created (STARTING) and when its end was committed; \"a worker took it\" is the `RUNNING on` line of the run's log (milliseconds too) |\n\n");

        // 1
        List<Long> latency = dependents.stream().map(Dependent::latencyMillis).toList();
        List<Long> running = dependents.stream().map(Dependent::runningMillis).toList();
        List<Long> endToEnd = dependents.stream().map(Dependent::endToEndMillis).toList();
        List<Long> wall = dependents.stream().map(Dependent::wallNanos).toList();
        List<Long> chainGaps = chainRuns.stream().filter(ChainRun::triggered).flatMap(r -> r.gaps().stream()).toList();
        long p50 = percentile(latency, 0.5);
        s.append("### 1. Dependent start: job A SUCCEEDED, then job B\n\n");
        s.append(String.format(Locale.ROOT, "An ON_DEMAND trigger starts A; a CONDITIONAL trigger (A SUCCEEDED) starts B. StartTrigger, then the client polls "
                + "GetJobRuns of B every %d ms until B's new run SUCCEEDED; %d firings one after another (%d ms apart), after %d unmeasured ones. Each B run's "
                + "TriggerName and PredecessorRuns were checked to name the A run it followed. Milliseconds:\n\n", POLL.toMillis(), dependents.size(), PAUSE.toMillis(),
                scale.dependentWarmUps()));
        s.append("| | p50 | p90 | p99 | max |\n|---|---:|---:|---:|---:|\n");
        s.append(millisRow("**B's StartedOn − A's CompletedOn** (the scheduler's reaction)", latency));
        s.append(millisRow("a worker took B (its log's `RUNNING on`) − A's CompletedOn", running));
        s.append(millisRow("B's CompletedOn − A's CompletedOn", endToEnd));
        s.append(millisRow("the same reaction over the hops of the chains of part 3 (" + chainGaps.size() + " hops: each job's StartedOn − the one before's CompletedOn)", chainGaps));
        s.append(nanosRow("as the client sees it: StartTrigger until it saw B SUCCEEDED (A and B ran)", wall));
        s.append('\n');
        s.append("Where the client's time goes, step by step (each step's own percentiles; the client's instants are read from the same machine's clock "
                + "as the server's). Milliseconds:\n\n");
        s.append("| step | p50 | p90 | p99 | max |\n|---|---:|---:|---:|---:|\n");
        s.append(millisRow("StartTrigger sent → A's StartedOn (the API call; the ON_DEMAND trigger fires in it)", dependents.stream().map(d -> d.a().startedOn() - d.sentMillis()).toList()));
        s.append(millisRow("A's StartedOn → a worker took A (`RUNNING on`)", dependents.stream().map(d -> d.a().runningOn() - d.a().startedOn()).toList()));
        s.append(millisRow("a worker took A → A's CompletedOn (`SELECT 1` run and its end recorded)", dependents.stream().map(d -> d.a().completedOn() - d.a().runningOn()).toList()));
        s.append(millisRow("A's CompletedOn → B's StartedOn (the scheduler)", latency));
        s.append(millisRow("B's StartedOn → a worker took B", dependents.stream().map(d -> d.b().runningOn() - d.b().startedOn()).toList()));
        s.append(millisRow("a worker took B → B's CompletedOn", dependents.stream().map(d -> d.b().completedOn() - d.b().runningOn()).toList()));
        s.append(millisRow("B's CompletedOn → the client saw it (its poll every " + POLL.toMillis() + " ms)", dependents.stream().map(d -> d.seenMillis() - d.b().completedOn()).toList()));
        s.append('\n');
        s.append(String.format(Locale.ROOT, "Goal: p50 at most %d ms: **%s** (p50 %d ms over %d firings; percentiles are nearest-rank, so p99 is %s). ",
                DEPENDENT_GOAL_MILLIS, p50 <= DEPENDENT_GOAL_MILLIS ? "met" : "not met", p50, latency.size(),
                latency.size() >= 100 ? "the " + (int) Math.ceil(0.99 * latency.size()) + "th of the " + latency.size() + " in order" : "the largest: read it as a maximum"));
        s.append("The issue compares this with Airflow, which it says adds about 3 s per task; that figure is the issue's, not measured here: Airflow "
                + "could not be installed on this machine (only Maven Central, Debian's packages and npm are reachable, and Debian 12 has no Airflow package).\n\n");

        // 2
        List<Long> lags = ticks.stream().map(Tick::lagMillis).toList();
        long lagP99 = percentile(lags, 0.99);
        s.append("### 2. Scheduled fire lag\n\n");
        s.append(String.format(Locale.ROOT, "A SCHEDULED trigger `%s` (every minute; `mortar.scheduler.min.interval.minutes` is 1 by default) created with "
                + "StartOnCreation at %s, starting a trivial job, for %d ticks, then stopped (StopTrigger). Lag is the run's StartedOn − its tick "
                + "(the whole minute). Milliseconds:\n\n", SCHEDULE, DateTimeFormatter.ISO_INSTANT.format(activated.truncatedTo(ChronoUnit.MILLIS)), ticks.size()));
        s.append("| tick | run's StartedOn | lag, ms |\n|---|---|---:|\n");
        for (Tick t : ticks) {
            s.append("| ").append(t.tick()).append(" | ").append(Instant.ofEpochMilli(t.run().startedOn())).append(" | ").append(t.lagMillis()).append(" |\n");
        }
        s.append('\n');
        s.append(String.format(Locale.ROOT, "p99 %d ms (with %d ticks, the largest), max %d ms. Goal: p99 at most %d ms: **%s**.\n\n", lagP99, lags.size(),
                percentile(lags, 1.0), FIRE_LAG_GOAL_MILLIS, lagP99 <= FIRE_LAG_GOAL_MILLIS ? "met" : "not met"));
        double lagSumMillis = lags.stream().mapToLong(Long::longValue).sum();
        s.append(String.format(Locale.ROOT, "Cross-check, the server's `/metrics` (HTTP port) over the same interval: `%s` counted %.0f firings with a sum of "
                        + "%.3f s (mean %.0f ms); the runs' StartedOn give a sum of %.3f s (mean %.0f ms). The histogram measures from the tick to the end of the "
                        + "firing's transaction (the instant the store handed it back), the table to the run's StartedOn inside that transaction, so the "
                        + "histogram's figure is the larger by the commit.\n\n", FIRE_LAG_METRIC, lagDelta.count(), lagDelta.sum(),
                lagDelta.count() > 0 ? lagDelta.sum() * 1000 / lagDelta.count() : Double.NaN, lagSumMillis / 1000, lagSumMillis / lags.size()));

        // 3
        List<ChainRun> triggered = chainRuns.stream().filter(ChainRun::triggered).toList();
        List<ChainRun> direct = chainRuns.stream().filter(r -> !r.triggered()).toList();
        List<Long> trigWall = triggered.stream().map(ChainRun::wallNanos).toList();
        List<Long> directWall = direct.stream().map(ChainRun::wallNanos).toList();
        List<Long> trigServer = triggered.stream().map(r -> r.serverMillis() * 1_000_000).toList();
        List<Long> directServer = direct.stream().map(r -> r.serverMillis() * 1_000_000).toList();
        List<Long> directGaps = direct.stream().flatMap(r -> r.gaps().stream()).toList();
        List<Long> trigRunMillis = triggered.stream().flatMap(r -> r.runMillis().stream()).toList();
        List<Long> directRunMillis = direct.stream().flatMap(r -> r.runMillis().stream()).toList();
        s.append(String.format(Locale.ROOT, "### 3. A chain of %d jobs\n\n", CHAIN_LENGTH));
        s.append(String.format(Locale.ROOT, "Jobs chain-j01 … chain-j%02d; an ON_DEMAND trigger starts j01 and %d CONDITIONAL triggers start j(k+1) when j(k) "
                + "SUCCEEDED. **Triggers**: StartTrigger, then the client polls GetJobRuns of j%02d every %d ms until its new run SUCCEEDED (afterwards each "
                + "run's TriggerName and PredecessorRuns were checked, back from j%02d to j01). **Client**: the same %d jobs in the same server, each started "
                + "with StartJobRun once the client, polling GetJobRun every %d ms, saw the one before SUCCEEDED (these runs fire no trigger: a chain must "
                + "descend from a SCHEDULED or ON_DEMAND trigger; every job's run count was checked at the end). %d round%s after one unmeasured warm-up "
                + "round; a round is one of each, the way that goes first alternating from round to round. Seconds:\n\n",
                CHAIN_LENGTH, CHAIN_LENGTH - 1, CHAIN_LENGTH, POLL.toMillis(), CHAIN_LENGTH, CHAIN_LENGTH, POLL.toMillis(), triggered.size(),
                triggered.size() == 1 ? "" : "s"));
        s.append("| | min | median | max |\n|---|---:|---:|---:|\n");
        s.append(secondsRow("**triggers**, as the client sees it: StartTrigger until j40 SUCCEEDED", trigWall));
        s.append(secondsRow("**client**, as the client sees it: the first StartJobRun until j40 SUCCEEDED", directWall));
        s.append(secondsRow("triggers, as the server records it: j01's StartedOn to j40's CompletedOn", trigServer));
        s.append(secondsRow("client, as the server records it: j01's StartedOn to j40's CompletedOn", directServer));
        s.append('\n');
        double ratio = (double) percentile(trigWall, 0.5) / percentile(directWall, 0.5);
        double perHop = (percentile(trigWall, 0.5) - percentile(directWall, 0.5)) / 1e6 / CHAIN_LENGTH;
        double serverPerHop = (percentile(trigServer, 0.5) - percentile(directServer, 0.5)) / 1e6 / CHAIN_LENGTH;
        s.append("| | ms |\n|---|---:|\n");
        s.append(String.format(Locale.ROOT, "| triggers ÷ client, medians as the client sees them | %.2fx |\n", ratio));
        s.append(String.format(Locale.ROOT, "| **per-hop overhead**: triggers' median ÷ %d − client's median ÷ %d, as the client sees them | %.1f |\n", CHAIN_LENGTH,
                CHAIN_LENGTH, perHop));
        s.append(String.format(Locale.ROOT, "| the same from the server's records | %.1f |\n", serverPerHop));
        s.append(String.format(Locale.ROOT, "| triggers: a job's CompletedOn to the next one's StartedOn, median (p90, max) over %d hops | %d (%d, %d) |\n",
                chainGaps.size(), percentile(chainGaps, 0.5), percentile(chainGaps, 0.9), percentile(chainGaps, 1.0)));
        s.append(String.format(Locale.ROOT, "| client: the same, median (p90, max) over %d hops | %d (%d, %d) |\n", directGaps.size(), percentile(directGaps, 0.5),
                percentile(directGaps, 0.9), percentile(directGaps, 1.0)));
        List<Long> trigQueued = triggered.stream().flatMap(r -> r.runs().stream()).map(r -> r.runningOn() - r.startedOn()).toList();
        List<Long> directQueued = direct.stream().flatMap(r -> r.runs().stream()).map(r -> r.runningOn() - r.startedOn()).toList();
        s.append(String.format(Locale.ROOT, "| triggers: a run's StartedOn to a worker taking it (`RUNNING on`), median (p90, max) over %d runs | %d (%d, %d) |\n",
                trigQueued.size(), percentile(trigQueued, 0.5), percentile(trigQueued, 0.9), percentile(trigQueued, 1.0)));
        s.append(String.format(Locale.ROOT, "| client: the same, median (p90, max) over %d runs | %d (%d, %d) |\n", directQueued.size(), percentile(directQueued, 0.5),
                percentile(directQueued, 0.9), percentile(directQueued, 1.0)));
        s.append(String.format(Locale.ROOT, "| one job's own run, StartedOn to CompletedOn, median: triggers / client | %d / %d |\n\n", percentile(trigRunMillis, 0.5),
                percentile(directRunMillis, 0.5)));
        s.append("Per round:\n\n| round | triggers, client's s | client, client's s | triggers, server's s | client, server's s |\n|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < triggered.size(); i++) {
            s.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f |\n", triggered.get(i).round(), triggered.get(i).wallNanos() / 1e9,
                    direct.get(i).wallNanos() / 1e9, triggered.get(i).serverMillis() / 1e3, direct.get(i).serverMillis() / 1e3));
        }
        s.append('\n');

        s.append("### What the figures mean\n\n");
        s.append(String.format(Locale.ROOT, "A run's end reaches the scheduler at once: the run's commit wakes the scheduler's loop in the same server, "
                        + "which starts the dependent run %d ms after the end at the median (p99 %d ms over %d firings; %d ms at the median over the chains' "
                        + "%d hops), where without the wake-up it would wait for the loop's next pass, up to the %d ms poll interval later. ", p50, percentile(latency, 0.99), latency.size(),
                percentile(chainGaps, 0.5), chainGaps.size(), o.pollMillis()));
        s.append(String.format(Locale.ROOT, "What a dependent job adds is mostly the job itself: from A's end, B is on a worker after %d ms and SUCCEEDED after "
                        + "%d ms (medians), a `SELECT 1` run costing about %d ms of its own (from the worker's lease: DuckDB opened, the statement, the end recorded). ",
                percentile(running, 0.5), percentile(endToEnd, 0.5), percentile(dependents.stream().map(d -> d.b().completedOn() - d.b().runningOn()).toList(), 0.5)));
        s.append(String.format(Locale.ROOT, "A schedule fires %d ms after its tick at the worst of %d ticks: the loop sleeps until the next tick rather than "
                + "a poll interval. ", percentile(lags, 1.0), lags.size()));
        long trigMin = percentile(trigWall, 0.0);
        long trigMax = percentile(trigWall, 1.0);
        long directMin = percentile(directWall, 0.0);
        long directMax = percentile(directWall, 1.0);
        boolean overlap = trigMin <= directMax && directMin <= trigMax;
        s.append(String.format(Locale.ROOT, "Forty jobs chained by triggers took %.2fx the client's time at the median (%+.1f ms a hop as defined above, "
                        + "medians of %d round%s). The rounds' totals range from %.2f to %.2f s through the triggers and from %.2f to %.2f s through the "
                        + "client: %s ", ratio, perHop, triggered.size(), triggered.size() == 1 ? "" : "s", trigMin / 1e9, trigMax / 1e9, directMin / 1e9,
                directMax / 1e9, overlap ? "the ranges overlap, so at this machine's load the totals' ratio and the per-hop overhead are within the noise, "
                        + "and the hops themselves are the steadier measure." : "the ranges do not overlap."));
        s.append(String.format(Locale.ROOT, "A hop, one job's CompletedOn to the next one's StartedOn, is %d ms through the triggers against %d ms through "
                        + "the client (medians): the scheduler in the server reacts %s than a client's poll and StartJobRun round trip. A job's own run, the "
                        + "same `SELECT 1`, took %d ms through the triggers and %d ms through the client at the median. A triggered run's StartedOn is "
                        + "written inside the firing's transaction, so the commit of that transaction and the scheduler's bookkeeping after it (marking the "
                        + "ended run evaluated) fall within the next run's own time rather than within the hop%s.",
                percentile(chainGaps, 0.5), percentile(directGaps, 0.5), percentile(chainGaps, 0.5) <= percentile(directGaps, 0.5) ? "sooner" : "later",
                percentile(trigRunMillis, 0.5), percentile(directRunMillis, 0.5),
                percentile(trigRunMillis, 0.5) > percentile(directRunMillis, 0.5) ? ", which may be part of why the triggered runs' own times are the longer" : ""));
        s.append(" Not measured here: several servers on one store, where a run that ends on a server that does not hold the scheduler's lease wakes "
                + "only its own (idle) loop, so the leader sees the end at its next pass, up to `mortar.scheduler.poll.millis` later; and job workers in "
                + "`mortar worker` processes.\n");
        return s.toString();
    }

    private static String millisRow(String label, List<Long> millis) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |\n", label, percentile(millis, 0.5), percentile(millis, 0.9), percentile(millis, 0.99),
                percentile(millis, 1.0));
    }

    private static String nanosRow(String label, List<Long> nanos) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |\n", label, percentile(nanos, 0.5) / 1_000_000, percentile(nanos, 0.9) / 1_000_000,
                percentile(nanos, 0.99) / 1_000_000, percentile(nanos, 1.0) / 1_000_000);
    }

    private static String secondsRow(String label, List<Long> nanos) {
        return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |\n", label, percentile(nanos, 0.0) / 1e9, percentile(nanos, 0.5) / 1e9,
                percentile(nanos, 1.0) / 1e9);
    }

    private static boolean busy(String loadBefore, String loadAfter) {
        try {
            return Math.max(Double.parseDouble(loadBefore), Double.parseDouble(loadAfter)) > Machine.cores();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- the server and files ----------------------------------------------------------------------

    private static void log(String format, Object... args) {
        System.err.printf("[scheduler-bench] " + format + "%n", args);
    }

    private static Options parse(String[] args) {
        Path jar = null;
        Path lib = null;
        String java = ProcessHandle.current().info().command().orElse("java");
        String heap = "1g";
        Path work = Path.of("benchmarks/target/scheduler-run");
        Optional<Path> doc = Optional.empty();
        boolean quick = false;
        String command = "bin/mortar-bench --scheduler";
        int workers = 2;
        int poll = 1000;
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
                case "--job-workers" -> workers = Integer.parseInt(value(args, ++i, a));
                case "--scheduler-poll-millis" -> poll = Integer.parseInt(value(args, ++i, a));
                default -> throw new IllegalArgumentException("Unknown option " + a);
            }
        }
        if (jar == null || lib == null) {
            throw new IllegalArgumentException("--mortar-jar and --mortar-lib are required (bin/mortar-bench --scheduler passes them)");
        }
        if (workers < 1 || poll < 1) {
            throw new IllegalArgumentException("--job-workers and --scheduler-poll-millis must be at least 1, not " + workers + " and " + poll);
        }
        return new Options(jar, lib, java, heap, work.toAbsolutePath(), doc, quick, command, workers, poll);
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            throw new IllegalArgumentException("Missing value after " + flag);
        }
        return args[index];
    }
}
