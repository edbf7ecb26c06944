package dev.mortar.etl.python;

import java.time.Duration;
import java.util.List;

/**
 * A Python shell run that ended with exit code 0: how long it took, how many lines it printed, and those lines (tagged
 * {@code stdout: } or {@code stderr: }, the last {@link PythonShellRunner#KEPT_LINES} of them when there were more).
 */
public record PythonResult(int exitCode, Duration duration, long outputLines, List<String> output) {
    public PythonResult {
        output = List.copyOf(output);
    }
}
