package dev.mortar.etl;

import dev.mortar.catalog.Column;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One run's use of an engine. Queries are in the engine's dialect and name catalog tables {@code database.table}. */
public interface EngineSession extends AutoCloseable {
    /** The columns of the query's result, with Hive types. */
    List<Column> describe(String query);

    /** Runs the query and returns how many rows it gave. */
    long count(String query);

    /**
     * Writes the query's rows, taken by position as {@code columns} (cast to their types), into {@code directory}:
     * partitioned into Hive-style {@code key=value} folders by the trailing {@code partitionKeys} when there are any.
     * File names start with {@code filePrefix}.
     */
    Written write(String query, List<Column> columns, List<Column> partitionKeys, OutputFormat format, char delimiter,
                  Path directory, String filePrefix);

    /** Rows and bytes of catalog tables read so far. */
    long rowsRead();

    long bytesRead();

    /** Per catalog table read so far ({@code database.table}), the files its scans included. */
    Map<String, Set<FileMark>> filesRead();

    /**
     * Stops the statement in flight, from any thread, and makes every later one fail at once: the statement fails
     * with a {@link JobException}. For a run that is being stopped; the session is still closed by its owner.
     */
    void interrupt();

    /** The rows written and the files made by one write. */
    record Written(long rows, List<Path> files) {
        public Written {
            files = List.copyOf(files);
        }
    }

    @Override
    void close();
}
