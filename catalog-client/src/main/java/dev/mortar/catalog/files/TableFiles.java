package dev.mortar.catalog.files;

import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.CatalogException;
import dev.mortar.catalog.CatalogPartition;
import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.CatalogUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a catalog table to its data files, for any engine that reads them (the gateway's embedded engine, jobs):
 * the partitions the catalog selects with a Hive partition filter, then the data files under each location.
 * Hidden and bookkeeping files and folders (names starting with {@code .} or {@code _}) are not data.
 */
public final class TableFiles {
    private static final Logger LOG = LoggerFactory.getLogger(TableFiles.class);

    private final Catalog catalog;
    private final FolderListings listings;
    /** Folders read by this instance's calls, and how many of them from a kept listing. */
    private int foldersRead;
    private int foldersKept;

    /** Each call lists the folders it reads. */
    public TableFiles(Catalog catalog) {
        this(catalog, FolderListings.none());
    }

    /** Folder listings are kept in {@code listings} between calls (see {@link FolderListings} for when one is used again). */
    public TableFiles(Catalog catalog, FolderListings listings) {
        this.catalog = catalog;
        this.listings = listings;
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
                Optional<List<Path>> files = dataFiles(table, location);
                if (files.isEmpty()) {
                    missing.add(location);
                } else if (!files.get().isEmpty()) {
                    folders.add(new DataFolder(List.of(), location, files.get()));
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
            Optional<List<Path>> files = dataFiles(table, partition.location().get());
            if (files.isEmpty()) {
                missing.add(partition.location().get());
            } else if (!files.get().isEmpty()) {
                folders.add(new DataFolder(partition.values(), partition.location().get(), files.get()));
            }
        }
        return new TableData(table, folders, applied, partitions.size(), missing);
    }

    /**
     * Data files under a location, recursively, in path order; a location that is a file is that one file; none (an
     * empty optional) when the location does not exist.
     */
    private Optional<List<Path>> dataFiles(CatalogTable table, String location) {
        Path root = localPath(table, location);
        foldersRead++;
        Optional<List<Path>> kept = listings.kept(root);
        if (kept.isPresent()) {
            foldersKept++;
            return kept;
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(root, BasicFileAttributes.class);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!attributes.isDirectory()) {
            return Optional.of(attributes.isRegularFile() ? List.of(root) : List.of());
        }
        try {
            return Optional.of(listings.list(root, TableFiles::visible));
        } catch (IOException e) {
            throw new DataListingException("Cannot list the files of table " + table.name() + " at " + location + ": " + e.getMessage(), e);
        }
    }

    /** For a log: " (N of M folder listings kept)" when this instance read folders and listings are kept, else nothing. */
    public String listingsNote() {
        return foldersRead == 0 || !listings.keeps() ? "" : " (" + foldersKept + " of " + foldersRead + " folder listings kept)";
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
