package dev.mortar.metastore.control.connection;

import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.tag.Tags;
import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.metastore.store.CatalogStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;

/**
 * Catalog connections ({@code g_connections}, {@code db/control/V0_1__crawler_tables.sql}), which crawlers' JDBC targets read through:
 * each change one transaction and one log line. Passwords are kept as given. A connection's tags follow its renames and
 * go with it when it is deleted.
 */
public final class Connections {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);
    private static final String COLUMNS = "connection_name, connection_type, definition, created_at, updated_at";

    private final CatalogDatabase database;
    private final InstantSource clock;

    public Connections(CatalogDatabase database, InstantSource clock) {
        this.database = database;
        this.clock = clock;
    }

    private <T> T tx(CatalogDatabase.TransactionBody<T, RuntimeException> body) {
        return database.inTransaction(body);
    }

    private static ControlException notFound(String name) {
        return new ControlException.NotFound("Connection not found: " + name);
    }

    private static ControlException exists(String name) {
        return new ControlException.AlreadyExists("Connection already exists: " + name);
    }

    public void create(String name, ConnectionDefinition definition) {
        create(name, definition, Map.of());
    }

    /** Creates a connection with its tags, in one transaction. */
    public void create(String name, ConnectionDefinition definition, Map<String, String> tags) {
        long now = clock.millis();
        tx(c -> {
            if (connection(c, name, false).isPresent()) {
                throw exists(name);
            }
            CatalogStore.update(c, "INSERT INTO g_connections (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)", name, definition.type(),
                    ConnectionDocument.write(definition), now, now);
            // Tags of an earlier connection of this name were removed with it; none are left to inherit.
            Tags.set(c, Tags.Kind.CONNECTION, name, tags);
            return null;
        });
        LOG.info("Connection {}: created ({})", name, definition.type());
    }

    /** Replaces the connection's definition, and its name when {@code newName} differs. */
    public void update(String name, String newName, ConnectionDefinition definition) {
        tx(c -> {
            ConnectionRecord current = connection(c, name, true).orElseThrow(() -> notFound(name));
            if (!newName.equals(name) && connection(c, newName, true).isPresent()) {
                throw exists(newName);
            }
            CatalogStore.update(c, "UPDATE g_connections SET connection_name = ?, connection_type = ?, definition = ?, updated_at = ? WHERE connection_name = ?",
                    newName, definition.type(), ConnectionDocument.write(definition), Math.max(clock.millis(), current.created().toEpochMilli()), name);
            Tags.rename(c, Tags.Kind.CONNECTION, name, newName);
            return null;
        });
        LOG.info("Connection {}: updated{}", name, newName.equals(name) ? "" : " (now " + newName + ")");
    }

    public void delete(String name) {
        tx(c -> {
            connection(c, name, true).orElseThrow(() -> notFound(name));
            CatalogStore.update(c, "DELETE FROM g_connections WHERE connection_name = ?", name);
            Tags.delete(c, Tags.Kind.CONNECTION, name);
            return null;
        });
        LOG.info("Connection {}: deleted", name);
    }

    /** Deletes those of the names that exist, in one transaction; the names deleted. */
    public List<String> deleteAll(List<String> names) {
        List<String> deleted = tx(c -> {
            List<String> done = new ArrayList<>();
            for (String name : names) {
                if (CatalogStore.update(c, "DELETE FROM g_connections WHERE connection_name = ?", name) == 1) {
                    Tags.delete(c, Tags.Kind.CONNECTION, name);
                    done.add(name);
                }
            }
            return done;
        });
        LOG.info("Connections {}: deleted", deleted);
        return deleted;
    }

    public ConnectionRecord get(String name) {
        return tx(c -> connection(c, name, false)).orElseThrow(() -> notFound(name));
    }

    /** The connections after {@code after}, in name order. */
    public List<ConnectionRecord> after(String after) {
        return tx(c -> query(c, "SELECT " + COLUMNS + " FROM g_connections WHERE connection_name > ? ORDER BY connection_name", Connections::row, after));
    }

    /** The connection, for a run that reads through it (in the run's transaction). */
    public static Optional<ConnectionRecord> connection(Connection c, String name, boolean lock) throws SQLException {
        return queryOne(c, "SELECT " + COLUMNS + " FROM g_connections WHERE connection_name = ?" + (lock ? " FOR UPDATE" : ""), Connections::row, name);
    }

    private static ConnectionRecord row(ResultSet rs) throws SQLException {
        return new ConnectionRecord(rs.getString(1), ConnectionDocument.read(rs.getString(2), rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4)),
                Instant.ofEpochMilli(rs.getLong(5)));
    }
}
