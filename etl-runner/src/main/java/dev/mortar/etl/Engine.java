package dev.mortar.etl;

import dev.mortar.catalog.Catalog;

import java.util.function.Consumer;

/**
 * An engine that runs a job's queries over catalog tables: embedded DuckDB now ({@link dev.mortar.etl.duckdb.DuckDbEngine}),
 * Spark later. A session lasts one run; the runner owns what is written (staging and the catalog commit).
 */
public interface Engine {
    String name();

    /** A session for one run, reading catalog tables through {@code catalog}; {@code log} receives its log lines. */
    EngineSession open(Catalog catalog, Consumer<String> log);
}
