package dev.mortar.crawler;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a crawler knows from its last finished run: the folders with data it has seen, each with the table it
 * belongs to, and each table's root folder. A new-folders-only recrawl lists and reads only folders not in it;
 * a full recrawl compares with it to find tables and partitions whose data is gone.
 */
public final class CrawlState {
    private final Map<String, String> dataFolders = new TreeMap<>();
    private final Map<String, String> tableRoots = new TreeMap<>();

    public static CrawlState empty() {
        return new CrawlState();
    }

    /** A folder holding data files (qualified URI, no trailing slash) and the table it belongs to. */
    public void addDataFolder(String folder, String table) {
        dataFolders.put(folder, table);
    }

    /** The root folder of a table (its location). */
    public void addTable(String table, String root) {
        tableRoots.put(table, root);
    }

    public Map<String, String> dataFolders() {
        return java.util.Collections.unmodifiableMap(dataFolders);
    }

    public Map<String, String> tableRoots() {
        return java.util.Collections.unmodifiableMap(tableRoots);
    }

    public boolean knows(String folder) {
        return dataFolders.containsKey(folder);
    }

    /** The known table whose root folder contains this folder (or is it), with the longest root. */
    public Optional<Map.Entry<String, String>> tableContaining(String folder) {
        Map.Entry<String, String> best = null;
        for (Map.Entry<String, String> e : tableRoots.entrySet()) {
            String root = e.getValue();
            if ((folder.equals(root) || folder.startsWith(root + "/")) && (best == null || root.length() > best.getValue().length())) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }

    public boolean isEmpty() {
        return dataFolders.isEmpty() && tableRoots.isEmpty();
    }
}
