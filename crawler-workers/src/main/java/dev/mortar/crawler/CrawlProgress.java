package dev.mortar.crawler;

/**
 * Told by a running crawl what it has done so far, so that the run can be watched while it works
 * (GetCrawler's progress, a worker's heartbeats). Called on the crawling thread; must be cheap.
 */
public interface CrawlProgress {
    /** Does nothing: for crawls nobody watches. */
    CrawlProgress NONE = new CrawlProgress() {
        @Override
        public void fileSeen(long bytes) {}

        @Override
        public void tableFound() {}
    };

    /** A file was taken into the crawl (not skipped or excluded); {@code bytes} is its length. */
    void fileSeen(long bytes);

    /** A table's files were classified and the table is about to be written. */
    void tableFound();
}
