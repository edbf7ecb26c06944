package dev.mortar.metastore.worker;

import dev.mortar.catalog.hms.HmsCatalog;
import dev.mortar.catalog.hms.HmsCatalogWriter;
import dev.mortar.etl.duckdb.DuckDbEngine;
import dev.mortar.etl.worker.JobOutcome;
import dev.mortar.etl.worker.JobWorker;
import dev.mortar.etl.worker.ThriftJobTaskService;
import dev.mortar.thrift.worker.CrawlTaskService;
import dev.mortar.metastore.control.job.JobRuns;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Job workers inside the server: {@link JobWorker}s leasing job runs from the run queue through a direct binding of the
 * control plane, reading and writing the catalog through this server's HMS handler. A run queued here wakes them at
 * once, and a stop asked here reaches the run at once; what other servers queue or stop reaches them at their next
 * poll or heartbeat. When the server stops cleanly, the runs they hold are cancelled and end FAILED; when it dies,
 * their leases expire and the runs are failed (and retried, as their jobs allow) by another server. With no workers
 * (runs in worker processes only), it still ends the runs whose holder's lease expired.
 */
public final class EmbeddedJobWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedJobWorkers.class);

    private final List<JobWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final JobRuns runs;
    private final ThriftJobTaskService binding;
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("job-lease-reaper").daemon(true).factory());
    private final Object wake = new Object();
    /** How many runs were queued here so far (under {@link #wake}): a worker that saw none waits only if none came since it looked. */
    private long queued;
    private volatile boolean closing;

    /** Workers bound directly to {@code service}, this server's side of the worker protocol, as {@code mortar worker} processes are over its port. */
    public EmbeddedJobWorkers(int count, String idPrefix, int leaseSeconds, CrawlTaskService.Iface service, JobRuns runs, ThriftHiveMetastore.Iface metastore,
                              Configuration hadoop, String python, String duckDbMemory, int duckDbThreads, Path workDir) {
        this.runs = runs;
        this.binding = ThriftJobTaskService.direct(service);
        Duration heartbeat = Duration.ofMillis(Math.max(100, Math.min(1000L, leaseSeconds * 1000L / 3)));
        JobWorker.Environment environment = new JobWorker.Environment(new DuckDbEngine(duckDbMemory, duckDbThreads), task -> new HmsCatalog(metastore),
                task -> new HmsCatalogWriter(metastore), hadoop, python, task -> Map.of(), workDir);
        for (int i = 0; i < count; i++) {
            workers.add(new JobWorker(idPrefix + "-job-" + i, leaseSeconds, heartbeat, binding, environment));
        }
        runs.addListener(new JobRuns.Listener() {
            @Override
            public void enqueued(String taskId) {
                synchronized (wake) {
                    queued++;
                    wake.notifyAll();
                }
            }

            @Override
            public void stopRequested(String taskId) {
                workers.forEach(w -> w.requestStop(taskId));
            }
        });
    }

    public void start() {
        for (JobWorker w : workers) {
            threads.add(Thread.ofPlatform().name("job-" + w.workerId()).daemon(true).start(() -> loop(w)));
        }
        // a run whose holder died is ended once its lease expired (by whichever server looks first)
        reaper.scheduleWithFixedDelay(this::reap, 2, 2, TimeUnit.SECONDS);
        LOG.info("Job workers in this server: {}", workers.size());
    }

    private void reap() {
        try {
            runs.expireLeases();
        } catch (RuntimeException e) {
            LOG.warn("Job lease check failed: {}", e.toString());
        }
    }

    private void loop(JobWorker worker) {
        while (!closing && !Thread.currentThread().isInterrupted()) {
            long seen;
            synchronized (wake) {
                seen = queued;
            }
            boolean worked;
            try {
                worked = worker.runOne();
            } catch (RuntimeException e) {
                LOG.warn("Job worker {}: lease failed: {}", worker.workerId(), e.toString());
                worked = false;
            }
            if (!worked) {
                synchronized (wake) {
                    try {
                        // closing is set under this lock, so a close never slips in between the check and the wait
                        // and a run queued while this worker looked is taken at once, not after the wait
                        if (!closing && queued == seen) {
                            wake.wait(1000);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        // runs in flight are cancelled and end FAILED through their workers; what is still held after a grace is ended here
        workers.forEach(w -> w.shutDown(EmbeddedWorkers.STOPPED_MESSAGE));
        synchronized (wake) {
            closing = true;
            wake.notifyAll();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (JobWorker w : workers) {
            w.heldTask().ifPresent(task -> {
                try {
                    binding.end(task.taskId(), task.token(), new JobOutcome(JobOutcome.Ending.FAILED, Optional.of(EmbeddedWorkers.STOPPED_MESSAGE),
                            Optional.empty(), Map.of(), List.of()));
                    LOG.warn("Job {}: run {} FAILED: {}", task.jobName(), task.runId(), EmbeddedWorkers.STOPPED_MESSAGE);
                } catch (RuntimeException e) {
                    LOG.warn("Job {}: run {} left to its lease's expiry: {}", task.jobName(), task.runId(), e.toString());
                }
            });
            w.close();
        }
        threads.forEach(Thread::interrupt);
    }
}
