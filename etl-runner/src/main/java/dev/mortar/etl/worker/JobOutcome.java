package dev.mortar.etl.worker;

import dev.mortar.etl.FileMark;
import dev.mortar.etl.RunResult;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** How a worker ended a run: its ending, the error of one that did not succeed, what a successful run did, and its last log lines. */
public record JobOutcome(Ending ending, Optional<String> error, Optional<RunResult> result, Map<String, Set<FileMark>> filesRead, List<String> log) {
    public enum Ending { SUCCEEDED, FAILED, TIMEOUT, STOPPED }

    public JobOutcome {
        filesRead = Map.copyOf(filesRead);
        log = List.copyOf(log);
    }
}
