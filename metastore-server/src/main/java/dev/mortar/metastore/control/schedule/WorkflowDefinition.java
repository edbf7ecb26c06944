package dev.mortar.metastore.control.schedule;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A workflow as a client defines it: its description, the properties every run starts with, and how many runs may be on at once (empty: no limit). */
public record WorkflowDefinition(Optional<String> description, Map<String, String> defaultRunProperties, Optional<Integer> maxConcurrentRuns) {
    public WorkflowDefinition {
        Objects.requireNonNull(description, "description");
        defaultRunProperties = Map.copyOf(defaultRunProperties);
        Objects.requireNonNull(maxConcurrentRuns, "maxConcurrentRuns");
    }
}
