package dev.mortar.etl;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a successful run did: figures for the run record (rows and bytes read and written, files, output partitions),
 * each statement's timing and rows, and the run's log lines. {@code filesRead} is, per catalog table the run read
 * ({@code database.table}), the files its scans included (files a bookmark said were read before are not among
 * them): what the job's bookmark adds after the run.
 */
public record RunResult(String runId, long rowsRead, Map<String, Set<FileMark>> filesRead, long bytesRead, long rowsWritten, long filesWritten,
                        long bytesWritten, List<OutputPartition> outputPartitions, List<StatementResult> statements, List<String> log,
                        Duration duration) {
    public RunResult {
        filesRead = JobRequest.tables(filesRead);
        outputPartitions = List.copyOf(outputPartitions);
        statements = List.copyOf(statements);
        log = List.copyOf(log);
    }

    /** How many files the run read, over all tables. */
    public long filesReadCount() {
        return filesRead.values().stream().mapToLong(Set::size).sum();
    }

    /** A partition (or, with no values, an unpartitioned table) the run added, appended to or replaced. */
    public record OutputPartition(String table, List<String> values, String location, Change change) {
        public OutputPartition {
            values = List.copyOf(values);
        }
    }

    public enum Change { ADDED, APPENDED, REPLACED }

    /** One statement: its number and line, what kind it is, its time and the rows it gave or wrote. */
    public record StatementResult(int number, int line, String kind, Duration duration, long rows) {}
}
