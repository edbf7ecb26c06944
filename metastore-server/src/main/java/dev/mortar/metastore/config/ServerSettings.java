package dev.mortar.metastore.config;

import dev.mortar.gateway.GatewayConfig;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The server's settings, read once and checked at startup ({@link MortarConfig#settings()}).
 *
 * @param dataDir absolute: a relative {@code mortar.data.dir} is the folder the server was started in
 * @param gateway empty when {@code mortar.gateway.enabled=false}
 * @param workerPort the worker protocol's port; empty when crawls run in-process or the port is -1
 * @param crawls who runs crawls and how their leases go
 * @param queryHistorySize how many of the gateway's last statements {@code GET /queries} keeps
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
        Optional<Integer> workerPort,
        CrawlSettings crawls,
        int queryHistorySize,
        Optional<GatewayConfig> gateway) {

    /**
     * Crawl runs: whether only worker processes run them ({@code mortar.crawler.workers=external}), how many workers this
     * server runs otherwise, how long their leases last, and how many expired leases fail a run.
     */
    public record CrawlSettings(boolean external, int embeddedWorkers, int leaseSeconds, int maxAttempts) {}

    /** Where the catalog is kept. */
    public record StoreSettings(String url, String user, String password, int poolSize) {
        /** The URL with any password in it hidden, for logs. */
        public String redactedUrl() {
            return url.replaceAll("password=[^&;]*", "password=***");
        }
    }
}
