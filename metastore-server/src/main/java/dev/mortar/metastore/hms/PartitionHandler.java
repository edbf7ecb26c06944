package dev.mortar.metastore.hms;

import dev.mortar.metastore.store.CatalogStore;
import dev.mortar.metastore.store.CatalogStore.PartitionRow;
import dev.mortar.metastore.store.CatalogStore.TableRow;
import dev.mortar.metastore.store.PartitionFilter;
import dev.mortar.metastore.store.PartitionFilterMatcher;
import dev.mortar.metastore.store.PartitionFilterSql;
import dev.mortar.metastore.store.Sql;
import dev.mortar.metastore.warehouse.Warehouse;
import org.apache.hadoop.hive.metastore.api.AddPartitionsRequest;
import org.apache.hadoop.hive.metastore.api.AddPartitionsResult;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.AlterPartitionsRequest;
import org.apache.hadoop.hive.metastore.api.AlterPartitionsResponse;
import org.apache.hadoop.hive.metastore.api.AppendPartitionsRequest;
import org.apache.hadoop.hive.metastore.api.DropPartitionRequest;
import org.apache.hadoop.hive.metastore.api.DropPartitionsRequest;
import org.apache.hadoop.hive.metastore.api.DropPartitionsResult;
import org.apache.hadoop.hive.metastore.api.EnvironmentContext;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.GetPartitionNamesPsRequest;
import org.apache.hadoop.hive.metastore.api.GetPartitionNamesPsResponse;
import org.apache.hadoop.hive.metastore.api.GetPartitionRequest;
import org.apache.hadoop.hive.metastore.api.GetPartitionResponse;
import org.apache.hadoop.hive.metastore.api.GetPartitionsByFilterRequest;
import org.apache.hadoop.hive.metastore.api.GetPartitionsByNamesRequest;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hive.metastore.api.PrincipalPrivilegeSet;
import org.apache.hadoop.hive.metastore.api.PrivilegeGrantInfo;
import org.apache.hadoop.hive.metastore.api.GetPartitionsByNamesResult;
import org.apache.hadoop.hive.metastore.api.GetPartitionsPsWithAuthRequest;
import org.apache.hadoop.hive.metastore.api.GetPartitionsPsWithAuthResponse;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.PartitionSpec;
import org.apache.hadoop.hive.metastore.api.PartitionsRequest;
import org.apache.hadoop.hive.metastore.api.PartitionsResponse;
import org.apache.hadoop.hive.metastore.api.RenamePartitionRequest;
import org.apache.hadoop.hive.metastore.api.RenamePartitionResponse;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.hive_metastoreConstants;
import org.apache.hadoop.hive.metastore.partition.spec.PartitionSpecProxy;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.mortar.metastore.hms.HmsContext.lower;

/** Partitions: add, append, read, list, filter, alter, rename, drop. */
public final class PartitionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionHandler.class);

    private final HmsContext ctx;

    public PartitionHandler(HmsContext ctx) {
        this.ctx = ctx;
    }

    private record TableRef(String catalog, String db, String table) {
        String qualified() {
            return catalog + "." + db + "." + table;
        }
    }

    private static TableRef ref(String catName, String dbName, String tableName) throws MetaException {
        if (dbName == null || tableName == null) {
            throw new MetaException("The database and table name must not be null: " + dbName + "." + tableName);
        }
        HmsContext.QualifiedName qn = HmsContext.parseDbName(dbName);
        String db = qn.name();
        if (db == null) {
            // "@cat#" carries a null database name, "@cat#!" an empty one (which names no database).
            if (!dbName.endsWith("#!")) {
                throw new MetaException("The database name must not be null: " + dbName + "." + tableName);
            }
            db = "";
        }
        String catalog = catName != null ? HmsContext.catalogOrDefault(catName) : qn.catalog();
        return new TableRef(catalog, db, lower(tableName));
    }

    private TableRow table(Connection c, TableRef ref, boolean lock) throws SQLException, NoSuchObjectException {
        return ctx.requireTable(c, ref.catalog(), ref.db(), ref.table(), lock);
    }

    // ---- add

    public Partition add_partition(Partition partition) throws TException {
        if (partition == null) {
            throw new MetaException("Partition cannot be null.");
        }
        return addPartitions(List.of(partition), false, true, Expected.of(partition)).get(0);
    }

    public Partition add_partition_with_environment_context(Partition partition, EnvironmentContext context) throws TException {
        return add_partition(partition);
    }

    public int add_partitions(List<Partition> partitions) throws TException {
        if (partitions == null || partitions.isEmpty()) {
            return 0;
        }
        return addPartitions(partitions, false, false, Expected.of(partitions.get(0))).size();
    }

    public AddPartitionsResult add_partitions_req(AddPartitionsRequest request) throws TException {
        List<Partition> parts = request.getParts() == null ? List.of() : request.getParts();
        AddPartitionsResult result = new AddPartitionsResult();
        if (parts.isEmpty()) {
            result.setPartitions(new ArrayList<>());
            return result;
        }
        String catalog = request.isSetCatName() ? request.getCatName() : null;
        List<Partition> added = addPartitions(parts, request.isIfNotExists(), request.isNeedResult(),
                new Expected(catalog, request.getDbName(), request.getTblName(), true));
        if (!request.isSetNeedResult() || request.isNeedResult()) {
            result.setPartitions(added);
        }
        return result;
    }

    public int add_partitions_pspec(List<PartitionSpec> specs) throws TException {
        if (specs == null || specs.isEmpty()) {
            return 0;
        }
        PartitionSpec first = specs.get(0);
        if (first == null || first.getDbName() == null || first.getTableName() == null) {
            throw new MetaException("The database and table name cannot be null.");
        }
        List<Partition> partitions = new ArrayList<>();
        for (PartitionSpec spec : specs) {
            if (spec == null) {
                throw new MetaException("PartitionSpec cannot be null.");
            }
            if (spec.isSetSharedSDPartitionSpec() && spec.getSharedSDPartitionSpec().getSd() == null) {
                throw new MetaException("The shared storage descriptor of a PartitionSpec cannot be null.");
            }
            if (!spec.isSetSharedSDPartitionSpec() && (!spec.isSetPartitionList() || spec.getPartitionList().getPartitions() == null)) {
                throw new MetaException("PartitionSpec of " + spec.getDbName() + "." + spec.getTableName() + " holds no partition list");
            }
            // Hive's own reading of a spec: a shared descriptor's partitions at its location plus their relative paths.
            PartitionSpecProxy.PartitionIterator it = PartitionSpecProxy.Factory.get(spec.deepCopy()).getPartitionIterator();
            while (it.hasNext()) {
                Partition p = it.next();
                if (p == null) {
                    throw new MetaException("A partition of the PartitionSpec is null");
                }
                partitions.add(p);
            }
        }
        if (partitions.isEmpty()) {
            return 0;
        }
        String catalog = first.isSetCatName() ? first.getCatName() : null;
        return addPartitions(partitions, false, false, new Expected(catalog, first.getDbName(), first.getTableName(), false)).size();
    }

    /** The database and table a request adds to, and whether its partitions must name them exactly as it does. */
    private record Expected(String catalog, String db, String table, boolean exact) {
        static Expected of(Partition first) {
            return new Expected(first.isSetCatName() ? first.getCatName() : null, first.getDbName(), first.getTableName(), true);
        }

        boolean matches(Partition p) throws MetaException {
            if (p.getDbName() == null || p.getTableName() == null) {
                return false;
            }
            if (exact) {
                return p.getDbName().equals(db) && p.getTableName().equals(table);
            }
            return HmsContext.parseDbName(p.getDbName()).name().equals(HmsContext.parseDbName(db).name()) && lower(p.getTableName()).equals(lower(table));
        }
    }

    /** Adds all or none; with {@code ifNotExists} existing ones are skipped. Returns the partitions added. */
    private List<Partition> addPartitions(List<Partition> requested, boolean ifNotExists, boolean needResult, Expected expected) throws TException {
        if (expected.db() == null || expected.table() == null) {
            throw new MetaException("Partition must name its database and table");
        }
        for (Partition p : requested) {
            if (p == null) {
                throw new MetaException("Partition cannot be null.");
            }
        }
        TableRef ref = ref(expected.catalog(), expected.db(), expected.table());
        // A call made inside another API's transaction (the Glue API's) was checked by that API's own rules,
        // which let a partition's storage descriptor, SerDe and column types be absent.
        boolean checkStorage = !ctx.store.database().inTransaction();
        List<String> dirs = new ArrayList<>();
        List<String> single = requested.size() == 1 ? requested.get(0).getValues() : null;
        boolean oneQuery = single != null && !single.isEmpty() && !single.contains(null) && !single.contains("") && ref.db() != null && ref.table() != null;
        List<Partition> added = ctx.tx(c -> {
            dirs.clear();
            // One partition, the common case: the table and a partition with the same values in one query.
            Optional<CatalogStore.TableAndPartitions> both = oneQuery ? ctx.store.getTableAndPartition(c, ref.catalog(), ref.db(), ref.table(), single) : Optional.empty();
            Optional<TableRow> found = oneQuery ? both.map(CatalogStore.TableAndPartitions::table) : ctx.findTable(c, ref.catalog(), ref.db(), ref.table(), false);
            if (found.isEmpty()) {
                throw new InvalidObjectException("Unable to add partitions because database or table " + ref.db() + "." + ref.table() + " does not exist");
            }
            TableRow row = found.get();
            Table table = row.table();
            List<FieldSchema> keys = table.getPartitionKeys();
            int now = HmsContext.now();
            Map<String, Partition> byName = new LinkedHashMap<>();
            for (Partition p : requested) {
                if (!expected.matches(p)) {
                    throw new MetaException("Partition does not belong to target table " + expected.db() + "." + expected.table() + ". It belongs to the table "
                            + p.getDbName() + "." + p.getTableName() + " : " + p.getValues());
                }
                String name = partitionName(table, p.getValues(), true);
                if (byName.containsKey(name)) {
                    throw new MetaException("Duplicate partitions in the list: " + ref.qualified() + " " + name);
                }
                if (checkStorage) {
                    validateStorage(p, table, name);
                }
                byName.put(name, p);
            }
            Set<String> existing = new HashSet<>();
            for (PartitionRow p : oneQuery ? both.get().partitions() : ctx.store.getPartitions(c, row.id(), byName.keySet())) {
                if (byName.containsKey(p.name())) {
                    existing.add(p.name());
                }
            }
            if (!existing.isEmpty() && !ifNotExists) {
                throw new AlreadyExistsException("Partition already exists: " + ref.qualified() + " " + existing.iterator().next());
            }
            List<PartitionRow> rows = new ArrayList<>();
            for (Map.Entry<String, Partition> e : byName.entrySet()) {
                if (existing.contains(e.getKey())) {
                    continue;
                }
                Partition p = normalize(e.getValue(), table, e.getKey(), now);
                rows.add(new PartitionRow(0, e.getKey(), p));
                if (p.getSd() != null) {
                    dirs.add(p.getSd().getLocation());
                }
            }
            List<Partition> result = rows.stream().map(PartitionRow::partition).toList();
            // The event goes with the inserts, in one round trip for a few partitions.
            ctx.store.insertPartitions(c, row.id(), row.partitionsVersion(), keys, rows,
                    result.isEmpty() ? List.of() : partitionEvent("ADD_PARTITION", ref, table, result));
            return result;
        });
        ctx.warehouse.mkdirsAll(dirs.stream().filter(java.util.Objects::nonNull).toList());
        LOG.debug("Added {} partitions to {}", added.size(), ref.qualified());
        return added;
    }

    /**
     * What the Hive Metastore requires of a new partition's storage: a descriptor with a SerDe and
     * named, typed columns; a location, if given, that is absolute. A view's partitions have no
     * directory: they may come without a descriptor or location, and must not name a location.
     */
    private static void validateStorage(Partition p, Table table, String name) throws MetaException {
        boolean view = table.getSd() == null || table.getSd().getLocation() == null;
        StorageDescriptor sd = p.getSd();
        if (sd == null) {
            if (view) {
                return;
            }
            throw new MetaException("Partition " + name + " has no storage descriptor");
        }
        String location = sd.getLocation();
        if (location != null && !location.isEmpty()) {
            if (view) {
                throw new MetaException("Cannot specify location for a view partition");
            }
            org.apache.hadoop.fs.Path path;
            try {
                path = new org.apache.hadoop.fs.Path(location);
            } catch (IllegalArgumentException e) {
                throw new MetaException("Invalid location of partition " + name + ": " + e.getMessage());
            }
            if (!path.isAbsolute() && path.toUri().getScheme() == null) {
                throw new MetaException("Invalid location of partition " + name + ": " + location + " is not an absolute path");
            }
        }
        if (sd.getSerdeInfo() == null && !view) {
            throw new MetaException("Partition " + name + " has no SerDe info in its storage descriptor");
        }
        for (FieldSchema col : sd.getCols() == null ? List.<FieldSchema>of() : sd.getCols()) {
            if (col == null || col.getName() == null || col.getType() == null) {
                throw new MetaException("Partition " + name + " has a column without a name or type: " + col);
            }
        }
    }

    private void addPartitionEvent(Connection c, String type, TableRef ref, Table table, List<Partition> partitions) throws SQLException {
        ctx.store.execute(c, partitionEvent(type, ref, table, partitions));
    }

    private List<CatalogStore.Write> partitionEvent(String type, TableRef ref, Table table, List<Partition> partitions) {
        List<Map<String, String>> specs = new ArrayList<>();
        List<String> json = new ArrayList<>();
        for (Partition p : partitions) {
            specs.add(PartitionNames.spec(table.getPartitionKeys(), p.getValues()));
            json.add(HmsContext.thriftJson(p));
        }
        return ctx.eventWrites(type, ref.catalog(), ref.db(), ref.table(), Map.of(
                "tableType", table.getTableType(),
                "tableObjJson", HmsContext.thriftJson(table),
                "partitions", specs,
                "partitionListJson", json));
    }

    /** The partition as stored: names lower-case, a storage descriptor and a location, times set. */
    private Partition normalize(Partition requested, Table table, String name, int now) throws MetaException {
        Partition p = requested.deepCopy();
        p.setCatName(table.getCatName() == null ? HmsContext.DEFAULT_CATALOG : table.getCatName());
        p.setDbName(table.getDbName());
        p.setTableName(table.getTableName());
        boolean view = table.getSd() == null || table.getSd().getLocation() == null;
        if (p.getSd() == null && !view) {
            p.setSd(table.getSd().deepCopy());
            p.getSd().setLocation(null);
        }
        String location = p.getSd() == null ? null : p.getSd().getLocation();
        if (location == null || location.isBlank()) {
            if (view) {
                // A view's partition has no directory.
                if (p.getSd() != null) {
                    p.getSd().setLocation(null);
                }
            } else {
                p.getSd().setLocation(new org.apache.hadoop.fs.Path(table.getSd().getLocation(), name).toString());
            }
        } else {
            p.getSd().setLocation(ctx.warehouse.qualify(location));
        }
        if (p.getParameters() == null) {
            p.setParameters(new HashMap<>());
        }
        p.setCreateTime(now);
        if (p.getParameters().get(hive_metastoreConstants.DDL_TIME) == null) {
            p.getParameters().put(hive_metastoreConstants.DDL_TIME, String.valueOf(now));
        }
        return p;
    }

    /** The Hive-escaped partition name, after checking the values against the table's keys. */
    static String partitionName(Table table, List<String> values) throws MetaException {
        return partitionName(table, values, false);
    }

    /**
     * The Hive-escaped partition name; with {@code allowEmpty}, an empty value is Hive's default
     * partition ({@code __HIVE_DEFAULT_PARTITION__}), as the Hive Metastore names it when adding.
     */
    static String partitionName(Table table, List<String> values, boolean allowEmpty) throws MetaException {
        List<FieldSchema> keys = table.getPartitionKeys();
        if (keys == null || keys.isEmpty()) {
            throw new MetaException("Table " + table.getDbName() + "." + table.getTableName() + " is not partitioned");
        }
        if (values == null || values.size() != keys.size()) {
            throw new MetaException("Incorrect number of partition values: " + values + " for partition keys " + keys.stream().map(FieldSchema::getName).toList());
        }
        for (String v : values) {
            if (v == null || (v.isEmpty() && !allowEmpty)) {
                throw new MetaException("Partition values must not be empty: " + values);
            }
            if (v.length() > 512) {
                throw new MetaException("Partition value is longer than 512 characters: " + v.substring(0, 40) + "...");
            }
        }
        String name = PartitionNames.make(keys, values);
        if (name.length() > 760) {
            throw new MetaException("Partition name is longer than 760 characters: " + name.substring(0, 40) + "...");
        }
        return name;
    }

    // ---- append

    public Partition append_partition(String db, String table, List<String> values) throws TException {
        return append(ref(null, db, table), values, null);
    }

    public Partition append_partition_with_environment_context(String db, String table, List<String> values, EnvironmentContext context) throws TException {
        return append(ref(null, db, table), values, null);
    }

    public Partition append_partition_req(AppendPartitionsRequest request) throws TException {
        return append(ref(request.getCatalogName(), request.getDbName(), request.getTableName()), request.getPartVals(), request.getName());
    }

    public Partition append_partition_by_name(String db, String table, String name) throws TException {
        return append(ref(null, db, table), null, name);
    }

    public Partition append_partition_by_name_with_environment_context(String db, String table, String name, EnvironmentContext context) throws TException {
        return append(ref(null, db, table), null, name);
    }

    private Partition append(TableRef ref, List<String> values, String name) throws TException {
        Table table = ctx.read(c -> ctx.findTable(c, ref.catalog(), ref.db(), ref.table(), false))
                .orElseThrow(() -> new InvalidObjectException("Unable to add partition because table or database " + ref.qualified() + " does not exist"))
                .table();
        List<FieldSchema> keys = table.getPartitionKeys() == null ? List.of() : table.getPartitionKeys();
        if (keys.isEmpty()) {
            throw new MetaException("Table " + ref.qualified() + " is not partitioned");
        }
        if (table.getSd() == null || table.getSd().getLocation() == null) {
            throw new MetaException("Cannot append a partition to a view");
        }
        List<String> vals = values;
        if (vals == null || vals.isEmpty()) {
            if (name == null || name.isEmpty()) {
                throw new MetaException("append_partition needs partition values or a partition name");
            }
            Map<String, String> spec = new HashMap<>();
            try {
                spec = PartitionNames.spec(name);
            } catch (MetaException e) {
                // A component that is not key=value names no key: the keys are reported missing below.
            }
            // As the Hive Metastore reads a name: each key's value, other components ignored.
            vals = new ArrayList<>();
            for (FieldSchema key : keys) {
                String v = spec.get(lower(key.getName()));
                if (v == null) {
                    throw new InvalidObjectException("incomplete partition name - missing " + key.getName());
                }
                vals.add(v);
            }
        }
        if (vals.size() != keys.size()) {
            throw new MetaException("Incorrect number of partition values: " + vals + " for partition keys " + keys.stream().map(FieldSchema::getName).toList());
        }
        Partition p = new Partition();
        p.setDbName(ref.db());
        p.setTableName(ref.table());
        p.setCatName(ref.catalog());
        p.setValues(vals);
        if (table.getSd() != null) {
            p.setSd(table.getSd().deepCopy());
            p.getSd().setLocation(null);
        }
        return addPartitions(List.of(p), false, true, new Expected(ref.catalog(), ref.db(), ref.table(), false)).get(0);
    }

    // ---- read

    public Partition get_partition(String db, String table, List<String> values) throws TException {
        return getPartition(ref(null, db, table), values, null);
    }

    public GetPartitionResponse get_partition_req(GetPartitionRequest request) throws TException {
        return new GetPartitionResponse(getPartition(ref(request.getCatName(), request.getDbName(), request.getTblName()), request.getPartVals(), null));
    }

    public Partition get_partition_with_auth(String db, String table, List<String> values, String user, List<String> groups) throws TException {
        TableRef ref = ref(null, db, table);
        return withPrivileges(ref, List.of(getPartition(ref, values, null)), user, groups).get(0);
    }

    public Partition get_partition_by_name(String db, String table, String name) throws TException {
        return getPartition(ref(null, db, table), null, name);
    }

    private Partition getPartition(TableRef ref, List<String> values, String name) throws TException {
        if (name == null && (values == null || values.isEmpty())) {
            throw new MetaException("The partition values or name of a partition of " + ref.qualified() + " must be given");
        }
        return ctx.read(c -> {
            TableRow row = table(c, ref, false);
            String partName = name != null ? nameOrMissing(row.table(), name, ref) : partitionName(row.table(), values);
            return ctx.store.getPartition(c, row.id(), partName, false).map(PartitionRow::partition)
                    .orElseThrow(() -> new NoSuchObjectException("partition values=" + (values != null ? values : name) + " of table " + ref.qualified() + " not found"));
        });
    }

    private static String partitionNameOrMissing(Table table, List<String> values, TableRef ref) throws NoSuchObjectException {
        try {
            return partitionName(table, values);
        } catch (MetaException e) {
            throw new NoSuchObjectException("partition values=" + values + " of table " + ref.qualified() + " not found: " + e.getMessage());
        }
    }

    /** The stored name for a name a client sent; a name that does not name each of the table's keys names no partition. */
    private static String nameOrMissing(Table table, String name, TableRef ref) throws MetaException, NoSuchObjectException {
        if (name == null || name.isEmpty()) {
            throw new MetaException("The partition name must not be empty");
        }
        try {
            Map<String, String> spec = new HashMap<>();
            try {
                spec = PartitionNames.spec(name);
            } catch (MetaException e) {
                // A component that is not key=value names no key.
            }
            // As the Hive Metastore reads a name: each key's value, other components ignored.
            List<String> values = new ArrayList<>();
            for (FieldSchema key : table.getPartitionKeys() == null ? List.<FieldSchema>of() : table.getPartitionKeys()) {
                String v = spec.get(lower(key.getName()));
                if (v == null) {
                    throw new MetaException("incomplete partition name - missing " + key.getName());
                }
                values.add(v);
            }
            return partitionName(table, values);
        } catch (MetaException e) {
            throw new NoSuchObjectException("partition " + name + " of table " + ref.qualified() + " not found: " + e.getMessage());
        }
    }

    /** A name as clients send it, re-escaped the way it is stored. */
    private static String normalizePartName(Table table, String name) throws MetaException {
        List<String> values = PartitionNames.values(name);
        return partitionName(table, values);
    }

    public List<Partition> get_partitions_by_names(String db, String table, List<String> names) throws TException {
        return byNames(ref(null, db, table), names);
    }

    public GetPartitionsByNamesResult get_partitions_by_names_req(GetPartitionsByNamesRequest request) throws TException {
        return new GetPartitionsByNamesResult(byNames(ref(null, request.getDb_name(), request.getTbl_name()), request.getNames()));
    }

    private List<Partition> byNames(TableRef ref, List<String> names) throws TException {
        if (names == null) {
            throw new MetaException("The partition names of " + ref.qualified() + " cannot be null");
        }
        if (names.isEmpty()) {
            return List.of();
        }
        checkLimit(ref, names.size());
        return ctx.read(c -> {
            TableRow row = table(c, ref, false);
            List<String> normalized = new ArrayList<>(names.size());
            List<String> keys = row.table().getPartitionKeys().stream().map(k -> lower(k.getName())).toList();
            for (String n : names) {
                try {
                    // Names name partitions exactly, with the keys in lower case as Hive writes them.
                    if (n == null || !new ArrayList<>(PartitionNames.spec(n).keySet()).equals(keys)) {
                        continue;
                    }
                    normalized.add(normalizePartName(row.table(), n));
                } catch (MetaException e) {
                    // A malformed name matches no partition, as in the Hive Metastore.
                }
            }
            Optional<Map<String, PartitionRow>> cached = ctx.partitionCache.byName(row.id(), row.partitionsVersion());
            if (cached.isPresent()) {
                // As the store answers: each partition that exists once, in name order.
                return new TreeSet<>(normalized).stream().map(cached.get()::get).filter(Objects::nonNull).map(PartitionRow::partition).toList();
            }
            return ctx.store.getPartitions(c, row.id(), normalized).stream().map(PartitionRow::partition).toList();
        });
    }

    public List<Partition> get_partitions(String db, String table, short max) throws TException {
        return list(ref(null, db, table), Optional.empty(), max);
    }

    public PartitionsResponse get_partitions_req(PartitionsRequest request) throws TException {
        return new PartitionsResponse(list(ref(request.getCatName(), request.getDbName(), request.getTblName()), Optional.empty(), request.getMaxParts()));
    }

    public List<Partition> get_partitions_with_auth(String db, String table, short max, String user, List<String> groups) throws TException {
        TableRef ref = ref(null, db, table);
        return withPrivileges(ref, list(ref, Optional.empty(), max), user, groups);
    }

    public List<Partition> get_partitions_ps(String db, String table, List<String> values, short max) throws TException {
        return list(ref(null, db, table), Optional.of(new PartialSpec(values)), max);
    }

    public List<Partition> get_partitions_ps_with_auth(String db, String table, List<String> values, short max, String user, List<String> groups) throws TException {
        TableRef ref = ref(null, db, table);
        return withPrivileges(ref, list(ref, Optional.of(new PartialSpec(values)), max), user, groups);
    }

    public GetPartitionsPsWithAuthResponse get_partitions_ps_with_auth_req(GetPartitionsPsWithAuthRequest request) throws TException {
        TableRef ref = ref(request.getCatName(), request.getDbName(), request.getTblName());
        if (request.getPartNames() != null && !request.getPartNames().isEmpty()) {
            return new GetPartitionsPsWithAuthResponse(withPrivileges(ref, byNames(ref, request.getPartNames()), request.getUserName(), request.getGroupNames()));
        }
        // No values: every partition; an empty list of values is an error, as in the Hive Metastore.
        Optional<Selection> selection = request.isSetPartVals() ? Optional.of(new PartialSpec(request.getPartVals())) : Optional.empty();
        return new GetPartitionsPsWithAuthResponse(withPrivileges(ref, list(ref, selection, request.getMaxParts()), request.getUserName(), request.getGroupNames()));
    }

    /**
     * The partitions of a table with {@code PARTITION_LEVEL_PRIVILEGE=TRUE}, each with the privileges
     * of the user, the groups and the {@code public} role, as the Hive Metastore answers the
     * {@code *_with_auth} calls. Mortar keeps no grants, so each list of privileges is empty.
     */
    private List<Partition> withPrivileges(TableRef ref, List<Partition> partitions, String user, List<String> groups) throws TException {
        if (partitions.isEmpty()) {
            return partitions;
        }
        Table table = ctx.read(c -> table(c, ref, false).table());
        if (table.getParameters() == null || !"TRUE".equalsIgnoreCase(table.getParameters().get("PARTITION_LEVEL_PRIVILEGE"))) {
            return partitions;
        }
        PrincipalPrivilegeSet privileges = new PrincipalPrivilegeSet();
        if (user != null) {
            privileges.setUserPrivileges(new HashMap<>(Map.of(user, new ArrayList<>())));
        }
        if (groups != null && !groups.isEmpty()) {
            Map<String, List<PrivilegeGrantInfo>> byGroup = new HashMap<>();
            for (String group : groups) {
                byGroup.put(group, new ArrayList<>());
            }
            privileges.setGroupPrivileges(byGroup);
        }
        privileges.setRolePrivileges(new HashMap<>(Map.of("public", new ArrayList<>())));
        List<Partition> result = new ArrayList<>(partitions.size());
        for (Partition p : partitions) {
            Partition copy = p.deepCopy();
            copy.setPrivileges(privileges.deepCopy());
            result.add(copy);
        }
        return result;
    }

    public List<Partition> get_partitions_by_filter(String db, String table, String filter, short max) throws TException {
        return list(ref(null, db, table), Optional.of(new TextFilter(filter)), max);
    }

    public List<Partition> get_partitions_by_filter_req(GetPartitionsByFilterRequest request) throws TException {
        return list(ref(request.getCatName(), request.getDbName(), request.getTblName()), Optional.of(new TextFilter(request.getFilter())), request.getMaxParts());
    }

    public int get_num_partitions_by_filter(String db, String table, String filter) throws TException {
        TableRef ref = ref(null, db, table);
        return ctx.read(c -> {
            TableRow row = table(c, ref, false);
            return ctx.store.countPartitions(c, row.id(), toSql(row, Optional.of(new TextFilter(filter))));
        });
    }

    public List<String> get_partition_names(String db, String table, short max) throws TException {
        return names(ref(null, db, table), Optional.empty(), max);
    }

    /**
     * As in the Hive Metastore, the names of a table that is not there (or of a database or catalog
     * that is not) are none; an empty name still names no table (NoSuchObjectException).
     */
    public List<String> fetch_partition_names_req(PartitionsRequest request) throws TException {
        TableRef ref = ref(request.getCatName(), request.getDbName(), request.getTblName());
        boolean named = ref.db() != null && !ref.db().isEmpty() && ref.table() != null && !ref.table().isEmpty();
        if (named && ctx.read(c -> ctx.findTable(c, ref.catalog(), ref.db(), ref.table(), false)).isEmpty()) {
            return new ArrayList<>();
        }
        return names(ref, Optional.empty(), request.getMaxParts());
    }

    public List<String> get_partition_names_ps(String db, String table, List<String> values, short max) throws TException {
        return names(ref(null, db, table), Optional.of(new PartialSpec(values)), max);
    }

    public GetPartitionNamesPsResponse get_partition_names_ps_req(GetPartitionNamesPsRequest request) throws TException {
        TableRef ref = ref(request.getCatName(), request.getDbName(), request.getTblName());
        List<String> values = request.getPartValues() == null ? List.of() : request.getPartValues();
        return new GetPartitionNamesPsResponse(names(ref, Optional.of(new PartialSpec(values)), request.getMaxParts()));
    }

    public List<PartitionSpec> get_partitions_pspec(String db, String table, int max) throws TException {
        if (table == null && db != null) {
            // The Hive Metastore fails on the null name before anything else, and its client gets Thrift's internal error.
            throw new org.apache.thrift.TApplicationException(org.apache.thrift.TApplicationException.INTERNAL_ERROR,
                    "Internal error processing get_partitions_pspec: the table name is null");
        }
        TableRef ref = ref(null, db, table);
        return specs(ref, list(ref, Optional.empty(), max));
    }

    public List<PartitionSpec> get_part_specs_by_filter(String db, String table, String filter, int max) throws TException {
        TableRef ref = ref(null, db, table);
        return specs(ref, list(ref, Optional.of(new TextFilter(filter)), max));
    }

    /**
     * Partitions as the Hive Metastore groups them into specs: those under the table's location whose
     * storage descriptors differ only in their location share one descriptor, with paths relative to
     * the table's location; the others come as a list of whole partitions.
     */
    private List<PartitionSpec> specs(TableRef ref, List<Partition> partitions) throws TException {
        Table table = ctx.read(c -> table(c, ref, false)).table();
        String root = table.getSd() == null ? null : table.getSd().getLocation();
        if (table.getParameters() == null || !"true".equalsIgnoreCase(table.getParameters().get("hive.hcatalog.partition.spec.grouping.enabled"))) {
            // Grouping by storage descriptor is off unless the table asks for it, as in the Hive Metastore.
            root = null;
        }
        Map<StorageDescriptor, List<org.apache.hadoop.hive.metastore.api.PartitionWithoutSD>> shared = new LinkedHashMap<>();
        List<Partition> whole = new ArrayList<>();
        for (Partition p : partitions) {
            String location = p.getSd() == null ? null : p.getSd().getLocation();
            if (root == null || location == null || !location.startsWith(root + "/")) {
                whole.add(p);
                continue;
            }
            StorageDescriptor sd = p.getSd().deepCopy();
            sd.setLocation(null);
            org.apache.hadoop.hive.metastore.api.PartitionWithoutSD without = new org.apache.hadoop.hive.metastore.api.PartitionWithoutSD(
                    p.getValues(), p.getCreateTime(), p.getLastAccessTime(), location.substring(root.length()), p.getParameters());
            if (p.isSetPrivileges()) {
                without.setPrivileges(p.getPrivileges());
            }
            shared.computeIfAbsent(sd, k -> new ArrayList<>()).add(without);
        }
        List<PartitionSpec> specs = new ArrayList<>();
        for (Map.Entry<StorageDescriptor, List<org.apache.hadoop.hive.metastore.api.PartitionWithoutSD>> e : shared.entrySet()) {
            PartitionSpec spec = spec(table);
            spec.setRootPath(root);
            StorageDescriptor sd = e.getKey().deepCopy();
            sd.setLocation(root);
            spec.setSharedSDPartitionSpec(new org.apache.hadoop.hive.metastore.api.PartitionSpecWithSharedSD(e.getValue(), sd));
            specs.add(spec);
        }
        if (!whole.isEmpty() || specs.isEmpty()) {
            PartitionSpec spec = spec(table);
            spec.setRootPath(root);
            spec.setPartitionList(new org.apache.hadoop.hive.metastore.api.PartitionListComposingSpec(whole));
            specs.add(spec);
        }
        return specs;
    }

    private static PartitionSpec spec(Table table) {
        PartitionSpec spec = new PartitionSpec();
        spec.setCatName(table.getCatName() == null ? HmsContext.DEFAULT_CATALOG : table.getCatName());
        spec.setDbName(table.getDbName());
        spec.setTableName(table.getTableName());
        return spec;
    }

    /** The values of some partition keys, one row per partition (distinct rows if asked), in the order of those values. */
    public org.apache.hadoop.hive.metastore.api.PartitionValuesResponse get_partition_values(org.apache.hadoop.hive.metastore.api.PartitionValuesRequest request) throws TException {
        if (request == null || request.getDbName() == null || request.getTblName() == null) {
            throw new MetaException("The database and table name cannot be null.");
        }
        TableRef ref = ref(request.getCatName(), request.getDbName(), request.getTblName());
        List<FieldSchema> wanted = request.getPartitionKeys() == null ? List.of() : request.getPartitionKeys();
        List<Partition> partitions;
        Table table;
        try {
            table = ctx.read(c -> table(c, ref, false)).table();
            partitions = list(ref, request.isSetFilter() ? Optional.of(new TextFilter(request.getFilter())) : Optional.empty(), -1);
        } catch (NoSuchObjectException e) {
            // As the Hive Metastore answers this call for a table that is not there.
            throw new MetaException(e.getMessage());
        }
        List<String> keyNames = table.getPartitionKeys().stream().map(k -> lower(k.getName())).toList();
        List<Integer> positions = new ArrayList<>();
        for (FieldSchema key : wanted) {
            int i = keyNames.indexOf(lower(key.getName()));
            if (i < 0) {
                throw new MetaException("Column " + key.getName() + " is not a partition key of " + ref.qualified());
            }
            positions.add(i);
        }
        if (positions.isEmpty()) {
            throw new MetaException("get_partition_values needs at least one partition key");
        }
        java.util.Collection<List<String>> rows = request.isApplyDistinct() ? new LinkedHashSet<>() : new ArrayList<>();
        for (Partition p : partitions) {
            List<String> row = new ArrayList<>(positions.size());
            positions.forEach(i -> row.add(p.getValues().get(i)));
            rows.add(row);
        }
        Comparator<List<String>> order = (a, b) -> {
            for (int i = 0; i < a.size(); i++) {
                int c = a.get(i).compareTo(b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        List<List<String>> sorted = new ArrayList<>(rows);
        sorted.sort(request.isAscending() ? order : order.reversed());
        if (request.isSetMaxParts() && request.getMaxParts() >= 0 && sorted.size() > request.getMaxParts()) {
            sorted = sorted.subList(0, (int) request.getMaxParts());
        }
        List<org.apache.hadoop.hive.metastore.api.PartitionValuesRow> out = new ArrayList<>();
        sorted.forEach(r -> out.add(new org.apache.hadoop.hive.metastore.api.PartitionValuesRow(new ArrayList<>(r))));
        return new org.apache.hadoop.hive.metastore.api.PartitionValuesResponse(out);
    }

    /** What selects partitions: a filter in Hive's language, or partial values where "" is any. */
    private sealed interface Selection permits TextFilter, PartialSpec {}

    private record TextFilter(String filter) implements Selection {}

    private record PartialSpec(List<String> values) implements Selection {}

    private Optional<Sql> toSql(TableRow row, Optional<Selection> selection) throws MetaException {
        return toSql(row.id(), row.table().getPartitionKeys(), toFilter(row, selection));
    }

    private static Optional<Sql> toSql(long tableId, List<FieldSchema> keys, Optional<PartitionFilter> filter) throws MetaException {
        if (filter.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PartitionFilterSql(tableId, keys).toJoinedSql(filter.get()));
        } catch (IllegalArgumentException e) {
            throw new MetaException(e.getMessage());
        }
    }

    /** The selection as a filter; none when it selects every partition. */
    private static Optional<PartitionFilter> toFilter(TableRow row, Optional<Selection> selection) throws MetaException {
        if (selection.isEmpty()) {
            return Optional.empty();
        }
        List<FieldSchema> keys = row.table().getPartitionKeys();
        PartitionFilter filter = null;
        switch (selection.get()) {
            case TextFilter text -> {
                if (text.filter() == null || text.filter().isBlank()) {
                    return Optional.empty();
                }
                try {
                    filter = PartitionFilter.parse(text.filter());
                } catch (PartitionFilter.ParseException e) {
                    throw new MetaException(e.getMessage());
                }
            }
            case PartialSpec spec -> {
                if (spec.values() == null || spec.values().isEmpty()) {
                    throw new MetaException("The partition values must not be empty");
                }
                List<String> values = spec.values();
                if (values.size() > keys.size()) {
                    throw new MetaException("Incorrect number of partition values: " + values + " for partition keys " + keys.stream().map(FieldSchema::getName).toList());
                }
                for (int i = 0; i < values.size(); i++) {
                    String v = values.get(i);
                    if (v != null && !v.isEmpty()) {
                        PartitionFilter eq = new PartitionFilter.Compare(keys.get(i).getName(), PartitionFilter.Op.EQ, new PartitionFilter.Literal(v, false));
                        filter = filter == null ? eq : new PartitionFilter.And(filter, eq);
                    }
                }
                if (filter == null) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(filter);
    }

    /** The selected partitions from the cache, in the store's order, when it holds the table's partitions at this version. */
    private Optional<List<PartitionRow>> cached(TableRow row, Optional<PartitionFilter> filter) {
        if (filter.isEmpty()) {
            return ctx.partitionCache.rows(row.id(), row.partitionsVersion());
        }
        // Without an equality or a range on some key, testing every cached partition of a large table costs more
        // than the store's indexed SQL: the cache then answers nothing.
        return PartitionFilterMatcher.forFilter(ctx.store.dialect(), row.table().getPartitionKeys(), filter.get())
                .flatMap(s -> ctx.partitionCache.selected(row.id(), row.partitionsVersion(), ctx.store.dialect(), s));
    }

    private List<Partition> list(TableRef ref, Optional<Selection> selection, int max) throws TException {
        return ctx.read(c -> {
            TableRow row = table(c, ref, false);
            Optional<PartitionFilter> filter = toFilter(row, selection);
            Optional<Sql> sql = toSql(row.id(), row.table().getPartitionKeys(), filter);
            checkLimit(c, ref, row, sql, max);
            Optional<List<PartitionRow>> cached = cached(row, filter);
            if (cached.isPresent()) {
                return first(cached.get(), max).stream().map(PartitionRow::partition).toList();
            }
            List<PartitionRow> rows = ctx.store.listPartitions(c, row.id(), sql, max);
            if (sql.isEmpty() && max < 0) {
                ctx.partitionCache.putRows(row.id(), row.partitionsVersion(), rows);
            }
            return rows.stream().map(PartitionRow::partition).toList();
        });
    }

    private List<String> names(TableRef ref, Optional<Selection> selection, int max) throws TException {
        return ctx.read(c -> {
            TableRow row = table(c, ref, false);
            Optional<PartitionFilter> filter = toFilter(row, selection);
            Optional<Sql> sql = toSql(row.id(), row.table().getPartitionKeys(), filter);
            if (sql.isEmpty()) {
                Optional<List<String>> cached = ctx.partitionCache.names(row.id(), row.partitionsVersion());
                if (cached.isPresent()) {
                    // All of them: the cached list itself, which is sent as encoded before.
                    return max < 0 || max >= cached.get().size() ? cached.get() : new ArrayList<>(cached.get().subList(0, max));
                }
            } else {
                Optional<List<PartitionRow>> cached = cached(row, filter);
                if (cached.isPresent()) {
                    return new ArrayList<>(first(cached.get(), max).stream().map(PartitionRow::name).toList());
                }
            }
            List<String> names = ctx.store.listPartitionNames(c, row.id(), sql, max);
            if (sql.isEmpty() && max < 0) {
                ctx.partitionCache.putNames(row.id(), row.partitionsVersion(), names);
            }
            return names;
        });
    }

    private static <T> List<T> first(List<T> all, int max) {
        return max < 0 || max >= all.size() ? all : all.subList(0, max);
    }

    /** As {@code metastore.limit.partition.request}: a request for more partitions than the limit fails. */
    private void checkLimit(Connection c, TableRef ref, TableRow row, Optional<Sql> sql, int max) throws SQLException, MetaException {
        int limit = ctx.config.getInt("mortar.limit.partition.request");
        if (limit < 0 || (max >= 0 && max <= limit)) {
            return;
        }
        int count = ctx.store.countPartitions(c, row.id(), sql);
        if (count > limit) {
            throw limitExceeded(ref, count, limit);
        }
    }

    private void checkLimit(TableRef ref, int requested) throws MetaException {
        int limit = ctx.config.getInt("mortar.limit.partition.request");
        if (limit >= 0 && requested > limit) {
            throw limitExceeded(ref, requested, limit);
        }
    }

    private static MetaException limitExceeded(TableRef ref, int count, int limit) {
        return new MetaException("Number of partitions scanned (=" + count + ") on table '" + ref.table() + "' exceeds limit (=" + limit
                + "). This is controlled on the metastore server by metastore.limit.partition.request.");
    }

    // ---- alter and rename

    public void alter_partition(String db, String table, Partition partition) throws TException {
        alter(ref(null, db, table), List.of(partition));
    }

    public void alter_partition_with_environment_context(String db, String table, Partition partition, EnvironmentContext context) throws TException {
        alter(ref(null, db, table), List.of(partition));
    }

    public void alter_partitions(String db, String table, List<Partition> partitions) throws TException {
        alter(ref(null, db, table), partitions);
    }

    public void alter_partitions_with_environment_context(String db, String table, List<Partition> partitions, EnvironmentContext context) throws TException {
        alter(ref(null, db, table), partitions);
    }

    public AlterPartitionsResponse alter_partitions_req(AlterPartitionsRequest request) throws TException {
        alter(ref(request.getCatName(), request.getDbName(), request.getTableName()), request.getPartitions());
        return new AlterPartitionsResponse();
    }

    private void alter(TableRef ref, List<Partition> partitions) throws TException {
        if (partitions == null || partitions.isEmpty()) {
            throw new InvalidOperationException("The list of partitions to alter of " + ref.qualified() + " is empty");
        }
        ctx.tx(c -> {
            Optional<TableRow> found = ctx.findTable(c, ref.catalog(), ref.db(), ref.table(), false);
            if (found.isEmpty()) {
                throw new InvalidOperationException("Unable to alter partition because table or database does not exist.");
            }
            TableRow row = found.get();
            Table table = row.table();
            List<String> names = new ArrayList<>();
            for (Partition p : partitions) {
                if (p == null) {
                    throw new InvalidOperationException("A partition to alter is null");
                }
                requireSameTable(ref, p);
                names.add(partitionName(table, p.getValues()));
            }
            Map<String, PartitionRow> existing = new HashMap<>();
            for (PartitionRow p : ctx.store.getPartitions(c, row.id(), names)) {
                existing.put(p.name(), p);
            }
            List<PartitionRow> updated = new ArrayList<>();
            List<Partition> before = new ArrayList<>();
            for (int i = 0; i < partitions.size(); i++) {
                PartitionRow old = existing.get(names.get(i));
                if (old == null) {
                    throw new InvalidOperationException("alter is not possible: partition " + names.get(i) + " of " + ref.qualified() + " does not exist");
                }
                Partition p = partitions.get(i).deepCopy();
                p.setCatName(ref.catalog());
                p.setDbName(table.getDbName());
                p.setTableName(table.getTableName());
                // A create time given with the new definition is kept, as in the Hive Metastore; none keeps the old one.
                if (p.getCreateTime() == 0) {
                    p.setCreateTime(old.partition().getCreateTime());
                }
                if (p.getSd() == null) {
                    p.setSd(old.partition().getSd());
                } else if (p.getSd().getLocation() == null || p.getSd().getLocation().isBlank()) {
                    p.getSd().setLocation(old.partition().getSd() == null ? null : old.partition().getSd().getLocation());
                } else {
                    p.getSd().setLocation(ctx.warehouse.qualify(p.getSd().getLocation()));
                }
                if (p.getParameters() == null) {
                    p.setParameters(new HashMap<>());
                }
                if (p.getParameters().get(hive_metastoreConstants.DDL_TIME) == null || "0".equals(p.getParameters().get(hive_metastoreConstants.DDL_TIME))) {
                    p.getParameters().put(hive_metastoreConstants.DDL_TIME, String.valueOf(HmsContext.now()));
                }
                updated.add(new PartitionRow(old.id(), old.name(), p));
                before.add(old.partition());
            }
            ctx.store.updatePartitionBodies(c, row.id(), updated);
            for (int i = 0; i < updated.size(); i++) {
                ctx.event(c, "ALTER_PARTITION", ref.catalog(), ref.db(), ref.table(), Map.of(
                        "tableType", table.getTableType(),
                        "keyValues", PartitionNames.spec(table.getPartitionKeys(), updated.get(i).partition().getValues()),
                        "tableObjJson", HmsContext.thriftJson(table),
                        "partitionObjBeforeJson", HmsContext.thriftJson(before.get(i)),
                        "partitionObjAfterJson", HmsContext.thriftJson(updated.get(i).partition()),
                        "isTruncateOp", "false"));
            }
            return null;
        });
    }

    public void rename_partition(String db, String table, List<String> values, Partition newPartition) throws TException {
        rename(ref(null, db, table), values, newPartition);
    }

    public RenamePartitionResponse rename_partition_req(RenamePartitionRequest request) throws TException {
        rename(ref(request.getCatName(), request.getDbName(), request.getTableName()), request.getPartVals(), request.getNewPart());
        return new RenamePartitionResponse();
    }

    /** A partition's own database and table must be the call's: an alter or rename never moves a partition to another table. */
    private static void requireSameTable(TableRef ref, Partition p) throws MetaException {
        if (p.getDbName() == null || p.getTableName() == null) {
            throw new MetaException("The partition " + p.getValues() + " must name its database and table");
        }
        if (!ref.db().equals(HmsContext.parseDbName(p.getDbName()).name()) || !ref.table().equals(lower(p.getTableName()))) {
            throw new MetaException("Partition " + p.getValues() + " belongs to " + p.getDbName() + "." + p.getTableName() + ", not to " + ref.qualified()
                    + "; the database or table of a partition cannot be changed");
        }
    }

    private void rename(TableRef ref, List<String> oldValues, Partition newPartition) throws TException {
        if (newPartition == null) {
            throw new MetaException("The new partition must not be null");
        }
        if (oldValues == null || oldValues.isEmpty()) {
            alter(ref, List.of(newPartition));
            return;
        }
        String[] move = new String[2];
        ctx.tx(c -> {
            TableRow row = ctx.findTable(c, ref.catalog(), ref.db(), ref.table(), false)
                    .orElseThrow(() -> new InvalidOperationException("Unable to rename partition because table or database does not exist."));
            requireSameTable(ref, newPartition);
            Table table = row.table();
            String oldName;
            try {
                oldName = partitionName(table, oldValues);
            } catch (MetaException e) {
                throw new InvalidOperationException("Unable to rename partition " + oldValues + " of " + ref.qualified() + " because old partition does not exist: " + e.getMessage());
            }
            String newName = partitionName(table, newPartition.getValues());
            PartitionRow old = ctx.store.getPartition(c, row.id(), oldName, true)
                    .orElseThrow(() -> new InvalidOperationException("Unable to rename partition: partition " + oldName + " of " + ref.qualified() + " does not exist"));
            if (!oldName.equals(newName) && ctx.store.getPartition(c, row.id(), newName, false).isPresent()) {
                throw new InvalidOperationException("Unable to rename partition to " + newName + ": it already exists in " + ref.qualified());
            }
            Partition p = newPartition.deepCopy();
            p.setCatName(ref.catalog());
            p.setDbName(table.getDbName());
            p.setTableName(table.getTableName());
            if (p.getCreateTime() == 0) {
                p.setCreateTime(old.partition().getCreateTime());
            }
            if (p.getSd() == null) {
                p.setSd(old.partition().getSd().deepCopy());
            }
            String oldLocation = old.partition().getSd() == null ? null : old.partition().getSd().getLocation();
            String defaultOld = table.getSd() == null || table.getSd().getLocation() == null ? null
                    : new org.apache.hadoop.fs.Path(table.getSd().getLocation(), oldName).toString();
            // A managed table's partition at its default folder moves to the new name's, whatever location the new definition names.
            if (TableHandler.isManaged(table) && oldLocation != null && oldLocation.equals(defaultOld)) {
                String newLocation = new org.apache.hadoop.fs.Path(table.getSd().getLocation(), newName).toString();
                p.getSd().setLocation(newLocation);
                move[0] = oldLocation;
                move[1] = newLocation;
            }
            if (p.getParameters() == null) {
                p.setParameters(new HashMap<>());
            }
            p.getParameters().put(hive_metastoreConstants.DDL_TIME, String.valueOf(HmsContext.now()));
            ctx.store.updatePartition(c, row.id(), old.id(), newName, table.getPartitionKeys(), p);
            ctx.event(c, "ALTER_PARTITION", ref.catalog(), ref.db(), ref.table(), Map.of(
                    "tableType", table.getTableType(),
                    "keyValues", PartitionNames.spec(table.getPartitionKeys(), oldValues),
                    "tableObjJson", HmsContext.thriftJson(table),
                    "partitionObjBeforeJson", HmsContext.thriftJson(old.partition()),
                    "partitionObjAfterJson", HmsContext.thriftJson(p),
                    "isTruncateOp", "false"));
            return null;
        });
        if (move[0] != null) {
            ctx.warehouse.rename(move[0], move[1]);
        }
    }

    // ---- drop

    public boolean drop_partition(String db, String table, List<String> values, boolean deleteData) throws TException {
        return dropOne(ref(null, db, table), values, null, deleteData, null);
    }

    public boolean drop_partition_with_environment_context(String db, String table, List<String> values, boolean deleteData, EnvironmentContext context) throws TException {
        return dropOne(ref(null, db, table), values, null, deleteData, context);
    }

    public boolean drop_partition_by_name(String db, String table, String name, boolean deleteData) throws TException {
        return dropOne(ref(null, db, table), null, name, deleteData, null);
    }

    public boolean drop_partition_by_name_with_environment_context(String db, String table, String name, boolean deleteData, EnvironmentContext context) throws TException {
        return dropOne(ref(null, db, table), null, name, deleteData, context);
    }

    public boolean drop_partition_req(DropPartitionRequest request) throws TException {
        return dropOne(ref(request.getCatName(), request.getDbName(), request.getTblName()), request.getPartVals(), request.getPartName(),
                !request.isSetDeleteData() || request.isDeleteData(), request.getEnvironmentContext());
    }

    private boolean dropOne(TableRef ref, List<String> values, String name, boolean deleteData, EnvironmentContext context) throws TException {
        List<Partition> dropped = drop(ref, values != null && !values.isEmpty() ? null : List.of(name), values, deleteData, false, context);
        return !dropped.isEmpty();
    }

    public DropPartitionsResult drop_partitions_req(DropPartitionsRequest request) throws TException {
        TableRef ref = ref(request.getCatName(), request.getDbName(), request.getTblName());
        if (request.getParts() == null || !request.getParts().isSetNames()) {
            throw new MetaException("Dropping partitions by expression is not supported; send partition names");
        }
        List<Partition> dropped = drop(ref, request.getParts().getNames(), null, !request.isSetDeleteData() || request.isDeleteData(), request.isIfExists(), request.getEnvironmentContext());
        DropPartitionsResult result = new DropPartitionsResult();
        if (request.isNeedResult()) {
            result.setPartitions(dropped);
        }
        return result;
    }

    private List<Partition> drop(TableRef ref, List<String> names, List<String> values, boolean deleteData, boolean ifExists, EnvironmentContext context) throws TException {
        boolean purgeRequested = context != null && context.getProperties() != null && "TRUE".equalsIgnoreCase(context.getProperties().get("ifPurge"));
        List<TableHandler.DataDeletion> deletions = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<String> tableLocation = new java.util.concurrent.atomic.AtomicReference<>();
        boolean hiveAnswers = ctx.hiveAnswers();
        Set<String> archives = new HashSet<>();
        List<Partition> dropped = ctx.tx(c -> {
            deletions.clear();
            archives.clear();
            List<String> single = names == null ? values : names.size() == 1 ? valuesOrNull(names.get(0)) : null;
            Optional<CatalogStore.TableAndPartitions> both = single == null || single.isEmpty() || single.contains(null) || ref.db() == null || ref.table() == null
                    ? Optional.empty()
                    // One partition, the common case: the table and the partition in one query.
                    : ctx.store.getTableAndPartition(c, ref.catalog(), ref.db(), ref.table(), single);
            TableRow row = both.isPresent() ? both.get().table() : table(c, ref, false);
            Table table = row.table();
            List<String> wanted = new ArrayList<>();
            if (names != null) {
                for (String n : names) {
                    if (n == null) {
                        throw new MetaException("A partition name to drop is null");
                    }
                    wanted.add(nameOrMissing(table, n, ref));
                }
            } else {
                // Values of the wrong number name no partition; the Hive Metastore answers a MetaException.
                if (hiveAnswers && table.getPartitionKeysSize() > 0 && values.size() != table.getPartitionKeysSize()) {
                    throw new MetaException("Incorrect number of partition values: " + values + " for partition keys "
                            + table.getPartitionKeys().stream().map(FieldSchema::getName).toList());
                }
                wanted.add(partitionNameOrMissing(table, values, ref));
            }
            List<PartitionRow> found = both.map(b -> b.partitions().stream().filter(p -> p.name().equals(wanted.get(0))).toList()).orElse(List.of());
            if (found.isEmpty()) {
                found = ctx.store.getPartitions(c, row.id(), wanted);
            }
            if (found.size() < new HashSet<>(wanted).size() && !ifExists) {
                Set<String> present = new HashSet<>();
                found.forEach(p -> present.add(p.name()));
                String missing = wanted.stream().filter(w -> !present.contains(w)).findFirst().orElse("?");
                throw new NoSuchObjectException("Partition doesn't exist. " + ref.qualified() + " " + (values != null ? values : missing));
            }
            boolean deletesData = deleteData && TableHandler.isManaged(table);
            if (deletesData && ctx.behaviour.storageChecks()) {
                // As Hive's metastore.authorization.storage.checks: the data goes only if its folders may be written.
                for (PartitionRow p : found) {
                    for (String location : partitionData(p.partition(), true)) {
                        Path parent = new Path(location).getParent();
                        if (!ctx.warehouse.isWritable(parent)) {
                            throw new MetaException("Table partition not deleted since " + parent + " is not writable by " + Warehouse.user());
                        }
                    }
                }
            }
            // The deletes and the event in one round trip.
            CatalogStore.PartitionsDeletion deletion = ctx.store.partitionsDeletion(row.id(), row.partitionsVersion(), found);
            List<CatalogStore.Write> writes = new ArrayList<>(deletion.writes());
            List<Partition> result = found.stream().map(PartitionRow::partition).toList();
            if (!result.isEmpty()) {
                writes.addAll(partitionEvent("DROP_PARTITION", ref, table, result));
            }
            deletion.ran(ctx.store.executeLast(c, writes));
            if (deletesData) {
                boolean purge = purgeRequested || TableHandler.skipsTrash(table);
                for (Partition p : result) {
                    for (String location : partitionData(p, false)) {
                        deletions.add(new TableHandler.DataDeletion(location, purge, table.getOwner()));
                    }
                    if (isArchived(p)) {
                        archives.add(originalLocation(p));
                    }
                }
                tableLocation.set(table.getSd() == null ? null : table.getSd().getLocation());
            }
            return result;
        });
        for (TableHandler.DataDeletion d : deletions) {
            ctx.warehouse.deleteData(d.location(), d.purge(), d.owner());
        }
        if (!deletions.isEmpty() && tableLocation.get() != null) {
            // An archive's folder goes alone, as in the Hive Metastore: the folders around it stay.
            deleteEmptyParents(tableLocation.get(), deletions.stream().filter(d -> !archives.contains(d.location())).toList());
        }
        return dropped;
    }

    /** Hive's archived partition (ARCHIVE PARTITION): its files are in a Hadoop archive kept at its original location. */
    private static boolean isArchived(Partition p) {
        return p.getParameters() != null && "true".equalsIgnoreCase(p.getParameters().get("is_archived"));
    }

    private static String originalLocation(Partition p) {
        return p.getParameters() == null ? null : p.getParameters().get("original_location");
    }

    /**
     * The folders a drop with data deletes for a partition, as the Hive Metastore chooses them: an archived partition's
     * original location (where its archive is), otherwise its location. For the storage check ({@code checked}), an
     * archived partition's location is checked too, as the Hive Metastore checks it.
     */
    private static List<String> partitionData(Partition p, boolean checked) {
        List<String> result = new ArrayList<>();
        String location = p.getSd() == null ? null : p.getSd().getLocation();
        if (isArchived(p)) {
            if (originalLocation(p) != null) {
                result.add(originalLocation(p));
            }
            if (checked && location != null) {
                result.add(location);
            }
        } else if (location != null) {
            result.add(location);
        }
        return result;
    }

    /**
     * Deletes the folders between the table's and its dropped partitions' that the drops left empty
     * ({@code year=2017} once its last {@code month=...} is gone), as the Hive Metastore does. Only
     * folders under the table's location are considered, deepest first.
     */
    private void deleteEmptyParents(String tableLocation, List<TableHandler.DataDeletion> deletions) {
        Path table = new Path(tableLocation);
        TreeSet<Path> parents = new TreeSet<>(Comparator.comparingInt(Path::depth).reversed().thenComparing(Path::toString));
        for (TableHandler.DataDeletion d : deletions) {
            if (!ctx.warehouse.isSubdirectory(tableLocation, d.location())) {
                continue;
            }
            for (Path parent = new Path(d.location()).getParent(); parent != null && parent.depth() > table.depth(); parent = parent.getParent()) {
                parents.add(parent);
            }
        }
        for (Path parent : parents) {
            try {
                FileSystem fs = parent.getFileSystem(ctx.warehouse.conf());
                if (fs.getFileStatus(parent).isDirectory() && !fs.listStatusIterator(parent).hasNext()) {
                    fs.delete(parent, false);
                }
            } catch (java.io.FileNotFoundException e) {
                // Gone already.
            } catch (IOException e) {
                // The drop is committed; an empty folder left behind is reported, not fatal.
                LOG.warn("Could not delete the empty folder {}: {}", parent, e.getMessage());
            }
        }
    }

    /** The values in a partition name, or null for a malformed name (whose error comes once the table is read). */
    private static List<String> valuesOrNull(String name) {
        try {
            return name == null ? null : PartitionNames.values(name);
        } catch (MetaException e) {
            return null;
        }
    }

    // ---- exchange

    public Partition exchange_partition(Map<String, String> spec, String sourceDb, String sourceTable, String destDb, String destTable) throws TException {
        exchange(spec, sourceDb, sourceTable, destDb, destTable);
        // As the Hive Metastore answers: an empty partition; the exchanged ones are read with the destination.
        return new Partition();
    }

    public List<Partition> exchange_partitions(Map<String, String> spec, String sourceDb, String sourceTable, String destDb, String destTable) throws TException {
        return exchange(spec, sourceDb, sourceTable, destDb, destTable);
    }

    /**
     * Moves the partitions of the source table that match a partial spec (keys missing or empty match
     * any value) to the destination table, whose columns and partition keys must be the same, with
     * their directory: {@code <source location>/<spec's name>} is renamed to the same path under the
     * destination's location, as the Hive Metastore does. All or nothing: a partition that exists in
     * the destination already, or a directory that cannot be moved, fails the call and changes nothing.
     */
    private List<Partition> exchange(Map<String, String> spec, String sourceDb, String sourceTable, String destDb, String destTable) throws TException {
        if (spec == null || sourceDb == null || sourceTable == null || destDb == null || destTable == null) {
            throw new MetaException("The DB and table name for the source and destination tables, and the partition specs must not be null.");
        }
        TableRef source = ref(null, sourceDb, sourceTable);
        TableRef dest = ref(null, destDb, destTable);
        String[] move = new String[2];
        boolean[] moved = {false};
        try {
            List<Partition> exchanged = ctx.tx(c -> {
                if (moved[0]) {
                    // The writes or the commit failed after the directory moved, and the transaction runs again.
                    ctx.warehouse.move(move[1], move[0]);
                    moved[0] = false;
                }
                TableRow destRow = ctx.findTable(c, dest.catalog(), dest.db(), dest.table(), false)
                        .orElseThrow(() -> new MetaException("The destination table " + dest.qualified() + " not found"));
                TableRow sourceRow = ctx.findTable(c, source.catalog(), source.db(), source.table(), false)
                        .orElseThrow(() -> new MetaException("The source table " + source.qualified() + " not found"));
                Table from = sourceRow.table();
                Table to = destRow.table();
                List<FieldSchema> keys = from.getPartitionKeys() == null ? List.of() : from.getPartitionKeys();
                List<String> values = new ArrayList<>();
                List<FieldSchema> presentKeys = new ArrayList<>();
                List<String> presentValues = new ArrayList<>();
                for (FieldSchema key : keys) {
                    String v = spec.get(key.getName());
                    values.add(v == null ? "" : v);
                    if (v != null && !v.isEmpty()) {
                        presentKeys.add(key);
                        presentValues.add(v);
                    }
                }
                Optional<Sql> sql = toSql(sourceRow, Optional.of(new PartialSpec(values)));
                List<PartitionRow> matching = ctx.store.listPartitions(c, sourceRow.id(), sql, -1);
                if (matching.isEmpty()) {
                    throw new MetaException("No partition is found with the values " + spec + " for the table " + source.table());
                }
                if (!sameColumns(from.getSd() == null ? null : from.getSd().getCols(), to.getSd() == null ? null : to.getSd().getCols())
                        || !sameColumns(from.getPartitionKeys(), to.getPartitionKeys())) {
                    throw new MetaException("The tables have different schemas. Their partitions cannot be exchanged.");
                }
                if (presentKeys.isEmpty()) {
                    throw new MetaException("Invalid partition key & values; keys " + presentKeys + ", values " + presentValues);
                }
                if (from.getSd() == null || from.getSd().getLocation() == null || to.getSd() == null || to.getSd().getLocation() == null) {
                    throw new MetaException("Partitions can only be exchanged between tables with locations");
                }
                String prefix = PartitionNames.make(presentKeys, presentValues);
                String sourcePath = new org.apache.hadoop.fs.Path(from.getSd().getLocation(), prefix).toString();
                String destPath = new org.apache.hadoop.fs.Path(to.getSd().getLocation(), prefix).toString();
                Set<String> names = new TreeSet<>();
                matching.forEach(p -> names.add(p.name()));
                List<PartitionRow> clashing = ctx.store.getPartitions(c, destRow.id(), names);
                if (!clashing.isEmpty()) {
                    throw new MetaException("Partition " + clashing.get(0).name() + " already exists in the destination table " + dest.qualified());
                }
                List<PartitionRow> added = new ArrayList<>();
                for (PartitionRow p : matching) {
                    Partition copy = p.partition().deepCopy();
                    copy.setCatName(to.getCatName() == null ? HmsContext.DEFAULT_CATALOG : to.getCatName());
                    copy.setDbName(to.getDbName());
                    copy.setTableName(to.getTableName());
                    if (copy.getSd() == null) {
                        copy.setSd(new StorageDescriptor());
                    }
                    copy.getSd().setLocation(new org.apache.hadoop.fs.Path(to.getSd().getLocation(), p.name()).toString());
                    added.add(new PartitionRow(0, p.name(), copy));
                }
                List<Partition> result = added.stream().map(PartitionRow::partition).toList();
                // The directory first: a store may commit with its last writes (MariaDB), so nothing may fail after them.
                // A failure from here on moves it back (below).
                ctx.warehouse.move(sourcePath, destPath);
                move[0] = sourcePath;
                move[1] = destPath;
                moved[0] = true;
                CatalogStore.PartitionsDeletion deletion = ctx.store.partitionsDeletion(sourceRow.id(), sourceRow.partitionsVersion(), matching);
                List<CatalogStore.Write> writes = new ArrayList<>(deletion.writes());
                writes.addAll(partitionEvent("DROP_PARTITION", source, from, matching.stream().map(PartitionRow::partition).toList()));
                deletion.ran(ctx.store.execute(c, writes));
                ctx.store.insertPartitions(c, destRow.id(), destRow.partitionsVersion(), to.getPartitionKeys(), added,
                        partitionEvent("ADD_PARTITION", dest, to, result));
                return result;
            });
            LOG.info("Exchanged {} partitions of {} matching {} into {}", exchanged.size(), source.qualified(), spec, dest.qualified());
            return exchanged;
        } catch (TException | RuntimeException e) {
            if (moved[0]) {
                // The directory moved but the transaction did not commit: put it back.
                try {
                    ctx.warehouse.move(move[1], move[0]);
                } catch (MetaException back) {
                    e.addSuppressed(back);
                }
            }
            throw e;
        }
    }

    /** Same names and types in the same order (comments may differ), as the Hive Metastore compares schemas. */
    private static boolean sameColumns(List<FieldSchema> a, List<FieldSchema> b) {
        List<FieldSchema> x = a == null ? List.of() : a;
        List<FieldSchema> y = b == null ? List.of() : b;
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!Objects.equals(lower(x.get(i).getName()), lower(y.get(i).getName())) || !Objects.equals(lower(x.get(i).getType()), lower(y.get(i).getType()))) {
                return false;
            }
        }
        return true;
    }

    // ---- name utilities

    public List<String> partition_name_to_vals(String name) throws TException {
        if (name == null || name.isEmpty()) {
            return new ArrayList<>();
        }
        return new ArrayList<>(PartitionNames.spec(name).values());
    }

    public Map<String, String> partition_name_to_spec(String name) throws TException {
        if (name == null || name.isEmpty()) {
            return new LinkedHashMap<>();
        }
        return PartitionNames.spec(name);
    }

    public boolean partition_name_has_valid_characters(List<String> values, boolean throwException) throws TException {
        for (String v : values == null ? List.<String>of() : values) {
            for (char ch : v.toCharArray()) {
                if (Character.isISOControl(ch)) {
                    if (throwException) {
                        throw new MetaException("Partition value '" + v + "' contains a character not matched by whitelist pattern");
                    }
                    return false;
                }
            }
        }
        return true;
    }
}
