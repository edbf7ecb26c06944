package dev.mortar.catalog;

import java.util.Objects;
import java.util.Optional;

/** A column as the catalog stores it: a name, a Hive type string ({@code bigint}, {@code decimal(12,2)}, {@code struct<a:int>}) and a comment. */
public record Column(String name, String type, Optional<String> comment) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        comment = comment == null ? Optional.empty() : comment.filter(c -> !c.isEmpty());
    }

    public Column(String name, String type) {
        this(name, type, Optional.empty());
    }

    /** The same name and type, whatever the comments: whether a schema changed. */
    public boolean sameDefinition(Column other) {
        return name.equals(other.name) && type.equals(other.type);
    }
}
