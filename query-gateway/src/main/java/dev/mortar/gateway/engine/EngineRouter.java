package dev.mortar.gateway.engine;

import dev.mortar.gateway.GatewayException;
import dev.mortar.gateway.service.ResultColumn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the engine of each query when both DuckDB and Trino are configured. The session setting
 * {@value #SESSION_KEY} ({@code SET mortar.gateway.engine=trino}, or {@code ?mortar.gateway.engine=trino}
 * in the JDBC URL) overrides the server's {@code mortar.gateway.engine}. With {@code auto}, a query
 * runs on DuckDB unless it reads a table DuckDB cannot (ORC, Avro, an unknown SerDe, a location that
 * is not {@code file:}); then it goes to Trino whole.
 */
public final class EngineRouter implements QueryEngine {
    private static final Logger LOG = LoggerFactory.getLogger(EngineRouter.class);
    public static final String SESSION_KEY = "mortar.gateway.engine";

    public enum Choice {
        DUCKDB, TRINO, AUTO;

        public static Choice parse(String value, String where) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " must be duckdb, trino or auto, not '" + value + "'");
            }
        }
    }

    private final QueryEngine duckDb;
    private final Optional<QueryEngine> trino;
    private final Choice defaultChoice;

    public EngineRouter(QueryEngine duckDb, Optional<QueryEngine> trino, Choice defaultChoice) {
        if (defaultChoice != Choice.DUCKDB && trino.isEmpty()) {
            throw new IllegalArgumentException("mortar.gateway.engine=" + defaultChoice.name().toLowerCase(Locale.ROOT)
                    + " needs mortar.gateway.trino.url");
        }
        this.duckDb = duckDb;
        this.trino = trino;
        this.defaultChoice = defaultChoice;
    }

    /** The engine most queries run on: DuckDB for {@code duckdb} and {@code auto}, Trino for {@code trino}. */
    private QueryEngine primary() {
        return defaultChoice == Choice.TRINO ? trino.orElseThrow() : duckDb;
    }

    @Override
    public String version() {
        return trino.isPresent() ? duckDb.version() + ", " + trino.get().version() : duckDb.version();
    }

    @Override
    public List<FunctionInfo> functions() {
        return primary().functions();
    }

    @Override
    public PreparedQuery prepare(QueryRequest request) {
        Choice choice = choice(request);
        return switch (choice) {
            case DUCKDB -> duckDb.prepare(request);
            case TRINO -> trino().prepare(request);
            case AUTO -> {
                try {
                    yield duckDb.prepare(request);
                } catch (UnreadableTableException e) {
                    if (trino.isEmpty()) {
                        throw e;
                    }
                    request.log().accept(e.getMessage() + ": running the query on Trino");
                    LOG.debug("Routing to Trino: {}", e.getMessage());
                    yield trino.get().prepare(request);
                }
            }
        };
    }

    private QueryEngine trino() {
        return trino.orElseThrow(() -> new GatewayException(GatewayException.NOT_SUPPORTED,
                "No Trino engine is configured (mortar.gateway.trino.url)"));
    }

    private Choice choice(QueryRequest request) {
        String value = request.settings().get(SESSION_KEY);
        if (value == null || value.isBlank()) {
            return defaultChoice;
        }
        try {
            return Choice.parse(value, SESSION_KEY);
        } catch (IllegalArgumentException e) {
            throw new GatewayException(GatewayException.DATA_EXCEPTION, e.getMessage());
        }
    }

    @Override
    public ResultColumn column(ResultSetMetaData meta, int index) throws SQLException {
        throw new IllegalStateException("Columns are described by the engine that prepared the query");
    }

    @Override
    public GatewayException error(SQLException e) {
        throw new IllegalStateException("Errors are mapped by the engine that prepared the query", e);
    }

    @Override
    public void close() {
        duckDb.close();
        trino.ifPresent(QueryEngine::close);
    }
}
