package dev.mortar.metastore.control.crawl;

/** A crawler's state, as the Glue API reports it: no run, a run, or a run asked to stop. */
public enum CrawlerState {
    READY, RUNNING, STOPPING
}
