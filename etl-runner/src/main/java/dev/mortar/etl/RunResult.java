package dev.mortar.etl;

import java.time.Duration;
import java.util.List;

/**
 * What a successful run did: figures for the run record (rows and bytes read and written, files, output partitions),
 * each statement's timing and rows, and the run's log lines.
 */
public record RunResult(String runId, long rowsRead, long filesRead, long bytesRead, long rowsWritten, long filesWritten, long bytesWritten,
                        List<OutputPartition> outputPartitions, List<StatementResult> statements, List<String> log, Duration duration) {
    public RunResult {
        outputPartitions = List.copyOf(outputPartitions);
        statements = List.copyOf(statements);
        log = List.copyOf(log);
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
