package dev.mortar.metastore.store;

/** A failure of the catalog database itself (not of the caller's request). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the database refused a write because a row with its key exists (SQL state class 23, integrity constraint violation). */
    public boolean isDuplicateKey() {
        for (Throwable t = this; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }
}
