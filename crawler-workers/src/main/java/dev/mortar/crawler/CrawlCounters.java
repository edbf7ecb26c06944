package dev.mortar.crawler;

import java.util.concurrent.atomic.AtomicLong;

/** Progress counted for readers on other threads: {@link #snapshot()} may be called while the crawl runs. */
public final class CrawlCounters implements CrawlProgress {
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong tables = new AtomicLong();

    /** The counts at one moment. */
    public record Snapshot(long filesSeen, long bytesSeen, long tablesFound) {}

    @Override
    public void fileSeen(long length) {
        bytes.addAndGet(length);
        files.incrementAndGet();
    }

    @Override
    public void tableFound() {
        tables.incrementAndGet();
    }

    public Snapshot snapshot() {
        return new Snapshot(files.get(), bytes.get(), tables.get());
    }
}
