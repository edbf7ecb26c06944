package dev.mortar.catalog.files;

import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.CatalogException;
import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.CatalogUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Resolves a catalog table to its data files, for any engine that reads them (the gateway's embedded engine, jobs):
 * the partitions the catalog selects with a Hive partition filter, then the data files under each location.
 * Hidden and bookkeeping files and folders (names starting with {@code .} or {@code _}) are not data.
 */
public final class TableFiles {
    private static final Logger LOG = LoggerFactory.getLogger(TableFiles.class);

    private final Catalog catalog;

    public TableFiles(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The table's data. For a partitioned table, {@code partitionFilter} (Hive's partition filter language over the
     * partition keys) selects the partitions; when the catalog cannot evaluate it, every partition is read (a reader
     * filters rows itself anyway). It is ignored for an unpartitioned table.
     *
     * @throws CatalogUnavailableException when the catalog cannot be reached
     * @throws UnsupportedLocationException when a location cannot be listed here
     * @throws DataListingException when listing a location fails
     */
    public TableData resolve(CatalogTable table, Optional<String> partitionFilter) {
        if (!table.isPartitioned()) {
            List<DataFolder> folders = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            table.location().ifPresent(location -> {
                if (!exists(table, location)) {
                    missing.add(location);
                    return;
                }
                List<Path> files = dataFiles(table, location);
                if (!files.isEmpty()) {
                    folders.add(new DataFolder(List.of(), location, files));
                }
            });
            return new TableData(table, folders, Optional.empty(), 0, missing);
        }
        Optional<String> applied = partitionFilter;
        List<CatalogPartition> partitions = null;
        if (partitionFilter.isPresent()) {
            try {
                partitions = catalog.partitions(table, partitionFilter);
            } catch (CatalogUnavailableException e) {
                throw e;
            } catch (CatalogException e) {
                LOG.debug("Catalog rejected partition filter {} on {}: {}", partitionFilter.get(), table.name(), e.getMessage());
                applied = Optional.empty();
            }
        }
        if (partitions == null) {
            partitions = catalog.partitions(table, Optional.empty());
        }
        List<DataFolder> folders = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (CatalogPartition partition : partitions) {
            if (partition.location().isEmpty()) {
                continue;
            }
            if (!exists(table, partition.location().get())) {
                missing.add(partition.location().get());
                continue;
            }
            List<Path> files = dataFiles(table, partition.location().get());
            if (!files.isEmpty()) {
                folders.add(new DataFolder(partition.values(), partition.location().get(), files));
            }
        }
        return new TableData(table, folders, applied, partitions.size(), missing);
    }

    private static boolean exists(CatalogTable table, String location) {
        return Files.exists(localPath(table, location));
    }

    /** Data files under a location, recursively, in path order; a location that is a file is that one file. */
    public static List<Path> dataFiles(CatalogTable table, String location) {
        Path root = localPath(table, location);
        if (!Files.isDirectory(root)) {
            return Files.isRegularFile(root) ? List.of(root) : List.of();
        }
        // the walk's own file attributes, rather than another stat per file
        try (Stream<Path> paths = Files.find(root, Integer.MAX_VALUE, (p, attributes) -> attributes.isRegularFile() && visible(root.relativize(p)))) {
            return paths.sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new DataListingException("Cannot list the files of table " + table.name() + " at " + location + ": " + e.getMessage(), e);
        }
    }

    private static boolean visible(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.startsWith(".") || name.startsWith("_")) {
                return false;
            }
        }
        return true;
    }

    /** The local path of a {@code file:} location or a bare absolute path. */
    public static Path localPath(CatalogTable table, String location) {
        if (location.startsWith("/")) {
            return Path.of(location);
        }
        URI uri = URI.create(location);
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            return Path.of(URI.create("file://" + uri.getRawPath()));
        }
        throw new UnsupportedLocationException("Table " + table.name() + " is at " + location + ", which is not a local file: location", location);
    }
}
