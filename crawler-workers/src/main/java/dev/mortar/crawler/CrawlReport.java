package dev.mortar.crawler;

import java.util.List;

/** What a crawl did: tables created and updated, partitions added, files read, and each file or table it could not use. */
public record CrawlReport(List<String> tablesCreated, List<String> tablesUpdated, int partitionsAdded, int filesRead, List<FileError> errors) {
    public CrawlReport {
        tablesCreated = List.copyOf(tablesCreated);
        tablesUpdated = List.copyOf(tablesUpdated);
        errors = List.copyOf(errors);
    }

    /** A file (or table folder) the crawl could not use, and why. */
    public record FileError(String path, String message) {}
}
