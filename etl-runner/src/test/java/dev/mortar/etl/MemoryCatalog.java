package dev.mortar.etl;

import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.CatalogException;
import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.CatalogWriter;
import dev.mortar.catalog.ForeignKeyColumn;
import dev.mortar.catalog.PrimaryKeyColumn;
import dev.mortar.catalog.TableName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The catalog as maps, for the runner's own tests (the HMS path is tested with a running server in metastore-server).
 * It evaluates no partition filter: it refuses every one, and readers then read all partitions, as they do when a
 * catalog cannot evaluate a filter.
 */
final class MemoryCatalog implements Catalog, CatalogWriter {
    final Map<String, String> databases = new TreeMap<>();
    final Map<String, CatalogTable> tables = new TreeMap<>();
    final Map<String, Map<List<String>, CatalogPartition>> partitions = new TreeMap<>();

    void database(String name, String location) {
        databases.put(name, location);
    }

    @Override
    public synchronized List<String> databases() {
        return List.copyOf(databases.keySet());
    }

    @Override
    public synchronized boolean databaseExists(String database) {
        return databases.containsKey(database);
    }

    @Override
    public synchronized Optional<String> databaseLocation(String database) {
        return Optional.ofNullable(databases.get(database));
    }

    @Override
    public synchronized List<String> tableNames(String database) {
        return tables.keySet().stream().filter(n -> n.startsWith(database + ".")).map(n -> n.substring(database.length() + 1)).toList();
    }

    @Override
    public synchronized Optional<CatalogTable> table(String database, String table) {
        return Optional.ofNullable(tables.get(new TableName(database, table).toString()));
    }

    @Override
    public synchronized List<CatalogTable> tables(String database, List<String> names) {
        return names.stream().sorted().map(n -> tables.get(new TableName(database, n).toString())).filter(t -> t != null).toList();
    }

    @Override
    public synchronized List<CatalogPartition> partitions(CatalogTable table, Optional<String> hiveFilter) {
        if (hiveFilter.isPresent()) {
            throw new CatalogException("This catalog evaluates no partition filter: " + hiveFilter.get());
        }
        return new ArrayList<>(partitions.getOrDefault(table.name().toString(), Map.of()).values());
    }

    @Override
    public List<PrimaryKeyColumn> primaryKeys(String database, String table) {
        return List.of();
    }

    @Override
    public List<ForeignKeyColumn> foreignKeys(Optional<TableName> parentTable, Optional<TableName> foreignTable) {
        return List.of();
    }

    @Override
    public synchronized void ensureDatabase(String database) {
        databases.putIfAbsent(database, null);
    }

    @Override
    public synchronized void createTable(CatalogTable table) {
        if (tables.putIfAbsent(table.name().toString(), table) != null) {
            throw new CatalogException("Table " + table.name() + " already exists");
        }
    }

    @Override
    public synchronized void updateTable(CatalogTable table) {
        tables.put(table.name().toString(), table);
    }

    @Override
    public synchronized Set<List<String>> partitionValues(String database, String table) {
        return new HashSet<>(partitions.getOrDefault(new TableName(database, table).toString(), Map.of()).keySet());
    }

    @Override
    public synchronized void addPartitions(CatalogTable table, List<CatalogPartition> list) {
        Map<List<String>, CatalogPartition> map = partitions.computeIfAbsent(table.name().toString(), k -> new LinkedHashMap<>());
        list.forEach(p -> map.putIfAbsent(p.values(), p));
    }

    @Override
    public synchronized void updatePartitions(CatalogTable table, List<CatalogPartition> list) {
        Map<List<String>, CatalogPartition> map = partitions.computeIfAbsent(table.name().toString(), k -> new LinkedHashMap<>());
        list.forEach(p -> map.put(p.values(), p));
    }

    @Override
    public synchronized void deleteTable(String database, String name) {
        String key = new TableName(database, name).toString();
        tables.remove(key);
        partitions.remove(key);
    }

    @Override
    public synchronized void deletePartitions(String database, String table, List<List<String>> values) {
        Map<List<String>, CatalogPartition> map = partitions.get(new TableName(database, table).toString());
        if (map != null) {
            values.forEach(map::remove);
        }
    }

    @Override
    public synchronized void setTableParameter(String database, String table, String key, String value) {
        CatalogTable t = tables.get(new TableName(database, table).toString());
        Map<String, String> parameters = new HashMap<>(t.parameters());
        parameters.put(key, value);
        tables.put(t.name().toString(), new CatalogTable(t.name(), t.tableType(), t.columns(), t.partitionKeys(), t.location(), t.format(), parameters, t.viewText()));
    }

    @Override
    public synchronized void setPartitionParameter(String database, String table, List<List<String>> values, String key, String value) {
        // partitions here keep no parameters
    }
}
