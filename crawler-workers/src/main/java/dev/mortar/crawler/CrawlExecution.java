package dev.mortar.crawler;

import dev.mortar.crawler.CrawlReport.FileError;
import dev.mortar.catalog.CatalogWriter;
import dev.mortar.crawler.classify.Classifiers;
import dev.mortar.crawler.jdbc.JdbcCrawler;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One run of a crawler as a whole: its file-system includes with its custom classifiers and the last run's
 * folder state ({@link Crawler}), then its JDBC targets ({@link JdbcCrawler}), into one report. The same code
 * runs in the server's embedded workers and in {@code mortar worker} processes.
 */
public final class CrawlExecution {
    private final Configuration hadoop;
    private final CatalogWriter catalog;
    private final CrawlProgress progress;

    public CrawlExecution(Configuration hadoop, CatalogWriter catalog, CrawlProgress progress) {
        this.hadoop = hadoop;
        this.catalog = catalog;
        this.progress = progress;
    }

    /**
     * Runs the assignment, writing decisions to {@code log} (which the caller keeps when the run fails).
     *
     * @throws dev.mortar.crawler.classify.CustomClassifier.UnsupportedClassifierException for a custom classifier crawls cannot apply
     * @throws IllegalArgumentException for a custom classifier whose definition does not compile
     */
    public CrawlReport run(CrawlAssignment assignment, BooleanSupplier cancelled, CrawlLog log) throws IOException {
        CrawlTarget target = assignment.target();
        CrawlReport files = new Crawler(hadoop, catalog, Classifiers.forCrawler(assignment.classifiers()), progress)
                .crawl(target, assignment.previous(), cancelled, log);
        if (assignment.jdbcTargets().isEmpty()) {
            return files;
        }
        boolean updateTables = target.policy().updateBehavior() == CrawlPolicy.UpdateBehavior.UPDATE_IN_DATABASE;
        List<String> created = new ArrayList<>(files.tablesCreated());
        List<String> updated = new ArrayList<>(files.tablesUpdated());
        List<FileError> errors = new ArrayList<>(files.errors());
        for (CrawlAssignment.JdbcTarget jdbc : assignment.jdbcTargets()) {
            if (cancelled.getAsBoolean()) {
                break;
            }
            if (jdbc.source().isEmpty()) {
                String subject = jdbc.connectionName() + ":" + jdbc.include().path();
                errors.add(new FileError(subject, jdbc.connectionError().orElseThrow()));
                log.add(CrawlLog.Kind.ERROR, subject, jdbc.connectionError().orElseThrow());
                continue;
            }
            CrawlReport report = new JdbcCrawler(catalog).crawl(jdbc.source().get(), jdbc.include(), target.database(), target.tablePrefix(), updateTables,
                    cancelled);
            created.addAll(report.tablesCreated());
            updated.addAll(report.tablesUpdated());
            errors.addAll(report.errors());
        }
        return new CrawlReport(created, updated, files.tablesDeleted(), files.partitionsAdded(), files.partitionsDeleted(), files.filesSeen(),
                files.filesRead(), files.bytesRead(), errors, files.log(), files.state());
    }
}
