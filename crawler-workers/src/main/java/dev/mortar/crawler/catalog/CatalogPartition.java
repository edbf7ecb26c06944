package dev.mortar.crawler.catalog;

import java.util.List;

/** A partition as a crawler writes it: its key values, in key order, and its folder. */
public record CatalogPartition(List<String> values, String location) {
    public CatalogPartition {
        values = List.copyOf(values);
    }
}
