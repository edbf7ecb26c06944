package dev.mortar.gateway.catalog;

import java.util.Locale;

public record TableName(String database, String table) {
    public TableName {
        database = database.toLowerCase(Locale.ROOT);
        table = table.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return database + "." + table;
    }
}
