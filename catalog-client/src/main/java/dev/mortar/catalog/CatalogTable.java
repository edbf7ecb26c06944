package dev.mortar.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A table or view of the catalog: its columns and partition keys, where its files are, how they are read, and its
 * table parameters ({@code classification}, {@code skip.header.line.count}, {@code comment}, ...). {@code viewText} is
 * present for views (the expanded text when the catalog has one, else the original).
 */
public record CatalogTable(
        TableName name,
        String tableType,
        List<Column> columns,
        List<Column> partitionKeys,
        Optional<String> location,
        StorageFormat format,
        Map<String, String> parameters,
        Optional<String> viewText) {

    public static final String EXTERNAL_TABLE = "EXTERNAL_TABLE";

    public CatalogTable {
        Objects.requireNonNull(name, "name");
        tableType = tableType == null ? "MANAGED_TABLE" : tableType;
        columns = List.copyOf(columns);
        partitionKeys = List.copyOf(partitionKeys);
        location = location == null ? Optional.empty() : location.filter(l -> !l.isBlank());
        format = format == null ? StorageFormat.NONE : format;
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        viewText = viewText == null ? Optional.empty() : viewText.filter(t -> !t.isBlank());
    }

    /** An external table over the files at {@code location}, as a crawler or a job writes it. */
    public static CatalogTable external(TableName name, String location, List<Column> columns, List<Column> partitionKeys,
                                        StorageFormat format, Map<String, String> parameters) {
        return new CatalogTable(name, EXTERNAL_TABLE, columns, partitionKeys, Optional.of(location), format, parameters, Optional.empty());
    }

    /** The same table with other columns. */
    public CatalogTable withColumns(List<Column> newColumns) {
        return new CatalogTable(name, tableType, newColumns, partitionKeys, location, format, parameters, viewText);
    }

    public boolean isView() {
        return viewText.isPresent() || tableType.toUpperCase(Locale.ROOT).contains("VIEW");
    }

    public boolean isPartitioned() {
        return !partitionKeys.isEmpty();
    }

    /** Data columns, then partition keys: the columns a query sees. */
    public List<Column> allColumns() {
        return Stream.concat(columns.stream(), partitionKeys.stream()).toList();
    }

    /** The table's comment, which Hive keeps as the table parameter {@code comment}. */
    public Optional<String> comment() {
        return Optional.ofNullable(parameters.get("comment"));
    }
}
