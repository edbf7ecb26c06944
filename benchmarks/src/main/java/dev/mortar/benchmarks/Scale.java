package dev.mortar.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How much work one run does. {@code quick} is one tenth of {@code default}; {@code full} adds a
 * second pass of the partition calls at 100,000 partitions to show how their cost grows.
 *
 * @param warmUpCalls unmeasured get_table_req calls per server before the first measured phase
 * @param phaseCap time after which a repeated read phase stops early for a server (it still
 *        reports what it measured); phases that build state (adds, drops) are never cut short
 * @param callTimeout socket read timeout for one call (HMS on Derby took 14 minutes to drop a table of 100,000 partitions)
 * @param settleCap the longest unmeasured pause after each call or burst (as long as the call took, up to this)
 */
public record Scale(
        String mode,
        int tables,
        int warmUpCalls,
        int getTableCalls,
        int concurrentThreads,
        int concurrentRounds,
        int concurrentCallsPerThread,
        int alterCalls,
        List<Integer> partitionCounts,
        int addPartitionsBatch,
        int addPartitionOneByOne,
        int listRepeats,
        int filterRepeats,
        int byNamesCount,
        int byNamesRepeats,
        int dropPartitions,
        int mixedThreads,
        int mixedRounds,
        Duration mixedRoundTime,
        Duration phaseCap,
        Duration callTimeout,
        Duration settleCap)
{
    public static Scale of(String mode)
    {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "quick" -> new Scale("quick", 200, 100, 300, 8, 2, 50, 50, List.of(1_000), 100, 200,
                    3, 20, 100, 10, 20, 16, 2, Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofSeconds(120), Duration.ofMillis(100));
            case "default" -> new Scale("default", 200, 1_000, 3_000, 8, 5, 200, 500, List.of(10_000), 1_000, 2_000,
                    10, 200, 100, 50, 200, 16, 4, Duration.ofSeconds(5), Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofMillis(100));
            case "full" -> new Scale("full", 200, 1_000, 3_000, 8, 5, 200, 500, List.of(10_000, 100_000), 1_000, 2_000,
                    10, 200, 100, 50, 200, 16, 4, Duration.ofSeconds(5), Duration.ofSeconds(180), Duration.ofSeconds(1800), Duration.ofMillis(100));
            default -> throw new IllegalArgumentException("Unknown mode '%s' (quick, default, full)".formatted(mode));
        };
    }

    /** Whole-table listings get fewer repeats on bigger tables; the phase cap bounds them anyway. */
    public int listRepeatsFor(int partitions)
    {
        return Math.max(2, (int) ((long) listRepeats * partitionCounts.getFirst() / partitions));
    }

    /** Listing names is cheap next to listing partitions: five times as many calls. */
    public int nameListRepeatsFor(int partitions)
    {
        return 5 * listRepeatsFor(partitions);
    }

    /**
     * Unmeasured calls per server before a measured read phase of {@code calls} calls, so that the
     * first call of a kind (classes loading, code compiling, caches filling) is not measured: a
     * fifth of the calls, at least one, at most ten.
     */
    public int readWarmUpCalls(int calls)
    {
        return Math.min(10, Math.max(1, calls / 5));
    }

    /**
     * Unmeasured calls per server before a measured phase of {@code calls} single-object writes
     * ({@code alter_table}, {@code add_partition}, {@code drop_partition}): as many as measured, at
     * most 200. A write touches more of a server than a read (its transaction, its event, the
     * warehouse), and a long-running server has all of that compiled; a few calls do not get it there.
     */
    public int writeWarmUpCalls(int calls)
    {
        return Math.min(200, Math.max(1, calls));
    }
}
