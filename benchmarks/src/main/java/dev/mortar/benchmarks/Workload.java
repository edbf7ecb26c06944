package dev.mortar.benchmarks;

import dev.mortar.benchmarks.Alternator.WrongAnswerException;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmark's sequence of operations. Every server gets the same calls with the same
 * arguments (same seeds), and every answer that has a known size is checked, so a server that
 * answers wrongly shows as failed instead of fast.
 */
final class Workload
{
    /** One line of the report: one operation measured on every server. */
    record Row(String section, String operation, String unit, Map<Target, Measurement> measurements) {}

    /** The driver's floor for a call: the same call answered at once by a {@link ReplayServer}. */
    record Floor(Target.StoreKind store, String section, String operation, String unit, String source, int replyBytes, Measurement measurement) {}

    /** Asks a server for the answer the replay server will give. */
    @FunctionalInterface
    interface Capture
    {
        TBase<?, ?> capture(ThriftHiveMetastore.Client client)
                throws Exception;
    }

    private static final short ALL = -1;
    private static final int MIXED_BY_NAMES = 10;
    private static final int RANGE_DAYS = 7;
    private static final int RANGE_FIRST_HOUR = 6;
    private static final int RANGE_LAST_HOUR_EXCLUSIVE = 12;

    private final Alternator alternator;
    private final Scale scale;
    private final PrintStream log;
    private final List<Row> rows = new ArrayList<>();
    private final List<Floor> floors = new ArrayList<>();
    private final Map<Target, String> setupFailures = new ConcurrentHashMap<>();
    private final Map<Target, Map<String, Table>> tables = new ConcurrentHashMap<>();

    Workload(Alternator alternator, Scale scale, PrintStream log)
    {
        this.alternator = alternator;
        this.scale = scale;
        this.log = log;
    }

    List<Row> rows()
    {
        return rows;
    }

    List<Floor> floors()
    {
        return floors;
    }

    Map<Target, String> setupFailures()
    {
        return setupFailures;
    }

    void run()
    {
        prepareDatabase();
        tableCalls();
        partitionCallsOneByOne();
        for (int partitions : scale.partitionCounts()) {
            partitionCalls(partitions);
        }
        writeThenList(scale.partitionCounts().getFirst());
    }

    private void prepareDatabase()
    {
        step("create database " + Fixtures.DATABASE);
        setup(alternator.everywhere((client, target, index) -> {
            try {
                client.get_database(Fixtures.DATABASE);
                client.drop_database(Fixtures.DATABASE, true /* deleteData */, true /* cascade */);
            }
            catch (NoSuchObjectException expected) {
                // a fresh store
            }
            client.create_database(Fixtures.database());
            return 1;
        }));
    }

    private void tableCalls()
    {
        String section = "Tables (%d)".formatted(scale.tables());
        // each thread creates its own share of the tables
        int threads = scale.concurrentThreads();
        int perThread = Math.ceilDiv(scale.tables(), threads);
        measure(section, "create_table, %d threads".formatted(threads), "tables", alternator.concurrent(threads, 1, perThread, null, "create_table",
                (client, target, random, thread, call) -> {
                    int index = thread * perThread + call;
                    if (index >= scale.tables()) {
                        return 0;
                    }
                    client.create_table(Fixtures.smallTable(Fixtures.smallTableName(index)));
                    return 1;
                }));

        // JIT and connection pools of the servers (and of the driver) warm up here, unmeasured
        step("warm-up: %d get_table_req per server".formatted(scale.warmUpCalls()));
        alternator.serial("warm-up", scale.warmUpCalls(), scale.phaseCap(), (client, target, i) ->
                tableLookup(client, Fixtures.smallTableName(i % scale.tables())))
                .forEach((target, m) -> m.failure().ifPresent(failure -> setup(Map.of(target, "warm-up: " + failure))));

        int[] picks = new Random(1).ints(scale.getTableCalls(), 0, scale.tables()).toArray();
        measure(section, "get_table_req, random table, 1 thread", "tables", alternator.serial("get_table_req", picks.length, scale.phaseCap(), (client, target, i) ->
                tableLookup(client, Fixtures.smallTableName(picks[i]))));

        measure(section, "get_table_req, random table, %d threads".formatted(scale.concurrentThreads()), "tables",
                alternator.concurrent(scale.concurrentThreads(), scale.concurrentRounds(), scale.concurrentCallsPerThread(), scale.phaseCap(), "get_table_req",
                        (client, target, random, thread, call) -> tableLookup(client, Fixtures.smallTableName(random.nextInt(scale.tables())))));

        int altered = Math.min(scale.alterCalls(), scale.tables());
        step("read back the %d tables to alter".formatted(altered));
        setup(alternator.everywhere((client, target, index) -> {
            Map<String, Table> byName = new HashMap<>();
            for (int i = 0; i < altered; i++) {
                String name = Fixtures.smallTableName(i);
                byName.put(name, getTable(client, name));
            }
            tables.put(target, byName);
            return byName.size();
        }));
        int alterWarmUp = scale.writeWarmUpCalls(scale.alterCalls());
        Alternator.Call alter = (client, target, i) -> {
            Table table = tables.get(target).get(Fixtures.smallTableName(i % altered)).deepCopy();
            table.getParameters().put("bench.revision", Integer.toString(i));
            client.alter_table(Fixtures.DATABASE, table.getTableName(), table);
            return 1;
        };
        warmUp("alter_table", alterWarmUp, alter);
        measure(section, "alter_table (set a parameter)", "tables", alternator.serial("alter_table", scale.alterCalls(), null,
                (client, target, i) -> alter.run(client, target, alterWarmUp + i)));
    }

    private void partitionCallsOneByOne()
    {
        String table = "one_by_one";
        Map<Target, String> locations = createPartitionedTable(table);
        Alternator.Call add = (client, target, i) -> {
            client.add_partition(Fixtures.partition(table, locations.get(target), i));
            return 1;
        };
        // the warm-up adds the first partitions; the measured calls add the next ones
        int warmUp = scale.writeWarmUpCalls(scale.addPartitionOneByOne());
        warmUp("add_partition", warmUp, add);
        measure("Partitions, one by one", "add_partition", "partitions", alternator.serial("add_partition", scale.addPartitionOneByOne(), null,
                (client, target, i) -> add.run(client, target, warmUp + i)));
    }

    private void partitionCalls(int partitions)
    {
        String section = "Partitions: %,d in one table".formatted(partitions);
        String table = Fixtures.partitionedTableName(partitions);
        Map<Target, String> locations = createPartitionedTable(table);
        int batch = scale.addPartitionsBatch();
        int batches = Math.ceilDiv(partitions, batch);
        measure(section, "add_partitions, %,d per call".formatted(batch), "partitions", alternator.serial("add_partitions", batches, null, (client, target, b) -> {
            List<Partition> added = new ArrayList<>(batch);
            for (int i = b * batch; i < Math.min(partitions, (b + 1) * batch); i++) {
                added.add(Fixtures.partition(table, locations.get(target), i));
            }
            int count = client.add_partitions(added);
            expect(added.size(), count, "partitions added");
            return count;
        }));

        int listRepeats = scale.listRepeatsFor(partitions);
        Alternator.Call names = (client, target, i) -> expect(partitions, client.get_partition_names(Fixtures.DATABASE, table, ALL).size(), "partition names");
        measureListing(section, "get_partition_names, all", "names", scale.nameListRepeatsFor(partitions), "get_partition_names", client -> {
            ThriftHiveMetastore.get_partition_names_result result = new ThriftHiveMetastore.get_partition_names_result();
            result.setSuccess(client.get_partition_names(Fixtures.DATABASE, table, ALL));
            return result;
        }, names);
        Alternator.Call all = (client, target, i) -> expect(partitions, client.get_partitions(Fixtures.DATABASE, table, ALL).size(), "partitions");
        measureListing(section, "get_partitions, all", "partitions", listRepeats, "get_partitions", client -> {
            ThriftHiveMetastore.get_partitions_result result = new ThriftHiveMetastore.get_partitions_result();
            result.setSuccess(client.get_partitions(Fixtures.DATABASE, table, ALL));
            return result;
        }, all);

        int days = partitions / Fixtures.HOURS_PER_DAY;  // whole days only
        int[] eqDays = new Random(2).ints(scale.filterRepeats(), 0, days).toArray();
        measureRead(section, "get_partitions_by_filter, ds = d (24 partitions)", "partitions", eqDays.length, (client, target, i) ->
                expect(Fixtures.HOURS_PER_DAY, client.get_partitions_by_filter(Fixtures.DATABASE, table, equalityFilter(eqDays[i]), ALL).size(), "partitions"));

        int[] rangeDays = new Random(3).ints(scale.filterRepeats(), 0, days - RANGE_DAYS).toArray();
        int rangeExpected = RANGE_DAYS * (RANGE_LAST_HOUR_EXCLUSIVE - RANGE_FIRST_HOUR);
        measureRead(section, "get_partitions_by_filter, ds and hr ranges (%d partitions)".formatted(rangeExpected), "partitions", rangeDays.length, (client, target, i) ->
                expect(rangeExpected, client.get_partitions_by_filter(Fixtures.DATABASE, table, rangeFilter(rangeDays[i]), ALL).size(), "partitions"));

        List<List<String>> nameSets = new ArrayList<>();
        Random namesRandom = new Random(4);
        for (int i = 0; i < scale.byNamesRepeats(); i++) {
            nameSets.add(randomNames(namesRandom, partitions, scale.byNamesCount()));
        }
        measureRead(section, "get_partitions_by_names, %d names".formatted(scale.byNamesCount()), "partitions", nameSets.size(), (client, target, i) ->
                expect(scale.byNamesCount(), client.get_partitions_by_names(Fixtures.DATABASE, table, nameSets.get(i)).size(), "partitions"));

        measure(section, "mixed reads, %d threads, %d x %d s".formatted(scale.mixedThreads(), scale.mixedRounds(), scale.mixedRoundTime().toSeconds()), "calls",
                alternator.timed(scale.mixedThreads(), scale.mixedRounds(), scale.mixedRoundTime(), "mixed-" + partitions,
                        (client, target, random, thread, call) -> mixedRead(client, random, table, partitions)));

        // drop from the end (the warm-up the last ones, then the measured calls the ones before)
        int drops = Math.min(scale.dropPartitions(), partitions / 2);
        int dropWarmUp = Math.min(scale.writeWarmUpCalls(drops), partitions - drops);
        Alternator.Call drop = (client, target, i) -> {
            boolean dropped = client.drop_partition(Fixtures.DATABASE, table, Fixtures.partitionValues(partitions - 1 - i), true /* deleteData */);
            if (!dropped) {
                throw new WrongAnswerException("drop_partition returned false");
            }
            return 1;
        };
        warmUp("drop_partition", dropWarmUp, drop);
        measure(section, "drop_partition (deleteData)", "partitions", alternator.serial("drop_partition", drops, null,
                (client, target, i) -> drop.run(client, target, dropWarmUp + i)));

        measure(section, "drop_table (deleteData) with %,d partitions".formatted(partitions - dropWarmUp - drops), "tables",
                alternator.serial("drop_table", 1, null, (client, target, i) -> {
                    client.drop_table(Fixtures.DATABASE, table, true /* deleteData */);
                    return 1;
                }));
    }

    /**
     * Listings as they come after writes: every measured {@code get_partition_names} follows an
     * unmeasured {@code add_partition} of a new partition on the same server, so that no listing
     * finds its answer already made by an earlier listing of the same partitions (in the phases
     * above, the warm-up lists the table first).
     */
    private void writeThenList(int partitions)
    {
        String section = "Write, then list: %,d partitions in one table".formatted(partitions);
        String table = "write_then_list";
        Map<Target, String> locations = createPartitionedTable(table);
        int batch = scale.addPartitionsBatch();
        step("fill %s with %,d partitions".formatted(table, partitions));
        setup(alternator.everywhere((client, target, index) -> {
            for (int b = 0; b * batch < partitions; b++) {
                List<Partition> added = new ArrayList<>(batch);
                for (int i = b * batch; i < Math.min(partitions, (b + 1) * batch); i++) {
                    added.add(Fixtures.partition(table, locations.get(target), i));
                }
                client.add_partitions(added);
            }
            return partitions;
        }));
        Alternator.Call add = (client, target, i) -> {
            client.add_partition(Fixtures.partition(table, locations.get(target), partitions + i));
            return 1;
        };
        int warmUp = scale.readWarmUpCalls(scale.filterRepeats());
        step("warm-up: %d add_partition, then get_partition_names, per server".formatted(warmUp));
        alternator.serial("warm-up write, then list", warmUp, scale.phaseCap(), add, (client, target, i) ->
                        expect(partitions + i + 1, client.get_partition_names(Fixtures.DATABASE, table, ALL).size(), "partition names"))
                .forEach((target, m) -> m.failure().ifPresent(failure -> setup(Map.of(target, "warm-up of write, then list: " + failure))));
        measure(section, "get_partition_names, all, right after an add_partition", "names",
                alternator.serial("write, then list", scale.filterRepeats(), scale.phaseCap(),
                        (client, target, i) -> add.run(client, target, warmUp + i),
                        (client, target, i) -> expect(partitions + warmUp + i + 1, client.get_partition_names(Fixtures.DATABASE, table, ALL).size(), "partition names")));
    }

    /**
     * The concurrent mix a query engine's planners make: table lookups, a database lookup,
     * partition pruning by filter and partition fetches by name.
     */
    private long mixedRead(ThriftHiveMetastore.Client client, Random random, String table, int partitions)
            throws Exception
    {
        int dice = random.nextInt(100);
        if (dice < 50) {
            return tableLookup(client, Fixtures.smallTableName(random.nextInt(scale.tables())));
        }
        if (dice < 60) {
            client.get_database(Fixtures.DATABASE);
            return 1;
        }
        if (dice < 80) {
            int days = partitions / Fixtures.HOURS_PER_DAY;
            expect(Fixtures.HOURS_PER_DAY, client.get_partitions_by_filter(Fixtures.DATABASE, table, equalityFilter(random.nextInt(days)), ALL).size(), "partitions");
            return 1;
        }
        expect(MIXED_BY_NAMES, client.get_partitions_by_names(Fixtures.DATABASE, table, randomNames(random, partitions, MIXED_BY_NAMES)).size(), "partitions");
        return 1;
    }

    /** One checked get_table_req: one table handled. */
    private static long tableLookup(ThriftHiveMetastore.Client client, String name)
            throws Exception
    {
        getTable(client, name);
        return 1;
    }

    private static Table getTable(ThriftHiveMetastore.Client client, String name)
            throws Exception
    {
        GetTableRequest request = new GetTableRequest(Fixtures.DATABASE, name);
        request.setCatName(Fixtures.CATALOG);
        Table table = client.get_table_req(request).getTable();
        if (table == null || !name.equals(table.getTableName())) {
            throw new WrongAnswerException("get_table_req(%s) returned %s".formatted(name, table == null ? "no table" : table.getTableName()));
        }
        return table;
    }

    static String equalityFilter(int day)
    {
        return "ds = \"%s\"".formatted(Fixtures.day(day));
    }

    static String rangeFilter(int firstDay)
    {
        return "ds >= \"%s\" and ds < \"%s\" and hr >= %d and hr < %d".formatted(
                Fixtures.day(firstDay), Fixtures.day(firstDay + RANGE_DAYS), RANGE_FIRST_HOUR, RANGE_LAST_HOUR_EXCLUSIVE);
    }

    /** Distinct names among the partitions that are never dropped before the reads. */
    private static List<String> randomNames(Random random, int partitions, int count)
    {
        return random.ints(0, partitions).distinct().limit(count)
                .mapToObj(Fixtures::partitionName)
                .toList();
    }

    private Map<Target, String> createPartitionedTable(String table)
    {
        step("create table " + table);
        Map<Target, String> locations = new ConcurrentHashMap<>();
        setup(alternator.everywhere((client, target, index) -> {
            client.create_table(Fixtures.partitionedTable(table));
            String location = getTable(client, table).getSd().getLocation();
            if (location == null || location.isEmpty()) {
                throw new WrongAnswerException("table " + table + " has no location");
            }
            locations.put(target, location);
            return 1;
        }));
        return locations;
    }

    private static long expect(int expected, int actual, String what)
            throws WrongAnswerException
    {
        if (expected != actual) {
            throw new WrongAnswerException("expected %,d %s, got %,d".formatted(expected, what, actual));
        }
        return actual;
    }

    /**
     * A repeated read: first {@link Scale#readWarmUpCalls} unmeasured calls per server (the same
     * calls as the first measured ones), then {@code calls} measured calls, capped in time.
     */
    private void measureRead(String section, String operation, String unit, int calls, Alternator.Call call)
    {
        int warmUp = scale.readWarmUpCalls(calls);
        warmUp(alternator, operation, warmUp, scale.phaseCap(), call);
        measure(section, operation, unit, alternator.serial(operation, calls, scale.phaseCap(), call));
    }

    /** Unmeasured writes, calls 0 to {@code calls - 1}, on every server, alternating as measured calls do. */
    private void warmUp(String operation, int calls, Alternator.Call call)
    {
        step("warm-up: %d %s per server".formatted(calls, operation));
        warmUp(alternator, operation, calls, null, call);
    }

    /** Unmeasured calls on every server of {@code on}; a server that fails them is a setup failure. */
    private void warmUp(Alternator on, String operation, int calls, Duration cap, Alternator.Call call)
    {
        on.serial("warm-up " + operation, calls, cap, call)
                .forEach((target, m) -> m.failure().ifPresent(failure -> setup(Map.of(target, "warm-up of " + operation + ": " + failure))));
    }

    /**
     * A whole-table listing, with the driver's floor: a server's answer is captured first (Mortar's where
     * Mortar runs, so that the floor bounds what Mortar could reach; else the first server's that gives
     * one) and replayed by a {@link ReplayServer} inside the driver, which then takes its turn with the
     * servers, call by call, in the warm-up and in the measured calls. The floor thus gets the same
     * machine noise as the servers; measured on its own after them it got the after-effects of their
     * calls (a server that has just sent 10,000 partitions collects its garbage) instead.
     */
    private void measureListing(String section, String operation, String unit, int calls, String method, Capture capture, Alternator.Call call)
    {
        Optional<Answer> answer = captureAnswer(capture);
        if (answer.isEmpty()) {
            log.println("[bench] driver floor of " + operation + " not measured: no server gave an answer");
            measureRead(section, operation, unit, calls, call);
            return;
        }
        Target source = answer.get().source();
        try (ReplayServer replay = new ReplayServer(method, answer.get().result())) {
            Target floor = new Target("driver floor", Target.Product.REPLAY, source.store(), "127.0.0.1", replay.port(),
                    OptionalLong.empty(), OptionalDouble.empty(), "");
            List<Target> all = new ArrayList<>(alternator.targets());
            all.add(floor);
            try (Alternator joint = new Alternator(all, 1, scale.callTimeout(), scale.settleCap(), log)) {
                warmUp(joint, operation, scale.readWarmUpCalls(calls), scale.phaseCap(), call);
                Map<Target, Measurement> measured = joint.serial(operation, calls, scale.phaseCap(), call);
                Measurement m = measured.remove(floor);
                measure(section, operation, unit, measured);
                floors.add(new Floor(source.store(), section, operation, unit, source.name(), replay.replyBytes(), m));
                log.println(String.format(Locale.ROOT, "[bench] %-60s  driver floor (answer of %s, %,d bytes): %s/s p50 %.2f ms (%d calls)",
                        operation, source.name(), replay.replyBytes(), Report.rate(m.callsPerSecond()), m.percentileMillis(50), m.calls()));
                log.flush();
            }
        }
        catch (IOException | TException e) {
            log.println("[bench] driver floor of " + operation + " not measured (" + Alternator.describe(e) + "); the servers alone:");
            measureRead(section, operation, unit, calls, call);
        }
    }

    /** A server's answer to replay, and which server gave it. */
    private record Answer(Target source, TBase<?, ?> result) {}

    private Optional<Answer> captureAnswer(Capture capture)
    {
        List<Target> sources = new ArrayList<>(alternator.targets());
        sources.sort(java.util.Comparator.comparing(target -> target.product() != Target.Product.MORTAR));
        for (Target source : sources) {
            try (MetastoreConnection connection = MetastoreConnection.open(source, scale.callTimeout())) {
                return Optional.of(new Answer(source, capture.capture(connection.client())));
            }
            catch (Exception e) {
                // that server fails this call; its failure shows in its own row
            }
        }
        return Optional.empty();
    }

    private void measure(String section, String operation, String unit, Map<Target, Measurement> measurements)
    {
        rows.add(new Row(section, operation, unit, measurements));
        StringBuilder line = new StringBuilder("[bench] %-60s".formatted(operation));
        measurements.forEach((target, m) -> {
            line.append("  ").append(target.name()).append(": ");
            if (m.failed()) {
                line.append("FAILED (").append(m.failure().orElseThrow()).append(")");
            }
            else {
                line.append(String.format(Locale.ROOT, "%s/s p50 %.2f ms (%d calls)", Report.rate(m.callsPerSecond()), m.percentileMillis(50), m.calls()));
            }
        });
        log.println(line);
        log.flush();
    }

    private void step(String what)
    {
        log.println("[bench] " + what);
        log.flush();
    }

    private void setup(Map<Target, String> failures)
    {
        failures.forEach((target, failure) -> {
            log.println("[bench] setup failed on " + target.name() + ": " + failure);
            setupFailures.putIfAbsent(target, failure);
        });
    }
}
