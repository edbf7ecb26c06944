package dev.mortar.gateway.engine.duckdb;

import dev.mortar.catalog.duckdb.SqlText;
import dev.mortar.gateway.GatewayException;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Locked-down DuckDB databases kept open between queries, one per {@link Definition}: the exact schemas, views and
 * readable files a query resolved to. Starting a DuckDB database costs tens of milliseconds (more than a small query
 * takes), so a query whose definition matches an open database gets a new connection to it instead. The definition is
 * computed for every statement from the catalog and the file listing as they are at that moment, so a changed table,
 * partition or file yields a different definition and a different database: a database is never stale, only unused.
 * A database reads exactly the files its definition allows and its configuration is locked, as a query's own database
 * was; queries are SELECTs and change nothing in it. The least recently used database beyond {@code capacity} is
 * closed (connections still open on it keep it alive until they close).
 */
final class WarmDatabases implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WarmDatabases.class);
    /** Idle connections kept per database: about as many as queries run at once. */
    private static final int IDLE_CONNECTIONS = 8;

    /** One statement that defines part of a database; {@code view} names the catalog view it expands, for errors. */
    record Ddl(String sql, Optional<String> view) {}

    /** Everything that makes up a database: its statements in order and the only files it may read. */
    record Definition(List<Ddl> statements, List<String> allowedPaths) {
        Definition {
            statements = List.copyOf(statements);
            allowedPaths = List.copyOf(allowedPaths);
        }
    }

    /**
     * A connection to a database for one query; {@code reused} when the database was open before this query. A
     * connection whose query ended normally goes back to its database for the next query (a new one costs more than
     * a small query's own work there); queries are SELECTs on a locked configuration, so all a query can leave on a
     * connection is its schema search path, which {@link #searchPath} sets when it differs.
     */
    static final class Lease {
        private final Warm warm;
        private final DuckDBConnection connection;
        private final boolean reused;
        private String searchPath; // as last set on this connection; null when unknown

        private Lease(Warm warm, DuckDBConnection connection, boolean reused, String searchPath) {
            this.warm = warm;
            this.connection = connection;
            this.reused = reused;
            this.searchPath = searchPath;
        }

        Connection connection() {
            return connection;
        }

        boolean reused() {
            return reused;
        }

        /** Sets the connection's schema search path (a quoted list), unless it already is that. */
        void searchPath(String path) throws SQLException {
            if (!path.equals(searchPath)) {
                searchPath = null;
                try (Statement s = connection.createStatement()) {
                    s.execute("SET search_path = " + SqlText.literal(path));
                }
                searchPath = path;
            }
        }

        /** Back to the database's idle connections when {@code reusable} (and the database is still open), else closed. */
        void release(boolean reusable) {
            if (!reusable || searchPath == null || !warm.giveBack(this)) {
                closeQuietly(connection);
            }
        }
    }

    private final Supplier<DuckDBConnection> opener;
    private final int capacity;
    private final LinkedHashMap<Definition, Warm> databases = new LinkedHashMap<>(16, 0.75f, true /* accessOrder */);
    private boolean closed;

    WarmDatabases(Supplier<DuckDBConnection> opener, int capacity) {
        this.opener = opener;
        this.capacity = capacity;
    }

    /** A new connection to the database of {@code definition} (opened and defined now if none is open). */
    Lease connect(Definition definition) {
        Warm warm;
        List<Warm> evicted = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                throw new GatewayException(GatewayException.INTERNAL, "The DuckDB engine is closed");
            }
            warm = databases.computeIfAbsent(definition, Warm::new);
            Iterator<Map.Entry<Definition, Warm>> eldest = databases.entrySet().iterator();
            while (databases.size() > capacity && eldest.hasNext()) {
                Warm candidate = eldest.next().getValue();
                if (candidate != warm) {
                    eldest.remove();
                    evicted.add(candidate);
                }
            }
        }
        evicted.forEach(Warm::close);
        try {
            return warm.connect();
        } catch (RuntimeException e) {
            synchronized (this) {
                databases.remove(definition, warm);
            }
            warm.close();
            throw e;
        }
    }

    synchronized int size() {
        return databases.size();
    }

    @Override
    public void close() {
        List<Warm> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(databases.values());
            databases.clear();
        }
        open.forEach(Warm::close);
    }

    /** One database; defined once, by the first query that needs it, while later ones wait for it. */
    private final class Warm {
        private final Definition definition;
        private DuckDBConnection base; // guarded by this
        private boolean closed;        // guarded by this
        private final java.util.ArrayDeque<Lease> idle = new java.util.ArrayDeque<>(); // guarded by this

        Warm(Definition definition) {
            this.definition = definition;
        }

        synchronized Lease connect() {
            if (closed) {
                throw new GatewayException(GatewayException.INTERNAL, "A DuckDB database was closed while a query started on it");
            }
            try {
                boolean reused = base != null;
                if (!reused) {
                    base = define(opener.get());
                }
                Lease kept = idle.pollFirst();
                if (kept != null) {
                    return new Lease(this, kept.connection, true, kept.searchPath);
                }
                return new Lease(this, (DuckDBConnection) base.duplicate(), reused, null);
            } catch (SQLException e) {
                throw DuckDbErrors.map(e);
            }
        }

        private DuckDBConnection define(DuckDBConnection connection) throws SQLException {
            try (Statement s = connection.createStatement()) {
                // DuckDB may keep file contents between queries, trusting a file whose size and modification time are
                // unchanged; a database that lives across queries must read what the files hold now
                s.execute("SET enable_external_file_cache = false");
                for (Ddl ddl : definition.statements()) {
                    try {
                        s.execute(ddl.sql());
                    } catch (SQLException e) {
                        if (ddl.view().isPresent()) {
                            throw new GatewayException(DuckDbErrors.map(e).sqlState(),
                                    "Cannot expand view " + ddl.view().get() + ": " + DuckDbErrors.message(e), e);
                        }
                        throw e;
                    }
                }
                if (!definition.allowedPaths().isEmpty()) {
                    s.execute("SET allowed_paths = " + SqlText.list(definition.allowedPaths()));
                }
                s.execute("SET enable_external_access = false");
                s.execute("SET lock_configuration = true");
                return connection;
            } catch (SQLException | RuntimeException e) {
                closeQuietly(connection);
                throw e;
            }
        }

        /** Keeps a connection for the next query; false when the database is closed or has enough idle ones. */
        synchronized boolean giveBack(Lease lease) {
            if (closed || idle.size() >= IDLE_CONNECTIONS) {
                return false;
            }
            idle.addFirst(lease);
            return true;
        }

        synchronized void close() {
            closed = true;
            idle.forEach(l -> closeQuietly(l.connection));
            idle.clear();
            if (base != null) {
                closeQuietly(base);
                base = null;
            }
        }
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing a DuckDB connection: {}", e.getMessage());
        }
    }
}
