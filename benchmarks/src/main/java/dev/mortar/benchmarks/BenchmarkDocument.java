package dev.mortar.benchmarks;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** docs/BENCHMARKS.md: when, where, how, the tables, and how to read them. */
final class BenchmarkDocument
{
    private final Scale scale;
    private final ZonedDateTime started;
    private final Duration elapsed;
    private final String command;
    private final String loadBefore;
    private final String loadAfter;
    private final List<Target> targets;
    private final Report report;
    private final List<String> notes;

    BenchmarkDocument(Scale scale, ZonedDateTime started, Duration elapsed, String command, String loadBefore, String loadAfter,
            List<Target> targets, Report report, List<String> notes)
    {
        this.scale = scale;
        this.started = started;
        this.elapsed = elapsed;
        this.command = command;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.targets = List.copyOf(targets);
        this.report = report;
        this.notes = List.copyOf(notes);
    }

    String render()
    {
        StringBuilder out = new StringBuilder();
        out.append("## Metastore: Mortar and the real Hive Metastore, side by side\n\n");
        out.append("<!-- Written by bin/mortar-bench (dev.mortar.benchmarks.MetastoreBenchmark). Run it again rather than editing the figures. -->\n\n");
        out.append("| | |\n|---|---|\n");
        out.append("| date | ").append(started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"))).append(" |\n");
        out.append("| machine | ").append(Machine.cores()).append(" cores (").append(Machine.cpuModel()).append("), ")
                .append(Machine.memory()).append(" memory, Linux ").append(Machine.kernel()).append(" |\n");
        out.append("| load average (1 min) | ").append(loadBefore).append(" before, ").append(loadAfter).append(" after")
                .append(busy() ? " (above the core count: other work shared the CPU, so absolute figures are low; the servers shared the same noise, so the ratios still compare)" : "")
                .append(" |\n");
        out.append("| command | `").append(command.isEmpty() ? "(not given)" : command).append("` |\n");
        out.append("| mode | ").append(scale.mode()).append(": ").append(describeScale()).append(" |\n");
        out.append("| workload time | ").append(elapsed.toSeconds()).append(" s (all servers, without start-up) |\n");
        out.append("| driver | raw `ThriftHiveMetastore.Client` (libthrift 0.16.0, TSocket + TBinaryProtocol), JDK ")
                .append(Runtime.version()).append(" |\n\n");

        out.append("### Servers\n\n");
        for (Target target : targets) {
            out.append("- **").append(target.name()).append("** (").append(target.host()).append(':').append(target.port()).append(")");
            if (!target.description().isEmpty()) {
                out.append(": ").append(target.description());
            }
            out.append('\n');
        }
        out.append('\n');

        out.append("### Results\n\n");
        out.append("ops/s is calls per second (for calls that carry or return many partitions, the partitions per second follow in brackets); ")
                .append("p50/p99 are per-call latencies; **Mortar/HMS** is Mortar's ops/s divided by the HMS's on the same kind of store ")
                .append("(above 1: Mortar is faster). calls: how many calls each server made, \"HMS / Mortar\" where they differ (a load of fixed time, a time cap, a failure). ")
                .append("`[capped]`: the server reached the phase's time cap and did fewer calls; `[failed]`: see below.\n\n");
        out.append(report.toMarkdown());
        if (!notes.isEmpty()) {
            out.append("#### Notes\n\n");
            notes.forEach(note -> out.append("- ").append(note).append('\n'));
            out.append('\n');
        }

        out.append("""
                ### How it is measured

                - **One run, one machine, all servers up together.** The real Hive Metastore 4.0.1 (the
                  Maven Central tarball `hive-standalone-metastore-server:4.0.1:tar.gz:bin`, run with `java`
                  and the shaded Hadoop 3.5.0 client) on its embedded Derby and on MariaDB, and Mortar on its
                  embedded H2 and on the same MariaDB, each its own JVM with `-Xmx1g`, bound to 127.0.0.1.
                  HMS runs with `metastore.metadata.transformer.class` set to a single space so managed tables
                  stay managed, and otherwise its defaults (direct SQL on, its own connection pool, INFO logging
                  to a file, directories created for every partition in the local warehouse). HMS also gets
                  `-Xss8m`: with the default 1 MiB thread stack, HMS 4.0.1 on Derby fails every
                  `add_partitions` of 1,000 partitions (Derby's SQL compiler overflows the stack on HMS's
                  multi-row `INSERT INTO PARTITION_PARAMS`). Mortar runs with `-Xmx1g` alone.
                - **Same calls, alternating, one pair at a time.** The two servers on the same kind of store
                  are compared in a pass of their own (the embedded pair, then the MariaDB pair; the other pair
                  stays up, idle). Within a pass, serial calls go to each server in turn, call by call;
                  concurrent loads go to each server in turn, burst by burst; the server that goes first
                  rotates. Machine noise thus falls on both alike, and no third server's calls (or their
                  after-effects) come between theirs. Every server gets the same arguments (same random seeds).
                - **Warm-up and settling.** Each repeated read (listing names, listing partitions, the two
                  filters, by names) starts with unmeasured calls on every server, a fifth of the measured
                  count (one to ten), so that the first call of a kind, which loads classes and compiles code
                  in the server, is not measured. The single-object writes (`alter_table`, `add_partition`,
                  `drop_partition`) start with as many unmeasured calls of their own kind as are measured, at
                  most 200 (on other tables' objects, or on the next partitions): a write runs more of a server
                  (its transaction, its notification event, the warehouse) and a server that has been up for a
                  while has all of that compiled; measured cold, the first few hundred drops of either server
                  mostly measure its JIT compiler. After every call or burst that took 20 ms or more, the driver
                  collects its own garbage and waits as long as the call took (at most 100 ms), unmeasured:
                  on a machine of two cores, the garbage collection of a server that just sent 10,000
                  partitions, and the driver's own of decoding them, would otherwise fall on the next,
                  other server's call. Shorter calls are not followed by a pause, which would let the
                  processors idle and add their wake-up to the next call. The same rules hold for every server.
                - **Driver floor.** A call that returns a whole table's partitions or names costs the driver time
                  of its own: receiving up to megabytes through `TSocket` and decoding them into objects. Before
                  each of these two listings the driver takes Mortar's answer and starts a server of its own that
                  replies with those bytes at once; that server takes its turn with the two real ones, call by
                  call, in the warm-up and in the measured calls, so the same noise falls on all three. Its
                  figures are the least any server's call can take, and the ratio they allow is in the "Driver
                  floor" table.
                - **Raw Thrift.** The driver uses the generated `ThriftHiveMetastore.Client` over a plain socket:
                  no `HiveMetaStoreClient`, no retries, no client-side cache. Each thread has its own connection.
                - **Checked answers.** Every call whose answer has a known size is checked (10,000 names, 24
                  partitions for `ds = d`, 42 for the range filter, 100 by name); a wrong answer is a failure,
                  not a fast call.
                - **Throughput**: for serial calls, calls divided by the summed call time; for concurrent loads,
                  calls divided by the wall time of the bursts. Latency percentiles are nearest-rank.
                - **Memory**: peak resident set size (`VmHWM` in `/proc/<pid>/status`) of each server JVM over
                  the whole run (start-up, all phases), and its RSS at the end.
                - **The workload**, in order: create 200 tables (8 threads); an unmeasured warm-up of
                  `get_table_req` calls; `get_table_req` on random tables (1 thread, then 8 threads); `alter_table` setting one parameter (after its warm-up); `add_partition` one by one (after its warm-up) into a table
                  partitioned by `ds string, hr int`; then, per partition count, `add_partitions` in batches,
                  `get_partition_names` and `get_partitions` of the whole table, `get_partitions_by_filter` with
                  `ds = "2020-03-04"` and with `ds >= d1 and ds < d2 and hr >= 6 and hr < 12` (7 days x 6 hours),
                  `get_partitions_by_names` with 100 random names, a 16-thread mixed read load for a fixed time
                  (50 % `get_table_req`, 10 % `get_database`, 20 % filter `ds = d`, 20 % `get_partitions_by_names`
                  with 10 names), `drop_partition` (after its warm-up), and `drop_table` of the partitioned
                  table with what is left of it. Last, "write, then list": a new table filled with as many
                  partitions as the first partition count, then `get_partition_names` of the whole table, each
                  measured call right after an unmeasured `add_partition` of a new partition on the same server
                  (no pause between them), so that no listing finds an answer an earlier listing made.
                - **Where Mortar's advantage comes from.** Each table and partition is one row holding the whole
                  object (compact Thrift), so reading 10,000 partitions is one indexed range, not joins over a
                  dozen normalised tables; filters run as SQL over indexed key values, one join per key; writes
                  are batched, and on MariaDB a write call's last statements carry its COMMIT in the same round
                  trip; calls that only read use autocommit connections (no commit round trip). Listing,
                  filtering and fetching by name are served from Mortar's partition cache when the table's
                  partitions have not changed since they were cached: every call still reads the table's
                  partitions version from the store with the table itself, so the answer is always current (with
                  several servers on one store too). Partitions added or dropped through the server keep its
                  cache current, and a new table starts cached as empty, so the listing calls here are all
                  served from memory, a filter with an equality on a key is evaluated on the cached partitions with
                  that key's value (looked up in an index), the range filter on those whose `ds` and `hr` values
                  pass its ranges (each range tried once per distinct value of its key), and partitions and
                  names sent again reuse their encoding. The Hive Metastore has no
                  such cache. The cache is part of the server as shipped (`mortar.cache.partitions`, on by
                  default).
                - **Drops.** A drop sends its deletes and its notification event to the store in one round trip
                  (one string of statements on MariaDB and PostgreSQL), after one query that reads the table and the
                  partition together; dropping a table reads only the locations out of its stored partitions. On the
                  local file system a dropped table's directory is renamed aside in one step and its files deleted
                  in the background (see HMS-COMPATIBILITY.md), so the thousands of partition folders of the dropped table
                  are off the call's path; a partition's small folder is deleted within the call.
                - **Where the ratio stays near 5x.** Two kinds of call have a floor that Mortar cannot go under.
                  Listing a whole table (`get_partition_names`, `get_partitions`) sends 226 kB and 7.8 MB at 10,000
                  partitions; the "Driver floor" table shows the most any server could reach against this client,
                  and Mortar's figures are at or near it (the rest of its time is one store round trip for the table).
                  Single-object writes on MariaDB (`add_partition`,
                  `drop_partition`) are two round trips to the store for Mortar: one query that reads the table and
                  the partition, one string of statements that writes, records the notification event and commits.
                  The Hive Metastore 4.0.1 sends 71 statements for one `drop_partition` of such a table (counted in
                  MariaDB's general log, transaction settings included), each its own round trip, and writes no
                  event (its `DbNotificationListener` is not configured here, Mortar's events are always on). On a
                  store that answers a statement in a tenth of a millisecond those 71 cost it a few milliseconds,
                  while what Mortar has left is MariaDB's own work for the write and its commit (measured alone,
                  about half of Mortar's call), the thread wake-ups of two round trips, and on two cores whatever
                  the other server is still doing after its call. These calls therefore stay between about 3.5x and 5x,
                  varying from run to run with the machine's noise; the slower the store's round trip, the larger
                  the ratio.
                - Modes: `--quick` is one tenth of the default work (1,000 partitions, batches of 100),
                  the default uses 10,000 partitions, `--full` adds the partition calls at 100,000 partitions.
                - Reproduce: `bin/mortar-bench` (add `--quick`, `--full`, `--hms-only`, `--no-mariadb`;
                  `bin/mortar-bench --help` lists all).
                """);
        return out.toString();
    }

    private boolean busy()
    {
        try {
            return Math.max(Double.parseDouble(loadBefore), Double.parseDouble(loadAfter)) > Machine.cores();
        }
        catch (NumberFormatException e) {
            return false;
        }
    }

    private String describeScale()
    {
        return "%d tables; get_table_req %,d calls (1 thread) and %d threads x %d rounds x %d calls; alter_table %,d; add_partition %,d; partitions %s in batches of %,d; %d mixed-read threads for %d x %d s"
                .formatted(scale.tables(), scale.getTableCalls(), scale.concurrentThreads(), scale.concurrentRounds(), scale.concurrentCallsPerThread(),
                        scale.alterCalls(), scale.addPartitionOneByOne(),
                        scale.partitionCounts().stream().map(count -> "%,d".formatted(count)).toList(),
                        scale.addPartitionsBatch(), scale.mixedThreads(), scale.mixedRounds(), scale.mixedRoundTime().toSeconds());
    }
}
