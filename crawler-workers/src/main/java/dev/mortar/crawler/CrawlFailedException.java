package dev.mortar.crawler;

import java.io.IOException;

/** A crawl that cannot run as defined (an include path that is missing or unreadable); its message is the run's reason. */
public final class CrawlFailedException extends IOException {
    public CrawlFailedException(String message) {
        super(message);
    }
}
