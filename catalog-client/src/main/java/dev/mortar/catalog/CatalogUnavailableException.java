package dev.mortar.catalog;

/** The catalog could not be reached (connection refused or broken); the call may be retried later. */
public final class CatalogUnavailableException extends CatalogException {
    public CatalogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
