package dev.mortar.etl;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which files of catalog tables a run's scans read, per table ({@code database.table}, lower case), as a job bookmark
 * says: every file but those read before ({@code alreadyRead}), or, for a bookmark range, only the files given
 * ({@code only}; a table absent from it reads no file). A file is the same file when its location, size and
 * modification time all match.
 */
public record FileSelection(Map<String, Set<FileMark>> alreadyRead, Optional<Map<String, Set<FileMark>>> only) {
    public FileSelection {
        alreadyRead = JobRequest.tables(alreadyRead);
        only = only.map(JobRequest::tables);
    }

    /** Every file. */
    public static FileSelection all() {
        return new FileSelection(Map.of(), Optional.empty());
    }

    /** Every file but those read before. */
    public static FileSelection excluding(Map<String, Set<FileMark>> alreadyRead) {
        return new FileSelection(alreadyRead, Optional.empty());
    }

    /** Only these files. */
    public static FileSelection only(Map<String, Set<FileMark>> files) {
        return new FileSelection(Map.of(), Optional.of(files));
    }

    /** Whether the selection leaves any file of the table out. */
    public boolean filters(String table) {
        return only.isPresent() || alreadyRead.containsKey(table);
    }

    public boolean reads(String table, FileMark file) {
        if (only.isPresent()) {
            return only.get().getOrDefault(table, Set.of()).contains(file);
        }
        return !alreadyRead.getOrDefault(table, Set.of()).contains(file);
    }
}
