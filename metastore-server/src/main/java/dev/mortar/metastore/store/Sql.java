package dev.mortar.metastore.store;

import java.util.List;

/**
 * A condition over {@code m_partitions p} with its bind parameters, in order, and the joins it needs
 * (written after {@code FROM m_partitions p}; they carry no parameters).
 */
public record Sql(String joins, String text, List<Object> params) {
    public Sql {
        params = List.copyOf(params);
    }

    public Sql(String text, List<Object> params) {
        this("", text, params);
    }
}
