package dev.mortar.catalog.files;

import dev.mortar.catalog.CatalogTable;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A catalog table resolved to the data a reader needs: the folders that hold data files (partitions with no
 * location or no files are left out), the partition filter the catalog applied (empty when every partition was
 * read), how many partitions the catalog returned, and the table's or partitions' locations that do not exist
 * (their rows are not there: readers should say so).
 */
public record TableData(CatalogTable table, List<DataFolder> folders, Optional<String> appliedFilter, int partitionCount, List<String> missingLocations) {
    public TableData {
        folders = List.copyOf(folders);
        missingLocations = List.copyOf(missingLocations);
        appliedFilter = appliedFilter == null ? Optional.empty() : appliedFilter;
    }

    /** Every data file of every folder. */
    public List<Path> files() {
        return folders.stream().flatMap(f -> f.files().stream()).toList();
    }
}
