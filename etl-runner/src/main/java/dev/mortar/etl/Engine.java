package dev.mortar.etl;

import dev.mortar.catalog.Catalog;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An engine that runs a job's queries over catalog tables: embedded DuckDB now ({@link dev.mortar.etl.duckdb.DuckDbEngine}),
 * Spark later. A session lasts one run; the runner owns what is written (staging and the catalog commit).
 */
public interface Engine {
    String name();

    /**
     * A session for one run, reading catalog tables through {@code catalog}; {@code log} receives its log lines. Its
     * scans leave out the files of {@code alreadyRead} (per table, {@code database.table}) whose location, size and
     * modification time are all the same: a job bookmark's files. An empty map reads every file.
     */
    default EngineSession open(Catalog catalog, Consumer<String> log, Map<String, Set<FileMark>> alreadyRead) {
        return open(catalog, log, FileSelection.excluding(alreadyRead));
    }

    /** A session whose scans read the files of {@code selection} only (a bookmark's files left out, or a bookmark range's files). */
    EngineSession open(Catalog catalog, Consumer<String> log, FileSelection selection);

    /** A session that reads every file. */
    default EngineSession open(Catalog catalog, Consumer<String> log) {
        return open(catalog, log, Map.of());
    }
}
