package dev.mortar.metastore.store;

import org.apache.hadoop.hive.metastore.api.Catalog;
import org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Function;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.thrift.TBase;
import org.apache.thrift.TDeserializer;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TCompactProtocol;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Data access for catalog objects. Every method runs inside the caller's transaction
 * ({@link CatalogDatabase#inTransaction}); none commits.
 */
public final class CatalogStore {
    private static final int IN_LIST_CHUNK = 500;
    private static final int BATCH_SIZE = 1000;
    /** Up to this many new partitions go to the store as multi-row inserts sent with the call's other writes. */
    private static final int FEW_PARTITIONS = 20;

    public record DbRow(long id, Database database) {}

    /**
     * A stored table; {@code partitionsVersion} changes, to a number never used before, with every
     * transaction that changes the table's partitions (see {@link PartitionCache}).
     */
    public record TableRow(long id, long dbId, Table table, long partitionsVersion) {
        public TableRow(long id, long dbId, Table table) {
            this(id, dbId, table, 0);
        }
    }

    public record PartitionRow(long id, String name, Partition partition) {}

    private final CatalogDatabase database;
    private final PartitionCache partitionCache;

    /** A store that keeps the partitions of up to {@code cachedPartitions} partitions' worth of tables in memory. */
    public CatalogStore(CatalogDatabase database, long cachedPartitions) {
        this.database = database;
        // The order of ORDER BY part_name: H2 compares UTF-16 units, PostgreSQL (COLLATE "C") code points, MariaDB
        // (utf8mb4_bin) code points with the shorter name padded with spaces.
        Comparator<String> order = switch (database.dialect()) {
            case H2 -> Comparator.naturalOrder();
            case MYSQL -> PartitionFilterMatcher::comparePadSpace;
            case POSTGRES -> CatalogStore::compareCodePoints;
        };
        this.partitionCache = new PartitionCache(cachedPartitions, order);
    }

    public PartitionCache partitionCache() {
        return partitionCache;
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    public CatalogDatabase database() {
        return database;
    }

    public Dialect dialect() {
        return database.dialect();
    }

    private String forUpdate(boolean lock) {
        return lock ? " FOR UPDATE" : "";
    }

    // ---- catalogs

    public void insertCatalog(Connection c, Catalog catalog) throws SQLException {
        update(c, "INSERT INTO m_catalogs (cat_name, body) VALUES (?, ?)", catalog.getName(), ThriftCodec.encode(catalog));
    }

    public Optional<Catalog> getCatalog(Connection c, String name) throws SQLException {
        return queryOne(c, "SELECT body FROM m_catalogs WHERE cat_name = ?", rs -> ThriftCodec.decode(rs.getBytes(1), Catalog::new), name);
    }

    public List<String> listCatalogNames(Connection c) throws SQLException {
        return query(c, "SELECT cat_name FROM m_catalogs ORDER BY cat_name", rs -> rs.getString(1));
    }

    public void updateCatalog(Connection c, Catalog catalog) throws SQLException {
        update(c, "UPDATE m_catalogs SET body = ? WHERE cat_name = ?", ThriftCodec.encode(catalog), catalog.getName());
    }

    public void deleteCatalog(Connection c, String name) throws SQLException {
        update(c, "DELETE FROM m_catalogs WHERE cat_name = ?", name);
    }

    public int countDatabases(Connection c, String catalog) throws SQLException {
        return queryOne(c, "SELECT COUNT(*) FROM m_dbs WHERE cat_name = ?", rs -> rs.getInt(1), catalog).orElse(0);
    }

    // ---- databases

    public long insertDatabase(Connection c, Database db) throws SQLException {
        long id = database.nextId("object", 1);
        update(c, "INSERT INTO m_dbs (db_id, cat_name, db_name, body) VALUES (?, ?, ?, ?)", id, db.getCatalogName(), db.getName(), ThriftCodec.encode(db));
        return id;
    }

    public Optional<DbRow> getDatabase(Connection c, String catalog, String name, boolean lock) throws SQLException {
        return queryOne(c, "SELECT db_id, body FROM m_dbs WHERE cat_name = ? AND db_name = ?" + forUpdate(lock),
                rs -> new DbRow(rs.getLong(1), ThriftCodec.decode(rs.getBytes(2), Database::new)), catalog, name);
    }

    public List<String> listDatabaseNames(Connection c, String catalog) throws SQLException {
        return query(c, "SELECT db_name FROM m_dbs WHERE cat_name = ? ORDER BY db_name", rs -> rs.getString(1), catalog);
    }

    public void updateDatabase(Connection c, long id, Database db) throws SQLException {
        update(c, "UPDATE m_dbs SET body = ? WHERE db_id = ?", ThriftCodec.encode(db), id);
    }

    public void deleteDatabase(Connection c, long id) throws SQLException {
        update(c, "DELETE FROM m_functions WHERE db_id = ?", id);
        update(c, "DELETE FROM m_dbs WHERE db_id = ?", id);
    }

    // ---- tables

    public long insertTable(Connection c, long dbId, Table table) throws SQLException {
        long id = database.nextId("object", 1);
        update(c, "INSERT INTO m_tbls (tbl_id, db_id, tbl_name, tbl_type, owner_name, body) VALUES (?, ?, ?, ?, ?, ?)",
                id, dbId, table.getTableName(), table.getTableType(), table.getOwner(), ThriftCodec.encode(table));
        if (table.getPartitionKeysSize() > 0) {
            partitionCache.created(id, 0);
        }
        return id;
    }

    public Optional<TableRow> getTable(Connection c, long dbId, String name, boolean lock) throws SQLException {
        return queryOne(c, "SELECT tbl_id, db_id, body, part_version FROM m_tbls WHERE db_id = ? AND tbl_name = ?" + forUpdate(lock),
                CatalogStore::tableRow, dbId, name);
    }

    /** A table by its catalog, database and table names, in one query (no lock). */
    public Optional<TableRow> getTable(Connection c, String catalog, String db, String name) throws SQLException {
        return queryOne(c, "SELECT t.tbl_id, t.db_id, t.body, t.part_version FROM m_tbls t JOIN m_dbs d ON d.db_id = t.db_id"
                + " WHERE d.cat_name = ? AND d.db_name = ? AND t.tbl_name = ?", CatalogStore::tableRow, catalog, db, name);
    }

    /** A table by its id, whatever its current name and database. */
    public Optional<TableRow> getTableById(Connection c, long tableId) throws SQLException {
        return queryOne(c, "SELECT tbl_id, db_id, body, part_version FROM m_tbls WHERE tbl_id = ?",
                CatalogStore::tableRow, tableId);
    }

    public List<TableRow> getTables(Connection c, long dbId, Collection<String> names) throws SQLException {
        List<TableRow> result = new ArrayList<>();
        for (List<String> chunk : chunks(List.copyOf(names))) {
            result.addAll(query(c, "SELECT tbl_id, db_id, body, part_version FROM m_tbls WHERE db_id = ? AND tbl_name IN (" + placeholders(chunk.size()) + ") ORDER BY tbl_name",
                    CatalogStore::tableRow, prepend(dbId, chunk)));
        }
        return result;
    }

    public List<TableRow> listTables(Connection c, long dbId) throws SQLException {
        return query(c, "SELECT tbl_id, db_id, body, part_version FROM m_tbls WHERE db_id = ? ORDER BY tbl_name",
                CatalogStore::tableRow, dbId);
    }

    /** Table names with their types, without reading the stored objects. */
    public Map<String, String> listTableNamesAndTypes(Connection c, long dbId) throws SQLException {
        Map<String, String> result = new LinkedHashMap<>();
        for (String[] row : query(c, "SELECT tbl_name, tbl_type FROM m_tbls WHERE db_id = ? ORDER BY tbl_name",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, dbId)) {
            result.put(row[0], row[1]);
        }
        return result;
    }

    public void updateTable(Connection c, long tableId, long dbId, Table table) throws SQLException {
        update(c, "UPDATE m_tbls SET db_id = ?, tbl_name = ?, tbl_type = ?, owner_name = ?, body = ? WHERE tbl_id = ?",
                dbId, table.getTableName(), table.getTableType(), table.getOwner(), ThriftCodec.encode(table), tableId);
    }

    /** The writes that delete a table with its partitions, statistics and constraints, for {@link #execute}. */
    public List<Write> tableDeletion(long tableId) {
        return List.of(new Write("DELETE FROM m_partition_key_vals WHERE tbl_id = ?", tableId),
                new Write("DELETE FROM m_part_col_stats WHERE tbl_id = ?", tableId),
                new Write("DELETE FROM m_partitions WHERE tbl_id = ?", tableId),
                new Write("DELETE FROM m_tab_col_stats WHERE tbl_id = ?", tableId),
                new Write("DELETE FROM m_constraints WHERE tbl_id = ?", tableId),
                new Write("DELETE FROM m_tbls WHERE tbl_id = ?", tableId));
    }

    // ---- partitions

    /**
     * Inserts new partitions of a table whose partitions the caller saw at version {@code seenVersion}.
     */
    public void insertPartitions(Connection c, long tableId, long seenVersion, List<FieldSchema> keys, List<PartitionRow> partitions,
                                 List<Write> alsoWrite) throws SQLException {
        if (partitions.isEmpty()) {
            execute(c, alsoWrite);
            return;
        }
        long firstId = database.nextId("object", partitions.size());
        long next = database.nextId("object", 1);
        List<PartitionRow> stored = new ArrayList<>(partitions.size());
        for (int i = 0; i < partitions.size(); i++) {
            stored.add(new PartitionRow(firstId + i, partitions.get(i).name(), partitions.get(i).partition()));
        }
        if (partitions.size() <= FEW_PARTITIONS) {
            // A few: the version change, both inserts and the caller's writes in one round trip.
            List<Write> writes = new ArrayList<>(partitionsChangedWrites(tableId, seenVersion, next));
            writes.addAll(partitionsInsert(tableId, keys, stored));
            writes.addAll(alsoWrite);
            if (executeLast(c, writes)[0] == 1) {
                partitionCache.added(tableId, seenVersion, next, stored);
            }
            return;
        }
        if (execute(c, partitionsChangedWrites(tableId, seenVersion, next))[0] == 1) {
            partitionCache.added(tableId, seenVersion, next, stored);
        }
        insertBatches(c, tableId, keys, stored);
        execute(c, alsoWrite);
    }

    /** Two multi-row inserts: the partitions and their key values. */
    private static List<Write> partitionsInsert(long tableId, List<FieldSchema> keys, List<PartitionRow> stored) {
        StringBuilder parts = new StringBuilder("INSERT INTO m_partitions (part_id, tbl_id, part_name, body) VALUES ");
        StringBuilder vals = new StringBuilder("INSERT INTO m_partition_key_vals (part_id, tbl_id, key_idx, str_val, num_val) VALUES ");
        List<Object> partParams = new ArrayList<>();
        List<Object> valParams = new ArrayList<>();
        for (PartitionRow row : stored) {
            parts.append(partParams.isEmpty() ? "" : ", ").append("(?, ?, ?, ?)");
            partParams.addAll(List.of(row.id(), tableId, row.name(), encodePartition(row.partition())));
            List<String> values = row.partition().getValues();
            for (int k = 0; k < keys.size(); k++) {
                vals.append(valParams.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, ?)");
                String value = values.get(k);
                valParams.addAll(java.util.Arrays.asList(row.id(), tableId, k, value,
                        PartitionFilterSql.isIntegral(keys.get(k)) ? PartitionFilterSql.parseLong(value) : null));
            }
        }
        return List.of(new Write(parts.toString(), partParams.toArray()), new Write(vals.toString(), valParams.toArray()));
    }

    private void insertBatches(Connection c, long tableId, List<FieldSchema> keys, List<PartitionRow> partitions) throws SQLException {
        try (PreparedStatement parts = c.prepareStatement("INSERT INTO m_partitions (part_id, tbl_id, part_name, body) VALUES (?, ?, ?, ?)");
             PreparedStatement vals = c.prepareStatement("INSERT INTO m_partition_key_vals (part_id, tbl_id, key_idx, str_val, num_val) VALUES (?, ?, ?, ?, ?)")) {
            int pending = 0;
            for (PartitionRow row : partitions) {
                long id = row.id();
                parts.setLong(1, id);
                parts.setLong(2, tableId);
                parts.setString(3, row.name());
                parts.setBytes(4, encodePartition(row.partition()));
                parts.addBatch();
                addKeyValues(vals, id, tableId, keys, row.partition().getValues());
                if (++pending == BATCH_SIZE) {
                    parts.executeBatch();
                    vals.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                parts.executeBatch();
                vals.executeBatch();
            }
        }
    }

    private static void addKeyValues(PreparedStatement vals, long partId, long tableId, List<FieldSchema> keys, List<String> values) throws SQLException {
        for (int k = 0; k < keys.size(); k++) {
            String value = values.get(k);
            vals.setLong(1, partId);
            vals.setLong(2, tableId);
            vals.setInt(3, k);
            vals.setString(4, value);
            Long number = PartitionFilterSql.isIntegral(keys.get(k)) ? PartitionFilterSql.parseLong(value) : null;
            if (number == null) {
                vals.setNull(5, java.sql.Types.BIGINT);
            } else {
                vals.setLong(5, number);
            }
            vals.addBatch();
        }
    }

    public Optional<PartitionRow> getPartition(Connection c, long tableId, String name, boolean lock) throws SQLException {
        return queryOne(c, "SELECT part_id, part_name, body FROM m_partitions WHERE tbl_id = ? AND part_name = ?" + forUpdate(lock),
                CatalogStore::partitionRow, tableId, name);
    }

    /** The partitions with these names that exist, in name order. */
    public List<PartitionRow> getPartitions(Connection c, long tableId, Collection<String> names) throws SQLException {
        List<PartitionRow> result = new ArrayList<>();
        if (dialect() == Dialect.H2) {
            // H2 uses an index for IN only on the index's first column: with tbl_id first it would test the list
            // against every partition of the table. In process, one lookup per name costs no round trips.
            try (PreparedStatement ps = c.prepareStatement("SELECT part_id, part_name, body FROM m_partitions WHERE tbl_id = ? AND part_name = ?")) {
                ps.setLong(1, tableId);
                for (String name : new java.util.LinkedHashSet<>(names)) {
                    ps.setString(2, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            result.add(partitionRow(rs));
                        }
                    }
                }
            }
            result.sort(java.util.Comparator.comparing(PartitionRow::name));
            return result;
        }
        for (List<String> chunk : chunks(List.copyOf(names))) {
            result.addAll(query(c, "SELECT part_id, part_name, body FROM m_partitions WHERE tbl_id = ? AND part_name IN (" + placeholders(chunk.size()) + ")",
                    CatalogStore::partitionRow, prepend(tableId, chunk)));
        }
        result.sort(java.util.Comparator.comparing(PartitionRow::name));
        return result;
    }

    /** A table and the partitions found with it by {@link #getTableAndPartition}. */
    public record TableAndPartitions(TableRow table, List<PartitionRow> partitions) {}

    /**
     * A table by its catalog, database and table names, with its partitions whose key values are
     * these (compared as the database compares strings), in one query (no lock). Callers check the
     * partitions found against the name they want.
     */
    public Optional<TableAndPartitions> getTableAndPartition(Connection c, String catalog, String db, String table, List<String> values) throws SQLException {
        StringBuilder keyJoins = new StringBuilder("m_partition_key_vals k0");
        List<Object> params = new ArrayList<>();
        for (int k = 1; k < values.size(); k++) {
            keyJoins.append(" JOIN m_partition_key_vals k").append(k).append(" ON k").append(k).append(".part_id = k0.part_id AND k")
                    .append(k).append(".key_idx = ").append(k).append(" AND k").append(k).append(".str_val = ?");
            params.add(values.get(k));
        }
        params.addAll(List.of(values.get(0), catalog, db, table));
        String sql = "SELECT t.tbl_id, t.db_id, t.body, t.part_version, p.part_id, p.part_name, p.body"
                + " FROM m_dbs d JOIN m_tbls t ON t.db_id = d.db_id"
                + " LEFT JOIN (" + keyJoins + " JOIN m_partitions p ON p.part_id = k0.part_id)"
                + " ON k0.tbl_id = t.tbl_id AND k0.key_idx = 0 AND k0.str_val = ?"
                + " WHERE d.cat_name = ? AND d.db_name = ? AND t.tbl_name = ?";
        TableRow tableRow = null;
        List<PartitionRow> partitions = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, params.toArray()); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (tableRow == null) {
                    tableRow = tableRow(rs);
                }
                long partId = rs.getLong(5);
                if (!rs.wasNull()) {
                    partitions.add(new PartitionRow(partId, rs.getString(6), decodePartition(rs.getBytes(7))));
                }
            }
        }
        return tableRow == null ? Optional.empty() : Optional.of(new TableAndPartitions(tableRow, partitions));
    }

    /**
     * The locations of a table's partitions (those that have one), in no order. Only the location
     * is read out of each stored partition: dropping a table of 10,000 partitions needs no more.
     */
    public List<String> listPartitionLocations(Connection c, long tableId) throws SQLException {
        TDeserializer reader;
        try {
            reader = new TDeserializer(new TCompactProtocol.Factory());
        } catch (TException e) {
            throw new IllegalStateException(e);
        }
        List<String> result = new ArrayList<>();
        for (byte[] body : query(c, "SELECT body FROM m_partitions WHERE tbl_id = ?", rs -> rs.getBytes(1), tableId)) {
            try {
                String location = reader.partialDeserializeString(body, Partition._Fields.SD, StorageDescriptor._Fields.LOCATION);
                if (location != null) {
                    result.add(location);
                }
            } catch (TException e) {
                throw new IllegalStateException("Cannot decode a stored partition of table " + tableId, e);
            }
        }
        return result;
    }

    /** Partitions in name order, optionally filtered; {@code max < 0} means all. */
    public List<PartitionRow> listPartitions(Connection c, long tableId, Optional<Sql> filter, int max) throws SQLException {
        Sql sql = partitionQuery("p.part_id, p.part_name, p.body", tableId, filter, max);
        return query(c, sql.text(), CatalogStore::partitionRow, sql.params().toArray());
    }

    public List<String> listPartitionNames(Connection c, long tableId, Optional<Sql> filter, int max) throws SQLException {
        Sql sql = partitionQuery("p.part_name", tableId, filter, max);
        return query(c, sql.text(), rs -> rs.getString(1), sql.params().toArray());
    }

    public int countPartitions(Connection c, long tableId, Optional<Sql> filter) throws SQLException {
        List<Object> params = new ArrayList<>();
        params.add(tableId);
        String where = "p.tbl_id = ?";
        String joins = "";
        if (filter.isPresent()) {
            joins = filter.get().joins();
            where += " AND " + filter.get().text();
            params.addAll(filter.get().params());
        }
        return queryOne(c, "SELECT COUNT(*) FROM m_partitions p" + joins + " WHERE " + where, rs -> rs.getInt(1), params.toArray()).orElse(0);
    }

    /** The query of a table's partitions in name order (package-private for the test of its plan). */
    Sql partitionQuery(String columns, long tableId, Optional<Sql> filter, int max) {
        List<Object> params = new ArrayList<>();
        params.add(tableId);
        StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM m_partitions p")
                .append(filter.map(Sql::joins).orElse("")).append(" WHERE p.tbl_id = ?");
        filter.ifPresent(f -> {
            sql.append(" AND ").append(f.text());
            params.addAll(f.params());
        });
        // tbl_id first, though it is one value here: H2 reads the (tbl_id, part_name) index in order only when
        // ORDER BY names its columns from the first; ordered by part_name alone it sorts every partition.
        sql.append(" ORDER BY p.tbl_id, ").append(dialect().binaryOrder("p.part_name"));
        if (max >= 0) {
            sql.append(" LIMIT ").append(max);
        }
        return new Sql(sql.toString(), params);
    }

    public void updatePartition(Connection c, long tableId, long partId, String name, List<FieldSchema> keys, Partition partition) throws SQLException {
        partitionsChanged(c, tableId);
        update(c, "UPDATE m_partitions SET part_name = ?, body = ? WHERE part_id = ?", name, encodePartition(partition), partId);
        update(c, "DELETE FROM m_partition_key_vals WHERE part_id = ?", partId);
        try (PreparedStatement vals = c.prepareStatement("INSERT INTO m_partition_key_vals (part_id, tbl_id, key_idx, str_val, num_val) VALUES (?, ?, ?, ?, ?)")) {
            addKeyValues(vals, partId, tableId, keys, partition.getValues());
            vals.executeBatch();
        }
    }

    /**
     * After a table's partition keys changed type ({@code before} and {@code after} name the same keys in the same order):
     * the typed copy of each stored key value ({@code num_val}, set for integral keys, which filters compare) follows the
     * new types, and the table's partitions get a new version, so that no server uses what it cached under the old types.
     */
    public void partitionKeysRetyped(Connection c, long tableId, List<FieldSchema> before, List<FieldSchema> after) throws SQLException {
        partitionsChanged(c, tableId);
        for (int k = 0; k < after.size(); k++) {
            boolean wasIntegral = PartitionFilterSql.isIntegral(before.get(k));
            boolean isIntegral = PartitionFilterSql.isIntegral(after.get(k));
            if (wasIntegral == isIntegral) {
                // Every integral type keeps the same number (parsed as a long); other types keep none.
                continue;
            }
            if (!isIntegral) {
                update(c, "UPDATE m_partition_key_vals SET num_val = NULL WHERE tbl_id = ? AND key_idx = ?", tableId, k);
                continue;
            }
            List<Object[]> values = query(c, "SELECT part_id, str_val FROM m_partition_key_vals WHERE tbl_id = ? AND key_idx = ?",
                    rs -> new Object[] {rs.getLong(1), rs.getString(2)}, tableId, k);
            try (PreparedStatement ps = c.prepareStatement("UPDATE m_partition_key_vals SET num_val = ? WHERE part_id = ? AND key_idx = ?")) {
                int pending = 0;
                for (Object[] value : values) {
                    Long number = value[1] == null ? null : PartitionFilterSql.parseLong((String) value[1]);
                    if (number == null) {
                        ps.setNull(1, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(1, number);
                    }
                    ps.setLong(2, (Long) value[0]);
                    ps.setInt(3, k);
                    ps.addBatch();
                    if (++pending == BATCH_SIZE) {
                        ps.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    ps.executeBatch();
                }
            }
        }
        partitionCache.forget(tableId);
    }

    /** Rewrites stored partitions in place (their names and values unchanged). */
    public void updatePartitionBodies(Connection c, long tableId, List<PartitionRow> partitions) throws SQLException {
        if (partitions.isEmpty()) {
            return;
        }
        partitionsChanged(c, tableId);
        try (PreparedStatement ps = c.prepareStatement("UPDATE m_partitions SET body = ? WHERE part_id = ?")) {
            int pending = 0;
            for (PartitionRow row : partitions) {
                ps.setBytes(1, encodePartition(row.partition()));
                ps.setLong(2, row.id());
                ps.addBatch();
                if (++pending == BATCH_SIZE) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    /**
     * The writes that delete these partitions of a table whose partitions the caller saw at version
     * {@code seenVersion}, with their statistics, for {@link #execute}; the caller hands the update counts
     * to {@link #partitionsDeleted}.
     */
    public PartitionsDeletion partitionsDeletion(long tableId, long seenVersion, Collection<PartitionRow> partitions) {
        List<Write> writes = new ArrayList<>();
        long next = database.nextId("object", 1);
        if (partitions.isEmpty()) {
            return new PartitionsDeletion(writes, tableId, seenVersion, next, List.of());
        }
        writes.addAll(partitionsChangedWrites(tableId, seenVersion, next));
        List<Long> partIds = partitions.stream().map(PartitionRow::id).toList();
        for (List<Long> chunk : chunks(partIds)) {
            String in = placeholders(chunk.size());
            writes.add(new Write("DELETE FROM m_partition_key_vals WHERE part_id IN (" + in + ")", chunk.toArray()));
            writes.add(new Write("DELETE FROM m_part_col_stats WHERE part_id IN (" + in + ")", chunk.toArray()));
            writes.add(new Write("DELETE FROM m_partitions WHERE part_id IN (" + in + ")", chunk.toArray()));
        }
        return new PartitionsDeletion(writes, tableId, seenVersion, next, partitions.stream().map(PartitionRow::name).toList());
    }

    /** The writes of a partitions deletion (to run first in one {@link #execute}), and what they do to the cache. */
    public final class PartitionsDeletion {
        private final List<Write> writes;
        private final long tableId;
        private final long from;
        private final long to;
        private final List<String> names;

        private PartitionsDeletion(List<Write> writes, long tableId, long from, long to, List<String> names) {
            this.writes = writes;
            this.tableId = tableId;
            this.from = from;
            this.to = to;
            this.names = names;
        }

        public List<Write> writes() {
            return writes;
        }

        /** Once the writes ran: {@code counts} from {@link #execute}, beginning with these writes'. */
        public void ran(int[] counts) {
            if (!writes.isEmpty() && counts[0] == 1) {
                partitionCache.removed(tableId, from, to, names);
            }
        }
    }

    /** A partition as stored: with a write id (-1: none) as the Hive Metastore answers every partition with one. */
    private static byte[] encodePartition(Partition partition) {
        if (!partition.isSetWriteId()) {
            partition.setWriteId(-1);
        }
        return ThriftCodec.encode(partition);
    }

    private static Partition decodePartition(byte[] body) {
        Partition partition = ThriftCodec.decode(body, Partition::new);
        if (!partition.isSetWriteId()) {
            partition.setWriteId(-1);
        }
        return partition;
    }

    private static TableRow tableRow(ResultSet rs) throws SQLException {
        Table table = ThriftCodec.decode(rs.getBytes(3), Table::new);
        // The table's id, and a write id (-1: none) if it has none, as the Hive Metastore sets them on every table it answers with.
        table.setId(rs.getLong(1));
        if (!table.isSetWriteId()) {
            table.setWriteId(-1);
        }
        return new TableRow(rs.getLong(1), rs.getLong(2), table, rs.getLong(4));
    }

    /** Gives the table's partitions a new version: part of every transaction that changes them. */
    private void partitionsChanged(Connection c, long tableId) throws SQLException {
        execute(c, List.of(partitionsChangedWrite(tableId)));
    }

    private Write partitionsChangedWrite(long tableId) {
        return new Write("UPDATE m_tbls SET part_version = ? WHERE tbl_id = ?", database.nextId("object", 1), tableId);
    }

    /**
     * The version change as two writes: to {@code next} if still at {@code seenVersion} (its update count
     * says whether it was), then to {@code next} in any case.
     */
    private static List<Write> partitionsChangedWrites(long tableId, long seenVersion, long next) {
        return List.of(new Write("UPDATE m_tbls SET part_version = ? WHERE tbl_id = ? AND part_version = ?", next, tableId, seenVersion),
                new Write("UPDATE m_tbls SET part_version = ? WHERE tbl_id = ?", next, tableId));
    }

    private static PartitionRow partitionRow(ResultSet rs) throws SQLException {
        return new PartitionRow(rs.getLong(1), rs.getString(2), decodePartition(rs.getBytes(3)));
    }

    // ---- column statistics

    public void putTableColumnStats(Connection c, long tableId, List<ColumnStatisticsObj> stats) throws SQLException {
        for (ColumnStatisticsObj obj : stats) {
            update(c, "DELETE FROM m_tab_col_stats WHERE tbl_id = ? AND col_name = ?", tableId, obj.getColName());
            update(c, "INSERT INTO m_tab_col_stats (tbl_id, col_name, body) VALUES (?, ?, ?)", tableId, obj.getColName(), ThriftCodec.encode(obj));
        }
    }

    public List<ColumnStatisticsObj> getTableColumnStats(Connection c, long tableId, Collection<String> columns) throws SQLException {
        List<ColumnStatisticsObj> result = new ArrayList<>();
        for (List<String> chunk : chunks(List.copyOf(columns))) {
            result.addAll(query(c, "SELECT body FROM m_tab_col_stats WHERE tbl_id = ? AND col_name IN (" + placeholders(chunk.size()) + ") ORDER BY col_name",
                    rs -> ThriftCodec.decode(rs.getBytes(1), ColumnStatisticsObj::new), prepend(tableId, chunk)));
        }
        return result;
    }

    public int deleteTableColumnStats(Connection c, long tableId, Optional<String> column) throws SQLException {
        return column.isPresent()
                ? update(c, "DELETE FROM m_tab_col_stats WHERE tbl_id = ? AND col_name = ?", tableId, column.get())
                : update(c, "DELETE FROM m_tab_col_stats WHERE tbl_id = ?", tableId);
    }

    public void putPartitionColumnStats(Connection c, long tableId, long partId, List<ColumnStatisticsObj> stats) throws SQLException {
        for (ColumnStatisticsObj obj : stats) {
            update(c, "DELETE FROM m_part_col_stats WHERE part_id = ? AND col_name = ?", partId, obj.getColName());
            update(c, "INSERT INTO m_part_col_stats (part_id, col_name, tbl_id, body) VALUES (?, ?, ?, ?)", partId, obj.getColName(), tableId, ThriftCodec.encode(obj));
        }
    }

    /** Statistics of the given partitions (by id) for the given columns, per partition id. */
    public Map<Long, List<ColumnStatisticsObj>> getPartitionColumnStats(Connection c, Collection<Long> partIds, Collection<String> columns) throws SQLException {
        Map<Long, List<ColumnStatisticsObj>> result = new LinkedHashMap<>();
        List<String> cols = List.copyOf(columns);
        if (cols.isEmpty()) {
            return result;
        }
        for (List<Long> chunk : chunks(List.copyOf(partIds))) {
            List<Object> params = new ArrayList<>(chunk);
            params.addAll(cols);
            String sql = "SELECT part_id, body FROM m_part_col_stats WHERE part_id IN (" + placeholders(chunk.size()) + ") AND col_name IN (" + placeholders(cols.size()) + ") ORDER BY part_id, col_name";
            try (PreparedStatement ps = prepare(c, sql, params.toArray()); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(ThriftCodec.decode(rs.getBytes(2), ColumnStatisticsObj::new));
                }
            }
        }
        return result;
    }

    public int deletePartitionColumnStats(Connection c, long partId, Optional<String> column) throws SQLException {
        return column.isPresent()
                ? update(c, "DELETE FROM m_part_col_stats WHERE part_id = ? AND col_name = ?", partId, column.get())
                : update(c, "DELETE FROM m_part_col_stats WHERE part_id = ?", partId);
    }

    // ---- functions

    public void insertFunction(Connection c, long dbId, Function function) throws SQLException {
        update(c, "INSERT INTO m_functions (db_id, func_name, body) VALUES (?, ?, ?)", dbId, function.getFunctionName(), ThriftCodec.encode(function));
    }

    public Optional<Function> getFunction(Connection c, long dbId, String name) throws SQLException {
        return queryOne(c, "SELECT body FROM m_functions WHERE db_id = ? AND func_name = ?", rs -> ThriftCodec.decode(rs.getBytes(1), Function::new), dbId, name);
    }

    public List<Function> listFunctions(Connection c, long dbId) throws SQLException {
        return query(c, "SELECT body FROM m_functions WHERE db_id = ? ORDER BY func_name", rs -> ThriftCodec.decode(rs.getBytes(1), Function::new), dbId);
    }

    /** The functions of every database of one catalog. */
    public List<Function> listAllFunctions(Connection c, String catalog) throws SQLException {
        return query(c, "SELECT f.body FROM m_functions f JOIN m_dbs d ON d.db_id = f.db_id WHERE d.cat_name = ? ORDER BY f.db_id, f.func_name",
                rs -> ThriftCodec.decode(rs.getBytes(1), Function::new), catalog);
    }

    /** Replaces a function, which may move to another database ({@code newDbId}) and name. */
    public int updateFunction(Connection c, long dbId, String oldName, long newDbId, Function function) throws SQLException {
        return update(c, "UPDATE m_functions SET db_id = ?, func_name = ?, body = ? WHERE db_id = ? AND func_name = ?",
                newDbId, function.getFunctionName(), ThriftCodec.encode(function), dbId, oldName);
    }

    public int deleteFunction(Connection c, long dbId, String name) throws SQLException {
        return update(c, "DELETE FROM m_functions WHERE db_id = ? AND func_name = ?", dbId, name);
    }

    // ---- constraints

    public boolean constraintExists(Connection c, long tableId, String name) throws SQLException {
        return queryOne(c, "SELECT 1 FROM m_constraints WHERE tbl_id = ? AND constraint_name = ?", rs -> 1, tableId, name).isPresent();
    }

    /** Tables (other than the given one) with a foreign key that references it. */
    public int countReferencingTables(Connection c, long parentTableId) throws SQLException {
        return queryOne(c, "SELECT COUNT(*) FROM m_constraints WHERE parent_tbl_id = ? AND tbl_id <> ?", rs -> rs.getInt(1), parentTableId, parentTableId).orElse(0);
    }

    public void insertConstraint(Connection c, long tableId, String name, int position, String kind, Long parentTableId, TBase<?, ?> body) throws SQLException {
        update(c, "INSERT INTO m_constraints (tbl_id, constraint_name, position, constraint_kind, parent_tbl_id, body) VALUES (?, ?, ?, ?, ?, ?)",
                tableId, name, position, kind, parentTableId, ThriftCodec.encode(body));
    }

    public <T extends TBase<?, ?>> List<T> listConstraints(Connection c, long tableId, String kind, Supplier<T> factory) throws SQLException {
        return query(c, "SELECT body FROM m_constraints WHERE tbl_id = ? AND constraint_kind = ? ORDER BY constraint_name, position",
                rs -> ThriftCodec.decode(rs.getBytes(1), factory), tableId, kind);
    }

    public <T extends TBase<?, ?>> List<T> listReferencingConstraints(Connection c, long parentTableId, String kind, Supplier<T> factory) throws SQLException {
        return query(c, "SELECT body FROM m_constraints WHERE parent_tbl_id = ? AND constraint_kind = ? ORDER BY constraint_name, position",
                rs -> ThriftCodec.decode(rs.getBytes(1), factory), parentTableId, kind);
    }

    /** Deletes the foreign keys of other tables that reference the given one. */
    public int deleteConstraintsReferencing(Connection c, long parentTableId) throws SQLException {
        return update(c, "DELETE FROM m_constraints WHERE parent_tbl_id = ? AND tbl_id <> ?", parentTableId, parentTableId);
    }

    public int deleteConstraint(Connection c, long tableId, String name) throws SQLException {
        return update(c, "DELETE FROM m_constraints WHERE tbl_id = ? AND constraint_name = ?", tableId, name);
    }

    // ---- notification log

    /**
     * The writes that append an event, for {@link #execute}. The sequence row stays locked from the
     * UPDATE until commit, so event ids are handed out, and become visible, in commit order.
     */
    public List<Write> eventAppend(int eventTime, String type, String catalog, String db, String table, String message) {
        return List.of(new Write("UPDATE m_sequences SET next_val = next_val + 1 WHERE seq_name = 'event'"),
                new Write("INSERT INTO m_notification_log (event_id, event_time, event_type, cat_name, db_name, tbl_name, message, message_format)"
                        + " VALUES ((SELECT next_val - 1 FROM m_sequences WHERE seq_name = 'event'), ?, ?, ?, ?, ?, ?, ?)",
                        eventTime, type, catalog, db, table, message, "json-0.2"));
    }

    public record EventRow(long id, int time, String type, String catalog, String db, String table, String message, String format) {}

    public List<EventRow> events(Connection c, long afterId, int max) throws SQLException {
        String limit = max > 0 ? " LIMIT " + max : "";
        return query(c, "SELECT event_id, event_time, event_type, cat_name, db_name, tbl_name, message, message_format FROM m_notification_log WHERE event_id > ? ORDER BY event_id" + limit,
                rs -> new EventRow(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)), afterId);
    }

    public long currentEventId(Connection c) throws SQLException {
        return queryOne(c, "SELECT COALESCE(MAX(event_id), 0) FROM m_notification_log", rs -> rs.getLong(1)).orElse(0L);
    }

    // ---- plumbing

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                // Untyped, so that PostgreSQL accepts it for a column of any type.
                ps.setNull(i + 1, java.sql.Types.NULL);
            } else if (p instanceof byte[] bytes) {
                ps.setBytes(i + 1, bytes);
            } else {
                ps.setObject(i + 1, p);
            }
        }
        return ps;
    }

    /** A write statement with its bind parameters. */
    public record Write(String sql, Object... params) {}

    /**
     * The last writes of a transaction: like {@link #execute}, and where the store allows it
     * ({@link CatalogDatabase#commitsWithLastWrites}) the transaction's COMMIT goes in the same round
     * trip. Nothing may be sent on {@code c} after this.
     */
    public int[] executeLast(Connection c, List<Write> writes) throws SQLException {
        if (writes.isEmpty() || !database.commitsWithLastWrites(c)) {
            return execute(c, writes);
        }
        List<Write> all = new ArrayList<>(writes);
        all.add(new Write("COMMIT"));
        return java.util.Arrays.copyOf(execute(c, all), writes.size());
    }

    /**
     * Runs writes in order, in one round trip where the driver allows it: MySQL and MariaDB (the pool
     * sets allowMultiQueries) and PostgreSQL (pgjdbc sends the statements of one string together) get
     * them as one string of statements; H2 runs in process, where a round trip costs nothing, and gets
     * them one by one. A failing statement fails the call, and with it the transaction.
     */
    public int[] execute(Connection c, List<Write> writes) throws SQLException {
        int[] counts = new int[writes.size()];
        if (writes.size() == 1 || dialect() == Dialect.H2) {
            for (int i = 0; i < writes.size(); i++) {
                counts[i] = update(c, writes.get(i).sql(), writes.get(i).params());
            }
            return counts;
        }
        if (writes.isEmpty()) {
            return counts;
        }
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Write w : writes) {
            sql.append(sql.isEmpty() ? "" : ";\n").append(w.sql());
            params.addAll(java.util.Arrays.asList(w.params()));
        }
        try (PreparedStatement ps = prepare(c, sql.toString(), params.toArray())) {
            // Every result read, so that an error in any statement, not only the first, is thrown here.
            boolean resultSet = ps.execute();
            int i = 0;
            while (resultSet || ps.getUpdateCount() != -1) {
                if (!resultSet && i < counts.length) {
                    counts[i] = ps.getUpdateCount();
                }
                i++;
                resultSet = ps.getMoreResults();
            }
        }
        return counts;
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rs.next()) {
                result.add(mapper.map(rs));
            }
            return result;
        }
    }

    public static <T> Optional<T> queryOne(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        List<T> rows = query(c, sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static String placeholders(int n) {
        return "?, ".repeat(n - 1) + "?";
    }

    private static Object[] prepend(Object first, List<?> rest) {
        Object[] result = new Object[rest.size() + 1];
        result[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            result[i + 1] = rest.get(i);
        }
        return result;
    }

    private static <T> List<List<T>> chunks(List<T> list) {
        List<List<T>> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i += IN_LIST_CHUNK) {
            result.add(list.subList(i, Math.min(list.size(), i + IN_LIST_CHUNK)));
        }
        return result;
    }
}
