package dev.mortar.gateway.catalog;

import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.ForeignKeysRequest;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.GetTablesRequest;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.PrimaryKeysRequest;
import org.apache.hadoop.hive.metastore.api.SQLForeignKey;
import org.apache.hadoop.hive.metastore.api.SQLPrimaryKey;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads the catalog as an HMS Thrift client of a Mortar (or any Hive) metastore, so the gateway runs
 * in-process or on another machine with the same code. Connections are pooled; one that broke is
 * replaced and the call retried once.
 */
public final class HmsCatalog implements Catalog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HmsCatalog.class);
    private static final int TIMEOUT_MILLIS = 60_000;

    private final String host;
    private final int port;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(16);

    public HmsCatalog(String host, int port) {
        this.host = host;
        this.port = port;
    }

    private record Connection(TSocket socket, ThriftHiveMetastore.Client client) {}

    @FunctionalInterface
    private interface Call<T> {
        T apply(ThriftHiveMetastore.Client client) throws TException;
    }

    private <T> T call(String what, Call<T> call) {
        for (int attempt = 0; ; attempt++) {
            Connection connection = idle.poll();
            try {
                if (connection == null) {
                    connection = open();
                }
                T result = call.apply(connection.client());
                if (!idle.offer(connection)) {
                    connection.socket().close();
                }
                return result;
            } catch (TTransportException e) {
                if (connection != null) {
                    connection.socket().close();
                }
                if (attempt > 0) {
                    throw new CatalogException("Cannot reach the catalog at " + host + ":" + port + " to " + what + ": " + e.getMessage(), e);
                }
                LOG.debug("Catalog connection broke during {}, retrying: {}", what, e.getMessage());
            } catch (TException e) {
                idle.offer(connection);
                throw new CatalogException("The catalog refused to " + what + ": " + e.getMessage(), e);
            }
        }
    }

    private Connection open() throws TTransportException {
        TSocket socket = new TSocket(host, port, TIMEOUT_MILLIS);
        socket.open();
        return new Connection(socket, new ThriftHiveMetastore.Client(new TBinaryProtocol(socket)));
    }

    @Override
    public List<String> databases() {
        return call("list databases", c -> c.get_all_databases().stream().sorted().toList());
    }

    @Override
    public boolean databaseExists(String database) {
        return call("read database " + database, c -> {
            try {
                c.get_database(database);
                return true;
            } catch (NoSuchObjectException e) {
                return false;
            }
        });
    }

    @Override
    public List<String> tableNames(String database) {
        return call("list tables of " + database, c -> {
            try {
                return c.get_all_tables(database).stream().sorted().toList();
            } catch (NoSuchObjectException e) {
                return List.of();
            }
        });
    }

    @Override
    public Optional<CatalogTable> table(String database, String table) {
        return call("read table " + database + "." + table, c -> {
            try {
                GetTableRequest request = new GetTableRequest(database, table);
                return Optional.ofNullable(c.get_table_req(request).getTable()).map(HmsCatalog::toTable);
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
        return call("read tables of " + database, c -> {
            GetTablesRequest request = new GetTablesRequest(database);
            request.setTblNames(new ArrayList<>(names));
            try {
                return c.get_table_objects_by_name_req(request).getTables().stream()
                        .map(HmsCatalog::toTable)
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
        List<Partition> partitions = call("list partitions of " + table.name(), c -> {
            if (hiveFilter.isPresent()) {
                return c.get_partitions_by_filter(db, name, hiveFilter.get(), (short) -1);
            }
            return c.get_partitions(db, name, (short) -1);
        });
        return partitions.stream()
                .map(p -> new CatalogPartition(p.getValues(), p.getSd() == null ? null : p.getSd().getLocation()))
                .toList();
    }

    @Override
    public List<PrimaryKeyColumn> primaryKeys(String database, String table) {
        return call("read the primary key of " + database + "." + table, c -> {
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
        return call("read foreign keys", c -> {
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

    static CatalogTable toTable(Table t) {
        StorageDescriptor sd = t.getSd();
        List<CatalogColumn> columns = sd == null || sd.getCols() == null ? List.of() : columns(sd.getCols());
        List<CatalogColumn> keys = t.getPartitionKeys() == null ? List.of() : columns(t.getPartitionKeys());
        Map<String, String> serdeParams = sd != null && sd.getSerdeInfo() != null && sd.getSerdeInfo().getParameters() != null
                ? sd.getSerdeInfo().getParameters() : Map.of();
        String viewText = t.getViewExpandedText() != null && !t.getViewExpandedText().isBlank() ? t.getViewExpandedText() : t.getViewOriginalText();
        Map<String, String> params = t.getParameters() == null ? Map.of() : t.getParameters();
        return new CatalogTable(
                new TableName(t.getDbName(), t.getTableName()),
                t.getTableType() == null ? "MANAGED_TABLE" : t.getTableType(),
                columns,
                keys,
                Optional.ofNullable(sd).map(StorageDescriptor::getLocation).filter(s -> !s.isBlank()),
                Optional.ofNullable(sd).map(StorageDescriptor::getInputFormat),
                Optional.ofNullable(sd).map(StorageDescriptor::getSerdeInfo).map(s -> s.getSerializationLib()),
                withoutNulls(serdeParams),
                withoutNulls(params),
                Optional.ofNullable(viewText).filter(s -> !s.isBlank()),
                Optional.ofNullable(params.get("comment")));
    }

    private static Map<String, String> withoutNulls(Map<String, String> map) {
        Map<String, String> copy = new java.util.HashMap<>();
        map.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    private static List<CatalogColumn> columns(List<FieldSchema> fields) {
        return fields.stream().map(f -> new CatalogColumn(f.getName(), f.getType(), Optional.ofNullable(f.getComment()))).toList();
    }

    @Override
    public void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            c.socket().close();
        }
    }
}
