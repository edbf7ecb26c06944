package dev.mortar.gateway.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A query ready to run: the connection it runs on, the statement text to execute there, and the
 * engine that prepared it (which describes its columns and errors). Closing it ends the query's use
 * of the connection: {@code release} closes the connection, or gives it back to the engine for the
 * next query when the query ended normally.
 */
public record PreparedQuery(Connection connection, String sql, QueryEngine engine, Release release) implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PreparedQuery.class);

    /** Ends a query's use of its connection; {@code reusable} when the query ran to its end and its statements are closed. */
    @FunctionalInterface
    public interface Release {
        void release(boolean reusable);
    }

    /** A query whose connection is closed with it. */
    public PreparedQuery(Connection connection, String sql, QueryEngine engine) {
        this(connection, sql, engine, reusable -> closeQuietly(connection));
    }

    /** Ends the query; the connection is not reused. */
    @Override
    public void close() {
        release.release(false);
    }

    /** Ends the query; the engine may give the connection to a later query if {@code reusable}. */
    public void close(boolean reusable) {
        release.release(reusable);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing a query's connection: {}", e.getMessage());
        }
    }
}
