package dev.mortar.crawler.catalog;

import dev.mortar.crawler.classify.Classification;
import dev.mortar.crawler.classify.Column;

import java.util.List;
import java.util.Map;

/**
 * A table as a crawler writes it: where its files are, its columns and partition keys, and its format; read
 * back from the catalog, also its table parameters ({@code classification}, {@code DEPRECATED_BY_CRAWLER}, ...).
 */
public record CatalogTable(String database, String name, String location, List<Column> columns, List<Column> partitionKeys, Classification format,
                           Map<String, String> parameters) {
    public CatalogTable {
        columns = List.copyOf(columns);
        partitionKeys = List.copyOf(partitionKeys);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }

    public CatalogTable(String database, String name, String location, List<Column> columns, List<Column> partitionKeys, Classification format) {
        this(database, name, location, columns, partitionKeys, format, Map.of());
    }
}
