package dev.mortar.gateway.catalog;

import java.util.List;

/** One partition: its key values (in partition key order, as strings) and its data location. */
public record CatalogPartition(List<String> values, String location) {
    public CatalogPartition {
        values = List.copyOf(values);
    }
}
