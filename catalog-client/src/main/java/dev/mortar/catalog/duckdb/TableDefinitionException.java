package dev.mortar.catalog.duckdb;

/** A catalog table whose definition cannot be turned into a DuckDB scan: a column type or a table property. */
public final class TableDefinitionException extends RuntimeException {
    public enum Kind { UNKNOWN_TYPE, BAD_PROPERTY }

    private final Kind kind;

    public TableDefinitionException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
