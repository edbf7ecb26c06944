package dev.mortar.etl.python;

import dev.mortar.etl.JobException;

import java.util.Optional;

/**
 * A Python shell script that ended with an exit code other than 0. The message says the script, the exit code and
 * its last error line (the last line of a traceback: {@code ValueError: boom}).
 */
public class PythonScriptException extends JobException {
    private final int exitCode;
    private final Optional<String> errorLine;

    public PythonScriptException(String script, int exitCode, Optional<String> errorLine) {
        super(errorLine.map(line -> line + " (script " + script + ", exit code " + exitCode + ")")
                .orElse("Script " + script + " ended with exit code " + exitCode + " and printed no error"));
        this.exitCode = exitCode;
        this.errorLine = errorLine;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The script's last error line: its last line on stderr, or on stdout when it wrote nothing to stderr. */
    public Optional<String> errorLine() {
        return errorLine;
    }
}
