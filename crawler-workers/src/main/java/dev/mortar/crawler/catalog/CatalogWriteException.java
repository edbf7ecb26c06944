package dev.mortar.crawler.catalog;

/** The catalog refused a write or could not be reached; the message is the catalog's own, with the object it concerns. */
public final class CatalogWriteException extends RuntimeException {
    public CatalogWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
