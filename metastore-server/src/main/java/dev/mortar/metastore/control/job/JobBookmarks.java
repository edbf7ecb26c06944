package dev.mortar.metastore.control.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.store.CatalogDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * Job bookmarks ({@code c_job_bookmarks}, {@code c_job_bookmark_files}): per job, the files of catalog tables that its
 * successful bookmarked runs read, by path, size and modification time. A run with {@code job-bookmark-enable} skips
 * them and, when it succeeds, adds what it read in the same transaction that ends it; {@code job-bookmark-pause}
 * skips them without adding; a failed or stopped run adds nothing, so its retry reads the same input.
 */
public final class JobBookmarks {
    private static final Logger LOG = LoggerFactory.getLogger(JobBookmarks.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code --job-bookmark-option}. */
    public enum Option { ENABLE, DISABLE, PAUSE }

    /** A file of a catalog table ({@code database.table}, lower case) that a run read. */
    public record ReadFile(String table, String path, long size, long modifiedMillis) {}

    /** GetJobBookmark's entry. */
    public record Entry(String jobName, long version, long run, int attempt, Optional<String> runId, Optional<String> previousRunId, String state) {}

    private final CatalogDatabase database;
    private final InstantSource clock;

    public JobBookmarks(CatalogDatabase database, InstantSource clock) {
        this.database = database;
        this.clock = clock;
    }

    /** The bookmark option of merged run arguments; refuses what the service refuses. */
    public static Option option(Map<String, String> arguments) {
        String value = arguments.get("--job-bookmark-option");
        Option option;
        if (value != null) {
            option = switch (value) {
                case "job-bookmark-enable" -> Option.ENABLE;
                case "job-bookmark-disable" -> Option.DISABLE;
                case "job-bookmark-pause" -> Option.PAUSE;
                default -> throw new ControlException.InvalidInput("Invalid --job-bookmark-option " + value
                        + "; it is job-bookmark-enable, job-bookmark-disable or job-bookmark-pause");
            };
        } else {
            String legacy = arguments.get("--continuation-option");
            option = legacy == null ? Option.DISABLE : switch (legacy) {
                case "continuation-enabled" -> Option.ENABLE;
                case "continuation-readonly" -> Option.PAUSE;
                case "continuation-ignore" -> Option.DISABLE;
                default -> throw new ControlException.InvalidInput("Invalid --continuation-option " + legacy);
            };
        }
        boolean from = arguments.containsKey("--job-bookmark-from");
        boolean to = arguments.containsKey("--job-bookmark-to");
        if (from || to) {
            if (option != Option.PAUSE || from != to) {
                throw new ControlException.InvalidInput("Invalid option(s): --job-bookmark-from and --job-bookmark-to go together, with --job-bookmark-option job-bookmark-pause");
            }
        }
        return option;
    }

    /**
     * What a run's scans read, by table: every file but those the bookmark holds ({@code alreadyRead}), or, for a range
     * ({@code --job-bookmark-from F --job-bookmark-to T} with {@code job-bookmark-pause}), only the files that the runs
     * after F up to T read ({@code only}).
     */
    public record Selection(Map<String, Set<ReadFile>> alreadyRead, Optional<Map<String, Set<ReadFile>>> only) {}

    /** What a run with these arguments reads; empty when bookmarks are off. */
    static Optional<Selection> selection(Connection c, String job, Map<String, String> arguments) throws SQLException {
        Option option = option(arguments);
        if (option == Option.DISABLE) {
            return Optional.empty();
        }
        Optional<long[]> range = range(c, job, arguments);
        Map<String, Set<ReadFile>> files = new HashMap<>();
        query(c, "SELECT table_name, path, size_bytes, modified_at, run_no FROM c_job_bookmark_files WHERE job_name = ?", rs -> {
            long run = rs.getLong(5);
            if (range.isEmpty() || (run > range.get()[0] && run <= range.get()[1])) {
                files.computeIfAbsent(rs.getString(1), t -> new HashSet<>()).add(new ReadFile(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
            }
            return null;
        }, job);
        return Optional.of(range.isPresent() ? new Selection(Map.of(), Optional.of(files)) : new Selection(files, Optional.empty()));
    }

    /**
     * The bookmark run numbers of a range's runs, {@code --job-bookmark-from} and {@code --job-bookmark-to}; empty without a
     * range. Both runs must be the job's and must have advanced its bookmark, the first not after the second.
     */
    static Optional<long[]> range(Connection c, String job, Map<String, String> arguments) throws SQLException {
        String from = arguments.get("--job-bookmark-from");
        String to = arguments.get("--job-bookmark-to");
        if (from == null || to == null) {
            return Optional.empty();
        }
        long f = bookmarkRun(c, job, from);
        long t = bookmarkRun(c, job, to);
        if (f > t) {
            throw new ControlException.InvalidInput("--job-bookmark-from " + from + " comes after --job-bookmark-to " + to + " in the bookmark of job " + job);
        }
        return Optional.of(new long[] {f, t});
    }

    private static long bookmarkRun(Connection c, String job, String runId) throws SQLException {
        long n = queryOne(c, "SELECT bookmark_run FROM c_job_runs WHERE job_name = ? AND run_id = ?", rs -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? -1L : v;
        }, job, runId).orElseThrow(() -> new ControlException.InvalidInput("Job run " + runId + " of job " + job + " not found for the bookmark range"));
        if (n < 0) {
            throw new ControlException.InvalidInput("Job run " + runId + " did not advance the bookmark of job " + job + "; a range runs from and to runs that did");
        }
        return n;
    }

    /** Records what a successful enabled run read, in the caller's transaction; the bookmark's run number it got. */
    static long advance(Connection c, String job, String runId, int attempt, Set<ReadFile> read, long now) throws SQLException {
        Optional<long[]> current = queryOne(c, "SELECT version_no, run_no FROM c_job_bookmarks WHERE job_name = ? FOR UPDATE",
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}, job);
        Optional<String> previous = queryOne(c, "SELECT run_id FROM c_job_bookmarks WHERE job_name = ?", rs -> rs.getString(1), job);
        long run = current.map(v -> v[1]).orElse(0L) + 1;
        if (current.isEmpty()) {
            update(c, "INSERT INTO c_job_bookmarks (job_name, version_no, run_no, attempt, run_id, previous_run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    job, 1L, run, attempt, runId, null, now);
        } else {
            update(c, "UPDATE c_job_bookmarks SET version_no = version_no + 1, run_no = ?, attempt = ?, run_id = ?, previous_run_id = ?, updated_at = ? WHERE job_name = ?",
                    run, attempt, runId, previous.orElse(null), now, job);
        }
        for (ReadFile f : read) {
            String key = key(f.table(), f.path());
            update(c, "DELETE FROM c_job_bookmark_files WHERE job_name = ? AND file_key = ?", job, key);
            update(c, "INSERT INTO c_job_bookmark_files (job_name, file_key, table_name, path, size_bytes, modified_at, run_no) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    job, key, f.table(), f.path(), f.size(), f.modifiedMillis(), run);
        }
        return run;
    }

    public Entry get(String job) {
        return database.inTransaction(c -> {
            if (Jobs.job(c, job, false).isEmpty()) {
                throw Jobs.notFound(job);
            }
            return entry(c, job).orElseThrow(() -> new ControlException.NotFound("Continuation for job " + job + " not found"));
        });
    }

    /** Clears the bookmark, or rewinds it to what it was after run {@code runId}. */
    public Entry reset(String job, Optional<String> runId) {
        Entry reset = database.inTransaction(c -> {
            if (Jobs.job(c, job, true).isEmpty()) {
                throw Jobs.notFound(job);
            }
            if (entry(c, job).isEmpty()) {
                throw new ControlException.NotFound("Continuation for job " + job + " not found");
            }
            long to = 0;
            if (runId.isPresent()) {
                to = queryOne(c, "SELECT bookmark_run FROM c_job_runs WHERE job_name = ? AND run_id = ?", rs -> {
                    long n = rs.getLong(1);
                    return rs.wasNull() ? -1L : n;
                }, job, runId.get()).orElseThrow(() -> new ControlException.NotFound("Job run " + runId.get() + " of job " + job + " not found"));
                if (to < 0) {
                    throw new ControlException.InvalidInput("Job run " + runId.get() + " did not advance the bookmark of job " + job);
                }
            }
            update(c, "DELETE FROM c_job_bookmark_files WHERE job_name = ? AND run_no > ?", job, to);
            update(c, "UPDATE c_job_bookmarks SET version_no = version_no + 1, run_no = ?, run_id = ?, updated_at = ? WHERE job_name = ?", to,
                    runId.orElse(null), clock.millis(), job);
            return entry(c, job).orElseThrow();
        });
        LOG.info("Job {}: bookmark {}", job, runId.map(r -> "rewound to run " + r).orElse("reset"));
        return reset;
    }

    private static Optional<Entry> entry(Connection c, String job) throws SQLException {
        Optional<Entry> e = queryOne(c, "SELECT version_no, run_no, attempt, run_id, previous_run_id FROM c_job_bookmarks WHERE job_name = ?",
                rs -> new Entry(job, rs.getLong(1), rs.getLong(2), rs.getInt(3), Optional.ofNullable(rs.getString(4)), Optional.ofNullable(rs.getString(5)), ""), job);
        if (e.isEmpty()) {
            return e;
        }
        // the state, per table: how many files the bookmark holds and the newest modification time among them
        ObjectNode state = JSON.createObjectNode();
        Map<String, long[]> tables = new TreeMap<>();
        query(c, "SELECT table_name, COUNT(*), MAX(modified_at) FROM c_job_bookmark_files WHERE job_name = ? GROUP BY table_name", rs -> {
            tables.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            return null;
        }, job);
        tables.forEach((table, v) -> state.putObject(table).put("jsonClass", "MortarFileBookmarkState").put("files", v[0]).put("latestModifiedMillis", v[1]));
        Entry found = e.get();
        return Optional.of(new Entry(found.jobName(), found.version(), found.run(), found.attempt(), found.runId(), found.previousRunId(), state.toString()));
    }

    static void delete(Connection c, String job) throws SQLException {
        update(c, "DELETE FROM c_job_bookmark_files WHERE job_name = ?", job);
        update(c, "DELETE FROM c_job_bookmarks WHERE job_name = ?", job);
    }

    private static String key(String table, String path) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(table.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(path.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
