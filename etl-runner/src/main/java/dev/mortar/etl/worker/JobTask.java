package dev.mortar.etl.worker;

import dev.mortar.etl.FileMark;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A job run leased to a worker, with everything it needs: the job's command and script, the run's merged arguments
 * ({@code --key} to value), its timeout, when the run's bookmark is on the files of catalog tables it must not read
 * again (or, for a bookmark range, the only files it reads), the server's HMS port, and what a Python script finds in
 * its environment to reach the server.
 */
public record JobTask(String taskId, String token, String jobName, String runId, int attempt, String command, String scriptLocation,
                      Map<String, String> arguments, Duration timeout, Optional<Map<String, Set<FileMark>>> alreadyRead, int metastorePort,
                      Map<String, String> environment, Optional<Map<String, Set<FileMark>>> onlyRead) {
    public JobTask {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(token, "token");
        arguments = Map.copyOf(arguments);
        environment = Map.copyOf(environment);
    }
}
