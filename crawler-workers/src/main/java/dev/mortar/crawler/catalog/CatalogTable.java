package dev.mortar.crawler.catalog;

import dev.mortar.crawler.classify.Classification;
import dev.mortar.crawler.classify.Column;

import java.util.List;

/** A table as a crawler writes it: where its files are, its columns and partition keys, and its format. */
public record CatalogTable(String database, String name, String location, List<Column> columns, List<Column> partitionKeys, Classification format) {
    public CatalogTable {
        columns = List.copyOf(columns);
        partitionKeys = List.copyOf(partitionKeys);
    }
}
