package dev.mortar.benchmarks;

import java.util.Arrays;
import java.util.Optional;

/**
 * Latencies of one operation on one server. Throughput is calls over the time the server was
 * busy with this operation: the sum of latencies for serial calls, the wall time of the bursts
 * for concurrent ones.
 */
final class Measurement
{
    private long[] latencies = new long[1024];
    private int calls;
    private long items;
    private long busyNanos;
    private String failure;
    private boolean truncated;

    synchronized void record(long latencyNanos, long itemCount)
    {
        if (calls == latencies.length) {
            latencies = Arrays.copyOf(latencies, calls * 2);
        }
        latencies[calls++] = latencyNanos;
        items += itemCount;
    }

    /** Serial calls: the server was busy exactly for the call. */
    synchronized void recordSerial(long latencyNanos, long itemCount)
    {
        record(latencyNanos, itemCount);
        busyNanos += latencyNanos;
    }

    synchronized void addBusyTime(long nanos)
    {
        busyNanos += nanos;
    }

    synchronized void fail(String message)
    {
        if (failure == null) {
            failure = message;
        }
    }

    synchronized void markTruncated()
    {
        truncated = true;
    }

    synchronized boolean failed()
    {
        return failure != null;
    }

    synchronized Optional<String> failure()
    {
        return Optional.ofNullable(failure);
    }

    synchronized boolean truncated()
    {
        return truncated;
    }

    synchronized int calls()
    {
        return calls;
    }

    synchronized long items()
    {
        return items;
    }

    synchronized long busyNanos()
    {
        return busyNanos;
    }

    synchronized double callsPerSecond()
    {
        return busyNanos == 0 ? Double.NaN : calls / (busyNanos / 1e9);
    }

    synchronized double itemsPerSecond()
    {
        return busyNanos == 0 ? Double.NaN : items / (busyNanos / 1e9);
    }

    /** Nearest-rank percentile in milliseconds. */
    synchronized double percentileMillis(double percentile)
    {
        if (calls == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(latencies, calls);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * calls);
        return sorted[Math.clamp(rank - 1, 0, calls - 1)] / 1e6;
    }
}
