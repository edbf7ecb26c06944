package dev.mortar.gateway.service;

import dev.mortar.gateway.GatewayException;
import dev.mortar.gateway.engine.PreparedQuery;
import dev.mortar.gateway.engine.QueryEngine;
import dev.mortar.gateway.engine.QueryRequest;
import org.apache.hive.service.rpc.thrift.TOperationState;
import org.apache.hive.service.rpc.thrift.TOperationType;
import org.apache.hive.service.rpc.thrift.TRowSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A query on the gateway's engine (DuckDB or Trino). It runs on the gateway's execution threads
 * (platform threads: DuckDB works in native code); it is FINISHED once its first batch of rows is
 * read (up to the default fetch size), and later rows are produced batch by batch as the client
 * fetches them, one batch ahead: while the client reads one batch, the next is read from the engine
 * and converted, so a result never sits in memory whole (at most about two batches of it).
 * Cancellation and the timeout interrupt DuckDB, or cancel the Trino query.
 */
public final class QueryOperation extends Operation {
    private static final Logger LOG = LoggerFactory.getLogger(QueryOperation.class);

    private final String statement;
    private final QueryEngine engine;
    private final ExecutorService executor;
    private final long timeoutSeconds;
    private final int firstBatchRows;
    private final Runnable releaseSlot;
    private final AtomicBoolean released = new AtomicBoolean();
    private final Object resources = new Object();

    private volatile boolean cancelRequested;
    private volatile boolean timedOut;
    private volatile Statement active;
    private Future<?> execution;
    private ScheduledFuture<?> timeoutTask;

    /** The engine that prepared the query (the router picks one per query); it maps its driver's errors. */
    private volatile QueryEngine runningOn;

    // guarded by resources
    private PreparedQuery prepared;
    private ResultSet resultSet;
    private List<ResultColumn> schema = List.of();
    private boolean onUnreadRow;
    private boolean exhausted;
    private long position;
    /** Rows read from the engine and converted, not yet sent. */
    private RowSetBuilder pending;
    /** The reading of the next batch, while it runs (it holds resources meanwhile). */
    private volatile Future<?> ahead;

    private final QueryListener listener;
    private final long submitted = System.nanoTime();
    private volatile long ended;
    private final java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();

    QueryOperation(Session session, String statement, QueryEngine engine, ExecutorService executor, long timeoutSeconds, int firstBatchRows,
                   Runnable releaseSlot, QueryListener listener) {
        super(TOperationType.EXECUTE_STATEMENT, session);
        this.listener = listener;
        this.statement = statement;
        this.engine = engine;
        this.executor = executor;
        this.timeoutSeconds = timeoutSeconds;
        this.firstBatchRows = Math.max(1, firstBatchRows);
        this.releaseSlot = releaseSlot;
    }

    @Override
    public boolean hasResultSet() {
        return true;
    }

    void start(ScheduledExecutorService scheduler) {
        setState(TOperationState.PENDING_STATE);
        if (timeoutSeconds > 0) {
            timeoutTask = scheduler.schedule(this::onTimeout, timeoutSeconds, TimeUnit.SECONDS);
        }
        execution = executor.submit(this::run);
    }

    private void run() {
        synchronized (monitor) {
            if (cancelRequested) {
                return;
            }
        }
        setState(TOperationState.RUNNING_STATE);
        try {
            PreparedQuery query = engine.prepare(new QueryRequest(statement, session().currentDatabase(), session().configuration(), this::log));
            synchronized (resources) {
                prepared = query;
                runningOn = query.engine();
            }
            if (cancelRequested) {
                throw new GatewayException(GatewayException.CANCELED, "Query was cancelled");
            }
            synchronized (resources) {
                execute();
            }
            synchronized (monitor) {
                if (cancelRequested) {
                    throw new GatewayException(GatewayException.CANCELED, "Query was cancelled");
                }
                setState(TOperationState.FINISHED_STATE);
                ended = System.nanoTime();
            }
            stopTimer();
        } catch (GatewayException e) {
            terminate(e);
        } catch (SQLException e) {
            terminate(runningOn.error(e));
        } catch (RuntimeException e) {
            LOG.warn("Query failed with an internal error: {}", statement, e);
            terminate(new GatewayException(GatewayException.INTERNAL, GatewayException.internal(e), e));
        }
    }

    /**
     * Runs the statement and reads its first batch of rows, so that the work is done before FINISHED and the client's
     * first fetch finds its rows ready. Holds resources.
     */
    private void execute() throws SQLException {
        closeResultSet();
        Statement s = prepared.connection().createStatement();
        active = s;
        try {
            resultSet = s.executeQuery(prepared.sql());
            ResultSetMetaData meta = resultSet.getMetaData();
            List<ResultColumn> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(prepared.engine().column(meta, i));
            }
            schema = List.copyOf(columns);
            pending = new RowSetBuilder(schema, 0);
            onUnreadRow = resultSet.next();
            exhausted = !onUnreadRow;
            position = 0;
        } finally {
            active = null;
        }
        if (exhausted) {
            closeResultSet();
            release();
        } else {
            fill(firstBatchRows);
        }
    }

    /** Reads rows from the engine into {@link #pending} until it holds {@code rows} or the result ends. Holds resources. */
    private void fill(int rows) throws SQLException {
        int columns = schema.size();
        while (pending.rows() < rows) {
            if (!onUnreadRow) {
                if (exhausted) {
                    break;
                }
                active = resultSet.getStatement();
                try {
                    onUnreadRow = resultSet.next();
                } finally {
                    active = null;
                }
                if (!onUnreadRow) {
                    exhausted = true;
                    closeResultSet();
                    release();
                    break;
                }
            }
            for (int i = 0; i < columns; i++) {
                pending.setFrom(i, resultSet);
            }
            pending.endRow();
            onUnreadRow = false;
        }
    }

    private void terminate(GatewayException cause) {
        if (ended == 0) {
            ended = System.nanoTime();
        }
        stopTimer();
        TOperationState next;
        GatewayException error;
        if (timedOut) {
            next = TOperationState.TIMEDOUT_STATE;
            error = new GatewayException(GatewayException.TIMEOUT, "Query timed out after " + timeoutSeconds + " seconds");
        } else if (cancelRequested) {
            next = TOperationState.CANCELED_STATE;
            error = new GatewayException(GatewayException.CANCELED, "Query was cancelled");
        } else {
            next = TOperationState.ERROR_STATE;
            error = cause;
            LOG.debug("Query failed: {}: {}", statement, cause.getMessage());
        }
        fail(next, error);
        closeEngine();
    }

    private void onTimeout() {
        synchronized (monitor) {
            if (!isActive(state())) {
                return;
            }
            timedOut = true;
            cancelRequested = true;
        }
        interrupt();
        if (execution != null && execution.cancel(false)) {
            terminate(new GatewayException(GatewayException.TIMEOUT, "timed out"));
        }
    }

    private void stopTimer() {
        ScheduledFuture<?> task = timeoutTask;
        if (task != null) {
            task.cancel(false);
        }
    }

    private void interrupt() {
        Statement s = active;
        if (s != null) {
            try {
                s.cancel();
            } catch (SQLException e) {
                LOG.debug("Interrupting the engine: {}", e.getMessage());
            }
        }
    }

    @Override
    public List<ResultColumn> schema() {
        if (state() != TOperationState.FINISHED_STATE) {
            throw notReady();
        }
        synchronized (resources) {
            return schema;
        }
    }

    private GatewayException notReady() {
        TOperationState state = state();
        return error().filter(e -> !isActive(state))
                .map(e -> new GatewayException(e.sqlState(), e.getMessage()))
                .orElseGet(() -> new GatewayException(GatewayException.INVALID_HANDLE, "Operation " + handle() + " is " + state + ", not FINISHED"));
    }

    @Override
    public TRowSet fetch(int maxRows, boolean fromStart) {
        if (state() != TOperationState.FINISHED_STATE) {
            throw notReady();
        }
        // rows read ahead (or the end of the result) are answered here, without the engine; not while the next batch is
        // being read, which holds resources: a virtual thread waits on the executor's future below rather than on the lock
        Future<?> reading = ahead;
        if (reading == null || reading.isDone()) {
            synchronized (resources) {
                if (prepared == null) {
                    throw notReady();
                }
                if (!(fromStart && position > 0) && (exhausted || pending.rows() >= maxRows)) {
                    return take(maxRows);
                }
            }
        }
        // DuckDB computes later chunks inside next(): keep that native work off the caller's (virtual) thread
        Future<TRowSet> batch = executor.submit(() -> fetchOnExecutor(maxRows, fromStart));
        try {
            return batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            batch.cancel(true);
            throw new GatewayException(GatewayException.CANCELED, "Fetch interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GatewayException g) {
                throw g;
            }
            throw new GatewayException(GatewayException.INTERNAL, GatewayException.internal(e.getCause()), e.getCause());
        }
    }

    private TRowSet fetchOnExecutor(int maxRows, boolean fromStart) {
        synchronized (resources) {
            if (prepared == null) {
                throw notReady();
            }
            try {
                if (fromStart && position > 0) {
                    execute();
                }
                fill(maxRows);
                return take(maxRows);
            } catch (SQLException e) {
                throw failed(e);
            }
        }
    }

    private GatewayException failed(SQLException e) {
        GatewayException error = prepared.engine().error(e);
        terminate(error);
        return cancelRequested ? new GatewayException(GatewayException.CANCELED, "Query was cancelled") : error;
    }

    /** Sends up to {@code maxRows} pending rows, and starts reading the next batch while the client reads these. Holds resources. */
    private TRowSet take(int maxRows) {
        int count = Math.min(maxRows, pending.rows());
        TRowSet rows = pending.take(count, position);
        position += count;
        if (!exhausted && pending.rows() < maxRows && !cancelRequested) {
            try {
                ahead = executor.submit(() -> readAhead(maxRows));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("Not reading ahead: the gateway is stopping");
            }
        }
        return rows;
    }

    private void readAhead(int rows) {
        synchronized (resources) {
            if (prepared == null || resultSet == null || cancelRequested || state() != TOperationState.FINISHED_STATE) {
                return;
            }
            try {
                fill(rows);
            } catch (SQLException e) {
                // the client's next fetch gets the error
                failed(e);
            } catch (RuntimeException e) {
                LOG.warn("Reading ahead failed with an internal error: {}", statement, e);
                terminate(new GatewayException(GatewayException.INTERNAL, GatewayException.internal(e), e));
            }
        }
    }

    @Override
    public void cancel() {
        TOperationState state;
        synchronized (monitor) {
            state = state();
            if (!isActive(state) && state != TOperationState.FINISHED_STATE) {
                return;
            }
            cancelRequested = true;
        }
        interrupt();
        if (state == TOperationState.FINISHED_STATE || (execution != null && execution.cancel(false))) {
            terminate(new GatewayException(GatewayException.CANCELED, "Query was cancelled"));
        }
        LOG.info("Cancelled query {} of user {}", handle(), session().user());
    }

    @Override
    public void close() {
        if (isActive(state())) {
            cancel();
        }
        closeEngine();
        report();
        setState(TOperationState.CLOSED_STATE);
    }

    /** Once, when the operation is closed: one line of the query history, and the listener. */
    private void report() {
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        TOperationState state = state();
        String outcome = switch (state) {
            case FINISHED_STATE -> "FINISHED";
            case CANCELED_STATE -> "CANCELED";
            case TIMEDOUT_STATE -> "TIMEDOUT";
            case ERROR_STATE -> "ERROR";
            default -> "CANCELED";
        };
        java.time.Duration duration = java.time.Duration.ofNanos((ended > 0 ? ended : System.nanoTime()) - submitted);
        java.util.Optional<String> error = error().map(Throwable::getMessage);
        LOG.info("Query of user {}: {} in {} ms, {} rows fetched{}: {}", session().user(), outcome, duration.toMillis(), position,
                error.map(m -> " (" + m.lines().findFirst().orElse("") + ")").orElse(""), statement.lines().findFirst().orElse(""));
        try {
            listener.ended(new QueryListener.Outcome(session().user(), statement, outcome, duration, position, error));
        } catch (RuntimeException e) {
            LOG.warn("Query listener failed", e);
        }
    }

    private void closeEngine() {
        // a connection may serve a later query only if this one ended normally and nothing of it is running now
        boolean idle = active == null;
        interrupt();
        synchronized (resources) {
            closeResultSet();
            if (prepared != null) {
                prepared.close(idle && !cancelRequested && state() == TOperationState.FINISHED_STATE);
                prepared = null;
            }
        }
        release();
    }

    private void closeResultSet() {
        if (resultSet != null) {
            try {
                resultSet.getStatement().close();
            } catch (SQLException e) {
                LOG.debug("Closing an engine statement: {}", e.getMessage());
            }
            resultSet = null;
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            releaseSlot.run();
        }
    }
}
