package dev.mortar.metastore.store;

/** A failure of the catalog database itself (not of the caller's request). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
