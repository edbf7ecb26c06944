package dev.mortar.metastore.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The condition of one page of a table's partitions for {@link CatalogStore#listPartitions}: those a filter
 * selects, in one segment of a segmented listing, after the last partition name of the page before.
 */
public final class PartitionPages {
    private PartitionPages() {}

    /**
     * Segments split partitions by id ({@code segment} of {@code segments}, counted from 0): disjoint, together
     * complete, stable while partitions come and go. Names are compared in code point order, the listing's order.
     */
    public static Optional<Sql> where(CatalogStore store, Optional<Sql> filter, int segment, int segments, Optional<String> afterName) {
        StringBuilder where = new StringBuilder();
        List<Object> params = new ArrayList<>();
        if (filter.isPresent()) {
            where.append(filter.get().text());
            params.addAll(filter.get().params());
        }
        if (segments > 1) {
            where.append(where.isEmpty() ? "" : " AND ").append("MOD(p.part_id, ?) = ?");
            params.add((long) segments);
            params.add((long) segment);
        }
        if (afterName.isPresent()) {
            where.append(where.isEmpty() ? "" : " AND ").append(store.dialect().binaryOrder("p.part_name")).append(" > ?");
            params.add(afterName.get());
        }
        return where.isEmpty() ? Optional.empty() : Optional.of(new Sql(filter.map(Sql::joins).orElse(""), where.toString(), params));
    }
}
