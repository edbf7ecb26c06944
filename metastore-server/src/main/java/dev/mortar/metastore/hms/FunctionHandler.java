package dev.mortar.metastore.hms;

import dev.mortar.metastore.store.CatalogStore.DbRow;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.Function;
import org.apache.hadoop.hive.metastore.api.GetAllFunctionsResponse;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.thrift.TException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.mortar.metastore.hms.HmsContext.lower;

/** Permanent user-defined functions. */
public final class FunctionHandler {
    private final HmsContext ctx;

    public FunctionHandler(HmsContext ctx) {
        this.ctx = ctx;
    }

    public void create_function(Function function) throws TException {
        if (function == null || !HmsContext.isValidName(function.getFunctionName())) {
            throw new InvalidObjectException((function == null ? null : function.getFunctionName()) + " is not a valid object name");
        }
        if (function.getClassName() == null || function.getClassName().isBlank()) {
            throw new InvalidObjectException("Function " + function.getFunctionName() + " has no class name");
        }
        Function f = function.deepCopy();
        HmsContext.QualifiedName qn = HmsContext.parseDbName(f.getDbName());
        f.setCatName(f.isSetCatName() ? HmsContext.catalogOrDefault(f.getCatName()) : qn.catalog());
        f.setDbName(qn.name());
        f.setFunctionName(lower(f.getFunctionName()));
        f.setCreateTime(HmsContext.now());
        ctx.tx(c -> {
            DbRow db = ctx.store.getDatabase(c, f.getCatName(), f.getDbName(), false)
                    .orElseThrow(() -> new NoSuchObjectException("The database " + f.getDbName() + " does not exist"));
            if (ctx.store.getFunction(c, db.id(), f.getFunctionName()).isPresent()) {
                throw new AlreadyExistsException("Function " + f.getFunctionName() + " already exists");
            }
            ctx.store.insertFunction(c, db.id(), f);
            ctx.event(c, "CREATE_FUNCTION", f.getCatName(), f.getDbName(), null, Map.of("functionObjJson", HmsContext.thriftJson(f)));
            return null;
        });
    }

    public Function get_function(String dbName, String name) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        return ctx.tx(c -> {
            DbRow db = ctx.requireDatabase(c, qn.catalog(), qn.name(), false);
            // Spark matches "<name> does not exist" in this message.
            return ctx.store.getFunction(c, db.id(), lower(name))
                    .orElseThrow(() -> new NoSuchObjectException("Function @" + qn.catalog() + "#" + qn.name() + "." + lower(name) + " does not exist"));
        });
    }

    public void alter_function(String dbName, String name, Function newFunction) throws TException {
        if (newFunction == null || !HmsContext.isValidName(newFunction.getFunctionName())) {
            throw new InvalidOperationException("Invalid new function definition");
        }
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        ctx.tx(c -> {
            DbRow db = ctx.requireDatabase(c, qn.catalog(), qn.name(), false);
            Function old = ctx.store.getFunction(c, db.id(), lower(name))
                    .orElseThrow(() -> new InvalidOperationException("Function " + qn.name() + "." + lower(name) + " does not exist"));
            Function f = newFunction.deepCopy();
            f.setCatName(qn.catalog());
            f.setDbName(qn.name());
            f.setFunctionName(lower(f.getFunctionName()));
            f.setCreateTime(old.getCreateTime());
            if (!f.getFunctionName().equals(old.getFunctionName()) && ctx.store.getFunction(c, db.id(), f.getFunctionName()).isPresent()) {
                throw new InvalidOperationException("Function " + f.getFunctionName() + " already exists");
            }
            ctx.store.updateFunction(c, db.id(), old.getFunctionName(), f);
            return null;
        });
    }

    public void drop_function(String dbName, String name) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        ctx.tx(c -> {
            DbRow db = ctx.requireDatabase(c, qn.catalog(), qn.name(), false);
            Function f = ctx.store.getFunction(c, db.id(), lower(name))
                    .orElseThrow(() -> new NoSuchObjectException("Function " + qn.name() + "." + lower(name) + " does not exist"));
            ctx.store.deleteFunction(c, db.id(), f.getFunctionName());
            ctx.event(c, "DROP_FUNCTION", qn.catalog(), qn.name(), null, Map.of("functionObjJson", HmsContext.thriftJson(f)));
            return null;
        });
    }

    public List<String> get_functions(String dbName, String pattern) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        NamePattern matcher = NamePattern.of(pattern);
        return ctx.tx(c -> {
            var db = ctx.store.getDatabase(c, qn.catalog(), qn.name(), false);
            if (db.isEmpty()) {
                return List.<String>of();
            }
            List<String> result = new ArrayList<>();
            for (Function f : ctx.store.listFunctions(c, db.get().id())) {
                if (matcher.matches(f.getFunctionName())) {
                    result.add(f.getFunctionName());
                }
            }
            return result;
        });
    }

    public GetAllFunctionsResponse get_all_functions() throws TException {
        GetAllFunctionsResponse response = new GetAllFunctionsResponse();
        response.setFunctions(ctx.tx(ctx.store::listAllFunctions));
        return response;
    }

    static MetaException unsupported(String what) {
        return new MetaException(what + " is not supported by Mortar");
    }
}
