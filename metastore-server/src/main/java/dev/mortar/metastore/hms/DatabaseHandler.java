package dev.mortar.metastore.hms;

import dev.mortar.metastore.store.CatalogStore.DbRow;
import dev.mortar.metastore.store.CatalogStore.TableRow;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.AlterCatalogRequest;
import org.apache.hadoop.hive.metastore.api.AlterDatabaseRequest;
import org.apache.hadoop.hive.metastore.api.Catalog;
import org.apache.hadoop.hive.metastore.api.CreateCatalogRequest;
import org.apache.hadoop.hive.metastore.api.CreateDatabaseRequest;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.DropCatalogRequest;
import org.apache.hadoop.hive.metastore.api.DropDatabaseRequest;
import org.apache.hadoop.hive.metastore.api.GetCatalogRequest;
import org.apache.hadoop.hive.metastore.api.GetCatalogResponse;
import org.apache.hadoop.hive.metastore.api.GetCatalogsResponse;
import org.apache.hadoop.hive.metastore.api.GetDatabaseRequest;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.PrincipalType;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.mortar.metastore.hms.HmsContext.lower;

/** Catalogs and databases. */
public final class DatabaseHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseHandler.class);

    private final HmsContext ctx;
    private final TableHandler tables;

    public DatabaseHandler(HmsContext ctx, TableHandler tables) {
        this.ctx = ctx;
        this.tables = tables;
    }

    /** Creates catalog {@code hive} and database {@code default} on first start, as the Hive Metastore does. */
    public void ensureDefaults() throws TException {
        ctx.tx(c -> {
            if (ctx.store.getCatalog(c, HmsContext.DEFAULT_CATALOG).isEmpty()) {
                Catalog catalog = new Catalog(HmsContext.DEFAULT_CATALOG, ctx.warehouse.root().toString());
                catalog.setDescription("Default catalog, for Hive");
                catalog.setCreateTime(HmsContext.now());
                ctx.store.insertCatalog(c, catalog);
            }
            if (ctx.store.getDatabase(c, HmsContext.DEFAULT_CATALOG, HmsContext.DEFAULT_DATABASE, false).isEmpty()) {
                Database db = new Database(HmsContext.DEFAULT_DATABASE, "Default Hive database", ctx.warehouse.root().toString(), new HashMap<>());
                db.setOwnerName("public");
                db.setOwnerType(PrincipalType.ROLE);
                db.setCatalogName(HmsContext.DEFAULT_CATALOG);
                db.setCreateTime(HmsContext.now());
                ctx.store.insertDatabase(c, db);
                ctx.warehouse.mkdirs(db.getLocationUri());
                LOG.info("Created database default at {}", db.getLocationUri());
            }
            return null;
        });
    }

    // ---- catalogs

    public void create_catalog(CreateCatalogRequest request) throws TException {
        Catalog catalog = request.getCatalog();
        if (catalog == null || !HmsContext.isValidName(catalog.getName())) {
            throw new InvalidObjectException((catalog == null ? null : catalog.getName()) + " is not a valid catalog name");
        }
        if (catalog.getLocationUri() == null || catalog.getLocationUri().isBlank()) {
            throw new InvalidObjectException("Catalog " + catalog.getName() + " needs a location");
        }
        // The location as given (the Hive Metastore keeps it so); the databases' locations under it are qualified.
        Catalog stored = catalog.deepCopy();
        stored.setName(lower(catalog.getName()));
        stored.setCreateTime(HmsContext.now());
        String location = ctx.warehouse.qualify(catalog.getLocationUri());
        ctx.tx(c -> {
            if (ctx.store.getCatalog(c, stored.getName()).isPresent()) {
                throw new AlreadyExistsException("Catalog " + stored.getName() + " already exists");
            }
            ctx.store.insertCatalog(c, stored);
            ctx.event(c, "CREATE_CATALOG", stored.getName(), null, null, Map.of("catalog", stored.getName()));
            // Every catalog has its database "default", at the catalog's location, as in the Hive Metastore.
            Database db = new Database(HmsContext.DEFAULT_DATABASE, "Default database for catalog " + stored.getName(), location, new HashMap<>());
            db.setOwnerName("public");
            db.setOwnerType(PrincipalType.ROLE);
            db.setCatalogName(stored.getName());
            db.setCreateTime(HmsContext.now());
            ctx.store.insertDatabase(c, db);
            ctx.event(c, "CREATE_DATABASE", db.getCatalogName(), db.getName(), null, Map.of("dbObjJson", HmsContext.thriftJson(db)));
            return null;
        });
        ctx.warehouse.mkdirs(location);
    }

    public GetCatalogResponse get_catalog(GetCatalogRequest request) throws TException {
        String name = lower(request.getName());
        return ctx.read(c -> new GetCatalogResponse(ctx.store.getCatalog(c, name)
                .orElseThrow(() -> new NoSuchObjectException("No catalog " + name))));
    }

    public GetCatalogsResponse get_catalogs() throws TException {
        return ctx.read(c -> new GetCatalogsResponse(ctx.store.listCatalogNames(c)));
    }

    public void alter_catalog(AlterCatalogRequest request) throws TException {
        String name = lower(request.getName());
        ctx.tx(c -> {
            Catalog old = ctx.store.getCatalog(c, name).orElseThrow(() -> new NoSuchObjectException("No catalog " + name));
            Catalog updated = request.getNewCat().deepCopy();
            if (updated.getName() != null && !lower(updated.getName()).equals(name)) {
                throw new InvalidOperationException("Renaming catalogs is not supported");
            }
            updated.setName(name);
            updated.setCreateTime(old.getCreateTime());
            if (updated.getLocationUri() == null) {
                updated.setLocationUri(old.getLocationUri());
            }
            ctx.store.updateCatalog(c, updated);
            ctx.event(c, "ALTER_CATALOG", name, null, null, Map.of("catalog", name));
            return null;
        });
    }

    public void drop_catalog(DropCatalogRequest request) throws TException {
        String name = lower(request.getName());
        if (HmsContext.DEFAULT_CATALOG.equals(name)) {
            throw new MetaException("Can not drop " + name + " catalog");
        }
        String defaultLocation = ctx.tx(c -> {
            if (ctx.store.getCatalog(c, name).isEmpty()) {
                throw new NoSuchObjectException("No catalog " + name);
            }
            String location = null;
            List<String> databases = ctx.store.listDatabaseNames(c, name);
            if (databases.size() == 1 && databases.get(0).equals(HmsContext.DEFAULT_DATABASE)) {
                // Only its database "default": dropped with the catalog if it is empty (its folder stays).
                DbRow db = ctx.store.getDatabase(c, name, HmsContext.DEFAULT_DATABASE, true).orElseThrow();
                if (!ctx.store.listTables(c, db.id()).isEmpty() || !ctx.store.listFunctions(c, db.id()).isEmpty()) {
                    throw new InvalidOperationException("There are still objects in the default database for catalog " + name);
                }
                ctx.store.deleteDatabase(c, db.id());
                ctx.event(c, "DROP_DATABASE", name, HmsContext.DEFAULT_DATABASE, null, Map.of("dbObjJson", HmsContext.thriftJson(db.database())));
                location = db.database().getLocationUri();
            } else if (!databases.isEmpty()) {
                throw new InvalidOperationException("Cannot drop catalog " + name + " because it is not empty: it contains databases");
            }
            ctx.store.deleteCatalog(c, name);
            ctx.event(c, "DROP_CATALOG", name, null, null, Map.of("catalog", name));
            return location;
        });
        if (defaultLocation != null) {
            deleteIfEmpty(defaultLocation);
        }
    }

    /** The folder of a dropped catalog's default database goes with it, as in the Hive Metastore, unless something is left in it. */
    private void deleteIfEmpty(String location) {
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
            org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(ctx.warehouse.conf());
            if (fs.exists(path) && fs.getFileStatus(path).isDirectory() && !fs.listStatusIterator(path).hasNext()) {
                fs.delete(path, false);
            }
        } catch (java.io.IOException e) {
            LOG.warn("Could not delete the folder {} of a dropped catalog: {}", location, e.getMessage());
        }
    }

    // ---- databases

    public void create_database(Database database) throws TException {
        if (database == null || !HmsContext.isValidName(database.getName())) {
            throw new InvalidObjectException((database == null ? null : database.getName()) + " is not a valid database name");
        }
        Database db = database.deepCopy();
        db.setName(lower(db.getName()));
        db.setCatalogName(HmsContext.catalogOrDefault(db.getCatalogName()));
        db.setCreateTime(HmsContext.now());
        if (db.getParameters() == null) {
            db.setParameters(new HashMap<>());
        }
        if (db.getOwnerName() != null && db.getOwnerType() == null) {
            // As the Hive Metastore stores it; Trino fails on a database owner without a type.
            db.setOwnerType(PrincipalType.USER);
        }
        String location = ctx.tx(c -> {
            Catalog catalog = ctx.store.getCatalog(c, db.getCatalogName())
                    .orElseThrow(() -> new InvalidObjectException("No such catalog " + db.getCatalogName()));
            if (ctx.store.getDatabase(c, db.getCatalogName(), db.getName(), false).isPresent()) {
                throw new AlreadyExistsException("Database " + db.getName() + " already exists");
            }
            if (db.getLocationUri() == null || db.getLocationUri().isBlank()) {
                String root = HmsContext.DEFAULT_CATALOG.equals(db.getCatalogName()) ? null : catalog.getLocationUri();
                db.setLocationUri(ctx.warehouse.qualify(ctx.warehouse.databasePath(root, db.getName()).toString()));
            } else {
                db.setLocationUri(ctx.warehouse.qualify(db.getLocationUri()));
            }
            if (db.getManagedLocationUri() != null && !db.getManagedLocationUri().isBlank()) {
                db.setManagedLocationUri(ctx.warehouse.qualify(db.getManagedLocationUri()));
            }
            ctx.store.insertDatabase(c, db);
            ctx.event(c, "CREATE_DATABASE", db.getCatalogName(), db.getName(), null, Map.of("dbObjJson", HmsContext.thriftJson(db)));
            return db.getLocationUri();
        });
        ctx.warehouse.mkdirs(location);
        LOG.info("Created database {}.{} at {}", db.getCatalogName(), db.getName(), location);
    }

    public void create_database_req(CreateDatabaseRequest request) throws TException {
        Database db = new Database(request.getDatabaseName(), request.getDescription(), request.getLocationUri(), request.getParameters());
        if (request.isSetPrivileges()) {
            db.setPrivileges(request.getPrivileges());
        }
        if (request.isSetOwnerName()) {
            db.setOwnerName(request.getOwnerName());
        }
        if (request.isSetOwnerType()) {
            db.setOwnerType(request.getOwnerType());
        }
        db.setCatalogName(request.getCatalogName());
        if (request.isSetManagedLocationUri()) {
            db.setManagedLocationUri(request.getManagedLocationUri());
        }
        if (request.isSetType()) {
            db.setType(request.getType());
        }
        if (request.isSetDataConnectorName()) {
            db.setConnector_name(request.getDataConnectorName());
        }
        create_database(db);
    }

    public Database get_database(String name) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(name);
        return ctx.read(c -> ctx.requireDatabase(c, qn.catalog(), qn.name(), false).database());
    }

    public Database get_database_req(GetDatabaseRequest request) throws TException {
        if (request.getName() == null) {
            throw new MetaException("The database name must not be null");
        }
        String catalog = HmsContext.catalogOrDefault(request.getCatalogName());
        String name = lower(request.getName());
        return ctx.read(c -> ctx.requireDatabase(c, catalog, name, false).database());
    }

    public List<String> get_databases(String pattern) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(pattern);
        String catalog = qn.catalog();
        NamePattern matcher = NamePattern.of(pattern != null && pattern.startsWith("@") ? qn.name() : pattern);
        return ctx.read(c -> {
            List<String> result = new ArrayList<>();
            for (String name : ctx.store.listDatabaseNames(c, catalog)) {
                if (matcher.matches(name)) {
                    result.add(name);
                }
            }
            return result;
        });
    }

    public List<String> get_all_databases() throws TException {
        return ctx.read(c -> ctx.store.listDatabaseNames(c, HmsContext.DEFAULT_CATALOG));
    }

    public void alter_database(String dbName, Database newDb) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        alterDatabase(qn.catalog(), qn.name(), newDb);
    }

    public void alter_database_req(AlterDatabaseRequest request) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(request.getOldDbName());
        String catalog = request.getNewDb() != null && request.getNewDb().isSetCatalogName()
                ? HmsContext.catalogOrDefault(request.getNewDb().getCatalogName()) : qn.catalog();
        alterDatabase(catalog, qn.name(), request.getNewDb());
    }

    private void alterDatabase(String catalog, String name, Database newDb) throws TException {
        if (newDb == null) {
            throw new MetaException("alter_database needs the new database definition");
        }
        boolean hiveAnswers = ctx.hiveAnswers();
        ctx.tx(c -> {
            DbRow row = ctx.requireDatabase(c, catalog, name, true);
            Database old = row.database();
            Database updated = old.deepCopy();
            if (hiveAnswers) {
                // As the Hive Metastore: the name in the new definition is ignored, parameters and owner are replaced
                // (left out: none), the owner type, description and locations change when given.
                updated.setParameters(newDb.getParameters() == null ? new HashMap<>() : newDb.getParameters());
                updated.setOwnerName(newDb.getOwnerName());
                if (newDb.getOwnerType() != null) {
                    updated.setOwnerType(newDb.getOwnerType());
                }
                if (newDb.getDescription() != null && !newDb.getDescription().isBlank()) {
                    updated.setDescription(newDb.getDescription());
                }
                if (newDb.getLocationUri() != null && !newDb.getLocationUri().isBlank()) {
                    updated.setLocationUri(ctx.warehouse.qualify(newDb.getLocationUri()));
                }
                if (newDb.getManagedLocationUri() != null && !newDb.getManagedLocationUri().isBlank()) {
                    updated.setManagedLocationUri(ctx.warehouse.qualify(newDb.getManagedLocationUri()));
                }
                ctx.store.updateDatabase(c, row.id(), updated);
                ctx.event(c, "ALTER_DATABASE", catalog, name, null,
                        Map.of("dbObjBeforeJson", HmsContext.thriftJson(old), "dbObjAfterJson", HmsContext.thriftJson(updated)));
                return null;
            }
            if (newDb.getName() != null && !lower(newDb.getName()).equals(old.getName())) {
                // Trino's ALTER SCHEMA ... RENAME sends exactly this: it must fail, not do nothing.
                throw new InvalidOperationException("Renaming databases is not supported");
            }
            if (newDb.isSetDescription()) {
                updated.setDescription(newDb.getDescription());
            }
            if (newDb.isSetLocationUri() && !newDb.getLocationUri().isBlank()) {
                updated.setLocationUri(ctx.warehouse.qualify(newDb.getLocationUri()));
            }
            if (newDb.isSetManagedLocationUri()) {
                updated.setManagedLocationUri(ctx.warehouse.qualify(newDb.getManagedLocationUri()));
            }
            if (newDb.isSetParameters()) {
                updated.setParameters(newDb.getParameters());
            }
            if (newDb.isSetOwnerName()) {
                updated.setOwnerName(newDb.getOwnerName());
            }
            if (newDb.isSetOwnerType()) {
                updated.setOwnerType(newDb.getOwnerType());
            }
            if (newDb.isSetPrivileges()) {
                updated.setPrivileges(newDb.getPrivileges());
            }
            ctx.store.updateDatabase(c, row.id(), updated);
            ctx.event(c, "ALTER_DATABASE", catalog, name, null,
                    Map.of("dbObjBeforeJson", HmsContext.thriftJson(old), "dbObjAfterJson", HmsContext.thriftJson(updated)));
            return null;
        });
    }

    public void drop_database(String name, boolean deleteData, boolean cascade) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(name);
        dropDatabase(qn.catalog(), qn.name(), deleteData, cascade, false);
    }

    public void drop_database_req(DropDatabaseRequest request) throws TException {
        if (request.getName() == null) {
            throw new MetaException("The database name must not be null");
        }
        dropDatabase(HmsContext.catalogOrDefault(request.getCatalogName()), lower(request.getName()),
                request.isDeleteData(), request.isCascade(), request.isIgnoreUnknownDb());
    }

    private void dropDatabase(String catalog, String name, boolean deleteData, boolean cascade, boolean ignoreUnknown) throws TException {
        if (HmsContext.DEFAULT_DATABASE.equals(name) && HmsContext.DEFAULT_CATALOG.equals(catalog)) {
            throw new MetaException("Can not drop default database in catalog " + catalog);
        }
        List<TableHandler.DataDeletion> dataToDelete = new ArrayList<>();
        Boolean dropped = ctx.tx(c -> {
            var found = ctx.store.getDatabase(c, catalog, name, true);
            if (found.isEmpty()) {
                if (ignoreUnknown) {
                    return false;
                }
                throw new NoSuchObjectException("There is no database " + catalog + "." + name);
            }
            DbRow db = found.get();
            List<TableRow> dbTables = ctx.store.listTables(c, db.id());
            if (!cascade && !dbTables.isEmpty()) {
                throw new InvalidOperationException("Database " + name + " is not empty. One or more tables exist.");
            }
            if (!cascade && !ctx.store.listFunctions(c, db.id()).isEmpty()) {
                throw new InvalidOperationException("Database " + name + " is not empty. One or more functions exist.");
            }
            if (deleteData && ctx.behaviour.storageChecks()) {
                checkWritable(db.database(), dbTables);
            }
            // Foreign keys (of any database's tables) that reference this database's tables go first, as in the Hive Metastore.
            for (TableRow table : dbTables) {
                tables.dropKeysReferencing(c, table);
            }
            for (TableRow table : dbTables) {
                dataToDelete.addAll(tables.dropTableInTransaction(c, catalog, table, deleteData));
            }
            ctx.store.deleteDatabase(c, db.id());
            ctx.event(c, "DROP_DATABASE", catalog, name, null, Map.of("dbObjJson", HmsContext.thriftJson(db.database())));
            if (deleteData) {
                String owner = db.database().getOwnerName();
                dataToDelete.add(new TableHandler.DataDeletion(db.database().getLocationUri(), false, owner));
                if (db.database().getManagedLocationUri() != null) {
                    dataToDelete.add(new TableHandler.DataDeletion(db.database().getManagedLocationUri(), false, owner));
                }
            }
            return true;
        });
        if (dropped) {
            for (TableHandler.DataDeletion d : dataToDelete) {
                ctx.warehouse.deleteData(d.location(), d.purge(), d.owner());
            }
            LOG.info("Dropped database {}.{} (cascade={}, deleteData={})", catalog, name, cascade, deleteData);
        }
    }

    /**
     * As Hive's {@code metastore.authorization.storage.checks} before a drop that deletes data: the folders that hold the
     * database's locations, and those of its managed tables outside them, must be writable by the server's user.
     */
    private void checkWritable(Database db, List<TableRow> dbTables) throws MetaException {
        for (String location : java.util.Arrays.asList(db.getLocationUri(), db.getManagedLocationUri())) {
            if (location != null && !ctx.warehouse.isWritable(new org.apache.hadoop.fs.Path(location).getParent())) {
                throw new MetaException("Database not dropped since its warehouse location " + new org.apache.hadoop.fs.Path(location).getParent()
                        + " is not writable by " + dev.mortar.metastore.warehouse.Warehouse.user());
            }
        }
        for (TableRow row : dbTables) {
            Table table = row.table();
            String location = table.getSd() == null ? null : table.getSd().getLocation();
            if (location == null || !TableHandler.dropsDataWithTable(table)
                    || (db.getLocationUri() != null && ctx.warehouse.isSubdirectory(db.getLocationUri(), location))
                    || (db.getManagedLocationUri() != null && ctx.warehouse.isSubdirectory(db.getManagedLocationUri(), location))) {
                continue;
            }
            org.apache.hadoop.fs.Path parent = new org.apache.hadoop.fs.Path(location).getParent();
            if (!ctx.warehouse.isWritable(parent)) {
                throw new MetaException("Database metadata not deleted since table: " + table.getTableName() + " has a parent location " + parent
                        + " which is not writable by " + dev.mortar.metastore.warehouse.Warehouse.user());
            }
        }
    }

    /** Used where a handler needs the database's location or id. */
    DbRow requireDatabase(Connection c, String catalog, String name) throws SQLException, NoSuchObjectException {
        return ctx.requireDatabase(c, catalog, name, false);
    }
}
