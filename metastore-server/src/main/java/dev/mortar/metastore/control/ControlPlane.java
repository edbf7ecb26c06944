package dev.mortar.metastore.control;

import dev.mortar.metastore.control.crawl.CustomClassifiers;
import dev.mortar.metastore.control.connection.Connections;
import dev.mortar.metastore.control.crawl.CrawlRuns;
import dev.mortar.metastore.control.crawl.Crawlers;
import dev.mortar.metastore.control.job.JobBookmarks;
import dev.mortar.metastore.control.job.JobRuns;
import dev.mortar.metastore.control.job.Jobs;
import dev.mortar.metastore.control.run.RunCoordinator;
import dev.mortar.metastore.control.schedule.Scheduling;
import dev.mortar.metastore.control.tag.Tags;
import dev.mortar.metastore.store.CatalogDatabase;

import java.time.InstantSource;
import java.util.Optional;

/**
 * The control plane of one server, built once and handed to every protocol (the Glue API, the worker port, the
 * embedded workers, and later the scheduler, console and plugin): the run queue with the crawl and job runs over it,
 * on the catalog's store (with the control plane's own migrations, {@code db/control}), with time from {@code clock}.
 */
public record ControlPlane(RunCoordinator queue, Crawlers crawlers, CrawlRuns crawls, CustomClassifiers classifiers, Connections connections, Jobs jobs,
                           JobRuns jobRuns, JobBookmarks bookmarks, Tags tags, Scheduling scheduling) {
    public static ControlPlane create(CatalogDatabase database, InstantSource clock, int crawlMaxAttempts) {
        return create(database, clock, crawlMaxAttempts, Scheduling.Options.DEFAULTS);
    }

    public static ControlPlane create(CatalogDatabase database, InstantSource clock, int crawlMaxAttempts, Scheduling.Options scheduling) {
        // version 0.1 creates the crawler tables and the run queue, which the catalog's migrations made before
        database.migrate("classpath:db/control", "c_schema_history", Optional.of("0.1"));
        RunCoordinator queue = new RunCoordinator(clock);
        CrawlRuns runs = new CrawlRuns(database, queue, crawlMaxAttempts);
        JobRuns jobRuns = new JobRuns(database, queue);
        return new ControlPlane(queue, new Crawlers(database, clock, runs), runs, new CustomClassifiers(database, clock), new Connections(database, clock),
                new Jobs(database, clock), jobRuns, new JobBookmarks(database, clock), new Tags(database),
                new Scheduling(database, clock, jobRuns, runs, scheduling));
    }
}
