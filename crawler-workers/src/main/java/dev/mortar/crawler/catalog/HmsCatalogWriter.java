package dev.mortar.crawler.catalog;

import dev.mortar.crawler.classify.Column;
import org.apache.hadoop.hive.metastore.api.AddPartitionsRequest;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog as a crawler on another machine writes it: an HMS Thrift client (Hive's own generated
 * {@code ThriftHiveMetastore.Client}) of the server's metastore port, so that a remote crawl's tables get
 * the same validation, transactions and events as any engine's. Partitions are added with
 * {@code ifNotExists}, so a crawl that is run again after its worker died adds each partition once.
 * Not thread-safe: one writer per crawl.
 */
public final class HmsCatalogWriter implements CatalogWriter, AutoCloseable {
    private static final int PARTITION_BATCH = 100;
    private static final int TIMEOUT_MILLIS = 120_000;

    private final String host;
    private final int port;
    private final TSocket socket;
    private final ThriftHiveMetastore.Iface client;

    /** A writer through the metastore's HMS interface in this process (the server's own handler). */
    public HmsCatalogWriter(ThriftHiveMetastore.Iface metastore) {
        this.host = "in-process";
        this.port = 0;
        this.socket = null;
        this.client = metastore;
    }

    public HmsCatalogWriter(String host, int port) {
        this.host = host;
        this.port = port;
        try {
            this.socket = new TSocket(host, port, TIMEOUT_MILLIS);
            socket.open();
        } catch (TTransportException e) {
            throw new CatalogWriteException("Cannot reach the metastore at " + host + ":" + port + ": " + e.getMessage(), e);
        }
        this.client = new ThriftHiveMetastore.Client(new TBinaryProtocol(socket));
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws TException;
    }

    private <T> T call(String what, Call<T> call) {
        try {
            return call.call();
        } catch (TException e) {
            throw new CatalogWriteException("Metastore " + host + ":" + port + " refused to " + what + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    @Override
    public void ensureDatabase(String database) {
        try {
            client.get_database(database);
        } catch (NoSuchObjectException e) {
            try {
                client.create_database(new Database(database, "", null, new HashMap<>()));
            } catch (AlreadyExistsException raced) {
                // created meanwhile by someone else
            } catch (TException other) {
                throw new CatalogWriteException("Metastore refused to create database " + database + ": " + other.getMessage(), other);
            }
        } catch (TException e) {
            throw new CatalogWriteException("Metastore refused to read database " + database + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<CatalogTable> table(String database, String name) {
        Table table;
        try {
            table = client.get_table_req(new GetTableRequest(database, name)).getTable();
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        } catch (TException e) {
            throw new CatalogWriteException("Metastore refused to read table " + database + "." + name + ": " + e.getMessage(), e);
        }
        return Optional.of(new CatalogTable(database, name, table.getSd().getLocation(), columns(table.getSd().getCols()),
                columns(table.getPartitionKeys()), null, table.getParameters()));
    }

    private static List<Column> columns(List<FieldSchema> fields) {
        return fields == null ? List.of() : fields.stream().map(f -> new Column(f.getName(), f.getType())).toList();
    }

    @Override
    public void createTable(CatalogTable table) {
        call("create table " + table.database() + "." + table.name(), () -> {
            client.create_table(hiveTable(table));
            return null;
        });
    }

    @Override
    public void updateTable(CatalogTable table) {
        call("alter table " + table.database() + "." + table.name(), () -> {
            client.alter_table(table.database(), table.name(), hiveTable(table));
            return null;
        });
    }

    @Override
    public Set<List<String>> partitionValues(String database, String table) {
        List<Partition> partitions = call("list partitions of " + database + "." + table, () -> client.get_partitions(database, table, (short) -1));
        Set<List<String>> values = new HashSet<>();
        partitions.forEach(p -> values.add(List.copyOf(p.getValues())));
        return values;
    }

    @Override
    public void addPartitions(CatalogTable table, List<CatalogPartition> partitions) {
        for (int from = 0; from < partitions.size(); from += PARTITION_BATCH) {
            List<Partition> batch = new ArrayList<>();
            for (CatalogPartition p : partitions.subList(from, Math.min(partitions.size(), from + PARTITION_BATCH))) {
                Partition partition = new Partition();
                partition.setDbName(table.database());
                partition.setTableName(table.name());
                partition.setValues(new ArrayList<>(p.values()));
                partition.setSd(storageDescriptor(table, p.location(), p.columns().orElse(table.columns())));
                partition.setParameters(new HashMap<>());
                batch.add(partition);
            }
            AddPartitionsRequest request = new AddPartitionsRequest(table.database(), table.name(), batch, true /* ifNotExists */);
            request.setNeedResult(false);
            call("add partitions to " + table.database() + "." + table.name(), () -> client.add_partitions_req(request));
        }
    }

    @Override
    public void updatePartitions(CatalogTable table, List<CatalogPartition> partitions) {
        for (int from = 0; from < partitions.size(); from += PARTITION_BATCH) {
            List<Partition> batch = new ArrayList<>();
            for (CatalogPartition p : partitions.subList(from, Math.min(partitions.size(), from + PARTITION_BATCH))) {
                Partition current = call("read partition " + p.values() + " of " + table.database() + "." + table.name(),
                        () -> client.get_partition(table.database(), table.name(), p.values()));
                current.setSd(storageDescriptor(table, p.location(), p.columns().orElse(table.columns())));
                batch.add(current);
            }
            call("alter partitions of " + table.database() + "." + table.name(), () -> {
                client.alter_partitions(table.database(), table.name(), batch);
                return null;
            });
        }
    }

    @Override
    public void deleteTable(String database, String name) {
        call("drop table " + database + "." + name, () -> {
            client.drop_table(database, name, false /* deleteData */);
            return null;
        });
    }

    @Override
    public void deletePartitions(String database, String table, List<List<String>> values) {
        for (List<String> v : values) {
            try {
                client.drop_partition(database, table, v, false /* deleteData */);
            } catch (NoSuchObjectException gone) {
                // dropped meanwhile by someone else
            } catch (TException e) {
                throw new CatalogWriteException("Metastore " + host + ":" + port + " refused to drop partition " + v + " of " + database + "." + table + ": "
                        + e.getMessage(), e);
            }
        }
    }

    @Override
    public void setTableParameter(String database, String table, String key, String value) {
        Table current = call("read table " + database + "." + table, () -> client.get_table_req(new GetTableRequest(database, table)).getTable());
        Map<String, String> parameters = current.getParameters() == null ? new HashMap<>() : new HashMap<>(current.getParameters());
        parameters.put(key, value);
        current.setParameters(parameters);
        call("alter table " + database + "." + table, () -> {
            client.alter_table(database, table, current);
            return null;
        });
    }

    @Override
    public void setPartitionParameter(String database, String table, List<List<String>> values, String key, String value) {
        for (List<String> v : values) {
            Partition current = call("read partition " + v + " of " + database + "." + table, () -> client.get_partition(database, table, v));
            Map<String, String> parameters = current.getParameters() == null ? new HashMap<>() : new HashMap<>(current.getParameters());
            parameters.put(key, value);
            current.setParameters(parameters);
            call("alter partition " + v + " of " + database + "." + table, () -> {
                client.alter_partition(database, table, current);
                return null;
            });
        }
    }

    private static Table hiveTable(CatalogTable table) {
        Map<String, String> parameters = new HashMap<>(table.format().tableParameters());
        parameters.put("CrawlerSchemaSerializerVersion", "1.0");
        parameters.put("EXTERNAL", "TRUE");
        Table t = new Table();
        t.setDbName(table.database());
        t.setTableName(table.name());
        t.setTableType("EXTERNAL_TABLE");
        t.setParameters(parameters);
        t.setSd(storageDescriptor(table, table.location(), table.columns()));
        t.setPartitionKeys(table.partitionKeys().stream().map(k -> new FieldSchema(k.name(), k.type(), null)).toList());
        return t;
    }

    private static StorageDescriptor storageDescriptor(CatalogTable table, String location, List<Column> ownColumns) {
        StorageDescriptor sd = new StorageDescriptor();
        sd.setCols(ownColumns.stream().map(c -> new FieldSchema(c.name(), c.type(), null)).toList());
        sd.setLocation(location);
        sd.setInputFormat(table.format().inputFormat());
        sd.setOutputFormat(table.format().outputFormat());
        sd.setCompressed(!table.format().tableParameters().getOrDefault("compressionType", "none").equals("none"));
        sd.setNumBuckets(-1);
        sd.setSerdeInfo(new SerDeInfo(null, table.format().serializationLibrary(), new HashMap<>(table.format().serdeParameters())));
        sd.setBucketCols(List.of());
        sd.setSortCols(List.of());
        sd.setParameters(new HashMap<>());
        return sd;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
        }
    }
}
