package dev.mortar.metastore.worker;

import dev.mortar.catalog.hms.HmsCatalogWriter;
import dev.mortar.crawler.worker.CrawlWorker;
import dev.mortar.crawler.worker.TaskService;
import dev.mortar.metastore.control.crawl.CrawlRuns;
import dev.mortar.thrift.worker.CrawlTaskService;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Crawl workers inside the server: the same {@link CrawlWorker} that {@code mortar worker} processes run, leasing
 * from the same queue, bound directly to this server's task service and writing through its HMS handler. A task
 * queued here wakes them at once, and a stop asked here reaches a run they hold at once; runs queued or stopped
 * through other servers reach them at their next poll or heartbeat. When the server stops cleanly, the runs they
 * hold end FAILED ("the server stopped during the run"); when it dies, their leases expire.
 */
public final class EmbeddedWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedWorkers.class);
    static final String STOPPED_MESSAGE = "The server stopped during the run";

    private final List<CrawlWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CrawlTaskService.Iface service;
    private final CrawlRuns runs;
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("crawl-lease-reaper").daemon(true).factory());
    private final Object wake = new Object();

    public EmbeddedWorkers(int count, String idPrefix, int leaseSeconds, CrawlTaskService.Iface service, CrawlRuns runs, ThriftHiveMetastore.Iface metastore,
                           Configuration hadoop) {
        this.service = service;
        this.runs = runs;
        Duration heartbeat = Duration.ofMillis(Math.max(100, Math.min(1000L, leaseSeconds * 1000L / 3)));
        for (int i = 0; i < count; i++) {
            workers.add(new CrawlWorker(idPrefix + "-" + i, leaseSeconds, heartbeat, Duration.ofSeconds(1), TaskService.direct(service), TaskService.direct(service),
                    task -> new HmsCatalogWriter(metastore), hadoop));
        }
        runs.addListener(new CrawlRuns.Listener() {
            @Override
            public void enqueued(String taskId) {
                synchronized (wake) {
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
        for (CrawlWorker w : workers) {
            threads.add(Thread.ofPlatform().name("crawl-" + w.workerId()).daemon(true).start(() -> loop(w)));
        }
        // a run whose holder died and that no worker leases again is ended once its lease expired for the last time
        reaper.scheduleWithFixedDelay(this::reap, 2, 2, TimeUnit.SECONDS);
        LOG.info("Crawl workers in this server: {}", workers.size());
    }

    private void reap() {
        try {
            runs.expireLeases();
        } catch (RuntimeException e) {
            LOG.warn("Crawl lease check failed: {}", e.toString());
        }
    }

    private void loop(CrawlWorker worker) {
        while (!Thread.currentThread().isInterrupted()) {
            boolean worked;
            try {
                worked = worker.runOne();
            } catch (TException | RuntimeException e) {
                LOG.warn("Crawl worker {}: lease failed: {}", worker.workerId(), e.toString());
                worked = false;
            }
            if (!worked) {
                synchronized (wake) {
                    try {
                        wake.wait(1000);
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
        for (CrawlWorker w : workers) {
            w.heldTask().ifPresent(task -> {
                try {
                    service.failTask(task.getTaskId(), task.getLeaseToken(), STOPPED_MESSAGE, null);
                    LOG.warn("Crawler {}: run {} FAILED: {}", task.getCrawlerName(), task.getCrawlId(), STOPPED_MESSAGE);
                } catch (TException | RuntimeException e) {
                    LOG.warn("Crawler {}: run {} left to its lease's expiry: {}", task.getCrawlerName(), task.getCrawlId(), e.toString());
                }
            });
            w.close();
        }
        threads.forEach(Thread::interrupt);
    }
}
