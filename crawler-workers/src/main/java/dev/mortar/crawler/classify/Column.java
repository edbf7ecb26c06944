package dev.mortar.crawler.classify;

import java.util.Objects;

/** A column as the catalog stores it: a name and a Hive type string ({@code bigint}, {@code struct<a:int>}). */
public record Column(String name, String type) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
