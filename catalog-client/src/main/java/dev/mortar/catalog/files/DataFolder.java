package dev.mortar.catalog.files;

import java.nio.file.Path;
import java.util.List;

/**
 * One folder of a table's data: a partition (its key values, in key order) or, for an unpartitioned table, the
 * table's location (no values); its data files in path order.
 */
public record DataFolder(List<String> partitionValues, String location, List<Path> files) {
    public DataFolder {
        partitionValues = List.copyOf(partitionValues);
        files = List.copyOf(files);
    }
}
