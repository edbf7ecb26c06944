package dev.mortar.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Drives running metastore servers (the real Hive Metastore and Mortar) with the same HMS Thrift
 * workload and prints the comparison. bin/mortar-bench starts the servers and calls this; it can
 * also be pointed at servers started by hand:
 *
 * <pre>
 * java -cp 'benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*' dev.mortar.benchmarks.MetastoreBenchmark \
 *     --mode quick \
 *     --target 'name=HMS-Derby;product=hms;store=embedded;port=9083' \
 *     --target 'name=Mortar-H2;product=mortar;store=embedded;port=19083' \
 *     [--doc docs/BENCHMARKS.md --command 'the command line'] [--note 'text']...
 * </pre>
 */
public final class MetastoreBenchmark
{
    private MetastoreBenchmark() {}

    public static void main(String[] args)
            throws IOException
    {
        String mode = "default";
        List<Target> targets = new ArrayList<>();
        Optional<Path> doc = Optional.empty();
        String command = "";
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--mode" -> mode = value(args, ++i, arg);
                case "--target" -> targets.add(Target.parse(value(args, ++i, arg)));
                case "--doc" -> doc = Optional.of(Path.of(value(args, ++i, arg)));
                case "--command" -> command = value(args, ++i, arg);
                case "--note" -> notes.add(value(args, ++i, arg));
                case "-h", "--help" -> {
                    System.out.println("usage: MetastoreBenchmark [--mode quick|default|full] --target SPEC... [--doc FILE] [--command TEXT] [--note TEXT]...");
                    System.out.println("  SPEC: name=NAME;product=hms|mortar;store=embedded|mariadb;port=N[;host=H][;pid=N][;startup=SECONDS][;desc=TEXT]");
                    return;
                }
                default -> throw new IllegalArgumentException("Unknown argument: " + arg);
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("No --target given: nothing to measure");
        }
        Scale scale = Scale.of(mode);
        PrintStream log = System.err;

        ZonedDateTime started = ZonedDateTime.now();
        String loadBefore = Machine.loadAverage();
        long startNanos = System.nanoTime();
        log.printf("[bench] mode %s; servers: %s%n", scale.mode(), targets.stream().map(t -> t.name() + "@" + t.host() + ":" + t.port()).toList());

        // One pass per kind of store: the two servers compared with each other alternate call by call,
        // and the calls of the other pair's servers do not fall between theirs.
        Map<String, Map<Target, Measurement>> measured = new LinkedHashMap<>();
        Map<String, Workload.Row> firstRows = new LinkedHashMap<>();
        List<Workload.Floor> floors = new ArrayList<>();
        Map<Target, String> setupFailures = new LinkedHashMap<>();
        for (Target.StoreKind kind : Target.StoreKind.values()) {
            List<Target> pair = targets.stream().filter(target -> target.store() == kind).toList();
            if (pair.isEmpty()) {
                continue;
            }
            log.printf("[bench] pass: %s (%s)%n", kind.title(), pair.stream().map(Target::name).toList());
            try (Alternator alternator = new Alternator(pair, Math.max(scale.concurrentThreads(), scale.mixedThreads()), scale.callTimeout(), scale.settleCap(), log)) {
                Workload workload = new Workload(alternator, scale, log);
                workload.run();
                for (Workload.Row row : workload.rows()) {
                    String key = row.section() + "\n" + row.operation();
                    firstRows.putIfAbsent(key, row);
                    measured.computeIfAbsent(key, k -> new LinkedHashMap<>()).putAll(row.measurements());
                }
                floors.addAll(workload.floors());
                setupFailures.putAll(workload.setupFailures());
            }
        }
        List<Workload.Row> rows = new ArrayList<>();
        firstRows.forEach((key, row) -> rows.add(new Workload.Row(row.section(), row.operation(), row.unit(), measured.get(key))));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);

        List<Report.MemoryFigures> memory = new ArrayList<>();
        for (Target target : targets) {
            OptionalLong peak = target.pid().isPresent() ? ProcessMemory.peakRssBytes(target.pid().getAsLong()) : OptionalLong.empty();
            OptionalLong rss = target.pid().isPresent() ? ProcessMemory.rssBytes(target.pid().getAsLong()) : OptionalLong.empty();
            memory.add(new Report.MemoryFigures(target, peak, rss));
        }
        setupFailures.forEach((target, failure) -> notes.add("Setup failed on %s: %s".formatted(target.name(), failure)));

        Report report = new Report(targets, rows, memory, floors);
        System.out.println(report.toText());
        System.out.printf("Workload time: %d s; load average before %s, after %s%n", elapsed.toSeconds(), loadBefore, Machine.loadAverage());
        notes.forEach(note -> System.out.println("Note: " + note));

        if (doc.isPresent()) {
            String text = new BenchmarkDocument(scale, started, elapsed, command, loadBefore, Machine.loadAverage(), targets, report, notes).render();
            Path path = doc.get();
            BenchmarkSections.write(path, "metastore-benchmark", text);
            log.println("[bench] wrote " + path);
        }
    }

    private static String value(String[] args, int index, String flag)
    {
        if (index >= args.length) {
            throw new IllegalArgumentException("Missing value after " + flag);
        }
        return args[index];
    }
}
