package dev.mortar.it.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Trino statements one after another and keeps going past a failure, so one test run shows
 * every statement Mortar made fail, not only the first. {@link #failures()} is asserted empty.
 */
public final class Statements {
    private static final Trino.Result FAILED = new Trino.Result(List.of(), -1);

    private final Trino trino;
    private final Map<String, String> failures = new LinkedHashMap<>();

    public Statements(Trino trino) {
        this.trino = trino;
    }

    /** The statement's result, or an empty result (recorded as a failure) when Trino raised an error. */
    public Trino.Result run(String label, String sql) {
        try {
            return trino.query(sql);
        } catch (Trino.TrinoQueryException e) {
            failures.put(label, e.getMessage());
            return FAILED;
        }
    }

    public Map<String, String> failures() {
        return failures;
    }
}
