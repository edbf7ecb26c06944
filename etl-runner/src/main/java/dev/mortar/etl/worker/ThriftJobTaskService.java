package dev.mortar.etl.worker;

import dev.mortar.etl.FileMark;
import dev.mortar.etl.RunResult;
import dev.mortar.thrift.worker.CrawlTaskService;
import dev.mortar.thrift.worker.JobFileMark;
import dev.mortar.thrift.worker.JobOutputPartition;
import dev.mortar.thrift.worker.JobRunFigures;
import dev.mortar.thrift.worker.JobRunOutcome;
import dev.mortar.thrift.worker.JobRunTask;
import dev.mortar.thrift.worker.LeaseLostException;
import dev.mortar.thrift.worker.LeaseStatus;
import dev.mortar.thrift.worker.NoSuchTaskException;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The job calls of the worker protocol ({@code CrawlTaskService} of thrift-idl) as a {@link JobTaskService}: over the
 * server's worker port for {@code mortar worker} processes ({@link #connect}), or bound directly to the server's own
 * endpoint for its embedded workers ({@link #direct}), so a run goes through the same protocol either way.
 */
public final class ThriftJobTaskService implements JobTaskService, AutoCloseable {
    /** One call of the protocol. */
    @FunctionalInterface
    public interface Call<T> {
        T call(CrawlTaskService.Iface service) throws TException;
    }

    private interface Calls extends AutoCloseable {
        <T> T call(Call<T> call) throws TException;

        @Override
        default void close() {}
    }

    private final Calls calls;

    private ThriftJobTaskService(Calls calls) {
        this.calls = calls;
    }

    /** Bound to the server's own endpoint, in its process. */
    public static ThriftJobTaskService direct(CrawlTaskService.Iface service) {
        return new ThriftJobTaskService(new Calls() {
            @Override
            public <T> T call(Call<T> call) throws TException {
                return call.call(service);
            }
        });
    }

    /** Over the server's worker port (framed transport, binary protocol); a broken connection is opened again by the next call. */
    public static ThriftJobTaskService connect(String host, int port) {
        return new ThriftJobTaskService(new Calls() {
            private TFramedTransport transport;
            private CrawlTaskService.Client client;

            @Override
            public synchronized <T> T call(Call<T> call) throws TException {
                if (client == null) {
                    transport = new TFramedTransport(new TSocket(host, port, 60_000));
                    transport.open();
                    client = new CrawlTaskService.Client(new TBinaryProtocol(transport));
                }
                try {
                    return call.call(client);
                } catch (TTransportException e) {
                    close();
                    throw e;
                }
            }

            @Override
            public synchronized void close() {
                if (transport != null) {
                    transport.close();
                }
                transport = null;
                client = null;
            }
        });
    }

    private <T> T call(Call<T> call) {
        try {
            return calls.call(call);
        } catch (LeaseLostException e) {
            throw new JobTaskService.LeaseLostException(e.getMessage());
        } catch (NoSuchTaskException e) {
            throw new JobTaskService.LeaseLostException(e.getMessage());
        } catch (TException e) {
            throw new IllegalStateException("The worker protocol call failed: " + e, e);
        }
    }

    @Override
    public Optional<JobTask> lease(String workerId, int leaseSeconds) {
        JobRunTask t = call(s -> s.leaseJobRun(workerId, leaseSeconds)).getTask();
        if (t == null) {
            return Optional.empty();
        }
        return Optional.of(new JobTask(t.getTaskId(), t.getLeaseToken(), t.getJobName(), t.getRunId(), t.getAttempt(), t.getCommand(), t.getScriptLocation(),
                t.getArguments(), Duration.ofMillis(t.getTimeoutMillis()), t.isSetAlreadyRead() ? Optional.of(marks(t.getAlreadyRead())) : Optional.empty(),
                t.getMetastorePort(), t.isSetEnvironment() ? t.getEnvironment() : Map.of(), t.isSetOnlyRead() ? Optional.of(marks(t.getOnlyRead())) : Optional.empty()));
    }

    @Override
    public Heartbeat heartbeat(String taskId, String token, List<String> logLines) {
        return new Heartbeat(call(s -> s.heartbeatJobRun(taskId, token, logLines)).getStatus() == LeaseStatus.STOP_REQUESTED);
    }

    @Override
    public void end(String taskId, String token, JobOutcome outcome) {
        JobRunOutcome o = new JobRunOutcome(outcome.ending().name(), outcome.log());
        outcome.error().ifPresent(o::setError);
        outcome.result().ifPresent(r -> o.setFigures(figures(r)));
        if (!outcome.filesRead().isEmpty()) {
            o.setFilesRead(fileMarks(outcome.filesRead()));
        }
        call(s -> {
            s.endJobRun(taskId, token, o);
            return null;
        });
    }

    private static JobRunFigures figures(RunResult r) {
        List<JobOutputPartition> outputs = new ArrayList<>();
        for (RunResult.OutputPartition p : r.outputPartitions()) {
            outputs.add(new JobOutputPartition(p.table(), p.values(), p.location(), p.change().name()));
        }
        return new JobRunFigures(r.rowsRead(), r.filesReadCount(), r.bytesRead(), r.rowsWritten(), r.filesWritten(), r.bytesWritten(), outputs);
    }

    /** Bookmark files as the protocol carries them. */
    public static Map<String, List<JobFileMark>> fileMarks(Map<String, Set<FileMark>> files) {
        Map<String, List<JobFileMark>> out = new HashMap<>();
        files.forEach((table, marks) -> out.put(table, marks.stream().map(m -> new JobFileMark(m.path(), m.size(), m.modifiedMillis())).toList()));
        return out;
    }

    /** Bookmark files from the protocol. */
    public static Map<String, Set<FileMark>> marks(Map<String, List<JobFileMark>> files) {
        Map<String, Set<FileMark>> out = new HashMap<>();
        files.forEach((table, marks) -> {
            Set<FileMark> set = new HashSet<>();
            marks.forEach(m -> set.add(new FileMark(m.getPath(), m.getSize(), m.getModifiedMillis())));
            out.put(table, set);
        });
        return out;
    }

    @Override
    public void close() {
        try {
            calls.close();
        } catch (Exception e) {
            // closing a socket
        }
    }
}
