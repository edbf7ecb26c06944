package dev.mortar.metastore.control.crawl;

import java.time.Instant;
import java.util.Objects;

/** A custom classifier as the control store keeps it. */
public record ClassifierRecord(String name, ClassifierSpec spec, Instant created, Instant updated, long version) {
    public ClassifierRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
    }
}
