package dev.mortar.gateway.engine;

import java.util.Map;
import java.util.function.Consumer;

/**
 * One statement to run: its text, the session's current database and settings, and where to write
 * lines of the operation log.
 */
public record QueryRequest(String statement, String currentDatabase, Map<String, String> settings, Consumer<String> log) {
    public QueryRequest {
        settings = Map.copyOf(settings);
    }
}
