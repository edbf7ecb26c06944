package dev.mortar.metastore.worker;

import dev.mortar.crawler.worker.TaskCodec;
import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.crawl.CrawlRuns;
import dev.mortar.metastore.control.job.JobBookmarks.ReadFile;
import dev.mortar.metastore.control.job.JobRunRecord;
import dev.mortar.metastore.control.job.JobRuns;
import dev.mortar.thrift.worker.JobFileMark;
import dev.mortar.thrift.worker.JobLeaseReply;
import dev.mortar.thrift.worker.JobRunOutcome;
import dev.mortar.thrift.worker.JobRunTask;
import dev.mortar.metastore.control.run.RunCoordinator.Progress;
import dev.mortar.thrift.worker.CrawlProgress;
import dev.mortar.thrift.worker.CrawlReport;
import dev.mortar.thrift.worker.CrawlTask;
import dev.mortar.thrift.worker.CrawlTaskService;
import dev.mortar.thrift.worker.HeartbeatReply;
import dev.mortar.thrift.worker.InvalidRequestException;
import dev.mortar.thrift.worker.LeaseLostException;
import dev.mortar.thrift.worker.LeaseReply;
import dev.mortar.thrift.worker.LeaseStatus;
import dev.mortar.thrift.worker.NoSuchTaskException;
import org.apache.thrift.TException;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The worker protocol ({@code CrawlTaskService} of thrift-idl) over the control plane's crawl runs and job runs:
 * served on the worker port to {@code mortar worker} processes and bound directly to the server's embedded workers.
 * The control plane's errors become the protocol's exceptions here, and only here.
 */
public final class CrawlTaskEndpoint implements CrawlTaskService.Iface {
    private final CrawlRuns runs;
    private final JobRuns jobRuns;
    private final IntSupplier metastorePort;
    private final Supplier<Map<String, String>> jobEnvironment;

    /**
     * @param jobEnvironment what Python shell jobs find in their environment to reach this server's Glue API (its
     *                       endpoint, a region, credentials it accepts)
     */
    public CrawlTaskEndpoint(CrawlRuns runs, JobRuns jobRuns, IntSupplier metastorePort, Supplier<Map<String, String>> jobEnvironment) {
        this.runs = runs;
        this.jobRuns = jobRuns;
        this.metastorePort = metastorePort;
        this.jobEnvironment = jobEnvironment;
    }

    @FunctionalInterface
    private interface Call<T> {
        T call();
    }

    private static <T> T mapped(Call<T> call) throws TException {
        try {
            return call.call();
        } catch (ControlException.InvalidInput e) {
            throw new InvalidRequestException(e.getMessage());
        } catch (ControlException.LeaseLost e) {
            throw new LeaseLostException(e.getMessage());
        } catch (ControlException.NotFound e) {
            throw new NoSuchTaskException(e.getMessage());
        }
    }

    @Override
    public LeaseReply leaseTask(String workerId, int leaseSeconds) throws TException {
        return mapped(() -> runs.lease(workerId, leaseSeconds).map(l -> {
            CrawlTask task = new CrawlTask(l.taskId(), l.token(), l.crawler(), l.crawlId(), l.attempt(), l.expiresAt(), TaskCodec.target(l.assignment()),
                    metastorePort.getAsInt());
            task.setPrevious(TaskCodec.folders(l.assignment().previous()));
            return new LeaseReply().setTask(task);
        }).orElseGet(LeaseReply::new));
    }

    @Override
    public HeartbeatReply heartbeat(String taskId, String leaseToken, CrawlProgress progress) throws TException {
        CrawlRuns.Heartbeat beat = mapped(() -> runs.heartbeat(taskId, leaseToken, Optional.ofNullable(progress)
                .map(p -> new Progress(p.getFilesSeen(), p.getBytesSeen(), p.getTablesFound()))));
        return new HeartbeatReply(beat.stopRequested() ? LeaseStatus.STOP_REQUESTED : LeaseStatus.EXTENDED, beat.expiresAt());
    }

    @Override
    public void completeTask(String taskId, String leaseToken, CrawlReport report) throws TException {
        mapped(() -> {
            runs.complete(taskId, leaseToken, TaskCodec.report(report), report != null && report.isStopped());
            return null;
        });
    }

    @Override
    public void failTask(String taskId, String leaseToken, String errorMessage, CrawlReport report) throws TException {
        mapped(() -> {
            runs.fail(taskId, leaseToken, errorMessage, TaskCodec.report(report));
            return null;
        });
    }

    // ---- job runs

    @Override
    public JobLeaseReply leaseJobRun(String workerId, int leaseSeconds) throws TException {
        return mapped(() -> jobRuns.lease(workerId, leaseSeconds).map(l -> {
            JobRunTask task = new JobRunTask(l.taskId(), l.token(), l.job().name(), l.run().id(), l.run().attempt(), l.job().definition().command().name(),
                    l.job().definition().command().scriptLocation(), l.run().settings().arguments(), l.run().settings().timeoutMinutes() * 60_000L,
                    l.expiresAt(), metastorePort.getAsInt());
            l.bookmark().ifPresent(selection -> {
                task.setAlreadyRead(marks(selection.alreadyRead()));
                selection.only().ifPresent(only -> task.setOnlyRead(marks(only)));
            });
            task.setEnvironment(jobEnvironment.get());
            return new JobLeaseReply().setTask(task);
        }).orElseGet(JobLeaseReply::new));
    }

    private static Map<String, List<JobFileMark>> marks(Map<String, Set<ReadFile>> files) {
        Map<String, List<JobFileMark>> marks = new HashMap<>();
        files.forEach((table, set) -> marks.put(table, set.stream().map(f -> new JobFileMark(f.path(), f.size(), f.modifiedMillis())).toList()));
        return marks;
    }

    @Override
    public HeartbeatReply heartbeatJobRun(String taskId, String leaseToken, List<String> logLines) throws TException {
        JobRuns.Heartbeat beat = mapped(() -> jobRuns.heartbeat(taskId, leaseToken, logLines == null ? List.of() : logLines));
        return new HeartbeatReply(beat.stopRequested() ? LeaseStatus.STOP_REQUESTED : LeaseStatus.EXTENDED, beat.expiresAt());
    }

    @Override
    public void endJobRun(String taskId, String leaseToken, JobRunOutcome outcome) throws TException {
        JobRuns.Ending ending;
        try {
            ending = JobRuns.Ending.valueOf(outcome.getEnding());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidRequestException("A job run ends SUCCEEDED, FAILED, TIMEOUT or STOPPED, not " + outcome.getEnding());
        }
        Set<ReadFile> read = new HashSet<>();
        if (outcome.isSetFilesRead()) {
            outcome.getFilesRead().forEach((table, files) -> files.forEach(f -> read.add(new ReadFile(table, f.getPath(), f.getSize(), f.getModifiedMillis()))));
        }
        Optional<JobRunRecord.RunFigures> figures = Optional.ofNullable(outcome.getFigures()).map(f -> new JobRunRecord.RunFigures(f.getRowsRead(),
                f.getFilesRead(), f.getBytesRead(), f.getRowsWritten(), f.getFilesWritten(), f.getBytesWritten(), f.getOutputs().stream()
                .map(o -> new JobRunRecord.Output(o.getTable(), o.getValues(), o.getLocation(), o.getChange())).toList()));
        mapped(() -> {
            jobRuns.end(taskId, leaseToken, new JobRuns.Outcome(ending, Optional.ofNullable(outcome.getError()), figures, read,
                    outcome.getLog() == null ? List.of() : outcome.getLog()));
            return null;
        });
    }
}
