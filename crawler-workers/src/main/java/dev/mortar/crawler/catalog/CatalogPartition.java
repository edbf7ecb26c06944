package dev.mortar.crawler.catalog;

import dev.mortar.crawler.classify.Column;

import java.util.List;
import java.util.Optional;

/**
 * A partition as a crawler writes it: its key values, in key order, its folder, and its own columns when it does
 * not take its table's (the service keeps each partition's schema unless partitions inherit from the table).
 */
public record CatalogPartition(List<String> values, String location, Optional<List<Column>> columns) {
    public CatalogPartition {
        values = List.copyOf(values);
        columns = columns == null ? Optional.empty() : columns.map(List::copyOf);
    }

    public CatalogPartition(List<String> values, String location) {
        this(values, location, Optional.empty());
    }
}
