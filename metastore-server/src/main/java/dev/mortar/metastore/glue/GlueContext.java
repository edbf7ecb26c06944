package dev.mortar.metastore.glue;

import dev.mortar.metastore.hms.HmsContext;
import dev.mortar.metastore.store.CatalogExtras;
import dev.mortar.metastore.store.CatalogStore;
import dev.mortar.metastore.store.CatalogStore.DbRow;
import dev.mortar.metastore.store.CatalogStore.TableRow;
import dev.mortar.metastore.store.StoreException;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.InvalidInputException;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.InvalidPartitionException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.hadoop.hive.metastore.api.UnknownDBException;
import org.apache.hadoop.hive.metastore.api.UnknownPartitionException;
import org.apache.hadoop.hive.metastore.api.UnknownTableException;
import org.apache.thrift.TException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * What the Glue operations share: the HMS interface they write through (so that every write gets the
 * Hive Metastore's validation, normalization, directories and notification events), the store they read
 * from, the Glue-only store, the catalog id they report, and the translation of HMS failures to Glue's
 * error types.
 */
final class GlueContext {
    /** Glue has one catalog per account; it is the HMS catalog {@code hive}. */
    static final String HIVE_CATALOG = HmsContext.DEFAULT_CATALOG;

    final ThriftHiveMetastore.Iface hms;
    final CatalogStore store;
    final CatalogExtras glue = new CatalogExtras();
    final String catalogId;
    /**
     * A Glue write that must be atomic with its HMS write (UpdateTable's compare-and-swap) holds one
     * pooled connection while the HMS call takes another; bounding such writes to half the pool means
     * they can never take every connection and wait on each other.
     */
    private final Semaphore pairedWrites;

    /**
     * Glue writers of one table queue here before they take the table's version row lock, so that
     * within one server they wait in the JVM rather than in the database, whose lock waits time out
     * (H2 after a second). The database lock still orders writers of different servers.
     */
    private final java.util.concurrent.locks.ReentrantLock[] tableLocks = new java.util.concurrent.locks.ReentrantLock[64];

    GlueContext(ThriftHiveMetastore.Iface hms, CatalogStore store, String catalogId, int poolSize) {
        for (int i = 0; i < tableLocks.length; i++) {
            tableLocks[i] = new java.util.concurrent.locks.ReentrantLock(true);
        }
        this.hms = hms;
        this.store = store;
        this.catalogId = catalogId;
        this.pairedWrites = new Semaphore(Math.max(1, poolSize / 2), true);
    }

    @FunctionalInterface
    interface TxBody<T> {
        T run(Connection connection) throws Exception;
    }

    @FunctionalInterface
    interface HmsCall<T> {
        T call() throws TException;
    }

    @FunctionalInterface
    interface HmsVoidCall {
        void call() throws TException;
    }

    /** One store transaction; HMS failures inside it reach the client as Glue errors. */
    <T> T tx(TxBody<T> body) {
        try {
            return store.database().inTransaction(c -> {
                try {
                    return body.run(c);
                } catch (TException e) {
                    throw fromHms(e);
                } catch (SQLException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (StoreException e) {
            throw GlueException.internal(e.getMessage());
        }
    }

    /** A transaction that holds its connection while an HMS call in it takes another (see {@link #pairedWrites}). */
    <T> T pairedTx(TxBody<T> body) {
        try {
            pairedWrites.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GlueException.internal("Interrupted while waiting to write");
        }
        try {
            return tx(body);
        } finally {
            pairedWrites.release();
        }
    }

    /** Runs the body while holding this server's lock for the table's Glue writes. */
    <T> T withTableLock(long tableId, java.util.function.Supplier<T> body) {
        var lock = tableLocks[Math.floorMod(Long.hashCode(tableId), tableLocks.length)];
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    <T> T hms(HmsCall<T> call) {
        try {
            return call.call();
        } catch (TException e) {
            throw fromHms(e);
        }
    }

    void hmsRun(HmsVoidCall call) {
        try {
            call.call();
        } catch (TException e) {
            throw fromHms(e);
        }
    }

    /** The Glue error type of an HMS failure. */
    static GlueException fromHms(TException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof NoSuchObjectException || e instanceof UnknownDBException || e instanceof UnknownTableException || e instanceof UnknownPartitionException) {
            return GlueException.entityNotFound(message);
        }
        if (e instanceof AlreadyExistsException) {
            return GlueException.alreadyExists(message);
        }
        if (e instanceof InvalidObjectException || e instanceof InvalidOperationException || e instanceof InvalidInputException || e instanceof InvalidPartitionException) {
            return GlueException.invalidInput(message);
        }
        if (e instanceof MetaException && !message.startsWith("Catalog store")) {
            // The HMS layer reports most bad input (wrong number of partition values, empty values) as MetaException.
            return GlueException.invalidInput(message);
        }
        return GlueException.internal(message);
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    DbRow requireDatabase(Connection c, String name) throws SQLException {
        return store.getDatabase(c, HIVE_CATALOG, lower(name), false)
                .orElseThrow(() -> GlueException.entityNotFound("Database " + lower(name) + " not found."));
    }

    TableRow requireTable(Connection c, String database, String table) throws SQLException {
        DbRow db = requireDatabase(c, database);
        return store.getTable(c, db.id(), lower(table), false)
                .orElseThrow(() -> GlueException.entityNotFound("Table " + lower(table) + " not found."));
    }

    /** Checks the optional {@code CatalogId} member: any account id names the one catalog. */
    static void catalogId(GlueRequest request) {
        request.string("CatalogId", 1, 255);
    }
}
