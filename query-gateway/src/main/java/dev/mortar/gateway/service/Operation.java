package dev.mortar.gateway.service;

import dev.mortar.gateway.GatewayException;
import org.apache.hive.service.rpc.thrift.TOperationState;
import org.apache.hive.service.rpc.thrift.TOperationType;
import org.apache.hive.service.rpc.thrift.TRowSet;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** One HS2 operation: a statement or a metadata call, its state, its result and its log. */
public abstract class Operation {
    private static final Set<TOperationState> ACTIVE = EnumSet.of(TOperationState.INITIALIZED_STATE, TOperationState.PENDING_STATE, TOperationState.RUNNING_STATE);

    private final Handle handle = Handle.random();
    private final TOperationType type;
    private final Session session;
    private final List<String> log = new ArrayList<>();
    private int logPosition;
    protected final Object monitor = new Object();
    private TOperationState state = TOperationState.INITIALIZED_STATE;
    private GatewayException error;
    private final long createdMillis = System.currentTimeMillis();

    protected Operation(TOperationType type, Session session) {
        this.type = type;
        this.session = session;
    }

    public Handle handle() {
        return handle;
    }

    public TOperationType type() {
        return type;
    }

    public Session session() {
        return session;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public abstract boolean hasResultSet();

    /** The result's columns; only when the operation has finished. */
    public abstract List<ResultColumn> schema();

    /** The next rows (at most {@code maxRows}); {@code fromStart} restarts at the first row (FETCH_FIRST). */
    public abstract TRowSet fetch(int maxRows, boolean fromStart);

    public abstract void cancel();

    public abstract void close();

    public TOperationState state() {
        synchronized (monitor) {
            return state;
        }
    }

    public Optional<GatewayException> error() {
        synchronized (monitor) {
            return Optional.ofNullable(error);
        }
    }

    protected void setState(TOperationState next) {
        synchronized (monitor) {
            state = next;
            monitor.notifyAll();
        }
    }

    protected void fail(TOperationState next, GatewayException cause) {
        synchronized (monitor) {
            error = cause;
            state = next;
            monitor.notifyAll();
        }
    }

    public static boolean isActive(TOperationState state) {
        return ACTIVE.contains(state);
    }

    /** Waits (long-polls) while the operation is still running, at most {@code millis}; returns the state. */
    public TOperationState awaitCompletion(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (monitor) {
            while (isActive(state)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                try {
                    monitor.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return state;
        }
    }

    public void log(String line) {
        synchronized (log) {
            log.add(line);
        }
    }

    /** The operation's log lines as a one-column row set (FetchResults with fetchType 1). */
    public TRowSet fetchLog(int maxRows, boolean fromStart) {
        RowSetBuilder rows = new RowSetBuilder(List.of(ResultColumn.string("operation_log")), 0);
        synchronized (log) {
            if (fromStart) {
                logPosition = 0;
            }
            while (logPosition < log.size() && rows.rows() < maxRows) {
                rows.set(0, log.get(logPosition++));
                rows.endRow();
            }
        }
        return rows.build();
    }
}
