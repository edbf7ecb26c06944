package dev.mortar.metastore.hms;

import dev.mortar.metastore.store.CatalogStore;
import dev.mortar.metastore.store.CatalogStore.DbRow;
import dev.mortar.metastore.store.CatalogStore.PartitionRow;
import dev.mortar.metastore.store.CatalogStore.TableRow;
import dev.mortar.metastore.store.PartitionFilter;
import dev.mortar.metastore.warehouse.Warehouse;
import org.apache.hadoop.hive.metastore.TableType;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.AlterTableRequest;
import org.apache.hadoop.hive.metastore.api.AlterTableResponse;
import org.apache.hadoop.hive.metastore.api.CreateTableRequest;
import org.apache.hadoop.hive.metastore.api.CreationMetadata;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.DropTableRequest;
import org.apache.hadoop.hive.metastore.api.EnvironmentContext;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.GetFieldsRequest;
import org.apache.hadoop.hive.metastore.api.GetFieldsResponse;
import org.apache.hadoop.hive.metastore.api.GetSchemaRequest;
import org.apache.hadoop.hive.metastore.api.GetSchemaResponse;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.GetTableResult;
import org.apache.hadoop.hive.metastore.api.GetTablesRequest;
import org.apache.hadoop.hive.metastore.api.GetTablesResult;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SQLCheckConstraint;
import org.apache.hadoop.hive.metastore.api.SQLDefaultConstraint;
import org.apache.hadoop.hive.metastore.api.SQLForeignKey;
import org.apache.hadoop.hive.metastore.api.SQLNotNullConstraint;
import org.apache.hadoop.hive.metastore.api.SQLPrimaryKey;
import org.apache.hadoop.hive.metastore.api.SQLUniqueConstraint;
import org.apache.hadoop.hive.metastore.api.SourceTable;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.TableMeta;
import org.apache.hadoop.hive.metastore.api.TruncateTableRequest;
import org.apache.hadoop.hive.metastore.api.TruncateTableResponse;
import org.apache.hadoop.hive.metastore.api.UnknownDBException;
import org.apache.hadoop.hive.metastore.api.UnknownTableException;
import org.apache.hadoop.hive.metastore.api.hive_metastoreConstants;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static dev.mortar.metastore.hms.HmsContext.lower;

/** Tables and views: create, read, list, alter (rename included), drop, truncate. */
public final class TableHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TableHandler.class);
    static final String DO_NOT_UPDATE_STATS = "DO_NOT_UPDATE_STATS";

    private final HmsContext ctx;
    private ConstraintHandler constraints;

    public TableHandler(HmsContext ctx) {
        this.ctx = ctx;
    }

    public void setConstraints(ConstraintHandler constraints) {
        this.constraints = constraints;
    }

    /** Data to remove once the transaction that dropped its metadata has committed. */
    public record DataDeletion(String location, boolean purge, String owner) {}

    // ---- create

    public void create_table(Table table) throws TException {
        createTable(table, null, null);
    }

    public void create_table_with_environment_context(Table table, EnvironmentContext context) throws TException {
        createTable(table, context, null);
    }

    public void create_table_with_constraints(Table table, List<SQLPrimaryKey> primaryKeys, List<SQLForeignKey> foreignKeys,
                                              List<SQLUniqueConstraint> uniqueConstraints, List<SQLNotNullConstraint> notNullConstraints,
                                              List<SQLDefaultConstraint> defaultConstraints, List<SQLCheckConstraint> checkConstraints) throws TException {
        CreateTableRequest request = new CreateTableRequest(table);
        request.setPrimaryKeys(primaryKeys);
        request.setForeignKeys(foreignKeys);
        request.setUniqueConstraints(uniqueConstraints);
        request.setNotNullConstraints(notNullConstraints);
        request.setDefaultConstraints(defaultConstraints);
        request.setCheckConstraints(checkConstraints);
        createTable(table, null, request);
    }

    public void create_table_req(CreateTableRequest request) throws TException {
        createTable(request.getTable(), request.getEnvContext(), request);
    }

    private void createTable(Table requested, EnvironmentContext context, CreateTableRequest withConstraints) throws TException {
        if (requested == null) {
            throw new InvalidObjectException("Table definition is missing");
        }
        // A call made inside another API's transaction (the Glue API's) was checked by that API's own rules.
        boolean hmsRules = !ctx.store.database().inTransaction();
        if (ctx.hiveAnswers()) {
            // As the Hive Metastore: a table without a database or name, or a column without a type, is a MetaException.
            requireNamesAndTypes(requested);
        }
        // A missing or invalid name is an InvalidObjectException (the Hive Metastore: MetaException for a null one).
        if (!HmsContext.isValidName(requested.getTableName())) {
            throw new InvalidObjectException(requested.getTableName() + " is not a valid object name");
        }
        if (requested.getDbName() == null) {
            throw new InvalidObjectException("Table " + requested.getTableName() + " has no database name");
        }
        if (hmsRules) {
            requireStorage(requested, "create");
        }
        Table table = requested.deepCopy();
        HmsContext.QualifiedName qn = HmsContext.parseDbName(table.getDbName());
        table.setCatName(table.isSetCatName() ? HmsContext.catalogOrDefault(table.getCatName()) : qn.catalog());
        table.setDbName(qn.name());
        table.setTableName(lower(table.getTableName()));
        validateColumns(table);
        if (hmsRules) {
            String invalid = invalidColumnType(table);
            if (invalid != null) {
                throw new InvalidObjectException("Invalid column type: " + invalid);
            }
            fillDefaults(table);
        }
        if (table.getParameters() == null) {
            table.setParameters(new HashMap<>());
        }
        table.setTableType(effectiveTableType(table));
        boolean isView = isView(table);
        int now = HmsContext.now();
        table.setCreateTime(now);
        table.getParameters().put(hive_metastoreConstants.DDL_TIME, String.valueOf(now));
        if (table.getPartitionKeys() == null) {
            table.setPartitionKeys(new ArrayList<>());
        }
        table.setPartitionKeys(lowerNames(table.getPartitionKeys()));
        if (table.getSd() != null && table.getSd().getCols() != null) {
            table.getSd().setCols(lowerNames(table.getSd().getCols()));
        }
        String location = ctx.tx(c -> {
            DbRow db = ctx.store.getDatabase(c, table.getCatName(), table.getDbName(), false)
                    .orElseThrow(() -> new InvalidObjectException("Database " + table.getDbName() + " doesn't exist."));
            if (ctx.store.getTable(c, db.id(), table.getTableName(), false).isPresent()) {
                throw new AlreadyExistsException("Table " + table.getCatName() + "." + table.getDbName() + "." + table.getTableName() + " already exists");
            }
            String dir = null;
            if (!isView && table.getSd() != null) {
                String given = table.getSd().getLocation();
                if (given != null && !given.isBlank() && isRootPath(given)) {
                    throw new InvalidObjectException(table.getTableName() + " location must not be root path");
                }
                if (given == null || given.isBlank()) {
                    dir = defaultTableLocation(db, table);
                } else if (readThroughConnection(table)) {
                    // a table of a JDBC source is located by its name there (database.schema.table), not by a path
                    table.getSd().setLocation(given);
                } else {
                    dir = ctx.warehouse.qualify(given);
                }
                if (dir != null) {
                    table.getSd().setLocation(dir);
                }
            }
            long id = ctx.store.insertTable(c, db.id(), table);
            if (withConstraints != null) {
                constraints.addAllInTransaction(c, new TableRow(id, db.id(), table), withConstraints);
            }
            ctx.event(c, "CREATE_TABLE", table.getCatName(), table.getDbName(), table.getTableName(),
                    Map.of("tableType", table.getTableType(), "tableObjJson", HmsContext.thriftJson(table), "files", List.of()));
            return dir;
        });
        if (location != null) {
            ctx.warehouse.mkdirs(location);
        }
        LOG.info("Created {} {}.{}.{} at {}", table.getTableType(), table.getCatName(), table.getDbName(), table.getTableName(), location);
    }

    /** A location that is the root of its file system ({@code hdfs://nn:8020}, {@code file:/}), where no table may live. */
    private static boolean isRootPath(String location) {
        try {
            String path = new org.apache.hadoop.fs.Path(location).toUri().getPath();
            return path == null || path.isEmpty() || path.equals("/");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** An external table read through a catalog connection (a crawled JDBC table): its location is no file system path. */
    private static boolean readThroughConnection(Table table) {
        Map<String, String> parameters = table.getParameters();
        return TableType.EXTERNAL_TABLE.name().equals(table.getTableType()) && parameters != null && parameters.get("connectionName") != null
                && List.of("table", "view").contains(parameters.get("typeOfData"));
    }

    private String defaultTableLocation(DbRow db, Table table) {
        Database d = db.database();
        boolean external = TableType.EXTERNAL_TABLE.name().equals(table.getTableType());
        String base = !external && d.getManagedLocationUri() != null && !d.getManagedLocationUri().isBlank()
                ? d.getManagedLocationUri() : d.getLocationUri();
        return new org.apache.hadoop.fs.Path(base, table.getTableName()).toString();
    }

    /**
     * What the Hive Metastore requires of a table definition before anything else: its database and
     * name, and a storage descriptor with columns and a SerDe.
     */
    private static void requireStorage(Table table, String operation) throws MetaException {
        if (table.getTableName() == null || table.getDbName() == null) {
            throw new MetaException("Cannot " + operation + " a table without a database and table name: " + table.getDbName() + "." + table.getTableName());
        }
        StorageDescriptor sd = table.getSd();
        if (sd == null) {
            throw new MetaException("Table " + table.getDbName() + "." + table.getTableName() + " has no storage descriptor");
        }
        if (sd.getCols() == null) {
            throw new MetaException("The storage descriptor of table " + table.getDbName() + "." + table.getTableName() + " has no columns");
        }
        if (sd.getSerdeInfo() == null) {
            throw new MetaException("The storage descriptor of table " + table.getDbName() + "." + table.getTableName() + " has no SerDe info");
        }
    }

    /** What the Hive Metastore answers with a MetaException at create: no database or table name, a column without a type. */
    private static void requireNamesAndTypes(Table table) throws MetaException {
        if (table.getTableName() == null || table.getDbName() == null) {
            throw new MetaException("Cannot create a table without a database and table name: " + table.getDbName() + "." + table.getTableName());
        }
        List<FieldSchema> columns = new ArrayList<>();
        if (table.getSd() != null && table.getSd().getCols() != null) {
            columns.addAll(table.getSd().getCols());
        }
        if (table.getPartitionKeys() != null) {
            columns.addAll(table.getPartitionKeys());
        }
        for (FieldSchema col : columns) {
            if (col != null && col.getType() == null) {
                throw new MetaException("Column " + col.getName() + " of table " + table.getDbName() + "." + table.getTableName() + " has no type");
            }
        }
    }

    /** The empty lists and maps, and the owner type, that the Hive Metastore stores for what a new table leaves unset. */
    private static void fillDefaults(Table table) {
        if (!table.isSetOwnerType()) {
            table.setOwnerType(org.apache.hadoop.hive.metastore.api.PrincipalType.USER);
        }
        StorageDescriptor sd = table.getSd();
        if (sd.getBucketCols() == null) {
            sd.setBucketCols(new ArrayList<>());
        }
        if (sd.getSortCols() == null) {
            sd.setSortCols(new ArrayList<>());
        }
        if (sd.getParameters() == null) {
            sd.setParameters(new HashMap<>());
        }
        if (sd.getSerdeInfo().getParameters() == null) {
            sd.getSerdeInfo().setParameters(new HashMap<>());
        }
        if (sd.getSkewedInfo() == null) {
            sd.setSkewedInfo(new org.apache.hadoop.hive.metastore.api.SkewedInfo(new ArrayList<>(), new ArrayList<>(), new HashMap<>()));
        }
    }

    /**
     * A column whose type does not begin with one of Hive's type names ({@code int}, {@code varchar},
     * {@code array}, ...), as the Hive Metastore checks a type; null when every column's type does.
     */
    private static String invalidColumnType(Table table) {
        List<FieldSchema> columns = new ArrayList<>();
        if (table.getSd() != null && table.getSd().getCols() != null) {
            columns.addAll(table.getSd().getCols());
        }
        if (table.getPartitionKeys() != null) {
            columns.addAll(table.getPartitionKeys());
        }
        for (FieldSchema col : columns) {
            String type = col == null ? null : col.getType();
            if (type == null || type.isEmpty() || "<derived from deserializer>".equals(type)) {
                continue;
            }
            int end = 0;
            while (end < type.length() && (Character.isLetterOrDigit(type.charAt(end)) || type.charAt(end) == '_')) {
                end++;
            }
            if (!org.apache.hadoop.hive.metastore.ColumnType.AllTypes.contains(type.substring(0, end).toLowerCase(java.util.Locale.ROOT))) {
                return col.getName() + " " + type;
            }
        }
        return null;
    }

    private static void validateColumns(Table table) throws InvalidObjectException {
        Set<String> seen = new HashSet<>();
        if (table.getSd() != null && table.getSd().getCols() != null) {
            for (FieldSchema col : table.getSd().getCols()) {
                checkColumn(col, seen);
            }
        }
        if (table.getPartitionKeys() != null) {
            for (FieldSchema key : table.getPartitionKeys()) {
                if (key.getName() != null && seen.contains(lower(key.getName()))) {
                    throw new InvalidObjectException("Partition column name " + key.getName() + " conflicts with table columns.");
                }
                checkColumn(key, seen);
            }
        }
    }

    private static void checkColumn(FieldSchema col, Set<String> seen) throws InvalidObjectException {
        if (col.getName() == null || col.getName().isBlank()) {
            throw new InvalidObjectException("Invalid column name: a column has no name");
        }
        if (col.getType() == null || col.getType().isBlank()) {
            throw new InvalidObjectException("Invalid column type for column " + col.getName());
        }
        if (!seen.add(lower(col.getName()))) {
            throw new InvalidObjectException("Duplicate column name " + col.getName());
        }
    }

    private static List<FieldSchema> lowerNames(List<FieldSchema> fields) {
        List<FieldSchema> result = new ArrayList<>(fields.size());
        for (FieldSchema f : fields) {
            FieldSchema copy = f.deepCopy();
            copy.setName(lower(f.getName()));
            result.add(copy);
        }
        return result;
    }

    /** As the Hive Metastore: {@code EXTERNAL=TRUE} makes a table external, its absence makes it managed. */
    static String effectiveTableType(Table table) {
        String type = table.getTableType() == null ? TableType.MANAGED_TABLE.name() : table.getTableType();
        boolean external = "TRUE".equalsIgnoreCase(table.getParameters() == null ? null : table.getParameters().get("EXTERNAL"));
        if (TableType.MANAGED_TABLE.name().equals(type) && external) {
            return TableType.EXTERNAL_TABLE.name();
        }
        if (TableType.EXTERNAL_TABLE.name().equals(type) && !external) {
            return TableType.MANAGED_TABLE.name();
        }
        return type;
    }

    static boolean isView(Table table) {
        return TableType.VIRTUAL_VIEW.name().equals(table.getTableType());
    }

    /** Whether a table's dropped data skips the trash: {@code auto.purge} or {@code skip.trash}, as in the Hive Metastore. */
    static boolean skipsTrash(Table table) {
        return table.getParameters() != null && ("TRUE".equalsIgnoreCase(table.getParameters().get("auto.purge"))
                || "TRUE".equalsIgnoreCase(table.getParameters().get("skip.trash")));
    }

    /** Whether dropping the table with its data deletes its folder: a managed table's, and a materialized view's, as in the Hive Metastore. */
    static boolean dropsDataWithTable(Table table) {
        return isManaged(table) || (TableType.MATERIALIZED_VIEW.name().equals(table.getTableType())
                && (table.getParameters() == null || !"TRUE".equalsIgnoreCase(table.getParameters().get("EXTERNAL"))));
    }

    static boolean isManaged(Table table) {
        if (TableType.MANAGED_TABLE.name().equals(table.getTableType())) {
            return true;
        }
        return TableType.EXTERNAL_TABLE.name().equals(table.getTableType()) && table.getParameters() != null
                && "TRUE".equalsIgnoreCase(table.getParameters().get("external.table.purge"));
    }

    // ---- read

    public GetTableResult get_table_req(GetTableRequest request) throws TException {
        String catalog = request.isSetCatName() ? HmsContext.catalogOrDefault(request.getCatName()) : HmsContext.parseDbName(request.getDbName()).catalog();
        String db = HmsContext.parseDbName(request.getDbName()).name();
        Table table = getTable(catalog, db, request.getTblName());
        return new GetTableResult(table);
    }

    /** The Hive 3 and older {@code get_table} call. */
    public Table getTable(String catalog, String db, String name) throws TException {
        return ctx.read(c -> ctx.requireTable(c, catalog, db, name, false).table());
    }

    public GetTablesResult get_table_objects_by_name_req(GetTablesRequest request) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(request.getDbName());
        String catalog = request.isSetCatName() ? HmsContext.catalogOrDefault(request.getCatName()) : qn.catalog();
        Optional<TableProjection> projection = TableProjection.of(request.getProjectionSpec());
        List<Table> tables = getTablesByName(catalog, qn.name(), request.getTblNames(), request.getTablesPattern());
        return new GetTablesResult(projection.isEmpty() ? tables : tables.stream().map(projection.get()::apply).toList());
    }

    /**
     * Tables by name, or by a pattern: with a table name pattern (Hive 4 clients' {@code getTables}),
     * the database name is a pattern too and names no database in particular, as in the Hive Metastore.
     */
    public List<Table> getTablesByName(String catalog, String db, List<String> names, String pattern) throws TException {
        if (names == null && pattern != null) {
            return tablesByPattern(catalog, db, pattern);
        }
        if (db == null || db.isEmpty()) {
            throw new UnknownDBException("DB name is null or empty");
        }
        if (names == null) {
            throw new InvalidOperationException(db + " cannot find null tables");
        }
        return ctx.read(c -> {
            DbRow dbRow = ctx.store.getDatabase(c, catalog, db, false)
                    .orElseThrow(() -> new UnknownDBException("Could not find database " + catalog + "." + db));
            Set<String> wanted = new HashSet<>();
            for (String n : names) {
                if (n == null) {
                    throw new InvalidOperationException("A table name in the request is null");
                }
                wanted.add(lower(n));
            }
            return ctx.store.getTables(c, dbRow.id(), wanted).stream().map(TableRow::table).toList();
        });
    }

    /** A missing database lists no tables, a missing catalog is an UnknownDBException, as in the Hive Metastore. */
    private void requireCatalog(Connection c, String catalog) throws SQLException, UnknownDBException {
        if (ctx.store.getCatalog(c, catalog).isEmpty()) {
            throw new UnknownDBException("Could not find catalog " + catalog);
        }
    }

    private List<Table> tablesByPattern(String catalog, String dbPattern, String pattern) throws TException {
        if (dbPattern == null) {
            throw new UnknownDBException("DB name is null or empty");
        }
        NamePattern dbMatcher = NamePattern.of(dbPattern);
        NamePattern matcher = NamePattern.of(pattern);
        return ctx.read(c -> {
            requireCatalog(c, catalog);
            List<Table> result = new ArrayList<>();
            for (String dbName : ctx.store.listDatabaseNames(c, catalog)) {
                if (!dbMatcher.matches(dbName)) {
                    continue;
                }
                Optional<DbRow> dbRow = ctx.store.getDatabase(c, catalog, dbName, false);
                if (dbRow.isPresent()) {
                    ctx.store.listTables(c, dbRow.get().id()).stream()
                            .filter(t -> matcher.matches(t.table().getTableName())).forEach(t -> result.add(t.table()));
                }
            }
            return result;
        });
    }

    public List<String> get_tables(String dbName, String pattern) throws TException {
        return listTableNames(dbName, pattern, null);
    }

    public List<String> get_all_tables(String dbName) throws TException {
        if (dbName == null || HmsContext.parseDbName(dbName).name() == null) {
            throw new MetaException("The database name cannot be null");
        }
        return listTableNames(dbName, null, null);
    }

    /** The materialized views of a database whose rewriting is enabled; none for a database that is not there. */
    public List<String> get_materialized_views_for_rewriting(String dbName) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        return ctx.read(c -> {
            Optional<DbRow> db = ctx.store.getDatabase(c, qn.catalog(), qn.name(), false);
            if (db.isEmpty()) {
                return List.<String>of();
            }
            List<String> result = new ArrayList<>();
            for (TableRow t : ctx.store.listTables(c, db.get().id())) {
                if (TableType.MATERIALIZED_VIEW.name().equals(t.table().getTableType()) && t.table().isRewriteEnabled()) {
                    result.add(t.table().getTableName());
                }
            }
            return result;
        });
    }

    public List<String> get_tables_by_type(String dbName, String pattern, String tableType) throws TException {
        return listTableNames(dbName, pattern, tableType);
    }

    private List<String> listTableNames(String dbName, String pattern, String tableType) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        NamePattern matcher = NamePattern.of(pattern);
        return ctx.read(c -> {
            Optional<DbRow> db = ctx.store.getDatabase(c, qn.catalog(), qn.name(), false);
            if (db.isEmpty()) {
                return List.<String>of();
            }
            List<String> result = new ArrayList<>();
            ctx.store.listTableNamesAndTypes(c, db.get().id()).forEach((name, type) -> {
                if (matcher.matches(name) && (tableType == null || tableType.equalsIgnoreCase(type))) {
                    result.add(name);
                }
            });
            return result;
        });
    }

    public List<TableMeta> get_table_meta(String dbPatterns, String tablePatterns, List<String> tableTypes) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbPatterns);
        // "@cat#" is a null pattern (every database), "@cat#!" an empty one (none), as the Hive client sends them.
        String dbPattern = dbPatterns != null && dbPatterns.startsWith("@") ? dbPatterns.substring(dbPatterns.indexOf('#') + 1) : dbPatterns;
        NamePattern dbMatcher = NamePattern.of(dbPattern == null || dbPattern.isEmpty() ? null : dbPattern.equals("!") ? "" : dbPattern);
        NamePattern tableMatcher = NamePattern.of(tablePatterns);
        Set<String> types = tableTypes == null || tableTypes.isEmpty() ? null : new HashSet<>(tableTypes);
        return ctx.read(c -> {
            List<TableMeta> result = new ArrayList<>();
            for (String dbName : ctx.store.listDatabaseNames(c, qn.catalog())) {
                if (!dbMatcher.matches(dbName)) {
                    continue;
                }
                DbRow db = ctx.store.getDatabase(c, qn.catalog(), dbName, false).orElseThrow();
                for (TableRow row : ctx.store.listTables(c, db.id())) {
                    Table t = row.table();
                    if (tableMatcher.matches(t.getTableName()) && (types == null || types.contains(t.getTableType()))) {
                        TableMeta meta = new TableMeta(dbName, t.getTableName(), t.getTableType());
                        meta.setCatName(qn.catalog());
                        if (t.getParameters() != null && t.getParameters().get("comment") != null) {
                            meta.setComments(t.getParameters().get("comment"));
                        }
                        if (t.getOwner() != null) {
                            meta.setOwnerName(t.getOwner());
                        }
                        if (t.getOwnerType() != null) {
                            meta.setOwnerType(t.getOwnerType());
                        }
                        result.add(meta);
                    }
                }
            }
            return result;
        });
    }

    /**
     * Table names by a filter over table fields, as Trino and Iceberg send them:
     * {@code hive_filter_field_params__<key>}, {@code hive_filter_field_owner__} and
     * {@code hive_filter_field_last_access__}, compared with =, &lt;&gt; or LIKE.
     */
    public List<String> get_table_names_by_filter(String dbName, String filter, short maxTables) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        if (qn.name() == null) {
            throw new UnknownDBException("DB name is null or empty");
        }
        // As in the Hive Metastore: no filter is an InvalidOperationException, one that does not parse a MetaException.
        if (filter == null) {
            throw new InvalidOperationException("The filter cannot be null");
        }
        PartitionFilter parsed;
        try {
            parsed = PartitionFilter.parse(filter);
        } catch (PartitionFilter.ParseException e) {
            throw new MetaException(e.getMessage());
        }
        return ctx.tx(c -> {
            requireCatalog(c, qn.catalog());
            Optional<DbRow> found = ctx.store.getDatabase(c, qn.catalog(), qn.name(), false);
            if (found.isEmpty()) {
                return List.<String>of();
            }
            DbRow db = found.get();
            List<String> result = new ArrayList<>();
            for (TableRow row : ctx.store.listTables(c, db.id())) {
                if (TableFilter.matches(parsed, row.table())) {
                    result.add(row.table().getTableName());
                    if (maxTables >= 0 && result.size() >= maxTables) {
                        break;
                    }
                }
            }
            return result;
        });
    }

    public List<FieldSchema> get_fields(String db, String table) throws TException {
        return fields(db, table, false);
    }

    public List<FieldSchema> get_fields_with_environment_context(String db, String table, EnvironmentContext context) throws TException {
        return fields(db, table, false);
    }

    public GetFieldsResponse get_fields_req(GetFieldsRequest request) throws TException {
        return new GetFieldsResponse(fields(qualify(request.getCatName(), request.getDbName()), request.getTblName(), false));
    }

    public List<FieldSchema> get_schema(String db, String table) throws TException {
        return fields(db, table, true);
    }

    public List<FieldSchema> get_schema_with_environment_context(String db, String table, EnvironmentContext context) throws TException {
        return fields(db, table, true);
    }

    public GetSchemaResponse get_schema_req(GetSchemaRequest request) throws TException {
        return new GetSchemaResponse(fields(qualify(request.getCatName(), request.getDbName()), request.getTblName(), true));
    }

    private static String qualify(String catalog, String db) {
        return catalog == null || db == null || db.startsWith("@") ? db : "@" + catalog + "#" + db;
    }

    private List<FieldSchema> fields(String dbName, String tableName, boolean withPartitionKeys) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        Table table = ctx.read(c -> ctx.findTable(c, qn.catalog(), qn.name(), tableName, false).map(TableRow::table)
                .orElseThrow(() -> new UnknownTableException(qn.catalog() + "." + qn.name() + "." + lower(tableName) + " table not found")));
        List<FieldSchema> result = new ArrayList<>();
        if (table.getSd() != null && table.getSd().getCols() != null) {
            result.addAll(table.getSd().getCols());
        }
        if (withPartitionKeys && table.getPartitionKeys() != null) {
            result.addAll(table.getPartitionKeys());
        }
        return result;
    }

    // ---- alter

    public void alter_table(String db, String name, Table table) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(db);
        alterTable(qn.catalog(), qn.name(), name, table, null, false, null, null);
    }

    public void alter_table_with_environment_context(String db, String name, Table table, EnvironmentContext context) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(db);
        String expectedKey = context == null || context.getProperties() == null ? null : context.getProperties().get("expected_parameter_key");
        String expectedValue = context == null || context.getProperties() == null ? null : context.getProperties().get("expected_parameter_value");
        boolean cascade = context != null && context.getProperties() != null && "true".equalsIgnoreCase(context.getProperties().get("CASCADE"));
        alterTable(qn.catalog(), qn.name(), name, table, context, cascade, expectedKey, expectedValue);
    }

    public void alter_table_with_cascade(String db, String name, Table table, boolean cascade) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(db);
        alterTable(qn.catalog(), qn.name(), name, table, null, cascade, null, null);
    }

    public AlterTableResponse alter_table_req(AlterTableRequest request) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(request.getDbName());
        String catalog = request.isSetCatName() ? HmsContext.catalogOrDefault(request.getCatName()) : qn.catalog();
        EnvironmentContext context = request.getEnvironmentContext();
        boolean cascade = context != null && context.getProperties() != null && "true".equalsIgnoreCase(context.getProperties().get("CASCADE"));
        String expectedKey = request.getExpectedParameterKey();
        String expectedValue = request.getExpectedParameterValue();
        if (expectedKey == null && context != null && context.getProperties() != null) {
            expectedKey = context.getProperties().get("expected_parameter_key");
            expectedValue = context.getProperties().get("expected_parameter_value");
        }
        alterTable(catalog, qn.name(), request.getTableName(), request.getTable(), context, cascade, expectedKey, expectedValue);
        return new AlterTableResponse();
    }

    private void alterTable(String catalog, String dbName, String tableName, Table newTable, EnvironmentContext context,
                            boolean cascade, String expectedKey, String expectedValue) throws TException {
        if (newTable == null) {
            throw new InvalidOperationException("New table is null");
        }
        boolean hmsRules = !ctx.store.database().inTransaction();
        if (hmsRules) {
            requireStorage(newTable, "alter");
            String invalid = invalidColumnType(newTable);
            if (invalid != null) {
                throw new InvalidOperationException("Invalid column type: " + invalid);
            }
        }
        if (!HmsContext.isValidName(newTable.getTableName())) {
            throw new InvalidOperationException(newTable.getTableName() + " is not a valid object name");
        }
        String db = lower(dbName);
        String name = lower(tableName);
        List<String[]> moves = new ArrayList<>();
        ctx.tx(c -> {
            moves.clear();
            Optional<TableRow> found = ctx.findTable(c, catalog, db, name, true);
            if (found.isEmpty()) {
                throw new InvalidOperationException("table " + catalog + "." + db + "." + name + " doesn't exist");
            }
            if (newTable.isSetCatName() && !HmsContext.catalogOrDefault(newTable.getCatName()).equals(catalog)) {
                throw new InvalidOperationException("Tables cannot be moved between catalogs, old catalog " + catalog + ", new catalog " + lower(newTable.getCatName()));
            }
            if (hmsRules && newTable.getSd().getLocation() == null && !isView(newTable)) {
                throw new MetaException("The new definition of table " + newTable.getTableName() + " has no location");
            }
            TableRow row = found.get();
            Table old = row.table();
            if (expectedKey != null && expectedValue != null) {
                String newValue = newTable.getParameters() == null ? null : newTable.getParameters().get(expectedKey);
                if (newValue == null) {
                    throw new MetaException(String.format("New value for expected key %s is not set", expectedKey));
                }
                String current = old.getParameters() == null ? null : old.getParameters().get(expectedKey);
                if (!expectedValue.equals(current)) {
                    throw new MetaException("The table has been modified. The parameter value for key '" + expectedKey + "' is '"
                            + current + "'. The expected was value was '" + expectedValue + "'");
                }
            }
            Table updated = newTable.deepCopy();
            HmsContext.QualifiedName target = HmsContext.parseDbName(updated.getDbName() == null ? db : updated.getDbName());
            updated.setCatName(catalog);
            updated.setDbName(target.name() == null ? db : target.name());
            updated.setTableName(lower(updated.getTableName()));
            if (updated.getParameters() == null) {
                updated.setParameters(new HashMap<>());
            }
            validateColumns(updated);
            if (!samePartitionKeyNames(old.getPartitionKeys(), updated.getPartitionKeys())) {
                throw new InvalidOperationException("partition keys can not be changed.");
            }
            // As in the Hive Metastore, keys keep their names and may change type and comment.
            List<FieldSchema> keys = retypedKeys(old.getPartitionKeys(), updated.getPartitionKeys());
            updated.setPartitionKeys(keys);
            if (!sameTypes(old.getPartitionKeys(), keys)) {
                ctx.store.partitionKeysRetyped(c, row.id(), old.getPartitionKeys(), keys);
            }
            if (updated.getSd() != null && updated.getSd().getCols() != null) {
                updated.getSd().setCols(lowerNames(updated.getSd().getCols()));
            }
            updated.setCreateTime(old.getCreateTime());
            updated.setTableType(effectiveTableType(updated));
            if (updated.getParameters().get(hive_metastoreConstants.DDL_TIME) == null
                    || "0".equals(updated.getParameters().get(hive_metastoreConstants.DDL_TIME))) {
                updated.getParameters().put(hive_metastoreConstants.DDL_TIME, String.valueOf(HmsContext.now()));
            }
            long targetDbId = row.dbId();
            boolean renamed = !updated.getDbName().equals(db) || !updated.getTableName().equals(name);
            if (renamed) {
                DbRow targetDb = ctx.store.getDatabase(c, catalog, updated.getDbName(), false)
                        .orElseThrow(() -> new InvalidOperationException("Unable to change partition or table. Database " + updated.getDbName() + " does not exist"));
                if (ctx.store.getTable(c, targetDb.id(), updated.getTableName(), false).isPresent()) {
                    throw new InvalidOperationException("new table " + updated.getDbName() + "." + updated.getTableName() + " already exists");
                }
                targetDbId = targetDb.id();
                moveManagedTableOnRename(c, row, old, updated, targetDb, moves);
            }
            if (cascade && updated.getSd() != null) {
                List<PartitionRow> parts = ctx.store.listPartitions(c, row.id(), Optional.empty(), -1);
                List<PartitionRow> changed = new ArrayList<>();
                for (PartitionRow p : parts) {
                    Partition copy = p.partition().deepCopy();
                    if (copy.getSd() != null) {
                        copy.getSd().setCols(updated.getSd().getCols());
                    }
                    changed.add(new PartitionRow(p.id(), p.name(), copy));
                }
                ctx.store.updatePartitionBodies(c, row.id(), changed);
            }
            ctx.store.updateTable(c, row.id(), targetDbId, updated);
            ctx.event(c, "ALTER_TABLE", catalog, db, name, Map.of(
                    "tableType", updated.getTableType(),
                    "tableObjBeforeJson", HmsContext.thriftJson(old),
                    "tableObjAfterJson", HmsContext.thriftJson(updated),
                    "isTruncateOp", "false"));
            return null;
        });
        for (String[] move : moves) {
            ctx.warehouse.rename(move[0], move[1]);
        }
    }

    /**
     * A managed table that lives at its default location moves with a rename, as in the Hive
     * Metastore; its partitions under that directory move along.
     */
    private void moveManagedTableOnRename(Connection c, TableRow row, Table old, Table updated, DbRow targetDb, List<String[]> moves) throws SQLException, TException {
        if (!TableType.MANAGED_TABLE.name().equals(old.getTableType()) || old.getSd() == null || old.getSd().getLocation() == null) {
            return;
        }
        String oldLocation = old.getSd().getLocation();
        Optional<DbRow> oldDb = ctx.store.getDatabase(c, old.getCatName() == null ? HmsContext.DEFAULT_CATALOG : old.getCatName(), old.getDbName(), false);
        if (oldDb.isEmpty() || !oldLocation.equals(defaultTableLocation(oldDb.get(), old))) {
            return;
        }
        if (updated.getSd() != null && updated.getSd().getLocation() != null && !updated.getSd().getLocation().equals(oldLocation)) {
            return;
        }
        String newLocation = defaultTableLocation(targetDb, updated);
        if (ctx.warehouse.exists(newLocation)) {
            throw new InvalidOperationException("New location for this table " + updated.getDbName() + "." + updated.getTableName() + " already exists : " + newLocation);
        }
        updated.getSd().setLocation(newLocation);
        List<PartitionRow> changed = new ArrayList<>();
        for (PartitionRow p : ctx.store.listPartitions(c, row.id(), Optional.empty(), -1)) {
            Partition copy = p.partition().deepCopy();
            copy.setDbName(updated.getDbName());
            copy.setTableName(updated.getTableName());
            if (copy.getSd() != null && copy.getSd().getLocation() != null && ctx.warehouse.isSubdirectory(oldLocation, copy.getSd().getLocation())) {
                copy.getSd().setLocation(newLocation + copy.getSd().getLocation().substring(oldLocation.length()));
            }
            changed.add(new PartitionRow(p.id(), p.name(), copy));
        }
        ctx.store.updatePartitionBodies(c, row.id(), changed);
        moves.add(new String[] {oldLocation, newLocation});
    }

    private static boolean samePartitionKeyNames(List<FieldSchema> a, List<FieldSchema> b) {
        List<FieldSchema> left = a == null ? List.of() : a;
        List<FieldSchema> right = b == null ? List.of() : b;
        if (left.size() != right.size()) {
            return false;
        }
        for (int i = 0; i < left.size(); i++) {
            if (!left.get(i).getName().equalsIgnoreCase(right.get(i).getName())) {
                return false;
            }
        }
        return true;
    }

    /** The stored keys with the types and comments of the new definition's. */
    private static List<FieldSchema> retypedKeys(List<FieldSchema> stored, List<FieldSchema> requested) {
        List<FieldSchema> result = new ArrayList<>();
        for (int i = 0; i < (stored == null ? 0 : stored.size()); i++) {
            FieldSchema key = stored.get(i).deepCopy();
            FieldSchema wanted = requested.get(i);
            if (wanted.getType() != null && !wanted.getType().isBlank()) {
                key.setType(wanted.getType());
            }
            key.setComment(wanted.getComment());
            result.add(key);
        }
        return result;
    }

    private static boolean sameTypes(List<FieldSchema> a, List<FieldSchema> b) {
        for (int i = 0; i < (a == null ? 0 : a.size()); i++) {
            if (!Objects.equals(lower(a.get(i).getType()), lower(b.get(i).getType()))) {
                return false;
            }
        }
        return true;
    }

    // ---- materialized views

    /**
     * Replaces what a materialized view was last built from, as the Hive Metastore does when Hive rebuilds one: the source
     * tables (given as {@code sourceTables} with their counts of changed rows, or as {@code db.table} names in
     * {@code tablesUsed}), each kept as it is now, the snapshot of transactions, and the time, which is now. {@code get_table} answers with it.
     */
    public void update_creation_metadata(String catName, String dbName, String tableName, CreationMetadata metadata) throws TException {
        if (metadata == null) {
            throw new MetaException("The creation metadata of a materialized view must not be null");
        }
        if (dbName == null || tableName == null) {
            throw new MetaException("The database and table name must not be null: " + dbName + "." + tableName);
        }
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        String catalog = catName != null ? HmsContext.catalogOrDefault(catName) : qn.catalog();
        String db = qn.name();
        String name = lower(tableName);
        ctx.tx(c -> {
            DbRow dbRow = ctx.store.getDatabase(c, catalog, db, false)
                    .orElseThrow(() -> new UnknownDBException("Database " + catalog + "." + db + " doesn't exist"));
            TableRow row = ctx.store.getTable(c, dbRow.id(), name, true)
                    .orElseThrow(() -> new InvalidOperationException("Materialized view " + catalog + "." + db + "." + name + " doesn't exist"));
            Table old = row.table();
            if (!TableType.MATERIALIZED_VIEW.name().equals(old.getTableType())) {
                throw new InvalidOperationException(catalog + "." + db + "." + name + " is a " + old.getTableType() + ", not a materialized view");
            }
            List<SourceTable> sources = new ArrayList<>();
            if (metadata.isSetSourceTables()) {
                for (SourceTable source : metadata.getSourceTables()) {
                    if (source == null || source.getTable() == null) {
                        throw new MetaException("A source table of materialized view " + db + "." + name + " names no table");
                    }
                    Table current = sourceTable(c, catalog, source.getTable().getDbName() + "." + source.getTable().getTableName(), db, name);
                    sources.add(new SourceTable(current, source.getInsertedCount(), source.getUpdatedCount(), source.getDeletedCount()));
                }
            } else if (metadata.getTablesUsed() != null) {
                for (String used : new java.util.TreeSet<>(metadata.getTablesUsed())) {
                    sources.add(new SourceTable(sourceTable(c, catalog, used, db, name), 0, 0, 0));
                }
            }
            Set<String> tablesUsed = new java.util.LinkedHashSet<>();
            for (SourceTable source : sources) {
                tablesUsed.add(lower(source.getTable().getDbName()) + "." + lower(source.getTable().getTableName()));
            }
            CreationMetadata stored = new CreationMetadata(catalog, db, name, tablesUsed);
            stored.setSourceTables(sources);
            if (metadata.isSetValidTxnList()) {
                stored.setValidTxnList(metadata.getValidTxnList());
            }
            stored.setMaterializationTime(System.currentTimeMillis());
            Table updated = old.deepCopy();
            updated.setCreationMetadata(stored);
            ctx.store.updateTable(c, row.id(), row.dbId(), updated);
            return null;
        });
        LOG.info("Updated the creation metadata of materialized view {}.{}.{}", catalog, db, name);
    }

    /** A table a materialized view uses, named {@code db.table}, as it is now. */
    private Table sourceTable(Connection c, String catalog, String qualified, String viewDb, String view) throws SQLException, TException {
        int dot = qualified == null ? -1 : qualified.indexOf('.');
        if (dot <= 0 || dot == qualified.length() - 1) {
            throw new MetaException("A table used by materialized view " + viewDb + "." + view + " is not named db.table: " + qualified);
        }
        String db = lower(qualified.substring(0, dot));
        String table = lower(qualified.substring(dot + 1));
        return ctx.findTable(c, catalog, db, table, false).map(TableRow::table)
                .orElseThrow(() -> new MetaException("Table " + catalog + "." + db + "." + table + " used by materialized view " + viewDb + "." + view + " doesn't exist"));
    }

    // ---- drop and truncate

    public void drop_table(String db, String name, boolean deleteData) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(db);
        dropTable(qn.catalog(), qn.name(), name, deleteData, null);
    }

    public void drop_table_with_environment_context(String db, String name, boolean deleteData, EnvironmentContext context) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(db);
        dropTable(qn.catalog(), qn.name(), name, deleteData, context);
    }

    public void drop_table_req(DropTableRequest request) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(request.getDbName());
        String catalog = request.isSetCatalogName() ? HmsContext.catalogOrDefault(request.getCatalogName()) : qn.catalog();
        dropTable(catalog, qn.name(), request.getTableName(), !request.isSetDeleteData() || request.isDeleteData(), request.getEnvContext());
    }

    private void dropTable(String catalog, String db, String name, boolean deleteData, EnvironmentContext context) throws TException {
        boolean purgeRequested = context != null && context.getProperties() != null && "TRUE".equalsIgnoreCase(context.getProperties().get("ifPurge"));
        List<DataDeletion> deletions = ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, catalog, db, name, true);
            Table table = row.table();
            if (ctx.behaviour.storageChecks() && deleteData && dropsDataWithTable(table) && table.getSd() != null && table.getSd().getLocation() != null) {
                // As Hive's metastore.authorization.storage.checks: the data goes only if its folder may be written.
                org.apache.hadoop.fs.Path parent = new org.apache.hadoop.fs.Path(table.getSd().getLocation()).getParent();
                if (!ctx.warehouse.isWritable(parent)) {
                    throw new MetaException("Table metadata not deleted since " + parent + " is not writable by " + Warehouse.user());
                }
            }
            List<DataDeletion> result = dropTableInTransaction(c, catalog, row, deleteData);
            if (purgeRequested) {
                result = result.stream().map(d -> new DataDeletion(d.location(), true, d.owner())).toList();
            }
            return result;
        });
        for (DataDeletion d : deletions) {
            ctx.warehouse.deleteData(d.location(), d.purge(), d.owner());
        }
        LOG.info("Dropped table {}.{}.{} (deleteData={})", catalog, lower(db), lower(name), deleteData);
    }

    void dropKeysReferencing(Connection c, TableRow row) throws SQLException {
        if (constraints != null) {
            constraints.dropKeysReferencing(c, row);
        }
    }

    /** Removes a table's metadata in the caller's transaction and says which data to delete after commit. */
    List<DataDeletion> dropTableInTransaction(Connection c, String catalog, TableRow row, boolean deleteData) throws SQLException, TException {
        Table table = row.table();
        if (constraints != null) {
            constraints.checkNotReferenced(c, row);
        }
        List<DataDeletion> result = new ArrayList<>();
        if (deleteData && dropsDataWithTable(table) && table.getSd() != null && table.getSd().getLocation() != null) {
            boolean purge = skipsTrash(table);
            String location = table.getSd().getLocation();
            result.add(new DataDeletion(location, purge, table.getOwner()));
            if (!table.getPartitionKeys().isEmpty()) {
                for (String partLocation : ctx.store.listPartitionLocations(c, row.id())) {
                    if (!ctx.warehouse.isSubdirectory(location, partLocation)) {
                        result.add(new DataDeletion(partLocation, purge, table.getOwner()));
                    }
                }
            }
        }
        // The deletes and the event in one round trip.
        List<CatalogStore.Write> writes = new ArrayList<>(ctx.store.tableDeletion(row.id()));
        writes.addAll(ctx.eventWrites("DROP_TABLE", catalog, table.getDbName(), table.getTableName(),
                Map.of("tableType", table.getTableType(), "tableObjJson", HmsContext.thriftJson(table))));
        ctx.store.execute(c, writes);
        ctx.partitionCache.forget(row.id());
        return result;
    }

    public void truncate_table(String db, String name, List<String> partNames) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(db);
        truncate(qn.catalog(), qn.name(), name, partNames);
    }

    public TruncateTableResponse truncate_table_req(TruncateTableRequest request) throws TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(request.getDbName());
        truncate(qn.catalog(), qn.name(), request.getTableName(), request.getPartNames());
        return new TruncateTableResponse();
    }

    private void truncate(String catalog, String db, String name, List<String> partNames) throws TException {
        List<String> locations = ctx.tx(c -> {
            TableRow row = ctx.requireTable(c, catalog, db, name, true);
            Table table = row.table();
            if (!isManaged(table)) {
                throw new MetaException("Cannot truncate non-managed table " + catalog + "." + lower(db) + "." + lower(name) + ".");
            }
            List<String> result = new ArrayList<>();
            if (table.getPartitionKeys().isEmpty()) {
                result.add(table.getSd().getLocation());
                ctx.store.deleteTableColumnStats(c, row.id(), Optional.empty());
            } else {
                List<PartitionRow> parts = partNames == null || partNames.isEmpty()
                        ? ctx.store.listPartitions(c, row.id(), Optional.empty(), -1)
                        : ctx.store.getPartitions(c, row.id(), partNames);
                for (PartitionRow p : parts) {
                    if (p.partition().getSd() != null && p.partition().getSd().getLocation() != null) {
                        result.add(p.partition().getSd().getLocation());
                    }
                    ctx.store.deletePartitionColumnStats(c, p.id(), Optional.empty());
                }
            }
            Table updated = table.deepCopy();
            updated.getParameters().put(hive_metastoreConstants.DDL_TIME, String.valueOf(HmsContext.now()));
            for (String stat : List.of("numFiles", "totalSize", "numRows", "rawDataSize")) {
                if (updated.getParameters().containsKey(stat)) {
                    updated.getParameters().put(stat, "0");
                }
            }
            ctx.store.updateTable(c, row.id(), row.dbId(), updated);
            ctx.event(c, "ALTER_TABLE", catalog, table.getDbName(), table.getTableName(), Map.of(
                    "tableType", table.getTableType(),
                    "tableObjBeforeJson", HmsContext.thriftJson(table),
                    "tableObjAfterJson", HmsContext.thriftJson(updated),
                    "isTruncateOp", "true"));
            return result;
        });
        for (String location : locations) {
            ctx.warehouse.deleteData(location, true, null);
            ctx.warehouse.mkdirs(location);
        }
    }

    /** Used by the Hive 3-and-older get_table call and by other handlers. */
    TableRow requireTable(Connection c, String catalog, String db, String table, boolean lock) throws SQLException, NoSuchObjectException {
        return ctx.requireTable(c, catalog, db, table, lock);
    }
}
