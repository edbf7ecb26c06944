package dev.mortar.metastore.config;

import java.util.List;

/** Settings that failed their checks at startup, every one of them, each named with what is wrong. */
public final class InvalidSettingsException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super(problems.size() == 1 ? "Invalid setting: " + problems.get(0)
                : "Invalid settings (" + problems.size() + "): " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
