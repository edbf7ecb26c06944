package dev.mortar.metastore.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Per-method call counts and latencies, and connection counts, in Prometheus format. */
public final class Metrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram latency;
    private final Counter errors;
    private final Gauge openConnections;
    private final Counter connections;
    private final Histogram queryDuration;
    private final Counter queryRows;

    public Metrics() {
        latency = Histogram.builder()
                .name("mortar_hms_call_duration_seconds")
                .help("Duration of HMS Thrift calls by method")
                .labelNames("method")
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        errors = Counter.builder()
                .name("mortar_hms_call_errors_total")
                .help("HMS Thrift calls that failed or named an unknown method")
                .labelNames("method")
                .register(registry);
        openConnections = Gauge.builder().name("mortar_hms_open_connections").help("Open HMS Thrift connections").register(registry);
        connections = Counter.builder().name("mortar_hms_connections_total").help("HMS Thrift connections accepted").register(registry);
        queryDuration = Histogram.builder()
                .name("mortar_gateway_query_duration_seconds")
                .help("SQL gateway statements by outcome (FINISHED, ERROR, CANCELED, TIMEDOUT): time to their end or first rows")
                .labelNames("state")
                .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
                .register(registry);
        queryRows = Counter.builder().name("mortar_gateway_query_rows_total").help("Rows SQL gateway clients fetched, by statement outcome")
                .labelNames("state").register(registry);
    }

    /** A gateway statement ended. */
    public void recordQuery(dev.mortar.gateway.service.QueryListener.Outcome outcome) {
        queryDuration.labelValues(outcome.state()).observe(outcome.duration().toNanos() / 1e9);
        queryRows.labelValues(outcome.state()).inc(outcome.rows());
    }

    public void recordCall(String method, long nanos, boolean failed) {
        latency.labelValues(method).observe(nanos / 1e9);
        if (failed) {
            errors.labelValues(method).inc();
        }
    }

    public void connectionOpened() {
        openConnections.inc();
        connections.inc();
    }

    public void connectionClosed() {
        openConnections.dec();
    }

    /** Crawl runs that end in this server: by state, their durations, files read and tables changed. */
    public dev.mortar.metastore.control.crawl.CrawlMetrics crawls() {
        Histogram duration = Histogram.builder().name("mortar_crawl_duration_seconds").help("Crawl runs ended in this server, by state, and how long they took")
                .labelNames("state").classicUpperBounds(0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600).register(registry);
        Counter files = Counter.builder().name("mortar_crawl_files_read_total").help("Files crawl runs ended in this server read").register(registry);
        Counter tables = Counter.builder().name("mortar_crawl_tables_total").help("Tables crawl runs ended in this server created, updated or deleted")
                .labelNames("change").register(registry);
        Counter partitions = Counter.builder().name("mortar_crawl_partitions_added_total").help("Partitions crawl runs ended in this server added")
                .register(registry);
        return (state, seconds, report) -> {
            duration.labelValues(state.name()).observe(seconds);
            files.inc(report.filesRead());
            tables.labelValues("created").inc(report.tablesCreated().size());
            tables.labelValues("updated").inc(report.tablesUpdated().size());
            tables.labelValues("deleted").inc(report.tablesDeleted().size());
            partitions.inc(report.partitionsAdded());
        };
    }

    /** Job runs started and ended in this server: started, ended by state with how long they ran, rows written. */
    public dev.mortar.metastore.control.job.JobMetrics jobs() {
        Counter started = Counter.builder().name("mortar_job_runs_started_total").help("Job runs started through this server").register(registry);
        Histogram duration = Histogram.builder().name("mortar_job_run_duration_seconds").help("Job runs ended in this server, by state, and how long they ran")
                .labelNames("state").classicUpperBounds(0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 14400).register(registry);
        Counter rows = Counter.builder().name("mortar_job_rows_written_total").help("Rows job runs ended in this server wrote").register(registry);
        return new dev.mortar.metastore.control.job.JobMetrics() {
            @Override
            public void started(String job) {
                started.inc();
            }

            @Override
            public void ended(dev.mortar.metastore.control.job.JobRunState state, double seconds, long rowsWritten) {
                duration.labelValues(state.name()).observe(seconds);
                rows.inc(rowsWritten);
            }
        };
    }

    /**
     * The scheduler of this server: whether it leads (1) or not (0), firings by cause and outcome, runs they started, and
     * the lag of a scheduled firing after its tick.
     */
    public dev.mortar.scheduler.engine.SchedulerListener scheduler() {
        Gauge leader = Gauge.builder().name("mortar_scheduler_leader").help("1 while this server is the active scheduler (holds the leader lease)")
                .register(registry);
        Counter firings = Counter.builder().name("mortar_scheduler_firings_total")
                .help("Trigger firings this server's scheduler handed to the store, by cause (tick, condition) and outcome (FIRED, CLAIMED_ELSEWHERE, LEASE_LOST)")
                .labelNames("cause", "outcome").register(registry);
        Counter runs = Counter.builder().name("mortar_scheduler_runs_started_total").help("Job runs and crawls that this server's scheduler started")
                .register(registry);
        Histogram lag = Histogram.builder().name("mortar_scheduler_fire_lag_seconds")
                .help("Seconds from a schedule's tick to the commit of the runs it started (fired on time; caught-up ticks not counted)")
                .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60).register(registry);
        Counter skipped = Counter.builder().name("mortar_scheduler_ticks_skipped_total").help("Schedules whose ticks were missed while no scheduler ran, skipped")
                .register(registry);
        leader.set(0);
        return new dev.mortar.scheduler.engine.SchedulerListener() {
            @Override
            public void leadershipChanged(boolean leads, dev.mortar.scheduler.engine.LeaseGrant grant) {
                leader.set(leads ? 1 : 0);
            }

            @Override
            public void fired(dev.mortar.scheduler.engine.Firing firing, dev.mortar.scheduler.engine.FireOutcome outcome, java.time.Instant at) {
                String cause = firing.cause() instanceof dev.mortar.scheduler.engine.FiringCause.ScheduledTick ? "tick" : "condition";
                firings.labelValues(cause, outcome.name()).inc();
                if (outcome == dev.mortar.scheduler.engine.FireOutcome.FIRED) {
                    runs.inc(firing.actions().size());
                    if (firing.cause() instanceof dev.mortar.scheduler.engine.FiringCause.ScheduledTick tick && !tick.caughtUp()) {
                        lag.observe(Math.max(0, java.time.Duration.between(tick.tick(), at).toNanos() / 1e9));
                    }
                }
            }

            @Override
            public void skipped(dev.mortar.scheduler.engine.SkippedTicks ticks, dev.mortar.scheduler.engine.FireOutcome outcome) {
                if (outcome == dev.mortar.scheduler.engine.FireOutcome.FIRED) {
                    skipped.inc();
                }
            }
        };
    }

    /** The partition cache's lookups (hits and misses), the tables it holds and its weight against its capacity. */
    public void partitionCache(dev.mortar.metastore.store.PartitionCache cache) {
        io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name("mortar_partition_cache_lookups_total")
                .help("Partition lookups the cache answered (hit) or passed to the store (miss)").labelNames("result")
                .callback(cb -> {
                    var stats = cache.stats();
                    cb.call(stats.hits(), "hit");
                    cb.call(stats.misses(), "miss");
                }).register(registry);
        io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("mortar_partition_cache_tables").help("Tables whose partitions are cached")
                .callback(cb -> cb.call(cache.stats().tables())).register(registry);
        io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("mortar_partition_cache_weight")
                .help("Cached partitions (about one per partition; names weigh less) and the capacity (mortar.cache.partitions)").labelNames("of")
                .callback(cb -> {
                    var stats = cache.stats();
                    cb.call(stats.weight(), "used");
                    cb.call(stats.capacity(), "capacity");
                }).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return out.toByteArray();
    }
}
