package dev.mortar.metastore.control;

import dev.mortar.metastore.control.crawl.CustomClassifiers;
import dev.mortar.metastore.control.connection.Connections;
import dev.mortar.metastore.control.crawl.CrawlRuns;
import dev.mortar.metastore.control.crawl.Crawlers;
import dev.mortar.metastore.control.run.RunCoordinator;
import dev.mortar.metastore.store.CatalogDatabase;

import java.time.InstantSource;

/**
 * The control plane of one server, built once and handed to every protocol (the Glue API, the worker port, the
 * embedded workers, and later the scheduler, console and plugin): the run queue and the crawl runs over it, on
 * the catalog's store, with time from {@code clock}.
 */
public record ControlPlane(RunCoordinator queue, Crawlers crawlers, CrawlRuns crawls, CustomClassifiers classifiers, Connections connections) {
    public static ControlPlane create(CatalogDatabase database, InstantSource clock, int crawlMaxAttempts) {
        RunCoordinator queue = new RunCoordinator(clock);
        CrawlRuns runs = new CrawlRuns(database, queue, crawlMaxAttempts);
        return new ControlPlane(queue, new Crawlers(database, clock, runs), runs, new CustomClassifiers(database, clock), new Connections(database, clock));
    }
}
