package dev.mortar.crawler;

import dev.mortar.crawler.CrawlReport.FileError;
import dev.mortar.crawler.catalog.CatalogPartition;
import dev.mortar.crawler.catalog.CatalogTable;
import dev.mortar.crawler.catalog.CatalogWriter;
import dev.mortar.crawler.classify.Classification;
import dev.mortar.crawler.classify.Classifier;
import dev.mortar.crawler.classify.Column;
import dev.mortar.crawler.classify.CsvClassifier;
import dev.mortar.crawler.classify.HiveTypes;
import dev.mortar.crawler.classify.JsonClassifier;
import dev.mortar.crawler.classify.ParquetClassifier;
import dev.mortar.crawler.classify.SampledFile;
import dev.mortar.crawler.partition.PartitionFolders;
import dev.mortar.crawler.partition.PartitionFolders.Segment;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One crawl over file-system targets: every top-level folder under an include path is a table (the include
 * path itself when its folders are all {@code key=value} partitions, or when files lie directly in it); the
 * folders below a table are its partitions; each file is classified by its content and the table's columns
 * are the merge of its files' columns. Tables and partitions are written through a {@link CatalogWriter}.
 */
public final class Crawler {
    private static final Logger LOG = LoggerFactory.getLogger(Crawler.class);

    private final List<Classifier> classifiers = List.of(new ParquetClassifier(), new JsonClassifier(), new CsvClassifier());
    private final Configuration conf;
    private final CatalogWriter catalog;

    public Crawler(Configuration conf, CatalogWriter catalog) {
        this.conf = conf;
        this.catalog = catalog;
    }

    private record ClassifiedFile(Path path, List<String> folders, Classification classification) {}

    /** Runs the crawl; {@code cancelled} is checked between tables. */
    public CrawlReport crawl(CrawlTarget target, BooleanSupplier cancelled) throws IOException {
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<FileError> errors = new ArrayList<>();
        int[] partitionsAdded = {0};
        int[] filesRead = {0};
        catalog.ensureDatabase(target.database());
        for (CrawlTarget.Include include : target.includes()) {
            Path root = new Path(include.path());
            List<PathMatcher> exclusions = include.exclusions().stream()
                    .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
            FileSystem fs = root.getFileSystem(conf);
            root = fs.makeQualified(root);
            try {
                if (!fs.exists(root)) {
                    errors.add(new FileError(root.toString(), "Include path does not exist"));
                    continue;
                }
            } catch (IOException e) {
                // an unreachable store (a missing S3 bucket, refused credentials) fails this include, not the run
                errors.add(new FileError(root.toString(), "Cannot read include path: " + e.getMessage()));
                continue;
            }
            for (Path tableDir : tableFolders(fs, root)) {
                if (cancelled.getAsBoolean()) {
                    return new CrawlReport(created, updated, partitionsAdded[0], filesRead[0], errors);
                }
                crawlTable(fs, root, exclusions, tableDir, target, created, updated, errors, partitionsAdded, filesRead);
            }
        }
        return new CrawlReport(created, updated, partitionsAdded[0], filesRead[0], errors);
    }

    private List<Path> tableFolders(FileSystem fs, Path root) throws IOException {
        if (fs.getFileStatus(root).isFile()) {
            return List.of(root);
        }
        FileStatus[] children = fs.listStatus(root, p -> visible(p.getName()));
        Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
        boolean filesHere = Arrays.stream(children).anyMatch(FileStatus::isFile);
        boolean allPartitions = children.length > 0 && Arrays.stream(children).allMatch(s -> s.isDirectory() && PartitionFolders.isKeyValue(s.getPath().getName()));
        if (filesHere || allPartitions) {
            return List.of(root);
        }
        return Arrays.stream(children).filter(FileStatus::isDirectory).map(FileStatus::getPath).toList();
    }

    private static boolean visible(String name) {
        return !name.startsWith("_") && !name.startsWith(".");
    }

    private void crawlTable(FileSystem fs, Path root, List<PathMatcher> exclusions, Path tableDir, CrawlTarget target, List<String> created, List<String> updated,
                            List<FileError> errors, int[] partitionsAdded, int[] filesRead) throws IOException {
        List<ClassifiedFile> files = new ArrayList<>();
        boolean single = fs.getFileStatus(tableDir).isFile();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(tableDir, true);
        List<LocatedFileStatus> statuses = new ArrayList<>();
        while (it.hasNext()) {
            statuses.add(it.next());
        }
        statuses.sort(Comparator.comparing(s -> s.getPath().toString()));
        for (LocatedFileStatus status : statuses) {
            Path file = status.getPath();
            List<String> folders = single ? List.of() : relativeFolders(tableDir, file);
            if (folders == null || !visible(file.getName()) || folders.stream().anyMatch(f -> !visible(f)) || status.getLen() == 0
                    || excluded(exclusions, root, file)) {
                continue;
            }
            filesRead[0]++;
            try {
                Optional<Classification> classification = classify(new SampledFile(fs, file, conf));
                if (classification.isEmpty()) {
                    errors.add(new FileError(file.toString(), "No classifier recognised the file (UNKNOWN)"));
                } else {
                    files.add(new ClassifiedFile(file, folders, classification.get()));
                }
            } catch (IOException | RuntimeException e) {
                errors.add(new FileError(file.toString(), "Cannot read file: " + e.getMessage()));
            }
        }
        if (files.isEmpty()) {
            return;
        }
        // The table's format and partition depth are those of most of its files; the others are reported.
        Map<String, Integer> formats = new HashMap<>();
        Map<Integer, Integer> depths = new HashMap<>();
        for (ClassifiedFile f : files) {
            formats.merge(f.classification().name(), 1, Integer::sum);
            depths.merge(f.folders().size(), 1, Integer::sum);
        }
        String format = files.stream().map(f -> f.classification().name()).max(Comparator.comparing(formats::get)).orElseThrow();
        int depth = files.stream().map(f -> f.folders().size()).max(Comparator.comparing(depths::get)).orElseThrow();
        Classification table = null;
        List<ClassifiedFile> members = new ArrayList<>();
        for (ClassifiedFile f : files) {
            if (!f.classification().name().equals(format)) {
                errors.add(new FileError(f.path().toString(), "Classified as " + f.classification().name() + " but its table's files are " + format));
            } else if (f.folders().size() != depth) {
                errors.add(new FileError(f.path().toString(), "File is " + f.folders().size() + " folders below its table, the table's files " + depth));
            } else if (table != null && !table.compatibleWith(f.classification())) {
                errors.add(new FileError(f.path().toString(), "Format settings " + f.classification().serdeParameters() + " differ from its table's " + table.serdeParameters()));
            } else {
                table = table == null ? f.classification() : table.withColumns(HiveTypes.mergeColumns(table.columns(), f.classification().columns()));
                members.add(f);
            }
        }
        List<Segment> firstSegments = PartitionFolders.parse(members.get(0).folders());
        List<Column> partitionKeys = firstSegments.stream().map(s -> new Column(s.key(), "string")).toList();
        Set<String> keyNames = new LinkedHashSet<>(partitionKeys.stream().map(Column::name).toList());
        List<Column> columns = table.columns().stream().filter(c -> !keyNames.contains(c.name())).toList();
        String name = target.tablePrefix() + tableName(single ? tableDir.getParent().getName() : tableDir.getName());
        String location = (single ? tableDir.getParent() : tableDir).toString();
        CatalogTable wanted = new CatalogTable(target.database(), name, location, columns, partitionKeys, table.withColumns(columns));

        Optional<CatalogTable> existing = catalog.table(target.database(), name);
        CatalogTable written = wanted;
        if (existing.isEmpty()) {
            catalog.createTable(wanted);
            created.add(name);
            LOG.info("Crawler: created table {}.{} ({} columns, {} partition keys)", target.database(), name, columns.size(), partitionKeys.size());
        } else {
            CatalogTable current = existing.get();
            if (current.partitionKeys().size() != partitionKeys.size()) {
                errors.add(new FileError(location, "Table " + name + " has " + current.partitionKeys().size() + " partition keys but its folders have " + partitionKeys.size()));
                return;
            }
            List<Column> merged = HiveTypes.mergeColumns(current.columns(), columns);
            written = new CatalogTable(target.database(), name, current.location() == null ? location : current.location(), merged, current.partitionKeys(), table.withColumns(merged));
            if (!merged.equals(current.columns()) && !target.updateTables()) {
                errors.add(new FileError(location, "Table " + name + " would change to " + merged + "; not updated (UpdateBehavior LOG)"));
                written = new CatalogTable(target.database(), name, written.location(), current.columns(), current.partitionKeys(), table.withColumns(current.columns()));
            } else if (!merged.equals(current.columns())) {
                catalog.updateTable(written);
                updated.add(name);
                LOG.info("Crawler: updated table {}.{} to {} columns", target.database(), name, merged.size());
            }
        }
        if (partitionKeys.isEmpty()) {
            return;
        }
        Map<List<String>, CatalogPartition> partitions = new LinkedHashMap<>();
        for (ClassifiedFile f : members) {
            List<String> values = PartitionFolders.parse(f.folders()).stream().map(Segment::value).toList();
            Path dir = f.path().getParent();
            partitions.putIfAbsent(values, new CatalogPartition(values, dir.toString()));
        }
        Set<List<String>> have = catalog.partitionValues(target.database(), name);
        List<CatalogPartition> added = partitions.values().stream().filter(p -> !have.contains(p.values())).toList();
        if (!added.isEmpty()) {
            catalog.addPartitions(written, added);
            partitionsAdded[0] += added.size();
            LOG.info("Crawler: added {} partitions to {}.{}", added.size(), target.database(), name);
        }
    }

    private Optional<Classification> classify(SampledFile file) throws IOException {
        for (Classifier classifier : classifiers) {
            Optional<Classification> c = classifier.classify(file);
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    /** Whether the file's path relative to the include path matches an exclusion. */
    private static boolean excluded(List<PathMatcher> exclusions, Path root, Path file) {
        if (exclusions.isEmpty()) {
            return false;
        }
        String relative = root.toUri().relativize(file.toUri()).getPath();
        java.nio.file.Path path = java.nio.file.Path.of(relative);
        return exclusions.stream().anyMatch(m -> m.matches(path));
    }

    /** The folder names between the table folder and the file, or null when the file is not below it. */
    private static List<String> relativeFolders(Path tableDir, Path file) {
        List<String> folders = new ArrayList<>();
        Path p = file.getParent();
        while (p != null && !p.equals(tableDir)) {
            folders.add(0, p.getName());
            p = p.getParent();
        }
        return p == null ? null : folders;
    }

    static String tableName(String folder) {
        String name = folder.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
        return name.isEmpty() ? "table" : name;
    }
}
