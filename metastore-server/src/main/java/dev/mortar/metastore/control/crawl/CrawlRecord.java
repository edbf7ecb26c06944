package dev.mortar.metastore.control.crawl;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One run of a crawler: its state, times, counts, summary document and error. */
public record CrawlRecord(String crawlId, String crawler, CrawlRunState state, Instant started, Optional<Instant> ended, int tablesCreated,
                          int tablesUpdated, int partitionsAdded, int filesRead, Optional<String> summary, Optional<String> error) {
    public CrawlRecord {
        Objects.requireNonNull(crawlId, "crawlId");
        Objects.requireNonNull(state, "state");
    }
}
