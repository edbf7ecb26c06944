package dev.mortar.metastore.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JDBC database behind the catalog: a connection pool, the versioned schema (applied at start,
 * never recreated) and the transaction boundary every API call runs in.
 */
public final class CatalogDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogDatabase.class);
    private static final int MAX_ATTEMPTS = 5;

    private final HikariDataSource dataSource;
    /** Autocommit connections for calls that only read: no commit round trip after each call. */
    private final HikariDataSource readDataSource;
    /** Separate from the main pool so that id allocation never waits on a connection held by its caller. */
    private final HikariDataSource sequenceDataSource;
    private final Dialect dialect;
    /** Embedded H2 without a WRITE_DELAY of its own in the URL: each commit written to the file before it returns. */
    private final boolean writesEachCommit;
    private final java.util.Map<String, long[]> idBlocks = new java.util.HashMap<>();
    /** The transaction this thread is in, so that a call made inside another joins it. */
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    /** How many bodies run joined to this thread's transaction right now. */
    private final ThreadLocal<int[]> joinedBodies = ThreadLocal.withInitial(() -> new int[1]);

    public CatalogDatabase(String url, String user, String password, int maxPoolSize) {
        this.dialect = Dialect.fromJdbcUrl(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        this.writesEachCommit = dialect == Dialect.H2 && !setsWriteDelay(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setAutoCommit(false);
        config.setPoolName("mortar-catalog");
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        if (dialect == Dialect.MYSQL) {
            config.addDataSourceProperty("rewriteBatchedStatements", "true");
            config.addDataSourceProperty("cachePrepStmts", "true");
            // The driver parses each statement's text for its parameters; these keep the parse of longer
            // statements (strings of writes, IN lists) and of more of them per connection.
            config.addDataSourceProperty("prepStmtCacheSize", "250");
            config.addDataSourceProperty("prepStmtCacheSqlLimit", "4096");
            config.addDataSourceProperty("useServerPrepStmts", "false");
            // Session state (autocommit, isolation, read-only) is tracked in the driver rather than asked of the server.
            config.addDataSourceProperty("useLocalSessionState", "true");
            config.addDataSourceProperty("cacheServerConfiguration", "true");
            config.addDataSourceProperty("cacheResultSetMetadata", "true");
            config.addDataSourceProperty("elideSetAutoCommits", "true");
            config.addDataSourceProperty("maintainTimeStats", "false");
            // CatalogStore.execute sends a transaction's writes as one string of statements, one round trip.
            config.addDataSourceProperty("allowMultiQueries", "true");
            // A string of writes may end with its transaction's COMMIT (see commitsWithLastWrites); the
            // driver then sees from the server's status that no transaction is open and sends no commit.
            config.addDataSourceProperty("useLocalTransactionState", "true");
        }
        if (dialect == Dialect.POSTGRES) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        this.dataSource = new HikariDataSource(config);
        HikariConfig sequenceConfig = new HikariConfig();
        config.copyStateTo(sequenceConfig);
        sequenceConfig.setPoolName("mortar-sequences");
        sequenceConfig.setMaximumPoolSize(2);
        sequenceConfig.setMinimumIdle(0);
        HikariConfig readConfig = new HikariConfig();
        config.copyStateTo(readConfig);
        readConfig.setPoolName("mortar-catalog-read");
        readConfig.setAutoCommit(true);
        migrate();
        this.sequenceDataSource = new HikariDataSource(sequenceConfig);
        this.readDataSource = new HikariDataSource(readConfig);
    }

    /** Whether an H2 URL sets WRITE_DELAY itself: then H2's own policy holds (see {@link #writtenToFile}). */
    static boolean setsWriteDelay(String url) {
        for (String setting : url.split(";")) {
            if (setting.trim().toUpperCase(java.util.Locale.ROOT).startsWith("WRITE_DELAY=")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes what was just committed on an embedded H2 store to its file before the call is answered.
     * H2's MVStore keeps committed transactions in memory and writes them from a background thread up
     * to WRITE_DELAY (500 ms) later, so a process killed in that window loses calls it had already
     * acknowledged. Its commit, called here, writes them now, into the operating system's file cache,
     * which a killed process does not take with it (no fsync: see docs/STORES.md on power cuts).
     * WRITE_DELAY=0 would do the same at every commit, but it also stops that background thread, which
     * frees the space of superseded chunks: the file then grew by some 20 KB with every write, without
     * end. H2 has no SQL for this (CHECKPOINT also compacts, inside the call), hence its own API.
     */
    private void writtenToFile(Connection connection) throws SQLException {
        if (writesEachCommit && connection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal session) {
            session.getDatabase().getStore().getMvStore().commit();
        }
    }

    /**
     * The catalog's migration versions that created the control plane's tables (crawlers and crawls, classifiers,
     * crawler folders and logs, the run queue, connections) until those moved to the control plane's own migrations,
     * as its version 0.1 ({@code db/control/V0_1__crawler_tables.sql}, the same DDL). Stores made before the move have
     * them in the catalog's history; this build no longer ships them.
     */
    static final Set<String> CATALOG_VERSIONS_MOVED_TO_CONTROL = Set.of("3", "4", "5", "6", "7");

    /** Versions in the catalog's history, once it is migrated. */
    private Set<String> catalogVersions = Set.of();

    /*
     * Why the move is done this way (docs/STORES.md, "Two migration histories"): Flyway checks what a history holds
     * against the migrations shipped, and a store's history cannot be edited without hand-written SQL on Flyway's own
     * table. So nothing is rewritten. The catalog accepts, as "missing", exactly the versions that moved (any other
     * missing version is still an error); the control plane's migrations create those tables at a version of their
     * own below V1 (whose ALTERs need them), which a store made before the move skips: Flyway's baseline for a
     * control history that does not exist yet, its "ignored" state for one that does (again only that version).
     * Plain CREATE TABLE everywhere: IF NOT EXISTS for indexes is not in MySQL, and would hide a half-made store.
     */
    private void migrate() {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(dialect.migrationPlaceholders())
                .table("m_schema_history")
                .baselineOnMigrate(false)
                // "*:future" is Flyway's default; "versioned:missing" for the versions that moved, checked below
                .ignoreMigrationPatterns("*:future", "versioned:missing")
                .load();
        for (MigrationInfo info : flyway.info().all()) {
            if ((info.getState() == MigrationState.MISSING_SUCCESS || info.getState() == MigrationState.MISSING_FAILED)
                    && !CATALOG_VERSIONS_MOVED_TO_CONTROL.contains(info.getVersion().getVersion())) {
                throw new StoreException("The catalog store's history has migration " + info.getVersion() + " (" + info.getDescription()
                        + "), which this build does not have", null);
            }
        }
        var result = flyway.migrate();
        Set<String> applied = new HashSet<>();
        for (MigrationInfo info : flyway.info().applied()) {
            if (info.getVersion() != null && info.getState().isApplied() && !info.getState().isFailed()) {
                applied.add(info.getVersion().getVersion());
            }
        }
        this.catalogVersions = Set.copyOf(applied);
        LOG.info("Catalog store {} at schema version {} ({} migrations applied)",
                dialect, flyway.info().current() == null ? "?" : flyway.info().current().getVersion(), result.migrationsExecuted);
    }

    /**
     * Applies another component's migrations (its own {@code location}, its own history table) to this database, after
     * the catalog's: the control plane keeps its tables this way. A history table that does not exist yet starts at
     * version 0, so the component's first version runs on a store that already holds the catalog.
     * {@code movedCatalogVersion} is the component's version that creates what {@link #CATALOG_VERSIONS_MOVED_TO_CONTROL}
     * created (empty for a component that took none over): a store whose catalog history has those skips it.
     */
    public void migrate(String location, String historyTable, Optional<String> movedCatalogVersion) {
        boolean madeByCatalog = movedCatalogVersion.isPresent() && catalogVersions.containsAll(CATALOG_VERSIONS_MOVED_TO_CONTROL);
        if (movedCatalogVersion.isPresent() && !madeByCatalog && catalogVersions.stream().anyMatch(CATALOG_VERSIONS_MOVED_TO_CONTROL::contains)) {
            throw new StoreException("The catalog store's history has some of migrations " + new TreeSet<>(CATALOG_VERSIONS_MOVED_TO_CONTROL)
                    + " but not all; this build cannot complete them, as they are no longer the catalog's", null);
        }
        var configuration = Flyway.configure()
                .dataSource(dataSource)
                .locations(location)
                .placeholders(dialect.migrationPlaceholders())
                .table(historyTable)
                .baselineOnMigrate(true)
                // a new history on a store whose catalog made the moved tables starts after the version that makes them
                .baselineVersion(madeByCatalog ? movedCatalogVersion.get() : "0");
        if (madeByCatalog) {
            // an existing history, on such a store, never applied that version: Flyway calls it "ignored"
            configuration.ignoreMigrationPatterns("*:future", "versioned:ignored");
        }
        Flyway flyway = configuration.load();
        for (MigrationInfo info : flyway.info().all()) {
            if (info.getState() == MigrationState.IGNORED && !info.getVersion().getVersion().equals(movedCatalogVersion.orElse(null))) {
                throw new StoreException(historyTable + " has not applied migration " + info.getVersion() + " (" + info.getDescription()
                        + "), which is older than the ones it has", null);
            }
        }
        var result = flyway.migrate();
        LOG.info("{} at schema version {} ({} migrations applied)", historyTable,
                flyway.info().current() == null ? "?" : flyway.info().current().getVersion(), result.migrationsExecuted);
    }

    public Dialect dialect() {
        return dialect;
    }

    @FunctionalInterface
    public interface TransactionBody<T, E extends Exception> {
        T run(Connection connection) throws E, SQLException;
    }

    /**
     * Runs the body as one transaction: committed if it returns, rolled back if it throws.
     * Deadlocks and serialization failures are retried, since the body then saw no effect.
     */
    public <T, E extends Exception> T inTransaction(TransactionBody<T, E> body) throws E {
        Connection joined = current.get();
        if (joined != null) {
            // Part of an enclosing transaction (say, a Glue call made of HMS calls): it commits or rolls back the whole.
            int[] depth = joinedBodies.get();
            depth[0]++;
            try {
                return body.run(joined);
            } catch (SQLException e) {
                throw new StoreException("Catalog store failure: " + e.getMessage(), e);
            } finally {
                depth[0]--;
            }
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                current.set(connection);
                try {
                    T result = body.run(connection);
                    connection.commit();
                    writtenToFile(connection);
                    return result;
                } catch (SQLException e) {
                    rollbackQuietly(connection);
                    if (isRetryable(e) && attempt < MAX_ATTEMPTS) {
                        LOG.debug("Retrying transaction after {}", e.getMessage());
                        continue;
                    }
                    throw new StoreException("Catalog store failure: " + e.getMessage(), e);
                } catch (Exception | Error e) {
                    rollbackQuietly(connection);
                    throw e;
                } finally {
                    current.remove();
                }
            } catch (SQLException e) {
                throw new StoreException("Catalog store unavailable: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Whether the transaction on {@code connection} may end with the last string of writes its body
     * sends, the COMMIT going in the same round trip: on MariaDB/MySQL, for the body of a transaction of
     * its own (not one joined to an enclosing transaction, which commits later). The commit that
     * {@link #inTransaction} makes after the body is then skipped by the driver. A body that asks this
     * must send nothing after those writes.
     */
    public boolean commitsWithLastWrites(Connection connection) {
        return dialect == Dialect.MYSQL && current.get() == connection && joinedBodies.get()[0] == 0;
    }

    /** Whether the calling thread runs inside a transaction (say, a Glue call made of HMS calls) that later calls join. */
    public boolean inTransaction() {
        return current.get() != null;
    }

    /**
     * Runs a body that only reads. Each statement sees what was committed when it began, as it would in
     * a READ COMMITTED transaction, so an autocommit connection gives the same answers without the commit
     * round trip. Inside an enclosing transaction the body joins it.
     */
    public <T, E extends Exception> T read(TransactionBody<T, E> body) throws E {
        Connection joined = current.get();
        try {
            if (joined != null) {
                return body.run(joined);
            }
            try (Connection connection = readDataSource.getConnection()) {
                return body.run(connection);
            }
        } catch (SQLException e) {
            throw new StoreException("Catalog store failure: " + e.getMessage(), e);
        }
    }

    /** Hands out ids from blocks reserved in the database, so concurrent servers never collide. */
    public synchronized long nextId(String sequence, int count) {
        long[] block = idBlocks.computeIfAbsent(sequence, k -> new long[] {0, 0});
        if (block[1] - block[0] < count) {
            int reserve = Math.max(count, 1000);
            block[0] = reserveBlock(sequence, reserve);
            block[1] = block[0] + reserve;
        }
        long first = block[0];
        block[0] += count;
        return first;
    }

    private long reserveBlock(String sequence, int count) {
        try (Connection connection = sequenceDataSource.getConnection()) {
            try {
            try (var update = connection.prepareStatement("UPDATE m_sequences SET next_val = next_val + ? WHERE seq_name = ?")) {
                update.setLong(1, count);
                update.setString(2, sequence);
                update.executeUpdate();
            }
            try (var select = connection.prepareStatement("SELECT next_val FROM m_sequences WHERE seq_name = ?")) {
                select.setString(1, sequence);
                try (var rs = select.executeQuery()) {
                    rs.next();
                    long first = rs.getLong(1) - count;
                    connection.commit();
                    writtenToFile(connection);
                    return first;
                }
            }
            } catch (SQLException e) {
                rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot reserve ids: " + e.getMessage(), e);
        }
    }

    private static boolean isRetryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ("40001".equals(state) || "40P01".equals(state) || sql.getErrorCode() == 1213 || sql.getErrorCode() == 1205) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("Rollback failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        sequenceDataSource.close();
        readDataSource.close();
        dataSource.close();
    }
}
