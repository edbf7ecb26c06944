package dev.mortar.metastore.control.tag;

import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.store.CatalogDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * Tags of control-plane resources and catalog databases ({@code c_tags}): at most 50 a resource, keys of 1 to 128 and
 * values of 0 to 256 characters, keys not starting with {@code aws:}. A resource's tags go with it when it is deleted.
 */
public final class Tags {
    private static final Logger LOG = LoggerFactory.getLogger(Tags.class);
    public static final int MAX_TAGS = 50;

    /** The kinds of resources that carry tags, with the table and column that say whether one exists. */
    public enum Kind {
        JOB("c_jobs", "job_name"), CRAWLER("g_crawlers", "crawler_name"), TRIGGER("c_triggers", "trigger_name"), WORKFLOW("c_workflows", "workflow_name"),
        CONNECTION("g_connections", "connection_name"),
        /**
         * A catalog database, whose tags are kept under its id rather than its name, so that a database dropped through
         * the HMS API and created again starts without tags. Callers check that it exists and use the static methods.
         */
        DATABASE(null, null);

        private final String table;
        private final String column;

        Kind(String table, String column) {
            this.table = table;
            this.column = column;
        }

        /** The ARN resource type: {@code job}, {@code crawler}. */
        public String arnType() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final CatalogDatabase database;

    public Tags(CatalogDatabase database) {
        this.database = database;
    }

    public Map<String, String> get(Kind kind, String name) {
        return database.inTransaction(c -> {
            requireExists(c, kind, name);
            return tags(c, kind, name);
        });
    }

    public void tag(Kind kind, String name, Map<String, String> tags) {
        database.inTransaction(c -> {
            requireExists(c, kind, name);
            set(c, kind, name, tags);
            return null;
        });
        LOG.info("{} {}: tagged {}", kind.arnType(), name, new TreeMap<>(tags).keySet());
    }

    public void untag(Kind kind, String name, List<String> keys) {
        database.inTransaction(c -> {
            requireExists(c, kind, name);
            remove(c, kind, name, keys);
            return null;
        });
        LOG.info("{} {}: untagged {}", kind.arnType(), name, keys);
    }

    /** Adds or replaces tags of the resource, in the caller's transaction. */
    public static void set(Connection c, Kind kind, String name, Map<String, String> tags) throws SQLException {
        check(tags);
        Map<String, String> merged = tags(c, kind, name);
        merged.putAll(tags);
        if (merged.size() > MAX_TAGS) {
            throw new ControlException.InvalidInput("A resource has at most " + MAX_TAGS + " tags; " + name + " would have " + merged.size());
        }
        for (var e : tags.entrySet()) {
            update(c, "DELETE FROM c_tags WHERE resource_kind = ? AND resource_name = ? AND tag_key = ?", kind.name(), name, e.getKey());
            update(c, "INSERT INTO c_tags (resource_kind, resource_name, tag_key, tag_value) VALUES (?, ?, ?, ?)", kind.name(), name, e.getKey(), e.getValue());
        }
    }

    public static Map<String, String> tags(Connection c, Kind kind, String name) throws SQLException {
        Map<String, String> tags = new TreeMap<>();
        query(c, "SELECT tag_key, tag_value FROM c_tags WHERE resource_kind = ? AND resource_name = ?", rs -> tags.put(rs.getString(1), rs.getString(2)),
                kind.name(), name);
        return tags;
    }

    /** Removes the given tag keys of the resource (keys it does not carry are ignored), in the caller's transaction. */
    public static void remove(Connection c, Kind kind, String name, List<String> keys) throws SQLException {
        for (String key : keys) {
            update(c, "DELETE FROM c_tags WHERE resource_kind = ? AND resource_name = ? AND tag_key = ?", kind.name(), name, key);
        }
    }

    /** Gives the resource's tags to its new name, in the caller's transaction (a renamed connection keeps its tags). */
    public static void rename(Connection c, Kind kind, String name, String newName) throws SQLException {
        if (!name.equals(newName)) {
            update(c, "UPDATE c_tags SET resource_name = ? WHERE resource_kind = ? AND resource_name = ?", newName, kind.name(), name);
        }
    }

    /** Removes the resource's tags, in the caller's transaction. */
    public static void delete(Connection c, Kind kind, String name) throws SQLException {
        update(c, "DELETE FROM c_tags WHERE resource_kind = ? AND resource_name = ?", kind.name(), name);
    }

    /** Checks tags as {@link #set} does, before a write that must not happen with bad tags. */
    public static void check(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw new ControlException.InvalidInput("At most " + MAX_TAGS + " tags, not " + tags.size());
        }
        for (var e : tags.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().length() > 128) {
                throw new ControlException.InvalidInput("A tag key is 1 to 128 characters: '" + e.getKey() + "'");
            }
            if (e.getKey().toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw new ControlException.InvalidInput("Tag keys starting with aws: are reserved: " + e.getKey());
            }
            if (e.getValue() == null || e.getValue().length() > 256) {
                throw new ControlException.InvalidInput("The value of tag " + e.getKey() + " is 0 to 256 characters");
            }
        }
    }

    private static void requireExists(Connection c, Kind kind, String name) throws SQLException {
        if (kind.table == null) {
            throw new IllegalArgumentException("The caller checks that a " + kind.arnType() + " exists");
        }
        if (queryOne(c, "SELECT 1 FROM " + kind.table + " WHERE " + kind.column + " = ?", rs -> 1, name).isEmpty()) {
            throw new ControlException.NotFound("No " + kind.arnType() + " named " + name);
        }
    }
}
