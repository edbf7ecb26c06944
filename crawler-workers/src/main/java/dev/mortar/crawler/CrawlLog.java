package dev.mortar.crawler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision log of one run: why each table was formed (which folders were grouped, and how similar their
 * schemas were), which classifier matched each file, whether a header was detected, what changed in the
 * catalog and why, and what was skipped or excluded. Thread-confined to the crawl that writes it.
 */
public final class CrawlLog {
    /** What a decision is about. */
    public enum Kind { INCLUDE, EXCLUDE, SKIP, CLASSIFY, HEADER, ERROR, GROUP, TABLE, PARTITION, CHANGE, UNCHANGED, DELETE, STOP }

    /** One decision: its kind, the path or table it concerns, and the reason in words. */
    public record Entry(Kind kind, String subject, String message) {
        public String text() {
            return kind + " " + subject + ": " + message;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    public void add(Kind kind, String subject, String message) {
        entries.add(new Entry(kind, subject, message));
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** Entries per kind, in the order of {@link Kind}; for the run's summary. */
    public Map<Kind, Integer> counts() {
        Map<Kind, Integer> counts = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            int n = (int) entries.stream().filter(e -> e.kind() == k).count();
            if (n > 0) {
                counts.put(k, n);
            }
        }
        return counts;
    }

    /** One line per decision. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        entries.forEach(e -> sb.append(e.text()).append('\n'));
        return sb.toString();
    }
}
