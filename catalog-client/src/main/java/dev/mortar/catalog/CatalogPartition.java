package dev.mortar.catalog;

import java.util.List;
import java.util.Optional;

/**
 * One partition: its key values (in partition key order, as strings), its data location, and its own columns when
 * they are not its table's (a crawled partition keeps the schema of its own files unless partitions inherit from
 * the table). When the catalog has no location for it, {@code location} is empty.
 */
public record CatalogPartition(List<String> values, Optional<String> location, Optional<List<Column>> columns) {
    public CatalogPartition {
        values = List.copyOf(values);
        location = location == null ? Optional.empty() : location.filter(l -> !l.isBlank());
        columns = columns == null ? Optional.empty() : columns.map(List::copyOf);
    }

    public CatalogPartition(List<String> values, String location, Optional<List<Column>> columns) {
        this(values, Optional.of(location), columns);
    }

    public CatalogPartition(List<String> values, String location) {
        this(values, Optional.of(location), Optional.empty());
    }
}
