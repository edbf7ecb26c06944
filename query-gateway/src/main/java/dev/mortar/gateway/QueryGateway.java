package dev.mortar.gateway;

import dev.mortar.catalog.Catalog;
import dev.mortar.gateway.engine.EngineRouter;
import dev.mortar.gateway.engine.QueryEngine;
import dev.mortar.gateway.engine.duckdb.DuckDbEngine;
import dev.mortar.gateway.engine.trino.TrinoEngine;
import dev.mortar.gateway.service.GatewayService;
import dev.mortar.gateway.transport.BinaryTransport;
import dev.mortar.gateway.transport.HttpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/**
 * The HiveServer2-protocol gateway: SQL over catalog tables, run on embedded DuckDB or a Trino cluster, served over the
 * binary (SASL PLAIN or noSasl) and HTTP transports of TCLIService.
 */
public final class QueryGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryGateway.class);

    private final GatewayService service;
    private final BinaryTransport binary;
    private final HttpTransport http;

    public QueryGateway(GatewayConfig config, Catalog catalog) throws IOException {
        this(config, catalog, dev.mortar.gateway.service.QueryListener.NONE);
    }

    /** A gateway that tells {@code listener} of every statement that ended (metrics, history). */
    public QueryGateway(GatewayConfig config, Catalog catalog, dev.mortar.gateway.service.QueryListener listener) throws IOException {
        QueryEngine engine = engine(config, catalog);
        this.service = new GatewayService(config, catalog, engine, listener);
        try {
            this.binary = config.port() >= 0 ? new BinaryTransport(service, config.bindHost(), config.port(), config.maxMessageSize()) : null;
            this.http = config.httpPort() >= 0
                    ? new HttpTransport(service, config.bindHost(), config.httpPort(), config.httpPath(), config.maxMessageSize()) : null;
        } catch (IOException e) {
            service.close();
            throw e;
        }
    }

    private static QueryEngine engine(GatewayConfig config, Catalog catalog) {
        EngineRouter.Choice choice = EngineRouter.Choice.parse(config.engine(), "mortar.gateway.engine");
        QueryEngine duckDb = new DuckDbEngine(catalog, config.duckDbMemoryLimit(), config.duckDbThreads(), config.tempDirectory());
        Optional<QueryEngine> trino = config.trinoUrl().isEmpty()
                ? Optional.empty()
                : Optional.of(new TrinoEngine(config.trinoUrl(), config.trinoUser(), config.trinoCatalog()));
        QueryEngine engine = new EngineRouter(duckDb, trino, choice);
        LOG.info("Query gateway engine: {}{}", choice.name().toLowerCase(java.util.Locale.ROOT),
                trino.isPresent() ? " (Trino at " + config.trinoUrl() + ", catalog " + config.trinoCatalog() + ")" : "");
        return engine;
    }

    public QueryGateway start() {
        if (binary != null) {
            binary.start();
        }
        if (http != null) {
            http.start();
        }
        return this;
    }

    /** The binary port, or -1 when disabled. */
    public int port() {
        return binary == null ? -1 : binary.port();
    }

    /** The HTTP port, or -1 when disabled. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    @Override
    public void close() {
        if (binary != null) {
            binary.close();
        }
        if (http != null) {
            http.close();
        }
        service.close();
        LOG.info("Query gateway stopped");
    }
}
