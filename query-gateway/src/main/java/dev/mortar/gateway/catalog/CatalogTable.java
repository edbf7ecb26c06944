package dev.mortar.gateway.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A table or view of the catalog, with what the engine needs to read it: storage location, input
 * format, SerDe and its properties. {@code viewText} is present for views.
 */
public record CatalogTable(
        TableName name,
        String tableType,
        List<CatalogColumn> columns,
        List<CatalogColumn> partitionKeys,
        Optional<String> location,
        Optional<String> inputFormat,
        Optional<String> serde,
        Map<String, String> serdeParameters,
        Map<String, String> parameters,
        Optional<String> viewText,
        Optional<String> comment) {

    public CatalogTable {
        columns = List.copyOf(columns);
        partitionKeys = List.copyOf(partitionKeys);
        serdeParameters = Map.copyOf(serdeParameters);
        parameters = Map.copyOf(parameters);
    }

    public boolean isView() {
        return viewText.isPresent() || tableType.toUpperCase(Locale.ROOT).contains("VIEW");
    }

    public boolean isPartitioned() {
        return !partitionKeys.isEmpty();
    }

    /** Data columns, then partition keys: the columns a query sees. */
    public List<CatalogColumn> allColumns() {
        return java.util.stream.Stream.concat(columns.stream(), partitionKeys.stream()).toList();
    }

    /** JDBC's table type for this table: TABLE, VIEW or MATERIALIZED_VIEW (Hive's "classic" mapping). */
    public String jdbcTableType() {
        return switch (tableType.toUpperCase(Locale.ROOT)) {
            case "VIRTUAL_VIEW" -> "VIEW";
            case "MATERIALIZED_VIEW" -> "MATERIALIZED_VIEW";
            default -> isView() ? "VIEW" : "TABLE";
        };
    }
}
