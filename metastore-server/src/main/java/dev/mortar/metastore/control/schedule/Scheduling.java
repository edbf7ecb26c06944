package dev.mortar.metastore.control.schedule;

import dev.mortar.metastore.control.crawl.CrawlRuns;
import dev.mortar.metastore.control.job.JobRuns;
import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.scheduler.engine.IdGenerator;
import dev.mortar.scheduler.engine.LeaseGrant;
import dev.mortar.scheduler.engine.SchedulerListener;
import dev.mortar.scheduler.engine.SchedulerLoop;
import dev.mortar.scheduler.engine.SchedulerSettings;
import dev.mortar.scheduler.engine.Sleeper;
import dev.mortar.scheduler.engine.TriggerEvaluator;
import dev.mortar.scheduler.trigger.TriggerRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler's half of the control plane: triggers, workflows and crawler schedules, and the loop that fires them
 * ({@link SchedulerLoop} over this store). Every server runs the loop; the leader lease lets one act at a time. A run
 * that ends in this server wakes the loop, so what it satisfies starts at once rather than at the next poll.
 */
public final class Scheduling implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduling.class);

    /**
     * @param minimumInterval the shortest gap between two ticks a schedule may have ({@code mortar.scheduler.min.interval.minutes})
     * @param engine          lease, poll, misfire grace and catch-up of the loop
     */
    public record Options(Duration minimumInterval, SchedulerSettings engine) {
        public static final Options DEFAULTS = new Options(TriggerRules.DEFAULT_MINIMUM_INTERVAL, SchedulerSettings.DEFAULTS);
    }

    private final CatalogDatabase database;
    private final InstantSource clock;
    private final Options options;
    private final WakeableSleeper sleeper = new WakeableSleeper();
    private final Triggers triggers;
    private final Workflows workflows;
    private final CrawlerSchedules crawlerSchedules;
    private final SchedulerStoreView store;
    private final StoreRunLauncher launcher;
    private final StoreLeaderLease lease;
    private final TriggerEvaluator evaluator;
    private SchedulerLoop loop;
    private Thread thread;

    public Scheduling(CatalogDatabase database, InstantSource clock, JobRuns jobRuns, CrawlRuns crawls, Options options) {
        this.database = database;
        this.clock = clock;
        this.options = options;
        IdGenerator ids = IdGenerator.random();
        this.evaluator = new TriggerEvaluator(ids, options.engine().misfireGrace(), options.engine().catchUp());
        RunStarter starter = new RunStarter(jobRuns, crawls);
        TriggerRules rules = new TriggerRules(options.minimumInterval(), clock);
        this.triggers = new Triggers(database, clock, () -> rules, starter, evaluator, sleeper::wake);
        this.workflows = new Workflows(database, clock, starter, jobRuns, crawls, evaluator, ids, sleeper::wake);
        this.crawlerSchedules = new CrawlerSchedules(database, clock, options::minimumInterval, sleeper::wake);
        this.store = new SchedulerStoreView(database, clock);
        this.launcher = new StoreRunLauncher(database, clock, starter);
        this.lease = new StoreLeaderLease(database, clock, SchedulerTables.LEASE);
        jobRuns.addListener(new JobRuns.Listener() {
            @Override
            public void ended() {
                sleeper.wake();
            }
        });
        crawls.addListener(new CrawlRuns.Listener() {
            @Override
            public void ended() {
                sleeper.wake();
            }
        });
    }

    public Triggers triggers() {
        return triggers;
    }

    public Workflows workflows() {
        return workflows;
    }

    public CrawlerSchedules crawlerSchedules() {
        return crawlerSchedules;
    }

    public Options options() {
        return options;
    }

    /** Starts this server's scheduler loop as {@code holder} (a name unique among the servers on the store). */
    public synchronized void start(String holder, SchedulerListener listener) {
        if (thread != null) {
            throw new IllegalStateException("The scheduler runs already");
        }
        loop = new SchedulerLoop(holder, lease, store, launcher, evaluator, clock, sleeper, options.engine(), listener);
        thread = Thread.ofPlatform().name("mortar-scheduler").daemon().start(loop);
        LOG.info("Scheduler {} started (lease {} s, poll {} ms, catch-up {})", holder, options.engine().leaseDuration().toSeconds(),
                options.engine().pollInterval().toMillis(), options.engine().catchUp() ? "on" : "off");
    }

    /** One pass of the loop now, in the caller's thread (for tests and the CLI): what it did. */
    public SchedulerLoop.Pass runOnce(String holder) {
        synchronized (this) {
            if (loop == null) {
                loop = new SchedulerLoop(holder, lease, store, launcher, evaluator, clock, sleeper, options.engine(), SchedulerListener.NONE);
            }
        }
        return loop.runOnce();
    }

    /** Who leads the scheduler now, if anyone. */
    public Optional<LeaseGrant> leader() {
        return lease.holder();
    }

    /** Wakes the loop: something it may act on changed. */
    public void wake() {
        sleeper.wake();
    }

    @Override
    public synchronized void close() {
        if (thread == null) {
            return;
        }
        loop.stop();
        sleeper.wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    /** Sleeps until the time is up or something wakes it; a wake-up before the sleep ends the next sleep at once. */
    static final class WakeableSleeper implements Sleeper {
        private final Object lock = new Object();
        private boolean woken;

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            long deadline = System.nanoTime() + duration.toNanos();
            synchronized (lock) {
                while (!woken) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
                woken = false;
            }
        }

        void wake() {
            synchronized (lock) {
                woken = true;
                lock.notifyAll();
            }
        }
    }
}
