package dev.mortar.metastore.store;

import java.util.List;

/** A fragment of SQL with its bind parameters, in order. */
public record Sql(String text, List<Object> params) {
    public Sql {
        params = List.copyOf(params);
    }
}
