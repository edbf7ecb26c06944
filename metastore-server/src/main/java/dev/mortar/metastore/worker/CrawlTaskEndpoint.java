package dev.mortar.metastore.worker;

import dev.mortar.crawler.worker.TaskCodec;
import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.crawl.CrawlRuns;
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

import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The worker protocol ({@code CrawlTaskService} of thrift-idl) over the control plane's crawl runs: served on the
 * worker port to {@code mortar worker} processes and bound directly to the server's embedded workers. The control
 * plane's errors become the protocol's exceptions here, and only here.
 */
public final class CrawlTaskEndpoint implements CrawlTaskService.Iface {
    private final CrawlRuns runs;
    private final IntSupplier metastorePort;

    public CrawlTaskEndpoint(CrawlRuns runs, IntSupplier metastorePort) {
        this.runs = runs;
        this.metastorePort = metastorePort;
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
}
