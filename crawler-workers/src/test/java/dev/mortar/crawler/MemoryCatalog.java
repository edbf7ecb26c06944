package dev.mortar.crawler;

import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.CatalogWriter;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The catalog as maps, recording everything a crawl wrote, including removals and parameters. */
final class MemoryCatalog implements CatalogWriter {
    final Set<String> databases = new HashSet<>();
    final Map<String, CatalogTable> tables = new TreeMap<>();
    final Map<String, Map<List<String>, CatalogPartition>> partitions = new TreeMap<>();
    final Map<String, Map<List<String>, Map<String, String>>> partitionParameters = new HashMap<>();

    CatalogTable table(String name) {
        return tables.get("db." + name);
    }

    Set<List<String>> partitionsOf(String name) {
        return partitions.getOrDefault("db." + name, Map.of()).keySet();
    }

    @Override
    public void ensureDatabase(String database) {
        databases.add(database);
    }

    @Override
    public Optional<CatalogTable> table(String database, String name) {
        return Optional.ofNullable(tables.get(database + "." + name));
    }

    @Override
    public void createTable(CatalogTable table) {
        tables.put(table.name().toString(), withParameters(table));
    }

    @Override
    public void updateTable(CatalogTable table) {
        tables.put(table.name().toString(), withParameters(table));
    }

    /** As the catalog's writers do: the table parameters are the written table's, replacing what was there. */
    private static CatalogTable withParameters(CatalogTable t) {
        Map<String, String> params = new HashMap<>(t.parameters());
        params.putIfAbsent("classification", "unknown");
        return withParameters(t, params);
    }

    private static CatalogTable withParameters(CatalogTable t, Map<String, String> params) {
        return new CatalogTable(t.name(), t.tableType(), t.columns(), t.partitionKeys(), t.location(), t.format(), params, t.viewText());
    }

    @Override
    public Set<List<String>> partitionValues(String database, String table) {
        return new HashSet<>(partitions.getOrDefault(database + "." + table, Map.of()).keySet());
    }

    @Override
    public void addPartitions(CatalogTable table, List<CatalogPartition> list) {
        var map = partitions.computeIfAbsent(table.name().toString(), k -> new LinkedHashMap<>());
        list.forEach(p -> map.put(p.values(), p));
    }

    @Override
    public void updatePartitions(CatalogTable table, List<CatalogPartition> list) {
        addPartitions(table, list);
    }

    @Override
    public void deleteTable(String database, String name) {
        tables.remove(database + "." + name);
        partitions.remove(database + "." + name);
    }

    @Override
    public void deletePartitions(String database, String table, List<List<String>> values) {
        values.forEach(partitions.getOrDefault(database + "." + table, new HashMap<>())::remove);
    }

    @Override
    public void setTableParameter(String database, String table, String key, String value) {
        CatalogTable t = tables.get(database + "." + table);
        Map<String, String> params = new HashMap<>(t.parameters());
        params.put(key, value);
        tables.put(database + "." + table, withParameters(t, params));
    }

    @Override
    public void setPartitionParameter(String database, String table, List<List<String>> values, String key, String value) {
        values.forEach(v -> partitionParameters.computeIfAbsent(database + "." + table, k -> new HashMap<>()).computeIfAbsent(v, k -> new HashMap<>()).put(key, value));
    }
}
