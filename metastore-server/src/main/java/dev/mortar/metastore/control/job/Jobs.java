package dev.mortar.metastore.control.job;

import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.tag.Tags;
import dev.mortar.metastore.store.CatalogDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import dev.mortar.metastore.store.CatalogStore;

/**
 * Jobs ({@code c_jobs}): defined, replaced and deleted, each change one transaction and one log line. A job's runs are
 * {@link JobRuns}'; deleting a job deletes its run records, bookmark and tags, and is refused while a run is in progress.
 */
public final class Jobs {
    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    private final CatalogDatabase database;
    private final InstantSource clock;

    public Jobs(CatalogDatabase database, InstantSource clock) {
        this.database = database;
        this.clock = clock;
    }

    static ControlException notFound(String name) {
        return new ControlException.NotFound("Job with name " + name + " not found");
    }

    public void create(String name, JobDefinition definition, Map<String, String> tags) {
        checkName(name);
        long now = clock.millis();
        // the Glue version is fixed when the job is made: UpdateJob keeps it when a new definition leaves it out
        JobDefinition stored = definition.glueVersion().isPresent() ? definition : withGlueVersion(definition, definition.effectiveGlueVersion());
        database.inTransaction(c -> {
            if (job(c, name, false).isPresent()) {
                throw new ControlException.AlreadyExists("Job with name " + name + " already exists");
            }
            CatalogStore.update(c, "INSERT INTO c_jobs (job_name, definition, created_at, updated_at, version_no) VALUES (?, ?, ?, ?, ?)", name, JobDocument.write(stored), now,
                    now, 1L);
            Tags.set(c, Tags.Kind.JOB, name, tags);
            return null;
        });
        LOG.info("Job {}: created ({} {})", name, stored.command().name(), stored.command().scriptLocation());
    }

    /** Replaces the job's definition; a definition without a Glue version keeps the job's. */
    public void update(String name, JobDefinition definition) {
        database.inTransaction(c -> {
            JobRecord current = job(c, name, true).orElseThrow(() -> notFound(name));
            JobDefinition stored = definition.glueVersion().isPresent() ? definition : withGlueVersion(definition, current.definition().effectiveGlueVersion());
            CatalogStore.update(c, "UPDATE c_jobs SET definition = ?, updated_at = ?, version_no = version_no + 1 WHERE job_name = ?", JobDocument.write(stored),
                    clock.millis(), name);
            return null;
        });
        LOG.info("Job {}: updated", name);
    }

    /** Deletes the job with its runs, bookmark and tags; false when there was no such job. */
    public boolean delete(String name) {
        boolean deleted = database.inTransaction(c -> {
            if (job(c, name, true).isEmpty()) {
                return false;
            }
            List<String> active = query(c, "SELECT run_id FROM c_job_runs WHERE job_name = ? AND run_state IN (?, ?, ?, ?)", rs -> rs.getString(1), name,
                    JobRunState.STARTING.name(), JobRunState.RUNNING.name(), JobRunState.STOPPING.name(), JobRunState.WAITING.name());
            if (!active.isEmpty()) {
                throw new ControlException.InvalidInput("Job " + name + " has " + active.size() + " run(s) in progress (" + String.join(", ", active)
                        + "); stop them with BatchStopJobRun before deleting the job");
            }
            CatalogStore.update(c, "DELETE FROM c_job_runs WHERE job_name = ?", name);
            JobBookmarks.delete(c, name);
            Tags.delete(c, Tags.Kind.JOB, name);
            CatalogStore.update(c, "DELETE FROM c_jobs WHERE job_name = ?", name);
            return true;
        });
        if (deleted) {
            LOG.info("Job {}: deleted", name);
        }
        return deleted;
    }

    public JobRecord job(String name) {
        return database.inTransaction(c -> job(c, name, false)).orElseThrow(() -> notFound(name));
    }

    /** The jobs that exist among {@code names}, in their order. */
    public List<JobRecord> jobs(List<String> names) {
        return database.inTransaction(c -> {
            List<JobRecord> found = new ArrayList<>();
            for (String n : names) {
                job(c, n, false).ifPresent(found::add);
            }
            return found;
        });
    }

    /** Up to {@code limit} jobs after the name {@code after}, in name order. */
    public List<JobRecord> list(String after, int limit) {
        return database.inTransaction(c -> {
            List<JobRecord> jobs = query(c, "SELECT job_name, definition, created_at, updated_at, version_no FROM c_jobs WHERE job_name > ? ORDER BY job_name",
                    Jobs::row, after);
            return jobs.size() > limit ? List.copyOf(jobs.subList(0, limit)) : jobs;
        });
    }

    /** Up to {@code limit} names of jobs after {@code after} that carry all of {@code tags}, in name order. */
    public List<String> names(String after, int limit, Map<String, String> tags) {
        return database.inTransaction(c -> {
            List<String> names = new ArrayList<>();
            for (String name : query(c, "SELECT job_name FROM c_jobs WHERE job_name > ? ORDER BY job_name", rs -> rs.getString(1), after)) {
                if (names.size() == limit) {
                    break;
                }
                if (tags.isEmpty() || Tags.tags(c, Tags.Kind.JOB, name).entrySet().containsAll(tags.entrySet())) {
                    names.add(name);
                }
            }
            return names;
        });
    }

    public static Optional<JobRecord> job(Connection c, String name, boolean lock) throws SQLException {
        return queryOne(c, "SELECT job_name, definition, created_at, updated_at, version_no FROM c_jobs WHERE job_name = ?" + (lock ? " FOR UPDATE" : ""),
                Jobs::row, name);
    }

    private static JobRecord row(java.sql.ResultSet rs) throws SQLException {
        return new JobRecord(rs.getString(1), JobDocument.readDefinition(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4)),
                rs.getLong(5));
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 255 || name.contains("\n") || name.contains("\r")) {
            throw new ControlException.InvalidInput("A job name is 1 to 255 characters on one line");
        }
    }

    private static JobDefinition withGlueVersion(JobDefinition d, String version) {
        return new JobDefinition(d.role(), d.command(), d.description(), d.logUri(), d.maxConcurrentRuns(), d.defaultArguments(), d.nonOverridableArguments(),
                d.connections(), d.maxRetries(), d.allocatedCapacity(), d.timeoutMinutes(), d.maxCapacity(), d.securityConfiguration(), d.notifyDelayAfter(),
                Optional.of(version), d.numberOfWorkers(), d.workerType(), d.executionClass(), d.maintenanceWindow(), d.jobMode(), d.jobRunQueuingEnabled(),
                d.sourceControl(), d.visualGraph());
    }
}
