package dev.mortar.metastore.control.crawl;

import java.time.Instant;
import java.util.Objects;

/** A crawler as the control store keeps it: its definition, state, times and version (counting updates from 1). */
public record CrawlerRecord(String name, CrawlerDefinition definition, CrawlerState state, Instant created, Instant updated, long version) {
    public CrawlerRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(state, "state");
    }
}
