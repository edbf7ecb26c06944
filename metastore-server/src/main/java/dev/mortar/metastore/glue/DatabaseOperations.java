package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.tag.Tags;
import dev.mortar.metastore.glue.HiveShapes.Translated;
import dev.mortar.metastore.store.CatalogExtras;
import dev.mortar.metastore.store.CatalogStore.DbRow;
import dev.mortar.metastore.store.CatalogStore.TableRow;
import org.apache.hadoop.hive.metastore.api.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** CreateDatabase (with its {@code Tags}), GetDatabase, GetDatabases, UpdateDatabase, DeleteDatabase (with its tags). */
final class DatabaseOperations {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOperations.class);

    private final GlueContext ctx;

    DatabaseOperations(GlueContext ctx) {
        this.ctx = ctx;
    }

    /** The name a database's tags are kept under: its id (see {@link Tags.Kind#DATABASE}). */
    static String tagName(DbRow row) {
        return Long.toString(row.id());
    }

    void register(Map<String, GlueOperation> operations) {
        operations.put("CreateDatabase", this::createDatabase);
        operations.put("GetDatabase", this::getDatabase);
        operations.put("GetDatabases", this::getDatabases);
        operations.put("UpdateDatabase", this::updateDatabase);
        operations.put("DeleteDatabase", this::deleteDatabase);
    }

    private ObjectNode createDatabase(GlueRequest request) {
        GlueContext.catalogId(request);
        Translated<Database> db = HiveShapes.database(request.requiredObject("DatabaseInput"));
        Map<String, String> tags = request.stringMap("Tags", 1, 128, 0, 256).orElse(Map.of());
        // Checked before the database is created, so that bad tags create nothing.
        Tags.check(tags);
        String name = GlueContext.lower(db.hive().getName());
        ctx.tx(c -> {
            ctx.hmsRun(() -> ctx.hms.create_database(db.hive()));
            DbRow row = ctx.requireDatabase(c, name);
            ctx.glue.putExtras(c, CatalogExtras.DATABASE, row.id(), "", null, db.extras());
            Tags.set(c, Tags.Kind.DATABASE, tagName(row), tags);
            return null;
        });
        LOG.info("Glue: created database {}", name);
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode getDatabase(GlueRequest request) {
        GlueContext.catalogId(request);
        String name = request.requiredName("Name");
        return ctx.tx(c -> {
            DbRow row = ctx.requireDatabase(c, name);
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            out.set("Database", HiveShapes.databaseJson(row.database(), ctx.glue.extras(c, CatalogExtras.DATABASE, row.id(), "").orElse(null), ctx.catalogId));
            return out;
        });
    }

    private ObjectNode getDatabases(GlueRequest request) {
        GlueContext.catalogId(request);
        int max = request.integer("MaxResults", 1, 100).orElse(100);
        Optional<String> shareType = request.enumValue("ResourceShareType", List.of("FOREIGN", "ALL", "FEDERATED"));
        List<String> attributes = request.strings("AttributesToGet", 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE).orElse(List.of());
        for (String a : attributes) {
            if (!a.equals("NAME") && !a.equals("TARGET_DATABASE")) {
                throw GlueException.validation("Value '" + attributes + "' at 'attributesToGet' failed to satisfy constraint: Member must satisfy enum value set: [NAME, TARGET_DATABASE]");
            }
        }
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetDatabases");
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("DatabaseList");
        if (shareType.isPresent() && !shareType.get().equals("ALL")) {
            // No database is shared from another account or federated from another catalog.
            return out;
        }
        return ctx.tx(c -> {
            List<String> names = new ArrayList<>(ctx.store.listDatabaseNames(c, GlueContext.HIVE_CATALOG));
            names.sort(null);
            String after = token.map(t -> t.after().get(0)).orElse(null);
            List<String> page = new ArrayList<>();
            for (String n : names) {
                if (after == null || n.compareTo(after) > 0) {
                    page.add(n);
                }
                if (page.size() > max) {
                    break;
                }
            }
            boolean more = page.size() > max;
            if (more) {
                page = page.subList(0, max);
            }
            for (String n : page) {
                Optional<DbRow> row = ctx.store.getDatabase(c, GlueContext.HIVE_CATALOG, n, false);
                if (row.isEmpty()) {
                    continue;
                }
                ObjectNode db = HiveShapes.databaseJson(row.get().database(), ctx.glue.extras(c, CatalogExtras.DATABASE, row.get().id(), "").orElse(null), ctx.catalogId);
                if (!attributes.isEmpty()) {
                    ObjectNode projected = HiveShapes.JSON.createObjectNode();
                    projected.set("Name", db.get("Name"));
                    if (attributes.contains("TARGET_DATABASE") && db.has("TargetDatabase")) {
                        projected.set("TargetDatabase", db.get("TargetDatabase"));
                    }
                    db = projected;
                }
                list.add(db);
            }
            if (more) {
                out.put("NextToken", new PageToken("GetDatabases", List.of(page.get(page.size() - 1))).encode());
            }
            return out;
        });
    }

    private ObjectNode updateDatabase(GlueRequest request) {
        GlueContext.catalogId(request);
        String name = GlueContext.lower(request.requiredName("Name"));
        Translated<Database> input = HiveShapes.database(request.requiredObject("DatabaseInput"));
        if (!GlueContext.lower(input.hive().getName()).equals(name)) {
            throw GlueException.invalidInput("Renaming a database is not supported: DatabaseInput.Name '" + input.hive().getName() + "' differs from Name '" + name + "'");
        }
        DbRow row = ctx.tx(c -> ctx.requireDatabase(c, name));
        // UpdateDatabase replaces the definition: what the input leaves out is cleared, except the
        // location, which a Hive database always has.
        Database updated = input.hive();
        updated.setName(name);
        if (updated.getDescription() == null) {
            updated.setDescription("");
        }
        if (updated.getParameters() == null) {
            updated.setParameters(new HashMap<>());
        }
        ctx.tx(c -> {
            ctx.hmsRun(() -> ctx.hms.alter_database(name, updated));
            ctx.glue.putExtras(c, CatalogExtras.DATABASE, row.id(), "", null, input.extras());
            return null;
        });
        LOG.info("Glue: updated database {}", name);
        return HiveShapes.JSON.createObjectNode();
    }

    /** As the service: the database goes with its tables, their partitions and versions, and its functions; data files stay. */
    private ObjectNode deleteDatabase(GlueRequest request) {
        GlueContext.catalogId(request);
        String name = GlueContext.lower(request.requiredName("Name"));
        DbRow row = ctx.tx(c -> ctx.requireDatabase(c, name));
        List<Long> tableIds = ctx.tx(c -> ctx.store.listTables(c, row.id()).stream().map(TableRow::id).toList());
        ctx.tx(c -> {
            ctx.hmsRun(() -> ctx.hms.drop_database(name, false /* deleteData */, true /* cascade */));
            for (long id : tableIds) {
                ctx.glue.deleteTable(c, id);
            }
            ctx.glue.deleteExtras(c, CatalogExtras.DATABASE, row.id(), "");
            ctx.glue.deleteAllExtras(c, CatalogExtras.FUNCTION, row.id());
            Tags.delete(c, Tags.Kind.DATABASE, tagName(row));
            return null;
        });
        LOG.info("Glue: deleted database {} with {} tables", name, tableIds.size());
        return HiveShapes.JSON.createObjectNode();
    }
}
