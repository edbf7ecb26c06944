package dev.mortar.gateway.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A query ready to run: the connection it runs on, the statement text to execute there, and the
 * engine that prepared it (which describes its columns and errors). Closing it closes the connection.
 */
public record PreparedQuery(Connection connection, String sql, QueryEngine engine) implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PreparedQuery.class);

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing a query's connection: {}", e.getMessage());
        }
    }
}
