package dev.mortar.metastore.control.crawl;

/** The state of one crawl run (ListCrawls' CrawlerHistoryState). */
public enum CrawlRunState {
    RUNNING, COMPLETED, STOPPED, FAILED;

    public boolean ended() {
        return this != RUNNING;
    }
}
