package dev.mortar.metastore.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.hive.metastore.api.Table;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * The catalog fields that only the Glue API has (the {@code g_*} tables of {@code V2__glue.sql}): table
 * versions, partition indexes, and the extras of other objects (descriptions and other Glue-only members, kept
 * as one JSON object per object). The Glue API maps them to and from its JSON; this class only stores them.
 * Every method runs inside the caller's transaction.
 */
public final class CatalogExtras {
    private static final int IN_LIST_CHUNK = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Kinds of objects that have extras. */
    public static final String DATABASE = "database";
    public static final String PARTITION = "partition";
    public static final String FUNCTION = "function";
    public static final String TABLE_STATS = "table-stats";
    public static final String PARTITION_STATS = "partition-stats";

    /** One kept version of a table. */
    public record Version(long id, Table table, ObjectNode extras, long updatedAt) {}

    public record PartitionIndex(String name, List<String> keys, long createdAt) {}

    // ---- table versions

    public Optional<Long> currentVersion(Connection c, long tableId, boolean lock) throws SQLException {
        return queryOne(c, "SELECT current_version FROM g_tables WHERE tbl_id = ?" + (lock ? " FOR UPDATE" : ""), rs -> rs.getLong(1), tableId);
    }

    public void insertHead(Connection c, long tableId, long version) throws SQLException {
        update(c, "INSERT INTO g_tables (tbl_id, current_version) VALUES (?, ?)", tableId, version);
    }

    public void setCurrentVersion(Connection c, long tableId, long version) throws SQLException {
        update(c, "UPDATE g_tables SET current_version = ? WHERE tbl_id = ?", version, tableId);
    }

    public void insertVersion(Connection c, long tableId, Version version) throws SQLException {
        update(c, "INSERT INTO g_table_versions (tbl_id, version_id, updated_at, body, extras) VALUES (?, ?, ?, ?, ?)",
                tableId, version.id(), version.updatedAt(), ThriftCodec.encode(version.table()), version.extras() == null ? "{}" : version.extras().toString());
    }

    public Optional<Version> version(Connection c, long tableId, long versionId) throws SQLException {
        return queryOne(c, "SELECT version_id, body, extras, updated_at FROM g_table_versions WHERE tbl_id = ? AND version_id = ?",
                CatalogExtras::versionRow, tableId, versionId);
    }

    /** The current versions of these tables, by table id; tables Glue has not versioned yet are absent. */
    public Map<Long, Version> currentVersions(Connection c, Collection<Long> tableIds) throws SQLException {
        Map<Long, Version> result = new HashMap<>();
        List<Long> ids = List.copyOf(tableIds);
        for (int i = 0; i < ids.size(); i += IN_LIST_CHUNK) {
            List<Long> chunk = ids.subList(i, Math.min(ids.size(), i + IN_LIST_CHUNK));
            String in = "?, ".repeat(chunk.size() - 1) + "?";
            try (var ps = CatalogStore.prepare(c,
                    "SELECT v.tbl_id, v.version_id, v.body, v.extras, v.updated_at FROM g_tables t JOIN g_table_versions v"
                            + " ON v.tbl_id = t.tbl_id AND v.version_id = t.current_version WHERE t.tbl_id IN (" + in + ")", chunk.toArray());
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getLong(1), new Version(rs.getLong(2), ThriftCodec.decode(rs.getBytes(3), Table::new), json(rs.getString(4)), rs.getLong(5)));
                }
            }
        }
        return result;
    }

    /** Kept versions, newest first, older than {@code before} when given. */
    public List<Version> versions(Connection c, long tableId, Optional<Long> before, int max) throws SQLException {
        String sql = "SELECT version_id, body, extras, updated_at FROM g_table_versions WHERE tbl_id = ?"
                + (before.isPresent() ? " AND version_id < ?" : "") + " ORDER BY version_id DESC LIMIT " + max;
        return before.isPresent() ? query(c, sql, CatalogExtras::versionRow, tableId, before.get()) : query(c, sql, CatalogExtras::versionRow, tableId);
    }

    public int deleteVersion(Connection c, long tableId, long versionId) throws SQLException {
        return update(c, "DELETE FROM g_table_versions WHERE tbl_id = ? AND version_id = ?", tableId, versionId);
    }

    /** Everything Glue keeps about a dropped table: versions, indexes, its partitions' fields and statistics times. */
    public void deleteTable(Connection c, long tableId) throws SQLException {
        update(c, "DELETE FROM g_table_versions WHERE tbl_id = ?", tableId);
        update(c, "DELETE FROM g_tables WHERE tbl_id = ?", tableId);
        update(c, "DELETE FROM g_partition_indexes WHERE tbl_id = ?", tableId);
        update(c, "DELETE FROM g_extras WHERE parent_id = ?", tableId);
        update(c, "DELETE FROM g_extras WHERE obj_kind = ? AND obj_id = ?", TABLE_STATS, tableId);
    }

    private static Version versionRow(ResultSet rs) throws SQLException {
        return new Version(rs.getLong(1), ThriftCodec.decode(rs.getBytes(2), Table::new), json(rs.getString(3)), rs.getLong(4));
    }

    // ---- partition indexes

    public List<PartitionIndex> partitionIndexes(Connection c, long tableId) throws SQLException {
        return query(c, "SELECT index_name, key_names, created_at FROM g_partition_indexes WHERE tbl_id = ? ORDER BY index_name",
                rs -> new PartitionIndex(rs.getString(1), names(rs.getString(2)), rs.getLong(3)), tableId);
    }

    public void insertPartitionIndex(Connection c, long tableId, PartitionIndex index) throws SQLException {
        ArrayNode keys = JSON.createArrayNode();
        index.keys().forEach(keys::add);
        update(c, "INSERT INTO g_partition_indexes (tbl_id, index_name, key_names, created_at) VALUES (?, ?, ?, ?)",
                tableId, index.name(), keys.toString(), index.createdAt());
    }

    public int deletePartitionIndex(Connection c, long tableId, String name) throws SQLException {
        return update(c, "DELETE FROM g_partition_indexes WHERE tbl_id = ? AND index_name = ?", tableId, name);
    }

    private static List<String> names(String json) {
        List<String> result = new ArrayList<>();
        try {
            JSON.readTree(json).forEach(n -> result.add(n.asText()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored partition index keys are not JSON: " + json, e);
        }
        return result;
    }

    // ---- Glue-only fields of other objects

    public Optional<ObjectNode> extras(Connection c, String kind, long id, String name) throws SQLException {
        return queryOne(c, "SELECT extras FROM g_extras WHERE obj_kind = ? AND obj_id = ? AND obj_name = ?", rs -> json(rs.getString(1)), kind, id, name);
    }

    /** Extras of many objects of one kind named by id alone, by id. */
    public Map<Long, ObjectNode> extras(Connection c, String kind, Collection<Long> ids) throws SQLException {
        Map<Long, ObjectNode> result = new HashMap<>();
        List<Long> list = List.copyOf(ids);
        for (int i = 0; i < list.size(); i += IN_LIST_CHUNK) {
            List<Long> chunk = list.subList(i, Math.min(list.size(), i + IN_LIST_CHUNK));
            List<Object> params = new ArrayList<>();
            params.add(kind);
            params.addAll(chunk);
            for (Object[] row : query(c, "SELECT obj_id, extras FROM g_extras WHERE obj_kind = ? AND obj_name = '' AND obj_id IN (" + "?, ".repeat(chunk.size() - 1) + "?)",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2)}, params.toArray())) {
                result.put((Long) row[0], json((String) row[1]));
            }
        }
        return result;
    }

    /** Extras of many objects of one kind under one id, by name. */
    public Map<String, ObjectNode> extrasByName(Connection c, String kind, long id) throws SQLException {
        Map<String, ObjectNode> result = new HashMap<>();
        for (Object[] row : query(c, "SELECT obj_name, extras FROM g_extras WHERE obj_kind = ? AND obj_id = ?",
                rs -> new Object[] {rs.getString(1), rs.getString(2)}, kind, id)) {
            result.put((String) row[0], json((String) row[1]));
        }
        return result;
    }

    /** Replaces an object's extras; extras without content remove the row. */
    public void putExtras(Connection c, String kind, long id, String name, Long parentId, ObjectNode extras) throws SQLException {
        deleteExtras(c, kind, id, name);
        if (extras != null && hasContent(extras)) {
            // 0 for "no parent": a typed NULL would need per-database handling, and no table has id 0.
            update(c, "INSERT INTO g_extras (obj_kind, obj_id, obj_name, parent_id, extras) VALUES (?, ?, ?, ?, ?)", kind, id, name, parentId == null ? 0L : parentId, extras.toString());
        }
    }

    /** Whether extras hold anything: a member other than an empty object or array. */
    public static boolean hasContent(ObjectNode extras) {
        for (JsonNode value : extras) {
            if (!(value.isObject() || value.isArray()) || !value.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    public void deleteExtras(Connection c, String kind, long id, String name) throws SQLException {
        update(c, "DELETE FROM g_extras WHERE obj_kind = ? AND obj_id = ? AND obj_name = ?", kind, id, name);
    }

    public void deleteAllExtras(Connection c, String kind, long id) throws SQLException {
        update(c, "DELETE FROM g_extras WHERE obj_kind = ? AND obj_id = ?", kind, id);
    }

    private static ObjectNode json(String text) {
        if (text == null || text.isEmpty()) {
            return JSON.createObjectNode();
        }
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("Stored Glue fields are not a JSON object: " + text, e);
        }
    }
}
