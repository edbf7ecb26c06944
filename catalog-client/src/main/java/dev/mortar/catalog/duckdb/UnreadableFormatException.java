package dev.mortar.catalog.duckdb;

/** A table whose storage format DuckDB cannot read (ORC, Avro, or a format Mortar does not know). */
public final class UnreadableFormatException extends RuntimeException {
    public UnreadableFormatException(String message) {
        super(message);
    }
}
