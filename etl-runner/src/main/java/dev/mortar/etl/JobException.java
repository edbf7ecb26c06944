package dev.mortar.etl;

import java.util.Optional;

/**
 * A job that cannot run or failed: the message names the statement (its number in the script, from 1) and the line it
 * starts on when one statement is at fault. Nothing of the run is committed.
 */
public class JobException extends RuntimeException {
    private final Optional<Integer> statement;
    private final Optional<Integer> line;

    public JobException(String message) {
        super(message);
        this.statement = Optional.empty();
        this.line = Optional.empty();
    }

    public JobException(String message, Throwable cause) {
        super(message, cause);
        this.statement = Optional.empty();
        this.line = Optional.empty();
    }

    public JobException(int statement, int line, String message, Throwable cause) {
        super("Statement " + statement + " (line " + line + "): " + message, cause);
        this.statement = Optional.of(statement);
        this.line = Optional.of(line);
    }

    /** The statement at fault, numbered from 1, when one is. */
    public Optional<Integer> statement() {
        return statement;
    }

    /** The script line that statement starts on, from 1. */
    public Optional<Integer> line() {
        return line;
    }
}
