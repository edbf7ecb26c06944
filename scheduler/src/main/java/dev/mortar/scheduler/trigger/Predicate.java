package dev.mortar.scheduler.trigger;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A conditional trigger's predicate. Without {@code logical} (allowed for one condition) it means AND. */
public record Predicate(Optional<Logical> logical, List<Condition> conditions) {
    public Predicate {
        Objects.requireNonNull(logical, "logical");
        conditions = List.copyOf(conditions);
    }

    public static Predicate of(Logical logical, Condition... conditions) {
        return new Predicate(Optional.of(logical), List.of(conditions));
    }

    public Logical logicalOrDefault() {
        return logical.orElse(Logical.AND);
    }

    /** The jobs and crawlers the conditions watch, in order, once each. */
    public Set<RunTarget> watched() {
        Set<RunTarget> watched = new LinkedHashSet<>();
        conditions.forEach(condition -> watched.add(condition.target()));
        return watched;
    }
}
