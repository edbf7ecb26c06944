package dev.mortar.catalog;

import java.util.Map;
import java.util.Optional;

/**
 * How a table's files are read and written, as Hive's storage descriptor records it: the SerDe, its parameters, and
 * the input and output formats. What the catalog leaves unset is empty.
 */
public record StorageFormat(Optional<String> serializationLibrary, Map<String, String> serdeParameters,
                            Optional<String> inputFormat, Optional<String> outputFormat) {
    /** No format at all (a view, or a table whose storage descriptor names none). */
    public static final StorageFormat NONE = new StorageFormat(Optional.empty(), Map.of(), Optional.empty(), Optional.empty());

    public StorageFormat {
        serializationLibrary = blankless(serializationLibrary);
        serdeParameters = serdeParameters == null ? Map.of() : Map.copyOf(serdeParameters);
        inputFormat = blankless(inputFormat);
        outputFormat = blankless(outputFormat);
    }

    /** A format from values that may be null (unset). */
    public static StorageFormat of(String serializationLibrary, Map<String, String> serdeParameters, String inputFormat, String outputFormat) {
        return new StorageFormat(Optional.ofNullable(serializationLibrary), serdeParameters, Optional.ofNullable(inputFormat), Optional.ofNullable(outputFormat));
    }

    private static Optional<String> blankless(Optional<String> value) {
        return value == null ? Optional.empty() : value.filter(v -> !v.isBlank());
    }
}
