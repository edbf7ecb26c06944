package dev.mortar.metastore.config;

import dev.mortar.gateway.GatewayConfig;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The server's settings, read once and checked at startup ({@link MortarConfig#settings()}).
 *
 * @param dataDir absolute: a relative {@code mortar.data.dir} is the folder the server was started in
 * @param gateway empty when {@code mortar.gateway.enabled=false}
 * @param workerPort the worker protocol's port; empty when crawls and job runs run in-process or the port is -1
 * @param crawls who runs crawls and how their leases go
 * @param jobs who runs job runs and with what
 * @param queryHistorySize how many of the gateway's last statements {@code GET /queries} keeps
 * @param hms where the HMS Thrift API answers as engines need or as the Hive Metastore does, and whether drops check storage permissions
 */
public record ServerSettings(
        String bindHost,
        int thriftPort,
        int httpPort,
        Path dataDir,
        String warehouseDir,
        String externalWarehouseDir,
        StoreSettings store,
        int maxThriftConnections,
        int maxMessageSize,
        int shutdownGraceSeconds,
        int partitionCacheSize,
        HmsBehaviour hms,
        Optional<Integer> workerPort,
        CrawlSettings crawls,
        JobSettings jobs,
        int queryHistorySize,
        Optional<GatewayConfig> gateway,
        SchedulerSettings scheduler) {

    /**
     * Which answer the HMS Thrift API gives where Hive's own metastore tests and what Trino, Spark and Iceberg need disagree
     * ({@code mortar.hms.compatibility}; docs/HMS-COMPATIBILITY.md lists each case).
     */
    public enum HmsCompatibility {
        /** What the engines need: a rename that cannot happen fails, bad input is named by what is wrong with it. */
        ENGINES,
        /** Exactly the Hive Metastore's answers, for Hive's own tests and clients written against them. */
        HIVE
    }

    /**
     * How the HMS Thrift API behaves: its answers where Hive and the engines disagree, and whether dropping managed data first
     * checks that the server may write the folder it is in ({@code mortar.authorization.storage.checks}, Hive's
     * {@code metastore.authorization.storage.checks}).
     */
    public record HmsBehaviour(HmsCompatibility compatibility, boolean storageChecks) {
        public boolean hiveAnswers() {
            return compatibility == HmsCompatibility.HIVE;
        }
    }

    /**
     * The scheduler: whether this server takes part in it ({@code mortar.scheduler.enabled}; one server among those on a
     * store leads at a time), the shortest interval a schedule may have, whether a tick missed while no scheduler ran
     * runs once late ({@code mortar.scheduler.catchup}), how long the leader lease lasts, and the longest sleep between passes.
     */
    public record SchedulerSettings(boolean enabled, int minIntervalMinutes, boolean catchUp, int leaseSeconds, int pollMillis) {}

    /**
     * Crawl runs: whether only worker processes run them ({@code mortar.crawler.workers=external}), how many workers this
     * server runs otherwise, how long their leases last, and how many expired leases fail a run.
     */
    public record CrawlSettings(boolean external, int embeddedWorkers, int leaseSeconds, int maxAttempts) {}

    /**
     * Job runs: whether only worker processes run them ({@code mortar.jobs.workers=external}), how many this server runs
     * at once otherwise (0: none; other servers on the store run them), how long its workers' leases last, the Python of Python shell jobs, the DuckDB engine's memory and threads per run, the region scripts'
     * AWS clients are given, and where runs keep their local files.
     */
    public record JobSettings(boolean external, int embeddedWorkers, int leaseSeconds, String python, String duckDbMemoryLimit, int duckDbThreads, String region,
                              Path workDir) {}

    /** Where the catalog is kept. */
    public record StoreSettings(String url, String user, String password, int poolSize) {
        /** The URL with any password in it hidden, for logs. */
        public String redactedUrl() {
            return url.replaceAll("password=[^&;]*", "password=***");
        }
    }
}
