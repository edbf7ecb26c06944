package dev.mortar.metastore.control.connection;

import java.time.Instant;
import java.util.Objects;

/** A connection as the control store keeps it. */
public record ConnectionRecord(String name, ConnectionDefinition definition, Instant created, Instant updated) {
    public ConnectionRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(definition, "definition");
    }
}
