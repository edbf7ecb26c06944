package dev.mortar.metastore.control.crawl;

import dev.mortar.crawler.CrawlReport;

/** Told once for every crawl run that ends in this server, with its state, how long it took and what it did. */
@FunctionalInterface
public interface CrawlMetrics {
    CrawlMetrics NONE = (state, seconds, report) -> {};

    void ended(CrawlRunState state, double seconds, CrawlReport report);
}
