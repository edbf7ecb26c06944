package dev.mortar.crawler;

import java.util.List;
import java.util.OptionalInt;

/**
 * What one crawl covers: include paths (Hadoop URIs or local paths) with their exclusions, the database it
 * writes to, a table-name prefix, and the policy that decides how folders become tables and how existing
 * tables change.
 */
public record CrawlTarget(String database, String tablePrefix, List<Include> includes, CrawlPolicy policy) {
    public CrawlTarget {
        includes = List.copyOf(includes);
        tablePrefix = tablePrefix == null ? "" : tablePrefix;
        policy = policy == null ? CrawlPolicy.defaults() : policy;
    }

    /** With the default policy, except that existing tables are only reported as changed when {@code updateTables} is false. */
    public CrawlTarget(String database, String tablePrefix, List<Include> includes, boolean updateTables) {
        this(database, tablePrefix, includes, CrawlPolicy.defaults().withUpdateBehavior(updateTables
                ? CrawlPolicy.UpdateBehavior.UPDATE_IN_DATABASE : CrawlPolicy.UpdateBehavior.LOG));
    }

    /** Include paths without exclusions, updating existing tables. */
    public static CrawlTarget of(String database, String tablePrefix, List<String> paths) {
        return new CrawlTarget(database, tablePrefix, paths.stream().map(p -> new Include(p, List.of())).toList(), true);
    }

    public CrawlTarget withPolicy(CrawlPolicy newPolicy) {
        return new CrawlTarget(database, tablePrefix, includes, newPolicy);
    }

    /**
     * One include path and its exclusions: Unix globs relative to the include path, as the service takes them
     * ({@code *} within a folder, {@code **} across folders, {@code ?}, {@code [a-z]}, {@code [!x]}, {@code {a,b}});
     * and {@code SampleSize}, the number of files read in each folder (all when empty).
     */
    public record Include(String path, List<String> exclusions, OptionalInt sampleSize) {
        public Include {
            exclusions = List.copyOf(exclusions);
            sampleSize = sampleSize == null ? OptionalInt.empty() : sampleSize;
        }

        public Include(String path, List<String> exclusions) {
            this(path, exclusions, OptionalInt.empty());
        }
    }
}
