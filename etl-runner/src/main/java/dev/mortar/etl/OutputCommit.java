package dev.mortar.etl;

import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.CatalogWriter;
import dev.mortar.catalog.files.TableFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run's output, staged until the run has run every statement, then committed through the catalog, in the shape of
 * Iceberg's metastore commit (new files first, then one metadata change that makes them the table's, undone when the
 * change fails):
 * <ol>
 * <li>Statements write under the table's hidden staging folder {@code _mortar-staging-<run>} (readers, crawlers and
 *     engines skip names starting with {@code _}).</li>
 * <li>On commit, each written partition (or unpartitioned table) is a unit. A new unit's files move to its folder
 *     ({@code <table>/<key>=<value>/...}); a replaced unit's files move to a new hidden folder beside the old data
 *     ({@code <unit>/_mortar-<run>}); appended files move into the unit's current location.</li>
 * <li>Then the catalog: the run's new tables are created, new partitions added, replaced partitions (and replaced
 *     unpartitioned tables) pointed at their new folders, with HMS calls that each apply in one catalog transaction.</li>
 * <li>Only when every table of the run is committed are the replaced files deleted and the staging removed. A failure
 *     before then undoes what was done, in reverse: catalog changes reverted, moved files deleted, new tables dropped.</li>
 * </ol>
 * A run that fails before its commit leaves nothing but nothing: its staging is deleted.
 */
final class OutputCommit {
    static final String STAGING_PREFIX = "_mortar-staging-";
    static final String VERSION_PREFIX = "_mortar-";
    static final String HOME_PARAMETER = "mortar.home";
    static final String HIVE_DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    /** A table the run writes. */
    static final class Target {
        CatalogTable table;
        final boolean create;
        final Path home;
        final Path staging;
        final OutputFormat format;
        final char delimiter;
        final Map<List<String>, Unit> units = new LinkedHashMap<>();

        Target(CatalogTable table, boolean create, Path home, String runId, OutputFormat format, char delimiter) {
            this.table = table;
            this.create = create;
            this.home = home;
            this.staging = home.resolve(STAGING_PREFIX + runId);
            this.format = format;
            this.delimiter = delimiter;
        }

        Unit unit(List<String> values) {
            return units.computeIfAbsent(List.copyOf(values), v -> new Unit());
        }
    }

    /** A partition's (or an unpartitioned table's) output: staged files, and whether they replace what is there. */
    static final class Unit {
        boolean replace;
        final List<Path> files = new ArrayList<>();
    }

    private final String runId;
    private final Catalog catalog;
    private final CatalogWriter writer;
    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final Deque<Undo> undo = new ArrayDeque<>();
    private final List<Path> replacedData = new ArrayList<>();
    private final List<RunResult.OutputPartition> outputs = new ArrayList<>();

    private interface Undo {
        void run() throws Exception;
    }

    OutputCommit(String runId, Catalog catalog, CatalogWriter writer) {
        this.runId = runId;
        this.catalog = catalog;
        this.writer = writer;
    }

    Optional<Target> target(String table) {
        return Optional.ofNullable(targets.get(table));
    }

    Target add(Target target) {
        targets.put(target.table.name().toString(), target);
        return target;
    }

    /** The partition values of a file DuckDB wrote under {@code root} into Hive-style {@code key=value} folders. */
    static List<String> partitionValues(Path root, Path file, int keys) {
        Path relative = root.relativize(file.getParent());
        List<String> values = new ArrayList<>();
        for (Path part : relative) {
            String name = part.toString();
            int eq = name.indexOf('=');
            String value = eq < 0 ? name : URLDecoder.decode(name.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
            values.add(value.equals("NULL") ? HIVE_DEFAULT_PARTITION : value);
        }
        if (values.size() != keys) {
            throw new JobException("Unexpected output folder " + relative + " (" + keys + " partition keys)");
        }
        return values;
    }

    List<RunResult.OutputPartition> outputs() {
        return outputs;
    }

    /** Makes every target's output the catalog's, or (on failure) undoes all of it and throws. */
    void commit() {
        try {
            for (Target target : targets.values()) {
                commit(target);
            }
        } catch (RuntimeException | IOException e) {
            rollback();
            throw e instanceof JobException j ? j : new JobException("Commit failed, nothing of the run was kept: " + e.getMessage(), e);
        }
        for (Path data : replacedData) {
            deleteVisible(data);
        }
        discard();
    }

    /** Removes what the run staged (a failed run's files). */
    void discard() {
        for (Target target : targets.values()) {
            deleteTree(target.staging);
            if (target.create) {
                deleteIfEmpty(target.home);
            }
        }
    }

    private void commit(Target target) throws IOException {
        CatalogTable table = target.table;
        String name = table.name().toString();
        if (target.create) {
            writer.createTable(table);
            undo.push(() -> writer.deleteTable(table.name().database(), table.name().table()));
        }
        if (!table.isPartitioned()) {
            Unit unit = target.units.get(List.of());
            if (unit == null) {
                return;
            }
            Path current = TableFiles.localPath(table, table.location().orElseThrow());
            if (unit.replace && !target.create) {
                Path home = TableFiles.localPath(table, table.parameters().getOrDefault(HOME_PARAMETER, table.location().orElseThrow()));
                Path fresh = home.resolve(VERSION_PREFIX + runId);
                move(unit.files, fresh);
                Map<String, String> parameters = new HashMap<>(table.parameters());
                parameters.put(HOME_PARAMETER, uri(home));
                CatalogTable swapped = new CatalogTable(table.name(), table.tableType(), table.columns(), table.partitionKeys(),
                        Optional.of(uri(fresh)), table.format(), parameters, table.viewText());
                writer.updateTable(swapped);
                undo.push(() -> writer.updateTable(table));
                replacedData.add(current);
                outputs.add(new RunResult.OutputPartition(name, List.of(), uri(fresh), RunResult.Change.REPLACED));
            } else {
                move(unit.files, current);
                outputs.add(new RunResult.OutputPartition(name, List.of(), table.location().orElseThrow(),
                        target.create ? RunResult.Change.ADDED : RunResult.Change.APPENDED));
            }
            return;
        }
        Map<List<String>, CatalogPartition> existing = new HashMap<>();
        if (!target.create) {
            for (CatalogPartition p : catalog.partitions(table, Optional.empty())) {
                existing.put(p.values(), p);
            }
        }
        List<CatalogPartition> added = new ArrayList<>();
        List<CatalogPartition> replaced = new ArrayList<>();
        List<CatalogPartition> previous = new ArrayList<>();
        for (Map.Entry<List<String>, Unit> entry : target.units.entrySet()) {
            List<String> values = entry.getKey();
            Unit unit = entry.getValue();
            CatalogPartition old = existing.get(values);
            Path unitHome = target.home.resolve(partitionPath(table, values));
            if (old == null) {
                if (unit.files.isEmpty() && !unit.replace) {
                    continue;
                }
                move(unit.files, unitHome);
                added.add(new CatalogPartition(values, uri(unitHome)));
                outputs.add(new RunResult.OutputPartition(name, values, uri(unitHome), RunResult.Change.ADDED));
            } else if (unit.replace) {
                Path fresh = unitHome.resolve(VERSION_PREFIX + runId);
                move(unit.files, fresh);
                replaced.add(new CatalogPartition(values, Optional.of(uri(fresh)), old.columns()));
                previous.add(old);
                old.location().ifPresent(l -> {
                    Path path = TableFiles.localPath(table, l);
                    if (path.startsWith(target.home)) {
                        replacedData.add(path); // data outside the table's folder is not the job's to delete
                    }
                });
                outputs.add(new RunResult.OutputPartition(name, values, uri(fresh), RunResult.Change.REPLACED));
            } else {
                String location = old.location().orElseThrow(() -> new JobException("Partition " + values + " of " + name + " has no location to append to"));
                move(unit.files, TableFiles.localPath(table, location));
                outputs.add(new RunResult.OutputPartition(name, values, location, RunResult.Change.APPENDED));
            }
        }
        if (!added.isEmpty()) {
            writer.addPartitions(table, added);
            undo.push(() -> writer.deletePartitions(table.name().database(), table.name().table(), added.stream().map(CatalogPartition::values).toList()));
        }
        if (!replaced.isEmpty()) {
            writer.updatePartitions(table, replaced);
            undo.push(() -> writer.updatePartitions(table, previous));
        }
    }

    /** The Hive-style folder of a partition: {@code key=value/...}, with the characters Hive escapes escaped. */
    static String partitionPath(CatalogTable table, List<String> values) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                path.append('/');
            }
            path.append(escape(table.partitionKeys().get(i).name())).append('=').append(escape(values.get(i)));
        }
        return path.toString();
    }

    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c < 0x20 || "\"#%'*/:=?\\\u007f{[]^".indexOf(c) >= 0) {
                out.append('%').append(String.format("%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private void move(List<Path> files, Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Path created = firstMissing(folder);
            Files.createDirectories(folder);
            undo.push(() -> deleteTree(created));
        }
        for (Path file : files) {
            Path destination = folder.resolve(file.getFileName());
            Files.move(file, destination, StandardCopyOption.ATOMIC_MOVE);
            undo.push(() -> Files.deleteIfExists(destination));
        }
    }

    private static Path firstMissing(Path folder) {
        Path missing = folder;
        while (missing.getParent() != null && !Files.exists(missing.getParent())) {
            missing = missing.getParent();
        }
        return missing;
    }

    private void rollback() {
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (Exception e) {
                // keep undoing the rest
            }
        }
        discard();
    }

    static String uri(Path path) {
        return "file:" + path.toAbsolutePath();
    }

    /** Deletes the data files of a replaced location: everything visible under it (hidden folders stay). */
    private static void deleteVisible(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        if (root.getFileName().toString().startsWith(VERSION_PREFIX)) {
            deleteTree(root);
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).filter(p -> visible(root.relativize(p))).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // the catalog no longer points here: what is left is unread garbage
        }
    }

    private static boolean visible(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith("_") || part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: the catalog never pointed here
        }
    }

    private static void deleteIfEmpty(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(folder);
            }
        } catch (IOException | UncheckedIOException e) {
            // not there, or not empty
        }
    }
}
