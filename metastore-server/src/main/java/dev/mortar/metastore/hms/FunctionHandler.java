package dev.mortar.metastore.hms;

import dev.mortar.metastore.store.CatalogStore.DbRow;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.Function;
import org.apache.hadoop.hive.metastore.api.GetAllFunctionsResponse;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
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
        // As in the Hive Metastore, where a missing function, name, database or function type fails as a MetaException.
        if (function == null) {
            throw new MetaException("Function cannot be null");
        }
        if (function.getFunctionName() == null || function.getDbName() == null) {
            throw new MetaException("The database and function name of a function cannot be null");
        }
        if (!HmsContext.isValidName(function.getFunctionName())) {
            throw new InvalidObjectException(function.getFunctionName() + " is not a valid object name");
        }
        if (function.getClassName() == null || function.getClassName().isBlank()) {
            throw new InvalidObjectException("Function " + function.getFunctionName() + " has no class name");
        }
        if (function.getFunctionType() == null) {
            throw new MetaException("Function " + function.getFunctionName() + " has no function type");
        }
        Function f = function.deepCopy();
        HmsContext.QualifiedName qn = HmsContext.parseDbName(f.getDbName());
        f.setCatName(f.isSetCatName() ? HmsContext.catalogOrDefault(f.getCatName()) : qn.catalog());
        f.setDbName(qn.name());
        f.setFunctionName(lower(f.getFunctionName()));
        f.setCreateTime(HmsContext.now());
        if (!f.isSetResourceUris()) {
            f.setResourceUris(new ArrayList<>());
        }
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
        requireNames(dbName, name);
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        return ctx.tx(c -> {
            DbRow db = ctx.requireDatabase(c, qn.catalog(), qn.name(), false);
            // Spark matches "<name> does not exist" in this message.
            return ctx.store.getFunction(c, db.id(), lower(name))
                    .orElseThrow(() -> new NoSuchObjectException("Function @" + qn.catalog() + "#" + qn.name() + "." + lower(name) + " does not exist"));
        });
    }

    /**
     * Replaces a function's definition, keeping its create time; the new definition may name another
     * database (of the same catalog) and name. Every failure is a MetaException, as in the Hive Metastore.
     */
    public void alter_function(String dbName, String name, Function newFunction) throws TException {
        requireNames(dbName, name);
        if (newFunction == null) {
            throw new MetaException("The new function cannot be null");
        }
        if (!HmsContext.isValidName(newFunction.getFunctionName())) {
            throw new MetaException(newFunction.getFunctionName() + " is not a valid object name");
        }
        if (newFunction.getClassName() == null || newFunction.getClassName().isBlank()) {
            throw new MetaException("Function " + newFunction.getFunctionName() + " has no class name");
        }
        if (newFunction.getDbName() == null) {
            throw new MetaException("Function " + newFunction.getFunctionName() + " has no database");
        }
        if (newFunction.getFunctionType() == null) {
            throw new MetaException("Function " + newFunction.getFunctionName() + " has no function type");
        }
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        HmsContext.QualifiedName newDb = HmsContext.parseDbName(newFunction.getDbName());
        String newCatalog = newFunction.isSetCatName() ? HmsContext.catalogOrDefault(newFunction.getCatName()) : qn.catalog();
        ctx.tx(c -> {
            DbRow db = ctx.store.getDatabase(c, qn.catalog(), qn.name(), false)
                    .orElseThrow(() -> new MetaException("There is no database " + qn.catalog() + "." + qn.name()));
            Function old = ctx.store.getFunction(c, db.id(), lower(name))
                    .orElseThrow(() -> new MetaException("Function " + qn.name() + "." + lower(name) + " does not exist"));
            DbRow target = newDb.name() == null ? null : ctx.store.getDatabase(c, newCatalog, newDb.name(), false).orElse(null);
            if (target == null) {
                throw new MetaException("There is no database " + newCatalog + "." + newDb.name());
            }
            Function f = newFunction.deepCopy();
            f.setCatName(newCatalog);
            f.setDbName(newDb.name());
            f.setFunctionName(lower(f.getFunctionName()));
            f.setCreateTime(old.getCreateTime());
            if (!f.isSetResourceUris()) {
                f.setResourceUris(new ArrayList<>());
            }
            boolean renamed = target.id() != db.id() || !f.getFunctionName().equals(old.getFunctionName());
            if (renamed && ctx.store.getFunction(c, target.id(), f.getFunctionName()).isPresent()) {
                throw new MetaException("Function " + newDb.name() + "." + f.getFunctionName() + " already exists");
            }
            ctx.store.updateFunction(c, db.id(), old.getFunctionName(), target.id(), f);
            return null;
        });
    }

    /** A null database name reaches the server as {@code @cat#!}, the catalog-qualified "none". */
    private static void requireNames(String dbName, String name) throws MetaException {
        if (dbName == null || HmsContext.parseDbName(dbName).name() == null || name == null) {
            throw new MetaException("The database and function name cannot be null");
        }
    }

    public void drop_function(String dbName, String name) throws TException {
        requireNames(dbName, name);
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
        if (qn.name() == null) {
            throw new MetaException("The database name cannot be null");
        }
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
        // The default catalog's functions, as in the Hive Metastore: clients drop what they list by database name alone.
        response.setFunctions(ctx.tx(c -> ctx.store.listAllFunctions(c, HmsContext.DEFAULT_CATALOG)));
        return response;
    }

    static MetaException unsupported(String what) {
        return new MetaException(what + " is not supported by Mortar");
    }
}
