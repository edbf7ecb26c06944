package dev.mortar.gateway;

import java.nio.file.Path;

/**
 * The gateway's settings; {@code conf/mortar.properties} documents each {@code mortar.gateway.*} key.
 *
 * @param port binary TCLIService port (SASL PLAIN and no-SASL clients alike); 0 picks a free port, -1 disables
 * @param httpPort HTTP transport port; 0 picks a free port, -1 disables
 * @param users {@code name:sha256:<hex>,...}; empty accepts any user name
 * @param queryTimeoutSeconds the longest a query may run; 0 is no limit (a client's own timeout still applies)
 * @param engine {@code duckdb}, {@code trino} or {@code auto} (DuckDB, and Trino for tables DuckDB cannot read)
 * @param trinoUrl the Trino coordinator ({@code http://host:8080}); empty when there is none
 * @param trinoCatalog the Trino catalog that points at this metastore
 */
public record GatewayConfig(
        String bindHost,
        int port,
        int httpPort,
        String httpPath,
        String users,
        int maxOperations,
        int maxOperationsPerSession,
        long queryTimeoutSeconds,
        int defaultFetchRows,
        int maxFetchRows,
        long sessionIdleTimeoutSeconds,
        int maxMessageSize,
        String duckDbMemoryLimit,
        int duckDbThreads,
        Path tempDirectory,
        String engine,
        String trinoUrl,
        String trinoUser,
        String trinoCatalog) {

    public GatewayConfig {
        if (maxOperations < 1 || maxOperationsPerSession < 1) {
            throw new IllegalArgumentException("mortar.gateway.max.operations and mortar.gateway.max.operations.per.session must be at least 1");
        }
        if (defaultFetchRows < 1 || maxFetchRows < 1) {
            throw new IllegalArgumentException("mortar.gateway.fetch.default.rows and mortar.gateway.fetch.max.rows must be at least 1");
        }
        httpPath = httpPath.startsWith("/") ? httpPath : "/" + httpPath;
        engine = engine == null || engine.isBlank() ? "duckdb" : engine.strip();
        trinoUrl = trinoUrl == null ? "" : trinoUrl.strip();
    }
}
