package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.store.CatalogExtras.Version;
import dev.mortar.metastore.store.CatalogStore.TableRow;
import dev.mortar.metastore.store.StoreException;
import org.apache.hadoop.hive.metastore.api.Table;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Glue's table versions over a catalog that the HMS API writes too. A table's current version is the
 * newest kept version whose Hive object equals the live table. When the live table differs — it was
 * created or changed through the HMS API since — the next Glue read or write records it as a new
 * version first. So every state a Glue client can see has its own version id, and UpdateTable's
 * compare-and-swap on {@code VersionId} also fails when the table changed through the other API.
 */
final class TableVersions {
    private final GlueContext ctx;

    TableVersions(GlueContext ctx) {
        this.ctx = ctx;
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** The current version of one table, recording the live table as a new version if needed. */
    Version current(TableRow row) {
        Version known = ctx.tx(c -> ctx.glue.currentVersions(c, List.of(row.id())).get(row.id()));
        if (known != null && known.table().equals(row.table())) {
            return known;
        }
        return record(row.id());
    }

    /** Current versions of many tables (a listing), by table id, in the order given. */
    Map<Long, Version> current(Collection<TableRow> rows) {
        List<Long> ids = rows.stream().map(TableRow::id).toList();
        Map<Long, Version> known = ids.isEmpty() ? Map.of() : ctx.tx(c -> ctx.glue.currentVersions(c, ids));
        Map<Long, Version> result = new LinkedHashMap<>();
        for (TableRow row : rows) {
            Version v = known.get(row.id());
            result.put(row.id(), v != null && v.table().equals(row.table()) ? v : record(row.id()));
        }
        return result;
    }

    /**
     * Makes the live table the current version: version 0 for a table Glue has not seen, the next
     * version when the live table differs from the current one. Runs under the lock on the table's
     * version row, as Glue writes do.
     */
    Version record(long tableId) {
        ensureVersioned(tableId);
        return ctx.withTableLock(tableId, () -> ctx.tx(c -> {
            long head = ctx.glue.currentVersion(c, tableId, true)
                    .orElseThrow(() -> GlueException.entityNotFound("Table with id " + tableId + " not found."));
            Table live = ctx.store.getTableById(c, tableId).map(TableRow::table)
                    .orElseThrow(() -> GlueException.entityNotFound("Table with id " + tableId + " not found."));
            Version current = ctx.glue.version(c, tableId, head).orElse(null);
            if (current != null && current.table().equals(live)) {
                return current;
            }
            Version next = new Version(head + 1, live, current == null ? HiveShapes.JSON.createObjectNode() : current.extras(), now());
            ctx.glue.insertVersion(c, tableId, next);
            ctx.glue.setCurrentVersion(c, tableId, next.id());
            return next;
        }));
    }

    /** Gives a table its version row (version 0, the live table) unless it has one; racing callers all succeed. */
    void ensureVersioned(long tableId) {
        try {
            ctx.store.database().inTransaction(c -> {
                if (ctx.glue.currentVersion(c, tableId, false).isPresent()) {
                    return null;
                }
                Table live = ctx.store.getTableById(c, tableId).map(TableRow::table)
                        .orElseThrow(() -> GlueException.entityNotFound("Table with id " + tableId + " not found."));
                ctx.glue.insertVersion(c, tableId, new Version(0, live, HiveShapes.JSON.createObjectNode(), now()));
                ctx.glue.insertHead(c, tableId, 0);
                return null;
            });
        } catch (StoreException e) {
            if (!e.isDuplicateKey()) {
                throw GlueException.internal(e.getMessage());
            }
        }
    }

    /** Sets the Glue-only fields of the current version (right after a create, which has no earlier version). */
    void setCurrentExtras(long tableId, ObjectNode extras) {
        ensureVersioned(tableId);
        ctx.withTableLock(tableId, () -> ctx.tx(c -> {
            long head = ctx.glue.currentVersion(c, tableId, true).orElseThrow();
            Version current = ctx.glue.version(c, tableId, head).orElseThrow();
            ctx.glue.deleteVersion(c, tableId, head);
            ctx.glue.insertVersion(c, tableId, new Version(head, current.table(), extras, current.updatedAt()));
            return null;
        }));
    }

    /** All kept versions, newest first. */
    List<Version> list(long tableId, java.util.Optional<Long> before, int max) {
        return ctx.tx(c -> new ArrayList<>(ctx.glue.versions(c, tableId, before, max)));
    }
}
