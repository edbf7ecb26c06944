package dev.mortar.gateway.engine;

import dev.mortar.gateway.GatewayException;
import dev.mortar.gateway.service.ResultColumn;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

/**
 * Where the gateway's queries run: embedded DuckDB, a Trino cluster, or a choice between them. An
 * engine turns a statement into a ready JDBC statement text on a connection of its own, and says
 * how its result columns and errors look to a HiveServer2 client.
 */
public interface QueryEngine extends AutoCloseable {
    /** The engine's name and version, for GetInfo ({@code DuckDB v1.3.0}, {@code Trino 476}). */
    String version();

    /** The functions a query may call, for GetFunctions. */
    List<FunctionInfo> functions();

    /**
     * Resolves what the statement needs and opens the connection it runs on. The caller closes the
     * result. Fails with a {@link GatewayException} naming the problem.
     */
    PreparedQuery prepare(QueryRequest request);

    /** The HS2 column of result column {@code index} (1-based) of a query this engine prepared. */
    ResultColumn column(ResultSetMetaData meta, int index) throws SQLException;

    /** A failure of this engine's JDBC driver as the SQLSTATE and message the client sees. */
    GatewayException error(SQLException e);

    @Override
    void close();
}
