package dev.mortar.metastore.hms;

import dev.mortar.metastore.store.CatalogStore.TableRow;
import org.apache.hadoop.hive.metastore.api.AddCheckConstraintRequest;
import org.apache.hadoop.hive.metastore.api.AddDefaultConstraintRequest;
import org.apache.hadoop.hive.metastore.api.AddForeignKeyRequest;
import org.apache.hadoop.hive.metastore.api.AddNotNullConstraintRequest;
import org.apache.hadoop.hive.metastore.api.AddPrimaryKeyRequest;
import org.apache.hadoop.hive.metastore.api.AddUniqueConstraintRequest;
import org.apache.hadoop.hive.metastore.api.AllTableConstraintsRequest;
import org.apache.hadoop.hive.metastore.api.AllTableConstraintsResponse;
import org.apache.hadoop.hive.metastore.api.CheckConstraintsRequest;
import org.apache.hadoop.hive.metastore.api.CheckConstraintsResponse;
import org.apache.hadoop.hive.metastore.api.CreateTableRequest;
import org.apache.hadoop.hive.metastore.api.DefaultConstraintsRequest;
import org.apache.hadoop.hive.metastore.api.DefaultConstraintsResponse;
import org.apache.hadoop.hive.metastore.api.DropConstraintRequest;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.ForeignKeysRequest;
import org.apache.hadoop.hive.metastore.api.ForeignKeysResponse;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.NotNullConstraintsRequest;
import org.apache.hadoop.hive.metastore.api.NotNullConstraintsResponse;
import org.apache.hadoop.hive.metastore.api.PrimaryKeysRequest;
import org.apache.hadoop.hive.metastore.api.PrimaryKeysResponse;
import org.apache.hadoop.hive.metastore.api.SQLAllTableConstraints;
import org.apache.hadoop.hive.metastore.api.SQLCheckConstraint;
import org.apache.hadoop.hive.metastore.api.SQLDefaultConstraint;
import org.apache.hadoop.hive.metastore.api.SQLForeignKey;
import org.apache.hadoop.hive.metastore.api.SQLNotNullConstraint;
import org.apache.hadoop.hive.metastore.api.SQLPrimaryKey;
import org.apache.hadoop.hive.metastore.api.SQLUniqueConstraint;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.UniqueConstraintsRequest;
import org.apache.hadoop.hive.metastore.api.UniqueConstraintsResponse;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;

import static dev.mortar.metastore.hms.HmsContext.lower;

/** Table constraints: primary and foreign keys, unique, not-null, default and check. */
public final class ConstraintHandler {
    static final String PRIMARY = "PRIMARY";
    static final String FOREIGN = "FOREIGN";
    static final String UNIQUE = "UNIQUE";
    static final String NOT_NULL = "NOT_NULL";
    static final String DEFAULT = "DEFAULT";
    static final String CHECK = "CHECK";

    private final HmsContext ctx;

    public ConstraintHandler(HmsContext ctx) {
        this.ctx = ctx;
    }

    /** How to read one kind of constraint struct. */
    private record Kind<T extends TBase<?, ?>>(String name, Function<T, String> catalog, Function<T, String> db, Function<T, String> table,
                                               Function<T, String> column, Function<T, String> constraintName, BiConsumer<T, String> setName) {}

    private static final Kind<SQLPrimaryKey> PK = new Kind<>(PRIMARY, SQLPrimaryKey::getCatName, SQLPrimaryKey::getTable_db, SQLPrimaryKey::getTable_name,
            SQLPrimaryKey::getColumn_name, SQLPrimaryKey::getPk_name, SQLPrimaryKey::setPk_name);
    private static final Kind<SQLForeignKey> FK = new Kind<>(FOREIGN, SQLForeignKey::getCatName, SQLForeignKey::getFktable_db, SQLForeignKey::getFktable_name,
            SQLForeignKey::getFkcolumn_name, SQLForeignKey::getFk_name, SQLForeignKey::setFk_name);
    private static final Kind<SQLUniqueConstraint> UK = new Kind<>(UNIQUE, SQLUniqueConstraint::getCatName, SQLUniqueConstraint::getTable_db, SQLUniqueConstraint::getTable_name,
            SQLUniqueConstraint::getColumn_name, SQLUniqueConstraint::getUk_name, SQLUniqueConstraint::setUk_name);
    private static final Kind<SQLNotNullConstraint> NN = new Kind<>(NOT_NULL, SQLNotNullConstraint::getCatName, SQLNotNullConstraint::getTable_db, SQLNotNullConstraint::getTable_name,
            SQLNotNullConstraint::getColumn_name, SQLNotNullConstraint::getNn_name, SQLNotNullConstraint::setNn_name);
    private static final Kind<SQLDefaultConstraint> DC = new Kind<>(DEFAULT, SQLDefaultConstraint::getCatName, SQLDefaultConstraint::getTable_db, SQLDefaultConstraint::getTable_name,
            SQLDefaultConstraint::getColumn_name, SQLDefaultConstraint::getDc_name, SQLDefaultConstraint::setDc_name);
    private static final Kind<SQLCheckConstraint> CC = new Kind<>(CHECK, SQLCheckConstraint::getCatName, SQLCheckConstraint::getTable_db, SQLCheckConstraint::getTable_name,
            SQLCheckConstraint::getColumn_name, SQLCheckConstraint::getDc_name, SQLCheckConstraint::setDc_name);

    public void add_primary_key(AddPrimaryKeyRequest request) throws TException {
        undeclaredAsInternalError("add_primary_key", () -> ctx.tx(c -> add(c, null, PK, request.getPrimaryKeyCols())));
    }

    public void add_foreign_key(AddForeignKeyRequest request) throws TException {
        undeclaredAsInternalError("add_foreign_key", () -> ctx.tx(c -> add(c, null, FK, request.getForeignKeyCols())));
    }

    public void add_unique_constraint(AddUniqueConstraintRequest request) throws TException {
        undeclaredAsInternalError("add_unique_constraint", () -> ctx.tx(c -> add(c, null, UK, request.getUniqueConstraintCols())));
    }

    public void add_not_null_constraint(AddNotNullConstraintRequest request) throws TException {
        undeclaredAsInternalError("add_not_null_constraint", () -> ctx.tx(c -> add(c, null, NN, request.getNotNullConstraintCols())));
    }

    public void add_default_constraint(AddDefaultConstraintRequest request) throws TException {
        undeclaredAsInternalError("add_default_constraint", () -> ctx.tx(c -> add(c, null, DC, request.getDefaultConstraintCols())));
    }

    public void add_check_constraint(AddCheckConstraintRequest request) throws TException {
        undeclaredAsInternalError("add_check_constraint", () -> ctx.tx(c -> add(c, null, CC, request.getCheckConstraintCols())));
    }

    @FunctionalInterface
    private interface Call {
        void run() throws TException;
    }

    /**
     * Runs a call whose IDL has no InvalidObjectException (adding and dropping constraints): the Hive
     * Metastore's InvalidObjectException (no such table or constraint, a name taken) then reaches the
     * client as Thrift's internal error, which is what Hive's clients and tests expect.
     */
    private static void undeclaredAsInternalError(String method, Call call) throws TException {
        try {
            call.run();
        } catch (InvalidObjectException e) {
            throw new TApplicationException(TApplicationException.INTERNAL_ERROR, "Internal error processing " + method + ": " + e.getMessage());
        }
    }

    /** The constraints of a create_table request, in the table-creating transaction. */
    void addAllInTransaction(Connection c, TableRow table, CreateTableRequest request) throws SQLException, TException {
        add(c, table, PK, request.getPrimaryKeys());
        add(c, table, UK, request.getUniqueConstraints());
        add(c, table, NN, request.getNotNullConstraints());
        add(c, table, DC, request.getDefaultConstraints());
        add(c, table, CC, request.getCheckConstraints());
        add(c, table, FK, request.getForeignKeys());
    }

    private <T extends TBase<?, ?>> Void add(Connection c, TableRow knownTable, Kind<T> kind, List<T> columns) throws SQLException, TException {
        if (columns == null || columns.isEmpty()) {
            return null;
        }
        Map<String, String> generatedNames = new HashMap<>();
        Map<String, Integer> positions = new HashMap<>();
        Map<String, ForeignKeyTarget> foreignKeys = new LinkedHashMap<>();
        for (T original : columns) {
            T col = (T) original.deepCopy();
            HmsContext.QualifiedName qn = HmsContext.parseDbName(kind.db().apply(col));
            String catalog = kind.catalog().apply(col) != null ? HmsContext.catalogOrDefault(kind.catalog().apply(col)) : qn.catalog();
            TableRow table = knownTable != null ? knownTable : ctx.findTable(c, catalog, qn.name(), kind.table().apply(col), false)
                    .orElseThrow(() -> new InvalidObjectException("Parent table not found: " + kind.table().apply(col)));
            String column = lower(kind.column().apply(col));
            if (column != null && !hasColumn(table.table(), column)) {
                throw new InvalidObjectException("Parent column not found: " + column);
            }
            String name = kind.constraintName().apply(col);
            if (name == null || name.isBlank()) {
                name = generatedNames.computeIfAbsent(table.id() + "/" + kind.name(), k -> UUID.randomUUID().toString());
            }
            name = lower(name);
            kind.setName().accept(col, name);
            int position = positions.merge(table.id() + "/" + name, 1, Integer::sum);
            if (position == 1 && kind == PK && !ctx.store.listConstraints(c, table.id(), PRIMARY, SQLPrimaryKey::new).isEmpty()) {
                throw new MetaException("Primary key already exists for: " + catalog + "." + table.table().getDbName() + "." + table.table().getTableName());
            }
            if (position == 1 && ctx.store.constraintExists(c, table.id(), name)) {
                throw new InvalidObjectException("Constraint name already exists: " + name);
            }
            Long parent = null;
            if (col instanceof SQLForeignKey fk) {
                HmsContext.QualifiedName pq = HmsContext.parseDbName(fk.getPktable_db());
                TableRow parentTable = ctx.findTable(c, catalog, pq.name(), fk.getPktable_name(), false)
                        .orElseThrow(() -> new InvalidObjectException("Parent table not found: " + fk.getPktable_name()));
                if (!hasColumn(parentTable.table(), lower(fk.getPkcolumn_name()))) {
                    throw new InvalidObjectException("Parent column not found: " + fk.getPkcolumn_name());
                }
                parent = parentTable.id();
                foreignKeys.computeIfAbsent(table.id() + "/" + name, k -> new ForeignKeyTarget(parentTable, new HashSet<>()))
                        .columns().add(lower(fk.getPkcolumn_name()));
            }
            ctx.store.insertConstraint(c, table.id(), name, position, kind.name(), parent, col);
        }
        for (ForeignKeyTarget target : foreignKeys.values()) {
            requireKeyOn(c, target);
        }
        return null;
    }

    private record ForeignKeyTarget(TableRow parent, Set<String> columns) {}

    /** A foreign key must reference its parent's primary key or one of its unique constraints, as in the Hive Metastore. */
    private void requireKeyOn(Connection c, ForeignKeyTarget target) throws SQLException, MetaException {
        Map<String, Set<String>> keys = new HashMap<>();
        for (SQLPrimaryKey pk : ctx.store.listConstraints(c, target.parent().id(), PRIMARY, SQLPrimaryKey::new)) {
            keys.computeIfAbsent("pk", k -> new HashSet<>()).add(lower(pk.getColumn_name()));
        }
        for (SQLUniqueConstraint uk : ctx.store.listConstraints(c, target.parent().id(), UNIQUE, SQLUniqueConstraint::new)) {
            keys.computeIfAbsent("uk/" + uk.getUk_name(), k -> new HashSet<>()).add(lower(uk.getColumn_name()));
        }
        if (!keys.containsValue(target.columns())) {
            Table parent = target.parent().table();
            throw new MetaException("Foreign key references " + parent.getDbName() + "." + parent.getTableName() + " " + target.columns()
                    + " but no corresponding primary key or unique key exists");
        }
    }

    private static boolean hasColumn(Table table, String column) {
        if (table.getSd() != null && table.getSd().getCols() != null) {
            for (FieldSchema f : table.getSd().getCols()) {
                if (f.getName().equalsIgnoreCase(column)) {
                    return true;
                }
            }
        }
        for (FieldSchema f : table.getPartitionKeys() == null ? List.<FieldSchema>of() : table.getPartitionKeys()) {
            if (f.getName().equalsIgnoreCase(column)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A table that other tables' foreign keys reference cannot be dropped by itself (as Hive's DDL
     * refuses it); a database's cascading drop first removes such keys (see {@link #dropKeysReferencing}).
     */
    void checkNotReferenced(Connection c, TableRow table) throws SQLException, MetaException {
        if (ctx.store.countReferencingTables(c, table.id()) > 0) {
            throw new MetaException("Cannot drop table " + table.table().getDbName() + "." + table.table().getTableName()
                    + ": it is referenced by a foreign key of another table");
        }
    }

    /** Removes the foreign keys, of any table, that reference the given table, as the Hive Metastore does when it drops it. */
    void dropKeysReferencing(Connection c, TableRow table) throws SQLException {
        ctx.store.deleteConstraintsReferencing(c, table.id());
    }

    private Optional<TableRow> table(Connection c, String catalog, String db, String table) throws SQLException, TException {
        HmsContext.QualifiedName qn = HmsContext.parseDbName(db);
        String cat = catalog != null ? HmsContext.catalogOrDefault(catalog) : qn.catalog();
        return ctx.findTable(c, cat, qn.name(), table, false);
    }

    private TableRow requireTable(Connection c, String catalog, String db, String table) throws SQLException, TException {
        return table(c, catalog, db, table).orElseThrow(() -> new NoSuchObjectException("Table " + db + "." + table + " does not exist"));
    }

    public PrimaryKeysResponse get_primary_keys(PrimaryKeysRequest r) throws TException {
        return ctx.tx(c -> new PrimaryKeysResponse(table(c, r.getCatName(), r.getDb_name(), r.getTbl_name())
                .isEmpty() ? List.of() : list(c, table(c, r.getCatName(), r.getDb_name(), r.getTbl_name()).get(), PRIMARY, SQLPrimaryKey::new)));
    }

    public ForeignKeysResponse get_foreign_keys(ForeignKeysRequest r) throws TException {
        return ctx.tx(c -> {
            List<SQLForeignKey> result;
            if (r.getForeign_tbl_name() != null) {
                Optional<TableRow> t = table(c, r.getCatName(), r.getForeign_db_name(), r.getForeign_tbl_name());
                result = t.isEmpty() ? List.of() : list(c, t.get(), FOREIGN, SQLForeignKey::new);
                if (r.getParent_tbl_name() != null) {
                    result = result.stream().filter(fk -> fk.getPktable_name().equalsIgnoreCase(r.getParent_tbl_name())
                            && lower(fk.getPktable_db()).equals(lower(r.getParent_db_name()))).toList();
                }
            } else {
                Optional<TableRow> parent = table(c, r.getCatName(), r.getParent_db_name(), r.getParent_tbl_name());
                result = parent.isEmpty() ? List.of() : ctx.store.listReferencingConstraints(c, parent.get().id(), FOREIGN, SQLForeignKey::new);
            }
            return new ForeignKeysResponse(result);
        });
    }

    public UniqueConstraintsResponse get_unique_constraints(UniqueConstraintsRequest r) throws TException {
        return ctx.tx(c -> new UniqueConstraintsResponse(table(c, r.getCatName(), r.getDb_name(), r.getTbl_name())
                .isEmpty() ? List.of() : list(c, table(c, r.getCatName(), r.getDb_name(), r.getTbl_name()).get(), UNIQUE, SQLUniqueConstraint::new)));
    }

    public NotNullConstraintsResponse get_not_null_constraints(NotNullConstraintsRequest r) throws TException {
        return ctx.tx(c -> new NotNullConstraintsResponse(table(c, r.getCatName(), r.getDb_name(), r.getTbl_name())
                .isEmpty() ? List.of() : list(c, table(c, r.getCatName(), r.getDb_name(), r.getTbl_name()).get(), NOT_NULL, SQLNotNullConstraint::new)));
    }

    public DefaultConstraintsResponse get_default_constraints(DefaultConstraintsRequest r) throws TException {
        return ctx.tx(c -> new DefaultConstraintsResponse(table(c, r.getCatName(), r.getDb_name(), r.getTbl_name())
                .isEmpty() ? List.of() : list(c, table(c, r.getCatName(), r.getDb_name(), r.getTbl_name()).get(), DEFAULT, SQLDefaultConstraint::new)));
    }

    public CheckConstraintsResponse get_check_constraints(CheckConstraintsRequest r) throws TException {
        return ctx.tx(c -> new CheckConstraintsResponse(table(c, r.getCatName(), r.getDb_name(), r.getTbl_name())
                .isEmpty() ? List.of() : list(c, table(c, r.getCatName(), r.getDb_name(), r.getTbl_name()).get(), CHECK, SQLCheckConstraint::new)));
    }

    public AllTableConstraintsResponse get_all_table_constraints(AllTableConstraintsRequest r) throws TException {
        return ctx.tx(c -> {
            TableRow t = requireTable(c, r.getCatName(), r.getDbName(), r.getTblName());
            SQLAllTableConstraints all = new SQLAllTableConstraints();
            all.setPrimaryKeys(list(c, t, PRIMARY, SQLPrimaryKey::new));
            all.setForeignKeys(list(c, t, FOREIGN, SQLForeignKey::new));
            all.setUniqueConstraints(list(c, t, UNIQUE, SQLUniqueConstraint::new));
            all.setNotNullConstraints(list(c, t, NOT_NULL, SQLNotNullConstraint::new));
            all.setDefaultConstraints(list(c, t, DEFAULT, SQLDefaultConstraint::new));
            all.setCheckConstraints(list(c, t, CHECK, SQLCheckConstraint::new));
            return new AllTableConstraintsResponse(all);
        });
    }

    public void drop_constraint(DropConstraintRequest r) throws TException {
        undeclaredAsInternalError("drop_constraint", () -> ctx.tx(c -> {
            TableRow t = table(c, r.getCatName(), r.getDbname(), r.getTablename()).orElseThrow(() -> new InvalidObjectException("The constraint: "
                    + r.getConstraintname() + " does not exist for the associated table: " + r.getDbname() + "." + r.getTablename()));
            if (ctx.store.deleteConstraint(c, t.id(), lower(r.getConstraintname())) == 0) {
                throw new InvalidObjectException("The constraint: " + r.getConstraintname() + " does not exist for the associated table: "
                        + t.table().getDbName() + "." + t.table().getTableName());
            }
            return null;
        }));
    }

    private <T extends TBase<?, ?>> List<T> list(Connection c, TableRow t, String kind, java.util.function.Supplier<T> factory) throws SQLException {
        return ctx.store.listConstraints(c, t.id(), kind, factory);
    }
}
