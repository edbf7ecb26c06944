package dev.mortar.metastore.control.schedule;

import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.crawl.CrawlRuns;
import dev.mortar.metastore.control.job.JobRunRecord;
import dev.mortar.metastore.control.job.JobRunRecord.Predecessor;
import dev.mortar.metastore.control.job.JobRunRecord.RunOrigin;
import dev.mortar.metastore.control.job.JobRuns;
import dev.mortar.metastore.control.job.Jobs;
import dev.mortar.scheduler.engine.Firing;
import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.RunTarget;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.workflow.WorkflowRunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the actions of a firing in the caller's transaction: each job action as a job run that records the trigger and
 * its chain (arguments merged as StartJobRun merges them; a job that does not exist gives a run in ERROR), each crawler
 * action as a crawl. What was queued is told to this process's workers after the commit ({@link Started#tell}).
 */
final class RunStarter {
    private static final Logger LOG = LoggerFactory.getLogger(RunStarter.class);

    private final JobRuns jobRuns;
    private final CrawlRuns crawls;

    RunStarter(JobRuns jobRuns, CrawlRuns crawls) {
        this.jobRuns = jobRuns;
        this.crawls = crawls;
    }

    /** What a transaction queued, to tell the workers once it has committed. */
    final class Started {
        private final List<String> jobTasks = new ArrayList<>();
        private final List<String> crawlTasks = new ArrayList<>();

        void tell() {
            jobRuns.enqueued(jobTasks);
            crawls.enqueued(crawlTasks);
        }
    }

    Started started() {
        return new Started();
    }

    /**
     * Creates workflow run {@code runId} of {@code workflow} with the snapshot of its triggers and its properties; when the
     * workflow's MaxConcurrentRuns are taken, records the run in ERROR instead and returns false.
     */
    boolean createWorkflowRun(Connection c, String workflow, String runId, Map<String, String> givenProperties, long now) throws SQLException {
        WorkflowRecord stored = Workflows.workflow(c, workflow, true)
                .orElseThrow(() -> new ControlException.NotFound("Workflow with name " + workflow + " not found"));
        Map<String, String> properties = dev.mortar.scheduler.workflow.WorkflowRuns.startProperties(stored.definition().defaultRunProperties(), givenProperties);
        List<Trigger> snapshot = SchedulerTables.triggersOfWorkflow(c, workflow);
        Optional<Integer> max = stored.definition().maxConcurrentRuns();
        if (max.isPresent() && SchedulerTables.activeRuns(c, workflow) >= max.get()) {
            SchedulerTables.insertWorkflowRun(c, runId, workflow, WorkflowRunStatus.ERROR, now, Optional.empty(), properties, snapshot, List.of(),
                    Optional.of("Concurrent runs exceeded for workflow: " + workflow + "."));
            LOG.warn("Workflow {}: run {} ERROR: its {} concurrent runs are taken", workflow, runId, max.get());
            return false;
        }
        SchedulerTables.insertWorkflowRun(c, runId, workflow, WorkflowRunStatus.RUNNING, now, Optional.empty(), properties, snapshot, List.of(), Optional.empty());
        LOG.info("Workflow {}: run {} RUNNING", workflow, runId);
        return true;
    }

    /** Starts every action of {@code firing}; the ids of the runs started. */
    List<String> startActions(Connection c, Firing firing, Started started) throws SQLException {
        RunOrigin origin = new RunOrigin(firing.triggerName(), firing.chain().id(), firing.chain().workflowName());
        List<Predecessor> predecessors = firing.predecessors().stream()
                .filter(ref -> ref.target() instanceof RunTarget.Job)
                .map(ref -> new Predecessor(ref.target().name(), ref.runId()))
                .toList();
        List<String> ids = new ArrayList<>();
        for (Action action : firing.actions()) {
            switch (action) {
                case Action.JobAction job -> ids.add(startJob(c, job, origin, predecessors, started));
                case Action.CrawlerAction crawler -> startCrawl(c, crawler.crawlerName(), Optional.of(origin), started).ifPresent(ids::add);
            }
        }
        return ids;
    }

    private String startJob(Connection c, Action.JobAction job, RunOrigin origin, List<Predecessor> predecessors, Started started) throws SQLException {
        if (Jobs.job(c, job.jobName(), false).isEmpty()) {
            return jobRuns.recordError(c, job.jobName(), origin, job.arguments(),
                    "Job with name " + job.jobName() + " not found; trigger " + origin.triggerName() + " could not start it");
        }
        JobRuns.StartRequest request = new JobRuns.StartRequest(job.arguments(), Optional.empty(),
                job.timeoutMinutes().isPresent() ? Optional.of(job.timeoutMinutes().getAsInt()) : Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), job.securityConfiguration(),
                job.notifyDelayAfterMinutes().isPresent() ? Optional.of(job.notifyDelayAfterMinutes().getAsInt()) : Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty()).startedBy(origin, predecessors);
        try {
            JobRunRecord run = jobRuns.startForTrigger(c, job.jobName(), request, started.jobTasks);
            return run.id();
        } catch (ControlException.InvalidInput e) {
            // arguments the job refuses (too long, a bad bookmark option): the run is recorded in ERROR with the reason
            return jobRuns.recordError(c, job.jobName(), origin, job.arguments(), e.getMessage());
        }
    }

    /** Starts a crawl; empty (and a line in the log) when the crawler is missing or running already, as the service skips it. */
    Optional<String> startCrawl(Connection c, String crawler, Optional<RunOrigin> origin, Started started) throws SQLException {
        try {
            String id = crawls.startForTrigger(c, crawler, origin);
            started.crawlTasks.add(id);
            return Optional.of(id);
        } catch (ControlException.NotFound | ControlException.Conflict e) {
            LOG.warn("Crawler {}: not started by {}: {}", crawler, origin.map(o -> "trigger " + o.triggerName()).orElse("its schedule"), e.getMessage());
            return Optional.empty();
        }
    }
}
