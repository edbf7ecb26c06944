package dev.mortar.benchmarks;

import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TException;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the same calls against every server, switching server after every call (serial work) or
 * every burst (concurrent work), and rotating which server goes first, so that machine noise
 * (other processes, GC of the driver, disk flushes) falls on all servers alike.
 * All loops are bounded by a call count, and repeated reads also by a time cap.
 */
final class Alternator
        implements AutoCloseable
{
    /** One call; returns the number of items it handled or returned (partitions, tables). */
    @FunctionalInterface
    interface Call
    {
        long run(ThriftHiveMetastore.Client client, Target target, int index)
                throws Exception;
    }

    /**
     * One call of a concurrent burst, the {@code call}-th of thread {@code thread}; the random
     * source is seeded alike for every server.
     */
    @FunctionalInterface
    interface BurstCall
    {
        long run(ThriftHiveMetastore.Client client, Target target, Random random, int thread, int call)
                throws Exception;
    }

    /** Thrown by a call whose answer is wrong (a count that does not match): a wrong answer has no speed. */
    static final class WrongAnswerException
            extends Exception
    {
        private static final long serialVersionUID = 1L;

        WrongAnswerException(String message)
        {
            super(message);
        }
    }

    private static final int MAX_CALLS_PER_THREAD_AND_ROUND = 10_000_000;
    private static final long PROGRESS_INTERVAL_NANOS = 30_000_000_000L;
    private static final long SETTLE_FROM_NANOS = 20_000_000L;

    private final List<Target> targets;
    private final PrintStream progress;
    private final Duration callTimeout;
    private final MetastoreConnection[][] connections;
    private final ExecutorService executor;
    private final long settleCapNanos;

    /**
     * @param progress where long phases report how far they are
     * @param settleCap the longest pause after a call or burst (see {@link #settle})
     */
    Alternator(List<Target> targets, int maxThreads, Duration callTimeout, Duration settleCap, PrintStream progress)
    {
        this.targets = List.copyOf(targets);
        this.progress = progress;
        this.callTimeout = callTimeout;
        this.settleCapNanos = settleCap.toNanos();
        this.connections = new MetastoreConnection[targets.size()][maxThreads];
        this.executor = Executors.newFixedThreadPool(maxThreads);
    }

    List<Target> targets()
    {
        return targets;
    }

    /** Untimed preparation on every server; returns the failure per server, if any. */
    Map<Target, String> everywhere(Call call)
    {
        Map<Target, String> failures = new LinkedHashMap<>();
        for (int t = 0; t < targets.size(); t++) {
            try {
                call.run(connection(t, 0).client(), targets.get(t), 0);
            }
            catch (Exception e) {
                dropConnection(t, 0);
                failures.put(targets.get(t), describe(e));
            }
        }
        return failures;
    }

    /**
     * {@code calls} calls per server, one server after the other for each call index.
     *
     * @param cap when present, a server that has spent this long stops early (reads only)
     */
    Map<Target, Measurement> serial(String label, int calls, Duration cap, Call call)
    {
        return serial(label, calls, cap, null, call);
    }

    /**
     * As {@link #serial(String, int, Duration, Call)}, each measured call right after an unmeasured
     * {@code before} call with the same index on the same server (no pause between them): a read as
     * it comes after a write.
     */
    Map<Target, Measurement> serial(String label, int calls, Duration cap, Call before, Call call)
    {
        Map<Target, Measurement> results = newResults();
        boolean[] done = new boolean[targets.size()];
        long lastReport = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            if (System.nanoTime() - lastReport > PROGRESS_INTERVAL_NANOS) {
                progress.printf("[bench]   %s: %,d of %,d calls per server%n", label, i, calls);
                progress.flush();
                lastReport = System.nanoTime();
            }
            boolean anyLeft = false;
            for (int k = 0; k < targets.size(); k++) {
                int t = (i + k) % targets.size();
                if (done[t]) {
                    continue;
                }
                anyLeft = true;
                Target target = targets.get(t);
                Measurement measurement = results.get(target);
                ThriftHiveMetastore.Client client;
                try {
                    client = connection(t, 0).client();
                }
                catch (TException e) {
                    measurement.fail("cannot connect: " + describe(e));
                    done[t] = true;
                    continue;
                }
                long start = 0;
                try {
                    if (before != null) {
                        before.run(client, target, i);
                    }
                    start = System.nanoTime();
                    long items = call.run(client, target, i);
                    long elapsed = System.nanoTime() - start;
                    measurement.recordSerial(elapsed, items);
                    settle(elapsed);
                }
                catch (Exception e) {
                    dropConnection(t, 0);
                    measurement.fail(describe(e));
                    done[t] = true;
                    continue;
                }
                if (cap != null && measurement.busyNanos() > cap.toNanos() && i + 1 < calls) {
                    measurement.markTruncated();
                    done[t] = true;
                }
            }
            if (!anyLeft) {
                break;
            }
        }
        return results;
    }

    /** {@code rounds} bursts per server of {@code threads} threads making {@code callsPerThread} calls each. */
    Map<Target, Measurement> concurrent(int threads, int rounds, int callsPerThread, Duration cap, String seedName, BurstCall call)
    {
        return bursts(threads, rounds, callsPerThread, null, cap, seedName, call);
    }

    /** {@code rounds} bursts per server of {@code threads} threads calling for {@code roundTime} each. */
    Map<Target, Measurement> timed(int threads, int rounds, Duration roundTime, String seedName, BurstCall call)
    {
        return bursts(threads, rounds, MAX_CALLS_PER_THREAD_AND_ROUND, roundTime, null, seedName, call);
    }

    private Map<Target, Measurement> bursts(int threads, int rounds, int callsPerThread, Duration roundTime, Duration cap, String seedName, BurstCall call)
    {
        Map<Target, Measurement> results = newResults();
        boolean[] done = new boolean[targets.size()];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < targets.size(); k++) {
                int t = (round + k) % targets.size();
                if (done[t]) {
                    continue;
                }
                Measurement measurement = results.get(targets.get(t));
                long start = System.nanoTime();
                burst(t, threads, round, callsPerThread, roundTime, seedName, call, measurement);
                settle(System.nanoTime() - start);
                if (measurement.failed()) {
                    done[t] = true;
                }
                else if (cap != null && measurement.busyNanos() > cap.toNanos() && round + 1 < rounds) {
                    measurement.markTruncated();
                    done[t] = true;
                }
            }
        }
        return results;
    }

    private void burst(int t, int threads, int round, int callsPerThread, Duration roundTime, String seedName, BurstCall call, Measurement measurement)
    {
        Target target = targets.get(t);
        ThriftHiveMetastore.Client[] clients = new ThriftHiveMetastore.Client[threads];
        for (int slot = 0; slot < threads; slot++) {
            try {
                clients[slot] = connection(t, slot).client();
            }
            catch (TException e) {
                measurement.fail("cannot connect: " + describe(e));
                return;
            }
        }
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] startAndDeadline = new long[2];
        Future<?>[] futures = new Future<?>[threads];
        for (int slot = 0; slot < threads; slot++) {
            int thread = slot;
            futures[slot] = executor.submit(() -> {
                Random random = new Random(seedName.hashCode() * 31L * 31L + round * 31L + thread);
                ready.countDown();
                try {
                    go.await();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < callsPerThread && !measurement.failed(); i++) {
                    if (roundTime != null && System.nanoTime() >= startAndDeadline[1]) {
                        break;
                    }
                    long start = System.nanoTime();
                    try {
                        long items = call.run(clients[thread], target, random, thread, i);
                        measurement.record(System.nanoTime() - start, items);
                    }
                    catch (Exception e) {
                        dropConnection(t, thread);
                        measurement.fail(describe(e));
                        return;
                    }
                }
            });
        }
        try {
            ready.await();
            startAndDeadline[0] = System.nanoTime();
            startAndDeadline[1] = startAndDeadline[0] + (roundTime == null ? 0 : roundTime.toNanos());
            go.countDown();
            for (Future<?> future : futures) {
                future.get(callTimeout.toMillis() + (roundTime == null ? 0 : roundTime.toMillis()) + 60_000, TimeUnit.MILLISECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            measurement.fail("interrupted");
        }
        catch (Exception e) {
            measurement.fail(describe(e));
        }
        measurement.addBusyTime(System.nanoTime() - startAndDeadline[0]);
    }

    /**
     * After a call or burst of {@link #SETTLE_FROM_NANOS} or longer, the driver collects its own garbage
     * and pauses, both unmeasured, for as long as the call took, up to the cap. A long call leaves work
     * behind: the driver's garbage from decoding a large answer (collected later, it would land in
     * whichever call comes next, often the other server's), and the server's own garbage collection and
     * JIT compilation, which on a machine of few cores would otherwise slow the next server's measured
     * call. Short calls leave little such work, and a pause after each would let the processors idle and
     * measure their wake-up instead. The rule is the same for every server.
     */
    private void settle(long elapsedNanos)
    {
        if (elapsedNanos < SETTLE_FROM_NANOS || settleCapNanos <= 0) {
            return;
        }
        long start = System.nanoTime();
        System.gc();
        long rest = Math.min(elapsedNanos, settleCapNanos) - (System.nanoTime() - start);
        if (rest > 0) {
            LockSupport.parkNanos(rest);
        }
    }

    private Map<Target, Measurement> newResults()
    {
        Map<Target, Measurement> results = new LinkedHashMap<>();
        for (Target target : targets) {
            results.put(target, new Measurement());
        }
        return results;
    }

    private synchronized MetastoreConnection connection(int t, int slot)
            throws TException
    {
        if (connections[t][slot] == null) {
            connections[t][slot] = MetastoreConnection.open(targets.get(t), callTimeout);
        }
        return connections[t][slot];
    }

    /** After a failed call the connection may be out of step (or closed by the server): start afresh. */
    private synchronized void dropConnection(int t, int slot)
    {
        if (connections[t][slot] != null) {
            connections[t][slot].close();
            connections[t][slot] = null;
        }
    }

    static String describe(Throwable e)
    {
        String message = e.getMessage();
        String text = e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
        text = text.replaceAll("\\s+", " ");
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
        for (int t = 0; t < connections.length; t++) {
            for (int slot = 0; slot < connections[t].length; slot++) {
                dropConnection(t, slot);
            }
        }
    }
}
