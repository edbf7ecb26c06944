package dev.mortar.benchmarks;

import static dev.mortar.benchmarks.BenchmarkFiles.awaitHealth;
import static dev.mortar.benchmarks.BenchmarkFiles.deleteTree;
import static dev.mortar.benchmarks.BenchmarkFiles.freePort;
import static dev.mortar.benchmarks.BenchmarkFiles.stop;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlerHistoryState;
import software.amazon.awssdk.services.glue.model.CrawlerTargets;
import software.amazon.awssdk.services.glue.model.RecrawlPolicy;
import software.amazon.awssdk.services.glue.model.S3Target;
import software.amazon.awssdk.services.glue.model.SchemaChangePolicy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The crawl benchmark: generates small JSON files in {@code dt=...} partition folders on local disk, starts Mortar
 * (its own JVM, 127.0.0.1 only), creates a crawler through the Glue API with the AWS SDK, and times a first crawl
 * and a {@code CRAWL_NEW_FOLDERS_ONLY} recrawl after ten partitions are added. Prints the figures and writes them
 * into docs/BENCHMARKS.md between {@code <!-- crawl-benchmark:begin -->} and {@code <!-- crawl-benchmark:end -->}.
 * Run through {@code bin/mortar-bench --crawl [--quick]}.
 */
public final class CrawlBenchmark {
    static final String SECTION = "crawl-benchmark";
    private static final int FILES_PER_PARTITION = 10;
    private static final int ADDED_PARTITIONS = 10;

    private record Options(Path mortarJar, Path mortarLib, String java, String heap, Path work, Path doc, boolean quick, String command) {}

    private record Run(String name, int filesSeen, int filesRead, long bytesRead, int tables, int partitionsAdded, double wallSeconds, double crawlSeconds) {
        double filesPerSecond() {
            return crawlSeconds == 0 ? 0 : filesRead / crawlSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        int partitions = o.quick() ? 100 : 1_000;
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        Path data = o.work().resolve("data");
        deleteTree(o.work());
        Files.createDirectories(data);
        log("generating %,d files in %,d partitions under %s", partitions * FILES_PER_PARTITION, partitions, data);
        LocalDate day0 = LocalDate.of(2022, 1, 1);
        for (int p = 0; p < partitions; p++) {
            writePartition(data, day0.plusDays(p));
        }
        int http = freePort();
        int thrift = freePort();
        Path serverDir = o.work().resolve("server");
        Files.createDirectories(serverDir);
        Process mortar = new ProcessBuilder(o.java(), "-Xmx" + o.heap(), "-cp", o.mortarJar() + ":" + o.mortarLib() + "/*", "dev.mortar.metastore.cli.MortarCli",
                "server", "--bind", "127.0.0.1", "--thrift-port", String.valueOf(thrift), "--http-port", String.valueOf(http),
                "--data-dir", serverDir.resolve("data").toString(), "--set", "mortar.gateway.enabled=false")
                .redirectErrorStream(true).redirectOutput(serverDir.resolve("server.out").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(mortar)));
        try {
            awaitHealth(mortar, http, serverDir.resolve("server.out"));
            try (GlueClient glue = GlueClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + http)).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench"))).build()) {
                glue.createCrawler(r -> r.name("bench").role("arn:aws:iam::123456789012:role/bench").databaseName("bench")
                        .targets(CrawlerTargets.builder().s3Targets(S3Target.builder().path(data.toString()).build()).build()));
                Run first = crawl(glue, "first crawl (CRAWL_EVERYTHING)", 1);
                log("%s", first);
                for (int p = partitions; p < partitions + ADDED_PARTITIONS; p++) {
                    writePartition(data, day0.plusDays(p));
                }
                glue.updateCrawler(r -> r.name("bench").schemaChangePolicy(SchemaChangePolicy.builder().updateBehavior("LOG").deleteBehavior("LOG").build())
                        .recrawlPolicy(RecrawlPolicy.builder().recrawlBehavior("CRAWL_NEW_FOLDERS_ONLY").build()));
                Run second = crawl(glue, "recrawl, " + ADDED_PARTITIONS + " new partitions (CRAWL_NEW_FOLDERS_ONLY)", 2);
                log("%s", second);
                int partitionCount = glue.getPartitionsPaginator(r -> r.databaseName("bench").tableName("data")).stream().mapToInt(pg -> pg.partitions().size()).sum();
                if (partitionCount != partitions + ADDED_PARTITIONS) {
                    throw new IllegalStateException("Expected " + (partitions + ADDED_PARTITIONS) + " partitions of bench.data, found " + partitionCount);
                }
                String section = render(o, started, partitions, List.of(first, second));
                System.out.println(section);
                if (o.doc() != null) {
                    BenchmarkSections.write(o.doc(), SECTION, section);
                    log("wrote the crawl section of %s", o.doc());
                }
            }
        } finally {
            stop(mortar);
        }
    }

    private static void writePartition(Path data, LocalDate day) throws IOException {
        Path folder = data.resolve("dt=" + day);
        Files.createDirectories(folder);
        for (int f = 0; f < FILES_PER_PARTITION; f++) {
            StringBuilder sb = new StringBuilder();
            for (int row = 0; row < 5; row++) {
                long id = day.toEpochDay() * 1000 + f * 10 + row;
                sb.append("{\"id\": ").append(id).append(", \"user\": \"u").append(id % 97).append("\", \"amount\": ").append(id % 1000 / 10.0)
                        .append(", \"ok\": ").append(row % 2 == 0).append("}\n");
            }
            Files.writeString(folder.resolve("part-" + f + ".json"), sb);
        }
    }

    /** Starts a run, waits for it (polling the Glue API, as a client would), and reads its record. */
    private static Run crawl(GlueClient glue, String name, int runNumber) throws InterruptedException, IOException {
        long t0 = System.nanoTime();
        glue.startCrawler(r -> r.name("bench"));
        CrawlerHistory run;
        while (true) {
            List<CrawlerHistory> runs = glue.listCrawls(r -> r.crawlerName("bench")).crawls();
            if (runs.size() >= runNumber && runs.get(0).state() != CrawlerHistoryState.RUNNING
                    && glue.getCrawler(r -> r.name("bench")).crawler().stateAsString().equals("READY")) {
                run = runs.get(0);
                break;
            }
            Thread.sleep(20);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (run.state() != CrawlerHistoryState.COMPLETED) {
            throw new IllegalStateException(name + " ended " + run.state() + ": " + run.errorMessage());
        }
        String summary = run.summary();
        double crawl = Duration.between(run.startTime(), run.endTime()).toMillis() / 1000.0;
        return new Run(name, count(summary, "SEEN"), count(summary, "READ"), bytes(summary), count(summary, "TABLE_ADD"), count(summary, "PARTITION_ADD"), wall, crawl);
    }

    /** A count out of the run's Summary JSON (kept to a regular expression: the driver has no JSON library). */
    private static int count(String summary, String what) {
        String pattern = switch (what) {
            case "SEEN" -> "\"FILE\":\\{\"SEEN\":\\{\"Count\":(\\d+)\\}";
            case "READ" -> "\"READ\":\\{\"Count\":(\\d+)\\}\\},\"BYTES\"";
            case "TABLE_ADD" -> "\"TABLE\":\\{\"ADD\":\\{\"Count\":(\\d+)\\}";
            case "PARTITION_ADD" -> "\"PARTITION\":\\{\"ADD\":\\{\"Count\":(\\d+)\\}";
            default -> throw new IllegalArgumentException(what);
        };
        Matcher m = Pattern.compile(pattern).matcher(summary);
        if (!m.find()) {
            throw new IllegalStateException("No " + what + " count in the run summary: " + summary);
        }
        return Integer.parseInt(m.group(1));
    }

    private static long bytes(String summary) {
        Matcher m = Pattern.compile("\"BYTES\":\\{\"READ\":\\{\"Count\":(\\d+)\\}").matcher(summary);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String render(Options o, ZonedDateTime started, int partitions, List<Run> runs) {
        StringBuilder s = new StringBuilder();
        s.append("## Crawls\n\n");
        s.append("<!-- Written by bin/mortar-bench --crawl (dev.mortar.benchmarks.CrawlBenchmark). Run it again rather than editing the figures. -->\n\n");
        s.append("| | |\n|---|---|\n");
        s.append("| when | ").append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append(" |\n");
        s.append("| command | `").append(o.command()).append("` |\n");
        s.append("| machine | ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.arch")).append(", JDK ").append(System.getProperty("java.version")).append(" |\n");
        s.append("| server | Mortar (jar ").append(o.mortarJar().getFileName()).append("), embedded H2, -Xmx").append(o.heap())
                .append(", in-process crawler, 127.0.0.1 |\n");
        s.append("| data | ").append(String.format(Locale.ROOT, "%,d", partitions * FILES_PER_PARTITION)).append(" JSON-lines files of 5 records in ")
                .append(String.format(Locale.ROOT, "%,d", partitions)).append(" `dt=YYYY-MM-DD` folders on local disk, then ")
                .append(ADDED_PARTITIONS).append(" more folders |\n\n");
        s.append("| run | files seen | files read | bytes read | tables created | partitions added | crawl time (s) | wall time (s) | files read / s |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Run r : runs) {
            s.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %d | %,d | %.2f | %.2f | %,.0f |\n", r.name(), r.filesSeen(), r.filesRead(), r.bytesRead(),
                    r.tables(), r.partitionsAdded(), r.crawlSeconds(), r.wallSeconds(), r.filesPerSecond()));
        }
        s.append("\n*Crawl time* is the run's own record (`ListCrawls` StartTime to EndTime); *wall time* is from `StartCrawler` until the ")
                .append("crawler is READY again, polled through the Glue API every 20 ms. The recrawl lists only the folders the first run ")
                .append("did not see, and reads only their files.\n");
        return s.toString();
    }

    private static void log(String format, Object... args) {
        System.err.printf("[crawl-bench] " + format + "%n", args);
    }

    private static Options parse(String[] args) {
        Path jar = null;
        Path lib = null;
        String java = ProcessHandle.current().info().command().orElse("java");
        String heap = "1g";
        Path work = Path.of("benchmarks/target/crawl-run");
        Path doc = null;
        boolean quick = false;
        String command = "bin/mortar-bench --crawl";
        List<String> rest = new ArrayList<>(List.of(args));
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i);
            switch (a) {
                case "--mortar-jar" -> jar = Path.of(rest.get(++i));
                case "--mortar-lib" -> lib = Path.of(rest.get(++i));
                case "--java" -> java = rest.get(++i);
                case "--heap" -> heap = rest.get(++i);
                case "--work" -> work = Path.of(rest.get(++i));
                case "--doc" -> doc = Path.of(rest.get(++i));
                case "--no-doc" -> doc = null;
                case "--quick" -> quick = true;
                case "--command" -> command = rest.get(++i);
                default -> throw new IllegalArgumentException("Unknown option " + a);
            }
        }
        if (jar == null || lib == null) {
            throw new IllegalArgumentException("--mortar-jar and --mortar-lib are required");
        }
        return new Options(jar, lib, java, heap, work.toAbsolutePath(), doc, quick, command);
    }
}
