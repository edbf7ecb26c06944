package dev.mortar.catalog;

/**
 * The catalog refused a call (it answered with an error: an invalid object, an unparsable filter, a conflict); the
 * message is the catalog's own, with the object it concerns. The catalog-client's failures are this and its
 * subclasses; absence is an empty result, never an exception.
 */
public class CatalogException extends RuntimeException {
    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }

    public CatalogException(String message) {
        super(message);
    }
}
