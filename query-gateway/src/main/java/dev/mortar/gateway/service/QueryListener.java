package dev.mortar.gateway.service;

import java.time.Duration;
import java.util.Optional;

/** Told of every statement that ended: for metrics and the query history. */
@FunctionalInterface
public interface QueryListener {
    QueryListener NONE = outcome -> { };

    void ended(Outcome outcome);

    /**
     * @param state FINISHED, ERROR, CANCELED or TIMEDOUT
     * @param duration from submission to its end (FINISHED: the first rows ready)
     * @param rows the rows the client fetched
     */
    record Outcome(String user, String statement, String state, Duration duration, long rows, Optional<String> error) {}
}
