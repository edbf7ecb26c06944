package dev.mortar.crawler;

import dev.mortar.crawler.CrawlLog.Kind;
import dev.mortar.crawler.CrawlReport.FileError;
import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.CatalogWriter;
import dev.mortar.catalog.TableName;
import dev.mortar.crawler.classify.Classification;
import dev.mortar.crawler.classify.Classifier;
import dev.mortar.crawler.classify.Classifiers;
import dev.mortar.catalog.Column;
import dev.mortar.crawler.classify.HiveTypes;
import dev.mortar.crawler.classify.SampledFile;
import dev.mortar.crawler.partition.PartitionFolders;
import dev.mortar.crawler.partition.PartitionKeyTypes;
import dev.mortar.crawler.partition.TableGrouping;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * One crawl over file-system targets. It lists each include path (only the folders it has not seen before, when
 * crawling new folders only), reads a sample of the files in each folder and classifies them by content, groups
 * folders into tables as the service does ({@link TableGrouping}), and writes tables and partitions through a
 * {@link CatalogWriter}, following the crawl's {@link CrawlPolicy}. Nothing is written until every file has been
 * read, and a stop request is honoured between files and between tables, so a stopped crawl leaves each table
 * either untouched or complete. Every decision goes to the run's {@link CrawlLog}.
 */
public final class Crawler {
    private static final Logger LOG = LoggerFactory.getLogger(Crawler.class);

    private final List<Classifier> classifiers;
    private final Configuration conf;
    private final CatalogWriter catalog;
    private final CrawlProgress progress;

    public Crawler(Configuration conf, CatalogWriter catalog) {
        this(conf, catalog, Classifiers.builtIn(), CrawlProgress.NONE);
    }

    /** A crawler that tells {@code progress} what it has done while it runs. */
    public Crawler(Configuration conf, CatalogWriter catalog, CrawlProgress progress) {
        this(conf, catalog, Classifiers.builtIn(), progress);
    }

    /** A crawler that tries {@code classifiers} in order on each file, the first that recognises it winning (see {@link Classifiers}). */
    public Crawler(Configuration conf, CatalogWriter catalog, List<Classifier> classifiers) {
        this(conf, catalog, classifiers, CrawlProgress.NONE);
    }

    public Crawler(Configuration conf, CatalogWriter catalog, List<Classifier> classifiers, CrawlProgress progress) {
        this.conf = conf;
        this.catalog = catalog;
        this.classifiers = List.copyOf(classifiers);
        this.progress = progress;
    }

    /** Runs the crawl with no state from earlier runs; {@code cancelled} is checked between files and between tables. */
    public CrawlReport crawl(CrawlTarget target, BooleanSupplier cancelled) throws IOException {
        return crawl(target, CrawlState.empty(), cancelled);
    }

    /** Runs the crawl after the run that left {@code previous}; the report carries the state for the next run. */
    public CrawlReport crawl(CrawlTarget target, CrawlState previous, BooleanSupplier cancelled) throws IOException {
        return crawl(target, previous, cancelled, new CrawlLog());
    }

    /** As {@link #crawl(CrawlTarget, CrawlState, BooleanSupplier)}, writing decisions to {@code log}, which the caller keeps when the crawl fails. */
    public CrawlReport crawl(CrawlTarget target, CrawlState previous, BooleanSupplier cancelled, CrawlLog log) throws IOException {
        return new Run(target, previous, cancelled, log).run();
    }

    /** A file to classify and the folder it lies in. */
    private record DataFile(Path path, long length) {}

    private record Classified(Path path, Classification classification) {}

    /** Raised inside a run when a stop was requested. */
    private static final class Stopped extends Exception {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private final class Run {
        final CrawlTarget target;
        final CrawlPolicy policy;
        final CrawlState previous;
        final BooleanSupplier cancelled;
        final CrawlLog log;
        final List<FileError> errors = new ArrayList<>();
        final List<String> created = new ArrayList<>();
        final List<String> updated = new ArrayList<>();
        final List<String> deleted = new ArrayList<>();
        final CrawlState state = CrawlState.empty();
        final Set<String> seenFolders = new HashSet<>();
        final Set<String> tablesFormed = new HashSet<>();
        final Map<String, String> nameRoots = new HashMap<>();
        final long crawlTime = System.currentTimeMillis();
        int partitionsAdded;
        int partitionsDeleted;
        int filesSeen;
        int filesRead;
        long bytesRead;

        Run(CrawlTarget target, CrawlState previous, BooleanSupplier cancelled, CrawlLog log) {
            this.log = log;
            this.target = target;
            this.policy = target.policy();
            this.previous = previous;
            this.cancelled = cancelled;
        }

        CrawlReport run() throws IOException {
            boolean finished = false;
            try {
                checkIncludes();
                catalog.ensureDatabase(target.database());
                List<Pending> pending = new ArrayList<>();
                for (CrawlTarget.Include include : target.includes()) {
                    Optional<Pending> p = read(include);
                    p.ifPresent(pending::add);
                }
                for (Pending p : pending) {
                    write(p);
                }
                if (policy.recrawlBehavior() == CrawlPolicy.RecrawlBehavior.CRAWL_EVERYTHING) {
                    removeGone(pending);
                } else {
                    // nothing old was listed: what the last run knew stays known
                    previous.dataFolders().forEach((f, t) -> {
                        if (!state.knows(f)) {
                            state.addDataFolder(f, t);
                        }
                    });
                    previous.tableRoots().forEach((t, r) -> {
                        if (!state.tableRoots().containsKey(t)) {
                            state.addTable(t, r);
                        }
                    });
                }
                finished = true;
            } catch (Stopped stopped) {
                log.add(Kind.STOP, "crawl", "stop requested: the run ends here; tables already written are complete, the rest untouched");
            }
            return new CrawlReport(created, updated, deleted, partitionsAdded, partitionsDeleted, filesSeen, filesRead, bytesRead, errors, log,
                    finished ? Optional.of(state) : Optional.empty());
        }

        /**
         * Every include path exists and can be read, or the run fails before it writes anything (not even the
         * database), with a reason that names each path that is missing or unreadable.
         */
        void checkIncludes() throws IOException {
            List<String> problems = new ArrayList<>();
            for (CrawlTarget.Include include : target.includes()) {
                Path root = new Path(include.path());
                String shown = include.path();
                try {
                    FileSystem fs = root.getFileSystem(conf);
                    shown = fs.makeQualified(root).toString();
                    if (!fs.exists(root)) {
                        problems.add("Include path " + shown + " does not exist");
                    }
                } catch (IOException | RuntimeException e) {
                    // an unreachable store: a missing S3 bucket, refused credentials, an unknown scheme
                    problems.add("Include path " + shown + " cannot be read: " + e.getMessage());
                }
            }
            if (!problems.isEmpty()) {
                problems.forEach(p -> log.add(Kind.ERROR, "crawl", p));
                throw new CrawlFailedException(String.join("; ", problems));
            }
        }

        void checkStop() throws Stopped {
            if (cancelled.getAsBoolean()) {
                throw new Stopped();
            }
        }

        void error(String path, String message) {
            errors.add(new FileError(path, message));
            log.add(Kind.ERROR, path, message);
        }

        /** An include path listed and read: its folders with data, grouped into tables. */
        private record Pending(String rootUri, Path root, List<TableGrouping.Group> groups, Map<String, List<Column>> folderColumns,
                               Map<String, TableGrouping.Folder> attached, Map<String, String> attachedTables) {}

        Optional<Pending> read(CrawlTarget.Include include) throws IOException, Stopped {
            Path root = new Path(include.path());
            FileSystem fs = root.getFileSystem(conf);
            root = fs.makeQualified(root);
            List<PathMatcher> exclusions = include.exclusions().stream()
                    .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
            log.add(Kind.INCLUDE, root.toString(), "include path" + (include.exclusions().isEmpty() ? "" : ", exclusions " + include.exclusions())
                    + (include.sampleSize().isPresent() ? ", SampleSize " + include.sampleSize().getAsInt() + " files per folder" : "")
                    + (policy.recrawlBehavior() == CrawlPolicy.RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY ? ", new folders only" : ""));
            Map<Path, List<DataFile>> dataFiles = new TreeMap<>(Comparator.comparing(Path::toString));
            FileStatus rootStatus = fs.getFileStatus(root);
            Path tableSpace = rootStatus.isFile() ? root.getParent() : root;
            if (rootStatus.isFile()) {
                filesSeen++;
                progress.fileSeen(rootStatus.getLen());
                dataFiles.put(tableSpace, List.of(new DataFile(root, rootStatus.getLen())));
            } else {
                list(fs, root, exclusions, dataFiles);
            }
            // read a sample of each folder's files
            List<TableGrouping.Folder> folders = new ArrayList<>();
            Map<String, List<Column>> folderColumns = new HashMap<>();
            for (Map.Entry<Path, List<DataFile>> e : dataFiles.entrySet()) {
                Path folder = e.getKey();
                seenFolders.add(folder.toString());
                List<DataFile> files = e.getValue();
                int sample = include.sampleSize().orElse(Integer.MAX_VALUE);
                List<Classified> classified = new ArrayList<>();
                for (int i = 0; i < files.size(); i++) {
                    DataFile file = files.get(i);
                    if (i >= sample) {
                        log.add(Kind.SKIP, file.path().toString(), "not read: SampleSize " + sample + " files per folder");
                        continue;
                    }
                    checkStop();
                    classify(fs, file).ifPresent(c -> classified.add(new Classified(file.path(), c)));
                }
                folderSchema(folder, classified).ifPresent(schema -> {
                    folders.add(new TableGrouping.Folder(folder.toString(), relative(tableSpace, folder), schema));
                    folderColumns.put(folder.toString(), schema.columns());
                });
            }
            // with new folders only, folders below a known table are its new partitions; the others are grouped
            Map<String, TableGrouping.Folder> attached = new LinkedHashMap<>();
            Map<String, String> attachedTables = new HashMap<>();
            List<TableGrouping.Folder> fresh = new ArrayList<>();
            for (TableGrouping.Folder f : folders) {
                Optional<Map.Entry<String, String>> known = policy.recrawlBehavior() == CrawlPolicy.RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY
                        ? previous.tableContaining(f.uri()) : Optional.empty();
                if (known.isPresent()) {
                    attached.put(f.uri(), f);
                    attachedTables.put(f.uri(), known.get().getKey());
                    log.add(Kind.GROUP, f.uri(), "new folder below the known table " + known.get().getKey() + " (" + known.get().getValue() + ")");
                } else {
                    fresh.add(f);
                }
            }
            String rootUri = tableSpace.toString();
            List<TableGrouping.Group> groups = new TableGrouping(policy.combineCompatibleSchemas(), policy.tableLevel(), log)
                    .group(rootUri, level(tableSpace), fresh);
            return Optional.of(new Pending(rootUri, tableSpace, groups, folderColumns, attached, attachedTables));
        }

        /** Lists the include path folder by folder; with new folders only, folders with data the last run saw are not listed. */
        void list(FileSystem fs, Path root, List<PathMatcher> exclusions, Map<Path, List<DataFile>> dataFiles) throws IOException, Stopped {
            boolean newOnly = policy.recrawlBehavior() == CrawlPolicy.RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY;
            Deque<Path> dirs = new ArrayDeque<>();
            dirs.push(root);
            while (!dirs.isEmpty()) {
                checkStop();
                Path dir = dirs.pop();
                boolean known = newOnly && previous.knows(dir.toString());
                if (known && !dir.equals(root)) {
                    log.add(Kind.SKIP, dir.toString(), "folder seen by the last run: not listed (CRAWL_NEW_FOLDERS_ONLY)");
                    continue;
                }
                FileStatus[] children = fs.listStatus(dir);
                Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
                List<Path> subdirs = new ArrayList<>();
                for (FileStatus child : children) {
                    Path p = child.getPath();
                    String name = p.getName();
                    if (name.startsWith("_") || name.startsWith(".")) {
                        log.add(Kind.SKIP, p.toString(), "hidden or marker (name starts with _ or .)");
                    } else if (child.isDirectory()) {
                        subdirs.add(p);
                    } else if (known) {
                        log.add(Kind.SKIP, p.toString(), "file in a folder seen by the last run: not read (CRAWL_NEW_FOLDERS_ONLY)");
                    } else if (child.getLen() == 0) {
                        log.add(Kind.SKIP, p.toString(), "empty file");
                    } else if (excluded(exclusions, root, p)) {
                        log.add(Kind.EXCLUDE, p.toString(), "matches an exclusion pattern");
                    } else {
                        filesSeen++;
                        progress.fileSeen(child.getLen());
                        dataFiles.computeIfAbsent(dir, k -> new ArrayList<>()).add(new DataFile(p, child.getLen()));
                    }
                }
                for (int i = subdirs.size() - 1; i >= 0; i--) {
                    dirs.push(subdirs.get(i));
                }
            }
        }

        Optional<Classification> classify(FileSystem fs, DataFile file) {
            filesRead++;
            long before = threadBytesRead();
            try {
                for (Classifier classifier : classifiers) {
                    Optional<Classification> c = classifier.classify(new SampledFile(fs, file.path(), conf));
                    if (c.isPresent()) {
                        log.add(Kind.CLASSIFY, file.path().toString(), "classified as " + c.get().name() + " (" + c.get().columns().size() + " columns)"
                                + (c.get().explanation().isEmpty() ? "" : ": " + c.get().explanation()));
                        if (c.get().name().equals("csv")) {
                            log.add(Kind.HEADER, file.path().toString(), c.get().tableParameters().containsKey("skip.header.line.count")
                                    ? "first row taken as the header: its cells are all strings and a column below is not"
                                    : "no header: the first row is data (columns named col0, col1, ...)");
                        }
                        return c;
                    }
                }
                error(file.path().toString(), "No classifier recognised the file (UNKNOWN)");
                return Optional.empty();
            } catch (IOException | RuntimeException e) {
                error(file.path().toString(), "Cannot read file: " + e.getMessage());
                return Optional.empty();
            } finally {
                bytesRead += Math.max(0, threadBytesRead() - before);
            }
        }

        /** The folder's format is that of most of its files; files of another format or settings are reported, not merged. */
        Optional<Classification> folderSchema(Path folder, List<Classified> files) {
            if (files.isEmpty()) {
                return Optional.empty();
            }
            Map<String, Integer> formats = new HashMap<>();
            files.forEach(f -> formats.merge(f.classification().name(), 1, Integer::sum));
            String format = files.stream().map(f -> f.classification().name()).max(Comparator.comparing(formats::get)).orElseThrow();
            Classification schema = null;
            for (Classified f : files) {
                if (!f.classification().name().equals(format)) {
                    error(f.path().toString(), "Classified as " + f.classification().name() + " but its folder's files are " + format);
                } else if (schema != null && !schema.compatibleWith(f.classification())) {
                    error(f.path().toString(), "Format settings " + f.classification().serdeParameters() + " differ from its folder's " + schema.serdeParameters());
                } else {
                    schema = schema == null ? f.classification() : schema.mergedWith(f.classification());
                }
            }
            return Optional.ofNullable(schema);
        }

        void write(Pending pending) throws Stopped {
            for (TableGrouping.Group group : pending.groups()) {
                checkStop();
                Path rootPath = pending.root();
                for (String s : group.root()) {
                    rootPath = new Path(rootPath, s);
                }
                String folderName = rootPath.getName().isEmpty() ? "table" : rootPath.getName();
                String name = uniqueName(target.tablePrefix() + tableName(folderName), rootPath.toString());
                writeTable(name, rootPath.toString(), group.root().size(), group.members(), group.reason(), pending.folderColumns(), Optional.empty());
            }
            Map<String, List<TableGrouping.Folder>> byTable = new TreeMap<>();
            pending.attached().forEach((uri, f) -> byTable.computeIfAbsent(pending.attachedTables().get(uri), k -> new ArrayList<>()).add(f));
            for (Map.Entry<String, List<TableGrouping.Folder>> e : byTable.entrySet()) {
                checkStop();
                String table = e.getKey();
                String rootUri = previous.tableRoots().get(table);
                Optional<CatalogTable> existing = catalog.table(target.database(), table);
                if (existing.isEmpty()) {
                    e.getValue().forEach(f -> error(f.uri(), "Its table " + table + " is no longer in the catalog; not added (CRAWL_NEW_FOLDERS_ONLY)"));
                    continue;
                }
                int rootDepth = new Path(rootUri).depth() - pending.root().depth();
                writeTable(table, rootUri, rootDepth, e.getValue(), "new folders below a known table", pending.folderColumns(), existing);
            }
        }

        /** The name, unless this run or the last one gave it to a table of another folder: then with a suffix of this folder's hash. */
        String uniqueName(String name, String root) {
            String known = previous.tableRoots().get(name);
            String owner = nameRoots.putIfAbsent(name, known != null && !tablesFormed.contains(name) ? known : root);
            if (owner == null) {
                owner = nameRoots.get(name);
            }
            if (owner.equals(root)) {
                return name;
            }
            String unique = name + "_" + Integer.toHexString(root.hashCode() & 0xfffffff);
            log.add(Kind.TABLE, root, "the name " + name + " is taken by " + owner + " in this run: named " + unique);
            nameRoots.put(unique, root);
            return unique;
        }

        void writeTable(String name, String location, int rootDepth, List<TableGrouping.Folder> folders, String reason,
                        Map<String, List<Column>> folderColumns, Optional<CatalogTable> known) {
            // the table's partition depth is that of most of its folders; the others are reported
            Map<Integer, Integer> depths = new HashMap<>();
            folders.forEach(f -> depths.merge(f.segments().size() - rootDepth, 1, Integer::sum));
            int depth = folders.stream().map(f -> f.segments().size() - rootDepth).max(Comparator.comparing(depths::get)).orElseThrow();
            Classification format = null;
            List<TableGrouping.Folder> members = new ArrayList<>();
            for (TableGrouping.Folder f : folders) {
                int d = f.segments().size() - rootDepth;
                if (d != depth) {
                    error(f.uri(), "Folder is " + d + " folders below its table " + name + ", the table's partitions " + depth);
                } else if (format != null && !format.compatibleWith(f.schema())) {
                    error(f.uri(), "Format " + f.schema().name() + " " + f.schema().serdeParameters() + " differs from its table's " + format.serdeParameters());
                } else {
                    format = format == null ? f.schema() : format.mergedWith(f.schema());
                    members.add(f);
                }
            }
            Map<List<String>, TableGrouping.Folder> partitionFolders = new LinkedHashMap<>();
            List<PartitionFolders.Segment> firstSegments = List.of();
            for (TableGrouping.Folder f : members) {
                List<PartitionFolders.Segment> segments = PartitionFolders.parse(f.segments().subList(rootDepth, f.segments().size()));
                firstSegments = segments;
                partitionFolders.putIfAbsent(segments.stream().map(PartitionFolders.Segment::value).toList(), f);
            }
            List<String> keyTypes = PartitionKeyTypes.infer(depth, partitionFolders.keySet());
            List<Column> partitionKeys = new ArrayList<>();
            for (int i = 0; i < depth; i++) {
                partitionKeys.add(new Column(firstSegments.get(i).key(), keyTypes.get(i)));
            }
            Set<String> keyNames = new LinkedHashSet<>(partitionKeys.stream().map(Column::name).toList());
            List<Column> columns = format.columns().stream().filter(c -> !keyNames.contains(c.name())).toList();
            tablesFormed.add(name);
            progress.tableFound();
            state.addTable(name, location);
            members.forEach(f -> state.addDataFolder(f.uri(), name));
            log.add(Kind.TABLE, name, "location " + location + ", " + format.name() + ", " + members.size() + " folder(s) with data; " + reason
                    + (partitionKeys.isEmpty() ? "" : "; partition keys " + describe(partitionKeys)));

            Optional<CatalogTable> existing = known.isPresent() ? known : catalog.table(target.database(), name);
            CatalogTable wanted = table(name, location, columns, partitionKeys, format.withColumns(columns));
            CatalogTable written = wanted;
            if (existing.isEmpty()) {
                catalog.createTable(wanted);
                created.add(name);
                log.add(Kind.CHANGE, name, "created with columns " + describe(columns));
                LOG.info("Crawler: created table {}.{} ({} columns, {} partition keys)", target.database(), name, columns.size(), partitionKeys.size());
            } else {
                CatalogTable current = existing.get();
                if (current.partitionKeys().size() != partitionKeys.size()) {
                    error(location, "Table " + name + " has " + current.partitionKeys().size() + " partition keys but its folders have " + partitionKeys.size());
                    return;
                }
                List<Column> evolved = evolve(current.columns(), columns);
                List<String> changes = changes(current, evolved, format);
                Classification keptFormat = format.withColumns(evolved);
                written = table(name, current.location().orElse(location), evolved, current.partitionKeys(), keptFormat);
                if (changes.isEmpty()) {
                    log.add(Kind.UNCHANGED, name, "schema and format as in the catalog");
                } else if (policy.updateBehavior() == CrawlPolicy.UpdateBehavior.LOG) {
                    error(location, "Table " + name + " would change (" + String.join("; ", changes) + "); not updated (UpdateBehavior LOG)");
                    written = table(name, written.location().orElseThrow(), current.columns(), current.partitionKeys(),
                            format.withColumns(current.columns()));
                } else {
                    catalog.updateTable(written);
                    updated.add(name);
                    log.add(Kind.CHANGE, name, "updated: " + String.join("; ", changes));
                    LOG.info("Crawler: updated table {}.{}: {}", target.database(), name, String.join("; ", changes));
                    if (policy.partitionsInheritFromTable() && !partitionKeys.isEmpty()) {
                        Set<List<String>> have = catalog.partitionValues(target.database(), name);
                        List<CatalogPartition> inherit = new ArrayList<>();
                        partitionFolders.forEach((values, f) -> {
                            if (have.contains(values)) {
                                inherit.add(new CatalogPartition(values, f.uri()));
                            }
                        });
                        if (!inherit.isEmpty()) {
                            catalog.updatePartitions(written, inherit);
                            log.add(Kind.CHANGE, name, inherit.size() + " existing partition(s) take the table's new schema (InheritFromTable)");
                        }
                    }
                }
            }
            if (partitionKeys.isEmpty()) {
                return;
            }
            Set<List<String>> have = catalog.partitionValues(target.database(), name);
            List<CatalogPartition> added = new ArrayList<>();
            for (Map.Entry<List<String>, TableGrouping.Folder> e : partitionFolders.entrySet()) {
                if (have.contains(e.getKey())) {
                    continue;
                }
                Optional<List<Column>> own = policy.partitionsInheritFromTable() ? Optional.empty()
                        : Optional.of(folderColumns.getOrDefault(e.getValue().uri(), written.columns()).stream().filter(c -> !keyNames.contains(c.name())).toList());
                added.add(new CatalogPartition(e.getKey(), e.getValue().uri(), own));
                log.add(Kind.PARTITION, name, "added partition " + e.getKey() + " at " + e.getValue().uri());
            }
            if (!added.isEmpty()) {
                catalog.addPartitions(written, added);
                partitionsAdded += added.size();
                LOG.info("Crawler: added {} partitions to {}.{}", added.size(), target.database(), name);
            }
        }

        /** The table a crawl writes: the classification's format and table parameters over the files at {@code location}. */
        private CatalogTable table(String name, String location, List<Column> columns, List<Column> partitionKeys, Classification format) {
            return CatalogTable.external(new TableName(target.database(), name), location, columns, partitionKeys, format.storageFormat(),
                    format.tableParameters());
        }

        /** New columns appended; types widened, unless only new columns may be merged (MergeNewColumns). Columns are never dropped. */
        List<Column> evolve(List<Column> current, List<Column> crawled) {
            if (!policy.mergeNewColumnsOnly()) {
                return HiveTypes.mergeColumns(current, crawled);
            }
            List<Column> out = new ArrayList<>(current);
            Set<String> names = new HashSet<>(current.stream().map(Column::name).toList());
            crawled.stream().filter(c -> !names.contains(c.name())).forEach(out::add);
            return out;
        }

        List<String> changes(CatalogTable current, List<Column> evolved, Classification format) {
            List<String> changes = new ArrayList<>();
            Map<String, String> before = new LinkedHashMap<>();
            current.columns().forEach(c -> before.put(c.name(), c.type()));
            List<String> added = new ArrayList<>();
            List<String> widened = new ArrayList<>();
            for (Column c : evolved) {
                String was = before.get(c.name());
                if (was == null) {
                    added.add(c.name() + " " + c.type());
                } else if (!was.equals(c.type())) {
                    widened.add(c.name() + " " + was + " -> " + c.type());
                }
            }
            if (!added.isEmpty()) {
                changes.add("new columns " + String.join(", ", added) + " found in the files");
            }
            if (!widened.isEmpty()) {
                changes.add("types widened to fit every file: " + String.join(", ", widened));
            }
            String classification = current.parameters().get("classification");
            if (classification != null && !classification.equals(format.name())) {
                changes.add("classification " + classification + " -> " + format.name());
            }
            if (current.parameters().containsKey(CrawlPolicy.DEPRECATED_BY_CRAWLER)) {
                changes.add("its data is back: no longer deprecated");
            }
            return changes;
        }

        /** Tables and partitions the last run saw whose folders hold no data now, handled by DeleteBehavior. */
        void removeGone(List<Pending> pending) throws Stopped {
            if (previous.isEmpty()) {
                return;
            }
            Map<String, List<String>> goneByTable = new TreeMap<>();
            for (Map.Entry<String, String> e : previous.dataFolders().entrySet()) {
                String folder = e.getKey();
                boolean covered = pending.stream().anyMatch(p -> folder.equals(p.rootUri()) || folder.startsWith(p.rootUri() + "/"));
                if (covered && !seenFolders.contains(folder)) {
                    goneByTable.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(folder);
                }
            }
            for (Map.Entry<String, List<String>> e : goneByTable.entrySet()) {
                checkStop();
                String table = e.getKey();
                String root = previous.tableRoots().get(table);
                boolean tableGone = !tablesFormed.contains(table)
                        && previous.dataFolders().entrySet().stream().filter(f -> f.getValue().equals(table)).allMatch(f -> !seenFolders.contains(f.getKey()));
                if (tableGone) {
                    goneTable(table, root);
                } else if (root != null) {
                    List<List<String>> values = new ArrayList<>();
                    for (String folder : e.getValue()) {
                        String rel = folder.length() > root.length() ? folder.substring(root.length() + 1) : "";
                        if (!rel.isEmpty()) {
                            values.add(PartitionFolders.parse(List.of(rel.split("/"))).stream().map(PartitionFolders.Segment::value).toList());
                        }
                    }
                    if (!values.isEmpty()) {
                        gonePartitions(table, values, e.getValue());
                    }
                }
            }
        }

        void goneTable(String table, String root) {
            if (catalog.table(target.database(), table).isEmpty()) {
                log.add(Kind.DELETE, table, "its data is gone and it is no longer in the catalog");
                return;
            }
            switch (policy.deleteBehavior()) {
                case LOG -> {
                    log.add(Kind.DELETE, table, "no data left under " + root + "; kept (DeleteBehavior LOG)");
                    keep(table, root);
                }
                case DELETE_FROM_DATABASE -> {
                    catalog.deleteTable(target.database(), table);
                    deleted.add(table);
                    log.add(Kind.DELETE, table, "no data left under " + root + "; deleted (DeleteBehavior DELETE_FROM_DATABASE)");
                }
                case DEPRECATE_IN_DATABASE -> {
                    catalog.setTableParameter(target.database(), table, CrawlPolicy.DEPRECATED_BY_CRAWLER, Long.toString(crawlTime));
                    deleted.add(table);
                    keep(table, root);
                    log.add(Kind.DELETE, table, "no data left under " + root + "; marked " + CrawlPolicy.DEPRECATED_BY_CRAWLER + "=" + crawlTime
                            + " (DeleteBehavior DEPRECATE_IN_DATABASE)");
                }
            }
            LOG.info("Crawler: table {}.{} has no data left ({})", target.database(), table, policy.deleteBehavior());
        }

        private void keep(String table, String root) {
            state.addTable(table, root);
            previous.dataFolders().forEach((f, t) -> {
                if (t.equals(table) && !state.knows(f)) {
                    state.addDataFolder(f, t);
                }
            });
        }

        void gonePartitions(String table, List<List<String>> values, List<String> folders) {
            Set<List<String>> have = catalog.partitionValues(target.database(), table);
            List<List<String>> present = values.stream().filter(have::contains).toList();
            if (present.isEmpty()) {
                return;
            }
            switch (policy.deleteBehavior()) {
                case LOG -> {
                    present.forEach(v -> log.add(Kind.DELETE, table, "partition " + v + " has no data left; kept (DeleteBehavior LOG)"));
                    folders.forEach(f -> state.addDataFolder(f, table));
                }
                case DELETE_FROM_DATABASE -> {
                    catalog.deletePartitions(target.database(), table, present);
                    partitionsDeleted += present.size();
                    present.forEach(v -> log.add(Kind.DELETE, table, "partition " + v + " has no data left; deleted (DeleteBehavior DELETE_FROM_DATABASE)"));
                }
                case DEPRECATE_IN_DATABASE -> {
                    catalog.setPartitionParameter(target.database(), table, present, CrawlPolicy.DEPRECATED_BY_CRAWLER, Long.toString(crawlTime));
                    partitionsDeleted += present.size();
                    folders.forEach(f -> state.addDataFolder(f, table));
                    present.forEach(v -> log.add(Kind.DELETE, table, "partition " + v + " has no data left; marked " + CrawlPolicy.DEPRECATED_BY_CRAWLER
                            + " (DeleteBehavior DEPRECATE_IN_DATABASE)"));
                }
            }
        }
    }

    private static String describe(List<Column> columns) {
        return String.join(", ", columns.stream().map(c -> c.name() + " " + c.type()).toList());
    }

    /** Bytes this thread has read through Hadoop file systems (their per-thread statistics). */
    private static long threadBytesRead() {
        long total = 0;
        for (FileSystem.Statistics s : FileSystem.getAllStatistics()) {
            total += s.getThreadStatistics().getBytesRead();
        }
        return total;
    }

    /** The absolute level of a folder: the bucket (URI authority) or first folder is level 1. */
    static int level(Path folder) {
        String authority = folder.toUri().getAuthority();
        return (authority == null || authority.isEmpty() ? 0 : 1) + folder.depth();
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

    /** The folder names between the include path and a folder below it. */
    private static List<String> relative(Path root, Path folder) {
        List<String> folders = new ArrayList<>();
        Path p = folder;
        while (p != null && !p.equals(root)) {
            folders.add(0, p.getName());
            p = p.getParent();
        }
        return p == null ? List.of() : folders;
    }

    static String tableName(String folder) {
        String name = folder.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
        return name.isEmpty() ? "table" : name;
    }
}
