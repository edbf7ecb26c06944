package dev.mortar.metastore.control.job;

import java.time.Instant;

/** A job as stored: its definition, when it was created and last changed, and its version. */
public record JobRecord(String name, JobDefinition definition, Instant created, Instant modified, long version) {}
