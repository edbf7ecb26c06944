package dev.mortar.catalog.hms;

import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.ForeignKeyColumn;
import dev.mortar.catalog.PrimaryKeyColumn;
import dev.mortar.catalog.TableName;
import org.apache.hadoop.hive.metastore.api.ForeignKeysRequest;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.GetTablesRequest;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.PrimaryKeysRequest;
import org.apache.hadoop.hive.metastore.api.SQLForeignKey;
import org.apache.hadoop.hive.metastore.api.SQLPrimaryKey;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the catalog through the HMS Thrift API of a Mortar (or any Hive) metastore, so a reader runs in-process or
 * on another machine with the same code. Over a socket, connections are pooled; one that broke is replaced and the
 * call retried once.
 */
public final class HmsCatalog implements Catalog, AutoCloseable {
    private static final int TIMEOUT_MILLIS = 60_000;

    private final MetastoreBinding metastore;

    /** A client of the metastore port at {@code host:port}. */
    public HmsCatalog(String host, int port) {
        this(MetastoreBinding.socket(host, port, TIMEOUT_MILLIS, true /* retryBrokenConnection */));
    }

    /** Calls on a metastore in this process (a server's own HMS handler) or on a client the caller made. */
    public HmsCatalog(ThriftHiveMetastore.Iface metastore) {
        this(MetastoreBinding.direct(metastore));
    }

    public HmsCatalog(MetastoreBinding metastore) {
        this.metastore = metastore;
    }

    @Override
    public List<String> databases() {
        return metastore.call("list databases", c -> c.get_all_databases().stream().sorted().toList());
    }

    @Override
    public boolean databaseExists(String database) {
        return metastore.call("read database " + database, c -> {
            try {
                c.get_database(database);
                return true;
            } catch (NoSuchObjectException e) {
                return false;
            }
        });
    }

    @Override
    public Optional<String> databaseLocation(String database) {
        return metastore.call("read database " + database, c -> {
            try {
                return Optional.ofNullable(c.get_database(database).getLocationUri()).filter(l -> !l.isBlank());
            } catch (NoSuchObjectException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public List<String> tableNames(String database) {
        return metastore.call("list tables of " + database, c -> {
            try {
                return c.get_all_tables(database).stream().sorted().toList();
            } catch (NoSuchObjectException e) {
                return List.of();
            }
        });
    }

    @Override
    public Optional<CatalogTable> table(String database, String table) {
        return metastore.call("read table " + database + "." + table, c -> {
            try {
                return Optional.ofNullable(c.get_table_req(new GetTableRequest(database, table)).getTable()).map(HmsRecords::toTable);
            } catch (NoSuchObjectException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public List<CatalogTable> tables(String database, List<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        return metastore.call("read tables of " + database, c -> {
            GetTablesRequest request = new GetTablesRequest(database);
            request.setTblNames(new ArrayList<>(names));
            try {
                return c.get_table_objects_by_name_req(request).getTables().stream()
                        .map(HmsRecords::toTable)
                        .sorted(Comparator.comparing(t -> t.name().table()))
                        .toList();
            } catch (NoSuchObjectException e) {
                return List.of();
            }
        });
    }

    @Override
    public List<CatalogPartition> partitions(CatalogTable table, Optional<String> hiveFilter) {
        String db = table.name().database();
        String name = table.name().table();
        List<Partition> partitions = metastore.call("list partitions of " + table.name() + hiveFilter.map(f -> " where " + f).orElse(""), c -> {
            if (hiveFilter.isPresent()) {
                return c.get_partitions_by_filter(db, name, hiveFilter.get(), (short) -1);
            }
            return c.get_partitions(db, name, (short) -1);
        });
        return partitions.stream().map(HmsRecords::toPartition).toList();
    }

    /**
     * The id of the metastore's last notification event. Mortar appends an event in the same transaction as every
     * change to a database, table or partition, taking ids under one lock, so ids grow in commit order (as Hive's
     * notification listener does). 0 is none: a Hive metastore without a notification log always answers 0.
     */
    @Override
    public OptionalLong changeVersion() {
        long id = metastore.call("read the catalog's last event id", c -> c.get_current_notificationEventId().getEventId());
        return id > 0 ? OptionalLong.of(id) : OptionalLong.empty();
    }

    @Override
    public List<PrimaryKeyColumn> primaryKeys(String database, String table) {
        return metastore.call("read the primary key of " + database + "." + table, c -> {
            try {
                List<SQLPrimaryKey> keys = c.get_primary_keys(new PrimaryKeysRequest(database, table)).getPrimaryKeys();
                return keys == null ? List.<PrimaryKeyColumn>of() : keys.stream()
                        .map(k -> new PrimaryKeyColumn(k.getTable_db(), k.getTable_name(), k.getColumn_name(), k.getKey_seq(), k.getPk_name()))
                        .sorted(Comparator.comparing(PrimaryKeyColumn::column))
                        .toList();
            } catch (NoSuchObjectException e) {
                return List.of();
            }
        });
    }

    @Override
    public List<ForeignKeyColumn> foreignKeys(Optional<TableName> parent, Optional<TableName> foreign) {
        return metastore.call("read foreign keys", c -> {
            ForeignKeysRequest request = new ForeignKeysRequest();
            parent.ifPresent(p -> {
                request.setParent_db_name(p.database());
                request.setParent_tbl_name(p.table());
            });
            foreign.ifPresent(f -> {
                request.setForeign_db_name(f.database());
                request.setForeign_tbl_name(f.table());
            });
            try {
                List<SQLForeignKey> keys = c.get_foreign_keys(request).getForeignKeys();
                return keys == null ? List.<ForeignKeyColumn>of() : keys.stream()
                        .map(k -> new ForeignKeyColumn(k.getPktable_db(), k.getPktable_name(), k.getPkcolumn_name(),
                                k.getFktable_db(), k.getFktable_name(), k.getFkcolumn_name(), k.getKey_seq(),
                                k.getUpdate_rule(), k.getDelete_rule(), k.getFk_name(), k.getPk_name()))
                        .toList();
            } catch (NoSuchObjectException e) {
                return List.of();
            }
        });
    }

    @Override
    public void close() {
        metastore.close();
    }
}
