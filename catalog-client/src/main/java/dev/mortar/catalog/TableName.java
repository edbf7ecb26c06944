package dev.mortar.catalog;

import java.util.Locale;
import java.util.Objects;

/** A table's database and name, in lower case as the catalog stores them. */
public record TableName(String database, String table) {
    public TableName {
        database = Objects.requireNonNull(database, "database").toLowerCase(Locale.ROOT);
        table = Objects.requireNonNull(table, "table").toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return database + "." + table;
    }
}
