package dev.mortar.etl;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One run of a SQL job: its id (it names the run's staged files), the script's text and the run's arguments
 * ({@code --name value} pairs, merged as the job API merges them), and where log lines go while it runs.
 */
public record JobRequest(String runId, String script, Map<String, String> arguments, Consumer<String> logSink) {
    public JobRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(script, "script");
        arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
        logSink = logSink == null ? line -> { } : logSink;
        if (runId.isBlank() || !runId.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
            throw new IllegalArgumentException("A run id is letters, digits, '_' and '-': " + runId);
        }
    }

    public JobRequest(String runId, String script, Map<String, String> arguments) {
        this(runId, script, arguments, null);
    }
}
