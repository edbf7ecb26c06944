package dev.mortar.etl.python;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One run of a Python shell job: the Python executable ({@code python3}, or a path), the local copy of the script (it
 * is the script's {@code sys.argv[0]}), its arguments as {@code --key value} tokens in order (what follows argv[0]),
 * variables added to the environment the process inherits, where its output lines go as they come, and how long it
 * may run.
 */
public record PythonRun(String python, Path script, List<String> args, Map<String, String> environment,
                        Consumer<String> logSink, Optional<Duration> timeout) {
    public PythonRun {
        Objects.requireNonNull(python, "python");
        Objects.requireNonNull(script, "script");
        if (python.isBlank()) {
            throw new IllegalArgumentException("A Python shell run needs a Python executable");
        }
        args = List.copyOf(args);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        logSink = logSink == null ? line -> { } : logSink;
        timeout = timeout == null ? Optional.empty() : timeout;
        timeout.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("A run's timeout is positive: " + t);
            }
        });
    }

    /** A run with no timeout. */
    public PythonRun(String python, Path script, List<String> args, Map<String, String> environment, Consumer<String> logSink) {
        this(python, script, args, environment, logSink, Optional.empty());
    }

    /**
     * A run's arguments as the script receives them: {@code --key value} for each entry, in the map's order; a key
     * without its leading {@code --} gets one (the job API's keys have it, a trigger's may not).
     */
    public static List<String> argumentTokens(Map<String, String> arguments) {
        List<String> tokens = new ArrayList<>();
        arguments.forEach((key, value) -> {
            tokens.add(key.startsWith("--") ? key : "--" + key);
            tokens.add(value == null ? "" : value);
        });
        return tokens;
    }
}
