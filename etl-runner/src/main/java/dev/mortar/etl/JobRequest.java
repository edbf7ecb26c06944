package dev.mortar.etl;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One run of a SQL job: its id (it names the run's staged files), the script's text and the run's arguments
 * ({@code --name value} pairs, merged as the job API merges them), where log lines go while it runs, and the job's
 * bookmark: per catalog table read ({@code database.table}, lower case), the files earlier runs read, which this run's
 * scans leave out. An empty {@code alreadyRead} is a run without bookmarks: every file is read. {@code beforeCommit} runs
 * right before the run's output is committed; it throws to keep the output from being committed (a worker that lost
 * its lease on the run). {@code onlyRead}, when present, is a bookmark range: the scans read only these files.
 */
public record JobRequest(String runId, String script, Map<String, String> arguments, Consumer<String> logSink,
                         Map<String, Set<FileMark>> alreadyRead, Runnable beforeCommit, java.util.Optional<Map<String, Set<FileMark>>> onlyRead) {
    public JobRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(script, "script");
        arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
        logSink = logSink == null ? line -> { } : logSink;
        if (runId.isBlank() || !runId.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
            throw new IllegalArgumentException("A run id is letters, digits, '_' and '-': " + runId);
        }
        alreadyRead = tables(alreadyRead);
        beforeCommit = beforeCommit == null ? () -> { } : beforeCommit;
        onlyRead = onlyRead == null ? java.util.Optional.empty() : onlyRead.map(JobRequest::tables);
    }

    public JobRequest(String runId, String script, Map<String, String> arguments, Consumer<String> logSink, Map<String, Set<FileMark>> alreadyRead) {
        this(runId, script, arguments, logSink, alreadyRead, null, java.util.Optional.empty());
    }

    public JobRequest(String runId, String script, Map<String, String> arguments, Consumer<String> logSink) {
        this(runId, script, arguments, logSink, Map.of(), null, java.util.Optional.empty());
    }

    public JobRequest(String runId, String script, Map<String, String> arguments) {
        this(runId, script, arguments, null, Map.of(), null, java.util.Optional.empty());
    }

    /** The same run with the files a bookmark says were read before. */
    public JobRequest withAlreadyRead(Map<String, Set<FileMark>> files) {
        return new JobRequest(runId, script, arguments, logSink, files, beforeCommit, onlyRead);
    }

    /** The same run reading only these files (a bookmark range). */
    public JobRequest withOnlyRead(Map<String, Set<FileMark>> files) {
        return new JobRequest(runId, script, arguments, logSink, alreadyRead, beforeCommit, java.util.Optional.of(files));
    }

    /** What the run's scans read. */
    public FileSelection selection() {
        return onlyRead.map(FileSelection::only).orElseGet(() -> FileSelection.excluding(alreadyRead));
    }

    /** The same run with a check made right before its output is committed. */
    public JobRequest withBeforeCommit(Runnable check) {
        return new JobRequest(runId, script, arguments, logSink, alreadyRead, check, onlyRead);
    }

    /** Files per table, with the table names in lower case (as the catalog stores them); tables with no file dropped. */
    static Map<String, Set<FileMark>> tables(Map<String, Set<FileMark>> files) {
        if (files == null || files.isEmpty()) {
            return Map.of();
        }
        Map<String, Set<FileMark>> copy = new LinkedHashMap<>();
        files.forEach((table, marks) -> {
            Objects.requireNonNull(table, "table");
            String name = table.toLowerCase(Locale.ROOT);
            int dot = name.indexOf('.');
            if (dot <= 0 || dot == name.length() - 1) {
                throw new IllegalArgumentException("Files read are kept per table, named database.table: " + table);
            }
            if (marks != null && !marks.isEmpty()) {
                copy.merge(name, Set.copyOf(marks), (a, b) -> {
                    Set<FileMark> both = new java.util.HashSet<>(a);
                    both.addAll(b);
                    return Set.copyOf(both);
                });
            }
        });
        return Map.copyOf(copy);
    }
}
