package dev.mortar.metastore.glue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * Runs of this server that a stop interrupted. In-process crawls run inside the server that started them, so such a
 * run still {@code RUNNING} when the server starts has no process left working on it: it is marked {@code FAILED}
 * with a message saying so, and its crawler is {@code READY} again. Runs handed to worker processes (an open task
 * in {@code g_crawl_tasks}) are left to their leases. The tables it wrote before the stop are complete
 * (a crawl writes table by table); its folder state is not saved, so the next run reconsiders those folders.
 */
final class CrawlRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(CrawlRecovery.class);
    static final String MESSAGE = "The server stopped during the run; the run was failed when the server started again";

    private CrawlRecovery() {}

    /** Fails interrupted runs and readies their crawlers, in one transaction; returns the number of runs failed. */
    static int recover(GlueContext ctx) {
        long now = System.currentTimeMillis();
        int[] counts = ctx.tx(c -> {
            // Runs handed to worker processes live on in their tasks (a lease expires and another worker takes over).
            int runs = update(c, "UPDATE g_crawls SET crawl_state = ?, ended_at = ?, error_message = ? WHERE crawl_state = ?"
                    + " AND crawl_id NOT IN (SELECT task_id FROM g_crawl_tasks WHERE task_state <> 'DONE')", "FAILED", now, MESSAGE,
                    CrawlerOperations.RUNNING);
            int crawlers = update(c, "UPDATE g_crawlers SET crawler_state = ? WHERE crawler_state <> ?"
                    + " AND crawler_name NOT IN (SELECT crawler_name FROM g_crawl_tasks WHERE task_state <> 'DONE')", CrawlerOperations.READY, CrawlerOperations.READY);
            return new int[] {runs, crawlers};
        });
        if (counts[0] > 0 || counts[1] > 0) {
            LOG.warn("Glue: {} crawl run(s) interrupted by a server stop marked FAILED; {} crawler(s) READY again", counts[0], counts[1]);
        }
        return counts[0];
    }
}
