package dev.mortar.gateway.catalog;

/** The catalog could not be read (unreachable, or it answered with an error). */
public final class CatalogException extends RuntimeException {
    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
