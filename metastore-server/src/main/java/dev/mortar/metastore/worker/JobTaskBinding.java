package dev.mortar.metastore.worker;

import dev.mortar.etl.FileMark;
import dev.mortar.etl.RunResult;
import dev.mortar.etl.worker.JobOutcome;
import dev.mortar.etl.worker.JobTask;
import dev.mortar.etl.worker.JobTaskService;
import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.job.JobBookmarks.ReadFile;
import dev.mortar.metastore.control.job.JobRunRecord;
import dev.mortar.metastore.control.job.JobRuns;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The job task service bound directly to this server's control plane, for its embedded job workers: the worker's
 * records mapped to the control plane's and back, its lease errors to the worker's.
 */
public final class JobTaskBinding implements JobTaskService {
    private final JobRuns runs;

    public JobTaskBinding(JobRuns runs) {
        this.runs = runs;
    }

    @Override
    public Optional<JobTask> lease(String workerId, int leaseSeconds) {
        return runs.lease(workerId, leaseSeconds).map(l -> new JobTask(l.taskId(), l.token(), l.job().name(), l.run().id(), l.run().attempt(),
                l.job().definition().command().name(), l.job().definition().command().scriptLocation(), l.run().settings().arguments(),
                Duration.ofMinutes(l.run().settings().timeoutMinutes()), l.alreadyRead().map(JobTaskBinding::marks)));
    }

    @Override
    public Heartbeat heartbeat(String taskId, String token, List<String> logLines) {
        try {
            return new Heartbeat(runs.heartbeat(taskId, token, logLines).stopRequested());
        } catch (ControlException.LeaseLost | ControlException.NotFound e) {
            throw new LeaseLostException(e.getMessage());
        }
    }

    @Override
    public void end(String taskId, String token, JobOutcome outcome) {
        Set<ReadFile> read = new HashSet<>();
        outcome.filesRead().forEach((table, files) -> files.forEach(f -> read.add(new ReadFile(table, f.path(), f.size(), f.modifiedMillis()))));
        try {
            runs.end(taskId, token, new JobRuns.Outcome(JobRuns.Ending.valueOf(outcome.ending().name()), outcome.error(), outcome.result().map(JobTaskBinding::figures),
                    read, outcome.log()));
        } catch (ControlException.LeaseLost | ControlException.NotFound e) {
            throw new LeaseLostException(e.getMessage());
        }
    }

    private static Map<String, Set<FileMark>> marks(Map<String, Set<ReadFile>> files) {
        Map<String, Set<FileMark>> marks = new HashMap<>();
        files.forEach((table, set) -> marks.put(table, set.stream().map(f -> new FileMark(f.path(), f.size(), f.modifiedMillis())).collect(Collectors.toSet())));
        return marks;
    }

    private static JobRunRecord.RunFigures figures(RunResult r) {
        return new JobRunRecord.RunFigures(r.rowsRead(), r.filesReadCount(), r.bytesRead(), r.rowsWritten(), r.filesWritten(), r.bytesWritten(),
                r.outputPartitions().stream().map(o -> new JobRunRecord.Output(o.table(), o.values(), o.location(), o.change().name())).toList());
    }
}
