package dev.mortar.crawler;

import java.util.List;
import java.util.Optional;

/**
 * What a crawl did: tables created, updated and deleted or deprecated, partitions added and removed, files seen
 * and read, bytes read, each file or table it could not use, the decision log, and the folder state the next
 * run starts from (empty when the run did not finish, so that the previous state is kept).
 */
public record CrawlReport(List<String> tablesCreated, List<String> tablesUpdated, List<String> tablesDeleted, int partitionsAdded,
                          int partitionsDeleted, int filesSeen, int filesRead, long bytesRead, List<FileError> errors, CrawlLog log,
                          Optional<CrawlState> state) {
    public CrawlReport {
        tablesCreated = List.copyOf(tablesCreated);
        tablesUpdated = List.copyOf(tablesUpdated);
        tablesDeleted = List.copyOf(tablesDeleted);
        errors = List.copyOf(errors);
    }

    public CrawlReport(List<String> tablesCreated, List<String> tablesUpdated, int partitionsAdded, int filesRead, List<FileError> errors) {
        this(tablesCreated, tablesUpdated, List.of(), partitionsAdded, 0, filesRead, filesRead, 0, errors, new CrawlLog(), Optional.empty());
    }

    /** A file (or table folder) the crawl could not use, and why. */
    public record FileError(String path, String message) {}
}
