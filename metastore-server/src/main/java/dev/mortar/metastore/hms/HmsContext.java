package dev.mortar.metastore.hms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.config.MortarConfig;
import dev.mortar.metastore.config.ServerSettings;
import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.metastore.store.CatalogStore;
import dev.mortar.metastore.store.CatalogStore.DbRow;
import dev.mortar.metastore.store.CatalogStore.TableRow;
import dev.mortar.metastore.store.PartitionCache;
import dev.mortar.metastore.store.StoreException;
import dev.mortar.metastore.warehouse.Warehouse;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TJSONProtocol;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** What every HMS handler shares: the store, the warehouse, settings, names and the event log. */
public final class HmsContext {
    public static final String DEFAULT_CATALOG = "hive";
    public static final String DEFAULT_DATABASE = "default";
    /** Hive's letters, digits and underscores, and the hyphens the Glue Data Catalog takes (`my-database`.`my-table`). */
    private static final Pattern VALID_NAME = Pattern.compile("[\\w-]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    public final CatalogStore store;
    public final Warehouse warehouse;
    public final MortarConfig config;
    public final PartitionCache partitionCache;
    public final ServerSettings.HmsBehaviour behaviour;

    public HmsContext(CatalogStore store, Warehouse warehouse, MortarConfig config) {
        this.store = store;
        this.warehouse = warehouse;
        this.config = config;
        this.partitionCache = store.partitionCache();
        this.behaviour = config.settings().hms();
    }

    /**
     * Whether this call answers as the Hive Metastore where Hive's tests and the engines disagree
     * ({@code mortar.hms.compatibility=hive}): only for HMS clients, never for a call another API (the Glue
     * API) makes inside its own transaction under its own rules.
     */
    public boolean hiveAnswers() {
        return behaviour.hiveAnswers() && !store.database().inTransaction();
    }

    /** A database name as clients send it: plain, or {@code @catalog#db} with {@code !} for "none". */
    public record QualifiedName(String catalog, String name) {}

    public static QualifiedName parseDbName(String dbName) throws MetaException {
        if (dbName == null) {
            return new QualifiedName(DEFAULT_CATALOG, null);
        }
        if (dbName.startsWith("@")) {
            int hash = dbName.indexOf('#');
            if (hash < 0) {
                throw new MetaException("Malformed catalog-qualified database name " + dbName);
            }
            String catalog = lower(dbName.substring(1, hash));
            String db = dbName.substring(hash + 1);
            return new QualifiedName(catalog, db.isEmpty() || db.equals("!") ? null : lower(db));
        }
        return new QualifiedName(DEFAULT_CATALOG, lower(dbName));
    }

    public static String catalogOrDefault(String catalog) {
        return catalog == null || catalog.isBlank() ? DEFAULT_CATALOG : lower(catalog);
    }

    public static String lower(String name) {
        return name == null ? null : name.toLowerCase(Locale.ROOT);
    }

    /** Letters, digits, underscores and hyphens, at most 128 characters (the longest database name the store keeps). */
    public static boolean isValidName(String name) {
        return name != null && !name.isEmpty() && name.length() <= 128 && VALID_NAME.matcher(name).matches();
    }

    public static int now() {
        return (int) (System.currentTimeMillis() / 1000);
    }

    @FunctionalInterface
    public interface TxBody<T> {
        T run(Connection connection) throws TException, SQLException;
    }

    /** Runs the body as one transaction; store failures reach the client as MetaException. */
    public <T> T tx(TxBody<T> body) throws TException {
        try {
            return store.database().inTransaction(body::run);
        } catch (StoreException e) {
            throw new MetaException(e.getMessage());
        }
    }

    /** Runs a body that only reads (see {@link CatalogDatabase#read}); store failures reach the client as MetaException. */
    public <T> T read(TxBody<T> body) throws TException {
        try {
            return store.database().read(body::run);
        } catch (StoreException e) {
            throw new MetaException(e.getMessage());
        }
    }

    public DbRow requireDatabase(Connection c, String catalog, String db, boolean lock) throws SQLException, NoSuchObjectException {
        if (db == null) {
            throw new NoSuchObjectException("There is no database " + catalog + ".null");
        }
        return store.getDatabase(c, catalog, lower(db), lock)
                .orElseThrow(() -> new NoSuchObjectException("There is no database " + catalog + "." + lower(db)));
    }

    public Optional<TableRow> findTable(Connection c, String catalog, String db, String table, boolean lock) throws SQLException {
        if (!lock) {
            return db == null || table == null ? Optional.empty() : store.getTable(c, catalog, lower(db), lower(table));
        }
        Optional<DbRow> dbRow = store.getDatabase(c, catalog, lower(db), false);
        if (dbRow.isEmpty() || table == null) {
            return Optional.empty();
        }
        return store.getTable(c, dbRow.get().id(), lower(table), lock);
    }

    public TableRow requireTable(Connection c, String catalog, String db, String table, boolean lock) throws SQLException, NoSuchObjectException {
        return findTable(c, catalog, db, table, lock)
                .orElseThrow(() -> new NoSuchObjectException(catalog + "." + lower(db) + "." + lower(table) + " table not found"));
    }

    // ---- notification log

    /** Appends a DDL event, in the caller's transaction, in the Hive JSON message format. */
    public void event(Connection c, String type, String catalog, String db, String table, Map<String, Object> fields) throws SQLException {
        store.execute(c, eventWrites(type, catalog, db, table, fields));
    }

    /** The writes of {@link #event}, to send with the call's other writes in one round trip. */
    public List<CatalogStore.Write> eventWrites(String type, String catalog, String db, String table, Map<String, Object> fields) {
        ObjectNode message = JSON.createObjectNode();
        message.put("server", "");
        message.put("servicePrincipal", "");
        if (db != null) {
            message.put("db", db);
        }
        if (table != null) {
            message.put("table", table);
        }
        message.put("timestamp", now());
        // Strings (most fields, and the largest: the objects' JSON) directly, without a trip through the mapper.
        fields.forEach((key, value) -> {
            if (value instanceof String text) {
                message.put(key, text);
            } else {
                message.set(key, JSON.valueToTree(value));
            }
        });
        return store.eventAppend(now(), type, catalog, db, table, message.toString());
    }

    public static String thriftJson(TBase<?, ?> object) {
        try {
            return new TSerializer(new TJSONProtocol.Factory()).toString(object);
        } catch (TException e) {
            throw new IllegalStateException(e);
        }
    }
}
