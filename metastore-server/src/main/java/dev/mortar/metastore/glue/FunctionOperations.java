package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.glue.HiveShapes.Translated;
import dev.mortar.metastore.store.CatalogExtras;
import dev.mortar.metastore.store.CatalogStore.DbRow;
import org.apache.hadoop.hive.metastore.api.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** User-defined functions: Create/Get/Update/DeleteUserDefinedFunction and GetUserDefinedFunctions. */
final class FunctionOperations {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionOperations.class);

    private final GlueContext ctx;

    FunctionOperations(GlueContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, GlueOperation> operations) {
        operations.put("CreateUserDefinedFunction", this::create);
        operations.put("GetUserDefinedFunction", this::get);
        operations.put("GetUserDefinedFunctions", this::list);
        operations.put("UpdateUserDefinedFunction", this::update);
        operations.put("DeleteUserDefinedFunction", this::delete);
    }

    /**
     * A function's Glue-only fields apply to the function they were written with: a function dropped
     * and created again through the HMS API (a new create time) does not inherit them.
     */
    private ObjectNode extras(Connection c, long dbId, Function f) throws SQLException {
        Optional<ObjectNode> extras = ctx.glue.extras(c, CatalogExtras.FUNCTION, dbId, f.getFunctionName());
        return extras.filter(e -> e.path("CreateTime").asLong(-1) == f.getCreateTime()).orElse(null);
    }

    private void saveExtras(String db, String name, ObjectNode extras) {
        ctx.tx(c -> {
            DbRow row = ctx.requireDatabase(c, db);
            Function stored = ctx.store.getFunction(c, row.id(), GlueContext.lower(name)).orElseThrow();
            extras.put("CreateTime", stored.getCreateTime());
            ctx.glue.putExtras(c, CatalogExtras.FUNCTION, row.id(), stored.getFunctionName(), null, extras.has("Function") ? extras : HiveShapes.JSON.createObjectNode());
            return null;
        });
    }

    private ObjectNode create(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = GlueContext.lower(request.requiredName("DatabaseName"));
        Translated<Function> f = HiveShapes.function(db, request.requiredObject("FunctionInput"), Optional.empty());
        ctx.tx(c -> {
            ctx.requireDatabase(c, db);
            ctx.hmsRun(() -> ctx.hms.create_function(f.hive()));
            saveExtras(db, f.hive().getFunctionName(), f.extras());
            return null;
        });
        LOG.info("Glue: created function {}.{}", db, GlueContext.lower(f.hive().getFunctionName()));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode get(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = request.requiredName("DatabaseName");
        String name = GlueContext.lower(request.requiredName("FunctionName"));
        return ctx.tx(c -> {
            DbRow row = ctx.requireDatabase(c, db);
            Function f = ctx.store.getFunction(c, row.id(), name)
                    .orElseThrow(() -> GlueException.entityNotFound("Cannot find function."));
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            out.set("UserDefinedFunction", HiveShapes.functionJson(f, extras(c, row.id(), f), ctx.catalogId));
            return out;
        });
    }

    private ObjectNode list(GlueRequest request) {
        GlueContext.catalogId(request);
        Optional<String> db = request.name("DatabaseName").map(GlueContext::lower);
        Predicate<String> matches = TableOperations.nameMatcher(request.requiredName("Pattern"));
        Optional<String> type = request.enumValue("FunctionType", List.of("REGULAR_FUNCTION", "AGGREGATE_FUNCTION", "STORED_PROCEDURE"));
        int max = request.integer("MaxResults", 1, 100).orElse(100);
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetUserDefinedFunctions");
        return ctx.tx(c -> {
            List<String> dbNames = db.isPresent() ? List.of(ctx.requireDatabase(c, db.get()).database().getName())
                    : new ArrayList<>(ctx.store.listDatabaseNames(c, GlueContext.HIVE_CATALOG));
            record Entry(String db, long dbId, Function function) {}
            List<Entry> all = new ArrayList<>();
            for (String dbName : dbNames) {
                Optional<DbRow> row = ctx.store.getDatabase(c, GlueContext.HIVE_CATALOG, dbName, false);
                if (row.isPresent()) {
                    for (Function f : ctx.store.listFunctions(c, row.get().id())) {
                        if (matches.test(f.getFunctionName())) {
                            all.add(new Entry(dbName, row.get().id(), f));
                        }
                    }
                }
            }
            all.sort(Comparator.comparing(Entry::db).thenComparing(e -> e.function().getFunctionName()));
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            ArrayNode list = out.putArray("UserDefinedFunctions");
            Entry last = null;
            int count = 0;
            boolean more = false;
            for (Entry e : all) {
                if (token.isPresent()) {
                    List<String> after = token.get().after();
                    int cmp = e.db().compareTo(after.get(0));
                    if (cmp < 0 || (cmp == 0 && e.function().getFunctionName().compareTo(after.get(1)) <= 0)) {
                        continue;
                    }
                }
                ObjectNode json = HiveShapes.functionJson(e.function(), extras(c, e.dbId(), e.function()), ctx.catalogId);
                if (type.isPresent() && !type.get().equals(json.path("FunctionType").asText(null))) {
                    continue;
                }
                if (count == max) {
                    more = true;
                    break;
                }
                list.add(json);
                last = e;
                count++;
            }
            if (more) {
                out.put("NextToken", new PageToken("GetUserDefinedFunctions", List.of(last.db(), last.function().getFunctionName())).encode());
            }
            return out;
        });
    }

    private ObjectNode update(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = GlueContext.lower(request.requiredName("DatabaseName"));
        String name = GlueContext.lower(request.requiredName("FunctionName"));
        Translated<Function> f = HiveShapes.function(db, request.requiredObject("FunctionInput"), Optional.of(name));
        ctx.tx(c -> {
            DbRow row = ctx.requireDatabase(c, db);
            return ctx.store.getFunction(c, row.id(), name)
                    .orElseThrow(() -> GlueException.entityNotFound("Cannot find function."));
        });
        String newName = GlueContext.lower(f.hive().getFunctionName());
        ctx.tx(c -> {
            ctx.hmsRun(() -> ctx.hms.alter_function(db, name, f.hive()));
            if (!newName.equals(name)) {
                ctx.glue.deleteExtras(c, CatalogExtras.FUNCTION, ctx.requireDatabase(c, db).id(), name);
            }
            saveExtras(db, newName, f.extras());
            return null;
        });
        LOG.info("Glue: updated function {}.{}", db, name);
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode delete(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = GlueContext.lower(request.requiredName("DatabaseName"));
        String name = GlueContext.lower(request.requiredName("FunctionName"));
        DbRow row = ctx.tx(c -> ctx.requireDatabase(c, db));
        ctx.tx(c -> {
            ctx.hmsRun(() -> ctx.hms.drop_function(db, name));
            ctx.glue.deleteExtras(c, CatalogExtras.FUNCTION, row.id(), name);
            return null;
        });
        LOG.info("Glue: deleted function {}.{}", db, name);
        return HiveShapes.JSON.createObjectNode();
    }
}
