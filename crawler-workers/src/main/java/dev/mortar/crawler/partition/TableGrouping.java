package dev.mortar.crawler.partition;

import dev.mortar.crawler.CrawlLog;
import dev.mortar.crawler.CrawlPolicy;
import dev.mortar.crawler.classify.Classification;
import dev.mortar.catalog.Column;
import dev.mortar.crawler.classify.HiveTypes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which folders under an include path form one table, as the service decides it. Starting at the include
 * path, a folder is one table (its sub-folders its partitions) when, at every level below it, the sibling
 * folders hold files of one format and their schemas are similar: each sibling has more than
 * {@link CrawlPolicy#SIMILARITY_THRESHOLD} of the columns of the siblings' merged schema, and the siblings
 * have at most {@link CrawlPolicy#MAX_SCHEMA_CLUSTERS} distinct schemas. Otherwise each sub-folder is
 * considered in turn, and files lying in the folder itself form a table of their own. A single folder
 * directly under the include path is a table itself (there is nothing to compare it with), unless it is a
 * {@code key=value} partition folder. Siblings that are all {@code key=value} folders of one key name themselves
 * partitions: they are not compared by schema (their format must still agree). {@code CombineCompatibleSchemas} drops the similarity test (formats
 * must still agree); {@code TableLevelConfiguration} fixes the level of the table folders instead.
 */
public final class TableGrouping {
    /** A folder holding data files: its path relative to the include path, its URI, and the merged schema of its files. */
    public record Folder(String uri, List<String> segments, Classification schema) {
        public Folder {
            segments = List.copyOf(segments);
        }
    }

    /** A table: its root folder relative to the include path, the folders below it that hold its data, and why. */
    public record Group(List<String> root, List<Folder> members, String reason) {
        public Group {
            root = List.copyOf(root);
            members = List.copyOf(members);
        }
    }

    private final boolean combineCompatibleSchemas;
    private final OptionalInt tableLevel;
    private final CrawlLog log;

    public TableGrouping(boolean combineCompatibleSchemas, OptionalInt tableLevel, CrawlLog log) {
        this.combineCompatibleSchemas = combineCompatibleSchemas;
        this.tableLevel = tableLevel;
        this.log = log;
    }

    /**
     * Groups the folders under one include path.
     *
     * @param rootUri   the include path, for the log
     * @param rootLevel the include path's absolute level (the bucket or first folder is level 1)
     */
    public List<Group> group(String rootUri, int rootLevel, List<Folder> folders) {
        List<Group> out = new ArrayList<>();
        if (folders.isEmpty()) {
            return out;
        }
        if (tableLevel.isPresent()) {
            byLevel(rootUri, rootLevel, folders, out);
        } else {
            decide(rootUri, List.of(), folders, true, out);
        }
        return out;
    }

    private void byLevel(String rootUri, int rootLevel, List<Folder> folders, List<Group> out) {
        int depth = tableLevel.getAsInt() - rootLevel;
        if (depth < 0) {
            log.add(CrawlLog.Kind.GROUP, rootUri, "TableLevelConfiguration " + tableLevel.getAsInt() + " is above the include path (level " + rootLevel
                    + "); the include path is the table folder");
            depth = 0;
        }
        Map<List<String>, List<Folder>> byRoot = new TreeMap<>(TableGrouping::compareSegments);
        for (Folder f : folders) {
            List<String> root = f.segments().size() >= depth ? f.segments().subList(0, depth) : f.segments();
            if (f.segments().size() < depth) {
                log.add(CrawlLog.Kind.GROUP, f.uri(), "files above TableLevelConfiguration " + tableLevel.getAsInt() + " (level "
                        + (rootLevel + f.segments().size()) + "): their folder is a table of its own");
            }
            byRoot.computeIfAbsent(root, k -> new ArrayList<>()).add(f);
        }
        byRoot.forEach((root, members) -> out.add(new Group(root, members, "table folder at level " + (rootLevel + root.size())
                + " (TableLevelConfiguration " + tableLevel.getAsInt() + "), " + members.size() + " folder(s) with data below it")));
    }

    private static int compareSegments(List<String> a, List<String> b) {
        return String.join("/", a).compareTo(String.join("/", b));
    }

    private void decide(String uri, List<String> prefix, List<Folder> under, boolean includeRoot, List<Group> out) {
        List<Folder> own = new ArrayList<>();
        Map<String, List<Folder>> children = new TreeMap<>();
        for (Folder f : under) {
            if (f.segments().size() == prefix.size()) {
                own.add(f);
            } else {
                children.computeIfAbsent(f.segments().get(prefix.size()), k -> new ArrayList<>()).add(f);
            }
        }
        if (includeRoot && own.isEmpty() && children.size() == 1) {
            String child = children.keySet().iterator().next();
            if (PartitionFolders.isKeyValue(child)) {
                out.add(new Group(prefix, under, "the include path holds only the partition folder " + child));
                log.add(CrawlLog.Kind.GROUP, uri, "one table: the include path holds only the partition folder " + child);
            } else {
                log.add(CrawlLog.Kind.GROUP, uri, "the include path holds one folder, " + child + ", with nothing to compare it with: it is a table folder");
                decide(uri + "/" + child, append(prefix, child), under, false, out);
            }
            return;
        }
        if (children.isEmpty()) {
            out.add(new Group(prefix, under, "files directly in the folder"));
            return;
        }
        Verdict verdict = similar(prefix, under);
        if (verdict.reason() == null) {
            String why = children.size() + " sibling folder(s) " + (own.isEmpty() ? "" : "and files ") + "below are one table: " + verdict.detail();
            out.add(new Group(prefix, under, why));
            log.add(CrawlLog.Kind.GROUP, uri, why);
            return;
        }
        log.add(CrawlLog.Kind.GROUP, uri, "not one table: " + verdict.reason() + "; each folder below is considered on its own");
        if (!own.isEmpty()) {
            out.add(new Group(prefix, own, "files directly in a folder whose sub-folders are not its partitions"));
        }
        children.forEach((name, members) -> decide(uri + "/" + name, append(prefix, name), members, false, out));
    }

    private static List<String> append(List<String> prefix, String name) {
        List<String> l = new ArrayList<>(prefix);
        l.add(name);
        return l;
    }

    /** Null reason: the folders below {@code prefix} may be one table; detail says how alike they are. */
    private record Verdict(String reason, String detail) {}

    private Verdict similar(List<String> prefix, List<Folder> under) {
        Classification first = under.get(0).schema();
        for (Folder f : under) {
            if (!f.schema().compatibleWith(first)) {
                return new Verdict("folders hold different formats (" + first.name() + " " + describeSettings(first) + " in " + under.get(0).uri() + ", "
                        + f.schema().name() + " " + describeSettings(f.schema()) + " in " + f.uri() + ")", null);
            }
        }
        return levels(prefix, under);
    }

    private static String describeSettings(Classification c) {
        return c.serdeParameters().isEmpty() ? "" : c.serdeParameters().toString();
    }

    /** The similarity test at this level, then at every level below. */
    private Verdict levels(List<String> prefix, List<Folder> under) {
        Map<String, List<Folder>> children = new TreeMap<>();
        List<Folder> own = new ArrayList<>();
        for (Folder f : under) {
            if (f.segments().size() == prefix.size()) {
                own.add(f);
            } else {
                children.computeIfAbsent(f.segments().get(prefix.size()), k -> new ArrayList<>()).add(f);
            }
        }
        if (children.isEmpty()) {
            return new Verdict(null, "");
        }
        Map<String, List<Column>> schemas = new TreeMap<>();
        children.forEach((name, members) -> schemas.put(name, merged(members)));
        if (!own.isEmpty()) {
            schemas.put("(files in " + (prefix.isEmpty() ? "the include path" : String.join("/", prefix)) + ")", merged(own));
        }
        // distinct schemas (by column names), each with the first folder that has it
        Map<Set<String>, String> clusters = new java.util.LinkedHashMap<>();
        schemas.forEach((name, columns) -> clusters.putIfAbsent(names(columns), name));
        double lowest = 1.0;
        String lowestPair = null;
        List<Map.Entry<Set<String>, String>> distinct = new ArrayList<>(clusters.entrySet());
        if (distinct.size() <= CrawlPolicy.MAX_SCHEMA_CLUSTERS) {
            for (int i = 0; i < distinct.size(); i++) {
                for (int j = i + 1; j < distinct.size(); j++) {
                    double s = similarity(distinct.get(i).getKey(), distinct.get(j).getKey());
                    if (s < lowest || lowestPair == null) {
                        lowest = Math.min(lowest, s);
                        lowestPair = distinct.get(i).getValue() + " and " + distinct.get(j).getValue();
                    }
                }
            }
        }
        String where = prefix.isEmpty() ? "the include path" : String.join("/", prefix);
        String detail;
        String hiveKey = own.isEmpty() ? commonKey(children.keySet()) : null;
        if (hiveKey != null) {
            detail = "the folders below " + where + " name their partition key " + hiveKey + " (" + distinct.size() + " distinct schema(s)"
                    + (distinct.size() > 1 ? String.format(Locale.ROOT, ", the least alike %.0f%% alike", lowest * 100) : "") + ")";
        } else if (combineCompatibleSchemas) {
            detail = "CombineCompatibleSchemas (one format, similarity not compared; " + clusters.size() + " distinct schema(s) below " + where + ")";
        } else {
            if (clusters.size() > CrawlPolicy.MAX_SCHEMA_CLUSTERS) {
                return new Verdict(clusters.size() + " distinct schemas among the " + schemas.size() + " folders below " + where + " (at most "
                        + CrawlPolicy.MAX_SCHEMA_CLUSTERS + ")", null);
            }
            if (lowest <= CrawlPolicy.SIMILARITY_THRESHOLD) {
                return new Verdict(String.format(Locale.ROOT, "the schemas of %s below %s are %.0f%% alike (more than %.0f%% needed)",
                        lowestPair, where, lowest * 100, CrawlPolicy.SIMILARITY_THRESHOLD * 100), null);
            }
            detail = distinct.size() == 1 ? "one schema below " + where
                    : String.format(Locale.ROOT, "%d distinct schemas below %s, the least alike (%s) %.0f%% alike", distinct.size(), where, lowestPair, lowest * 100);
        }
        for (Map.Entry<String, List<Folder>> e : children.entrySet()) {
            Verdict below = levels(append(prefix, e.getKey()), e.getValue());
            if (below.reason() != null) {
                return below;
            }
        }
        return new Verdict(null, detail);
    }

    /**
     * How alike two schemas are: the share of the smaller one's columns that the other has too. A folder whose
     * files gained columns stays alike its older siblings; schemas with few columns in common do not.
     */
    static double similarity(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty() ? 1.0 : 0.0;
        }
        Set<String> common = new HashSet<>(a);
        common.retainAll(b);
        return (double) common.size() / Math.min(a.size(), b.size());
    }

    /** The key when every folder is {@code key=value} with one key: such folders are partitions by their names, whatever their schemas. */
    private static String commonKey(Set<String> folders) {
        String key = null;
        for (String f : folders) {
            if (!PartitionFolders.isKeyValue(f)) {
                return null;
            }
            String k = f.substring(0, f.indexOf('=')).toLowerCase(Locale.ROOT);
            if (key != null && !key.equals(k)) {
                return null;
            }
            key = k;
        }
        return key;
    }

    private static List<Column> merged(List<Folder> folders) {
        List<Column> columns = List.of();
        for (Folder f : folders) {
            columns = HiveTypes.mergeColumns(columns, f.schema().columns());
        }
        return columns;
    }

    private static Set<String> names(List<Column> columns) {
        Set<String> names = new LinkedHashSet<>();
        columns.forEach(c -> names.add(c.name().toLowerCase(Locale.ROOT)));
        return names;
    }
}
