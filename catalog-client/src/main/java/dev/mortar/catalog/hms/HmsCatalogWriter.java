package dev.mortar.catalog.hms;

import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.CatalogWriter;
import org.apache.hadoop.hive.metastore.api.AddPartitionsRequest;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the catalog through the HMS Thrift API, so that a crawl's or a job's tables get the same validation,
 * transactions and events as any engine's: over a socket from another machine, or bound to the server's own HMS
 * handler in-process. Partitions are added with {@code ifNotExists}, so a crawl that is run again after its worker
 * died adds each partition once. Tables are written as external tables: dropping one from here never deletes data.
 */
public final class HmsCatalogWriter implements CatalogWriter, AutoCloseable {
    private static final int PARTITION_BATCH = 100;
    private static final int TIMEOUT_MILLIS = 120_000;

    private final MetastoreBinding metastore;

    /** A client of the metastore port at {@code host:port}; a write whose connection broke is not retried. */
    public HmsCatalogWriter(String host, int port) {
        this(MetastoreBinding.socket(host, port, TIMEOUT_MILLIS, false /* retryBrokenConnection */));
    }

    /** Writes through a metastore in this process (a server's own HMS handler) or a client the caller made. */
    public HmsCatalogWriter(ThriftHiveMetastore.Iface metastore) {
        this(MetastoreBinding.direct(metastore));
    }

    public HmsCatalogWriter(MetastoreBinding metastore) {
        this.metastore = metastore;
    }

    @Override
    public void ensureDatabase(String database) {
        metastore.call("create database " + database, c -> {
            try {
                c.get_database(database);
            } catch (NoSuchObjectException e) {
                try {
                    c.create_database(new Database(database, "", null, new HashMap<>()));
                } catch (AlreadyExistsException raced) {
                    // created meanwhile by someone else
                }
            }
            return null;
        });
    }

    @Override
    public Optional<CatalogTable> table(String database, String name) {
        return metastore.call("read table " + database + "." + name, c -> {
            try {
                return Optional.ofNullable(c.get_table_req(new GetTableRequest(database, name)).getTable()).map(HmsRecords::toTable);
            } catch (NoSuchObjectException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public void createTable(CatalogTable table) {
        metastore.call("create table " + table.name(), c -> {
            c.create_table(hiveTable(table));
            return null;
        });
    }

    @Override
    public void updateTable(CatalogTable table) {
        metastore.call("alter table " + table.name(), c -> {
            c.alter_table(table.name().database(), table.name().table(), hiveTable(table));
            return null;
        });
    }

    @Override
    public Set<List<String>> partitionValues(String database, String table) {
        List<Partition> partitions = metastore.call("list partitions of " + database + "." + table, c -> c.get_partitions(database, table, (short) -1));
        Set<List<String>> values = new HashSet<>();
        partitions.forEach(p -> values.add(List.copyOf(p.getValues())));
        return values;
    }

    @Override
    public void addPartitions(CatalogTable table, List<CatalogPartition> partitions) {
        for (List<CatalogPartition> slice : batches(partitions)) {
            List<Partition> batch = new ArrayList<>();
            for (CatalogPartition p : slice) {
                Partition partition = new Partition();
                partition.setDbName(table.name().database());
                partition.setTableName(table.name().table());
                partition.setValues(new ArrayList<>(p.values()));
                partition.setSd(HmsRecords.storageDescriptor(table, p.location().orElse(null), p.columns().orElse(table.columns())));
                partition.setParameters(new HashMap<>());
                batch.add(partition);
            }
            AddPartitionsRequest request = new AddPartitionsRequest(table.name().database(), table.name().table(), batch, true /* ifNotExists */);
            request.setNeedResult(false);
            metastore.call("add partitions to " + table.name(), c -> c.add_partitions_req(request));
        }
    }

    @Override
    public void updatePartitions(CatalogTable table, List<CatalogPartition> partitions) {
        String db = table.name().database();
        String name = table.name().table();
        for (List<CatalogPartition> slice : batches(partitions)) {
            metastore.call("update partitions of " + table.name(), c -> {
                List<Partition> batch = new ArrayList<>();
                for (CatalogPartition p : slice) {
                    Partition current = c.get_partition(db, name, new ArrayList<>(p.values()));
                    String location = p.location().orElse(current.getSd() == null ? null : current.getSd().getLocation());
                    current.setSd(HmsRecords.storageDescriptor(table, location, p.columns().orElse(table.columns())));
                    batch.add(current);
                }
                c.alter_partitions(db, name, batch);
                return null;
            });
        }
    }

    @Override
    public void deleteTable(String database, String name) {
        metastore.call("drop table " + database + "." + name, c -> {
            try {
                c.drop_table(database, name, false /* deleteData */);
            } catch (NoSuchObjectException gone) {
                // dropped meanwhile: what was asked for holds
            }
            return null;
        });
    }

    @Override
    public void deletePartitions(String database, String table, List<List<String>> values) {
        for (List<List<String>> slice : batches(values)) {
            metastore.call("drop partitions of " + database + "." + table, c -> {
                for (List<String> v : slice) {
                    try {
                        c.drop_partition(database, table, new ArrayList<>(v), false /* deleteData */);
                    } catch (NoSuchObjectException gone) {
                        // dropped meanwhile
                    }
                }
                return null;
            });
        }
    }

    @Override
    public void setTableParameter(String database, String table, String key, String value) {
        metastore.call("set parameter " + key + " of table " + database + "." + table, c -> {
            Table current = c.get_table_req(new GetTableRequest(database, table)).getTable();
            Map<String, String> parameters = current.getParameters() == null ? new HashMap<>() : new HashMap<>(current.getParameters());
            parameters.put(key, value);
            current.setParameters(parameters);
            c.alter_table(database, table, current);
            return null;
        });
    }

    @Override
    public void setPartitionParameter(String database, String table, List<List<String>> values, String key, String value) {
        for (List<List<String>> slice : batches(values)) {
            metastore.call("set parameter " + key + " of partitions of " + database + "." + table, c -> {
                List<Partition> batch = new ArrayList<>();
                for (List<String> v : slice) {
                    Partition current = c.get_partition(database, table, new ArrayList<>(v));
                    Map<String, String> parameters = current.getParameters() == null ? new HashMap<>() : new HashMap<>(current.getParameters());
                    parameters.put(key, value);
                    current.setParameters(parameters);
                    batch.add(current);
                }
                c.alter_partitions(database, table, batch);
                return null;
            });
        }
    }

    private static <T> List<List<T>> batches(List<T> items) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += PARTITION_BATCH) {
            batches.add(items.subList(from, Math.min(items.size(), from + PARTITION_BATCH)));
        }
        return batches;
    }

    private static Table hiveTable(CatalogTable table) {
        Map<String, String> parameters = new HashMap<>(table.parameters());
        parameters.put("CrawlerSchemaSerializerVersion", "1.0");
        parameters.put("EXTERNAL", "TRUE");
        Table t = new Table();
        t.setDbName(table.name().database());
        t.setTableName(table.name().table());
        t.setTableType(CatalogTable.EXTERNAL_TABLE);
        t.setParameters(parameters);
        t.setSd(HmsRecords.storageDescriptor(table, table.location().orElse(null), table.columns()));
        t.setPartitionKeys(HmsRecords.fieldSchemas(table.partitionKeys()));
        return t;
    }

    @Override
    public void close() {
        metastore.close();
    }
}
