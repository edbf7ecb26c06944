package dev.mortar.crawler;

import java.util.List;

/**
 * What one crawl covers: include paths (Hadoop URIs or local paths) with their exclusions, the database it
 * writes to, a table-name prefix, and whether existing tables may be changed ({@code UPDATE_IN_DATABASE})
 * or changes are only reported ({@code LOG}).
 */
public record CrawlTarget(String database, String tablePrefix, List<Include> includes, boolean updateTables) {
    public CrawlTarget {
        includes = List.copyOf(includes);
        tablePrefix = tablePrefix == null ? "" : tablePrefix;
    }

    /** Include paths without exclusions, updating existing tables. */
    public static CrawlTarget of(String database, String tablePrefix, List<String> paths) {
        return new CrawlTarget(database, tablePrefix, paths.stream().map(p -> new Include(p, List.of())).toList(), true);
    }

    /**
     * One include path and its exclusions: Unix globs relative to the include path, as the service takes them
     * ({@code *} within a folder, {@code **} across folders, {@code ?}, {@code [a-z]}, {@code [!x]}, {@code {a,b}}).
     */
    public record Include(String path, List<String> exclusions) {
        public Include {
            exclusions = List.copyOf(exclusions);
        }
    }
}
