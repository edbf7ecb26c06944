package dev.mortar.catalog.files;

import dev.mortar.catalog.CatalogException;

/** A table's data is at a location whose scheme cannot be listed here (only local {@code file:} locations can). */
public final class UnsupportedLocationException extends CatalogException {
    private final String location;

    public UnsupportedLocationException(String message, String location) {
        super(message);
        this.location = location;
    }

    public String location() {
        return location;
    }
}
