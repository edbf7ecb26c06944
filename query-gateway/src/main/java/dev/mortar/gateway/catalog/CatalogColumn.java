package dev.mortar.gateway.catalog;

import java.util.Optional;

/** A column as the catalog declares it; {@code hiveType} is Hive's type string, e.g. {@code decimal(12,2)}. */
public record CatalogColumn(String name, String hiveType, Optional<String> comment) {}
