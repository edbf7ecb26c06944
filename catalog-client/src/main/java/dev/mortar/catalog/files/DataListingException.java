package dev.mortar.catalog.files;

import dev.mortar.catalog.CatalogException;

/** A table's data location could not be listed (an I/O failure); the message names the table and the location. */
public final class DataListingException extends CatalogException {
    public DataListingException(String message, Throwable cause) {
        super(message, cause);
    }
}
