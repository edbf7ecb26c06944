package dev.mortar.metastore.control.schedule;

import dev.mortar.metastore.control.job.JobRunRecord.RunOrigin;

import java.sql.Connection;
import java.sql.SQLException;

import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * The record of runs that a trigger started and that ended for good ({@code c_run_ends}), written in the transaction
 * that ends the run: the scheduler's outbox (a run's end leads to its dependent runs even when the server that saw it
 * end dies right after) and the history a chain's conditions are judged on.
 */
public final class RunEnds {
    /** What ended: a job run or a crawl. */
    public enum Kind { JOB, CRAWL }

    private RunEnds() {
    }

    /** {@code state}: the run's state as the service names it (a job run state, or a crawl's SUCCEEDED, FAILED, CANCELLED, ERROR). */
    public static void record(Connection c, Kind kind, String runId, String target, String state, long endedAt, RunOrigin origin) throws SQLException {
        update(c, "INSERT INTO c_run_ends (run_kind, run_id, target_name, run_state, ended_at, trigger_name, chain_id, workflow_name, evaluated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)", kind.name(), runId, target, state, endedAt, origin.triggerName(), origin.chainId(),
                origin.workflowName().orElse(null));
    }
}
