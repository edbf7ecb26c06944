package dev.mortar.gateway.service;

import dev.mortar.gateway.GatewayConfig;
import dev.mortar.gateway.GatewayException;
import dev.mortar.gateway.auth.UserDirectory;
import dev.mortar.catalog.Catalog;
import dev.mortar.catalog.CatalogException;
import dev.mortar.gateway.engine.FunctionInfo;
import dev.mortar.gateway.engine.QueryEngine;
import org.apache.hive.service.rpc.thrift.TOperationType;
import org.apache.hive.service.rpc.thrift.TProtocolVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The state shared by every connection: sessions, their operations, the engine and the limits on
 * concurrent queries (per server and per session). Transport-independent.
 */
public final class GatewayService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);
    static final TProtocolVersion MAX_PROTOCOL = TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10;
    /** Hive's session setting for a per-session query timeout (e.g. {@code set hive.query.timeout.seconds=30s}). */
    static final String SESSION_TIMEOUT_KEY = "hive.query.timeout.seconds";

    private final GatewayConfig config;
    private final Catalog catalog;
    private final QueryEngine engine;
    private final UserDirectory users;
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();
    private final Map<UUID, Operation> operations = new ConcurrentHashMap<>();
    private final Semaphore serverSlots;
    private final ExecutorService executor;
    private final ScheduledExecutorService scheduler;
    private volatile List<FunctionInfo> functions;
    private final QueryListener listener;

    public GatewayService(GatewayConfig config, Catalog catalog, QueryEngine engine) {
        this(config, catalog, engine, QueryListener.NONE);
    }

    public GatewayService(GatewayConfig config, Catalog catalog, QueryEngine engine, QueryListener listener) {
        this.listener = listener;
        this.config = config;
        this.catalog = catalog;
        this.engine = engine;
        this.users = UserDirectory.parse(config.users());
        this.serverSlots = new Semaphore(config.maxOperations());
        AtomicInteger threads = new AtomicInteger();
        // platform threads: DuckDB runs in native code, which would pin a virtual thread's carrier
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gateway-query-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-timer");
            t.setDaemon(true);
            return t;
        });
        if (config.sessionIdleTimeoutSeconds() > 0) {
            long period = Math.max(1, Math.min(60, config.sessionIdleTimeoutSeconds()));
            scheduler.scheduleWithFixedDelay(this::closeIdleSessions, period, period, TimeUnit.SECONDS);
        }
    }

    public GatewayConfig config() {
        return config;
    }

    public UserDirectory users() {
        return users;
    }

    Catalog catalog() {
        return catalog;
    }

    QueryEngine engine() {
        return engine;
    }

    public int openSessions() {
        return sessions.size();
    }

    Session openSession(String user, TProtocolVersion clientProtocol) {
        TProtocolVersion protocol = clientProtocol == null || clientProtocol.getValue() > MAX_PROTOCOL.getValue() ? MAX_PROTOCOL : clientProtocol;
        Session session = new Session(user, protocol);
        sessions.put(session.handle().id(), session);
        LOG.info("Session {} opened for user {}", session.handle(), user);
        return session;
    }

    Session session(org.apache.hive.service.rpc.thrift.TSessionHandle handle) {
        if (handle == null || handle.getSessionId() == null) {
            throw new GatewayException(GatewayException.INVALID_HANDLE, "Missing session handle");
        }
        Session session = sessions.get(Handle.idOf(handle.getSessionId()));
        if (session == null || !session.handle().matches(handle.getSessionId())) {
            throw new GatewayException(GatewayException.INVALID_HANDLE, "Invalid SessionHandle: no open session " + Handle.idOf(handle.getSessionId()));
        }
        session.touch();
        return session;
    }

    void closeSession(Session session) {
        sessions.remove(session.handle().id());
        for (Operation operation : new ArrayList<>(session.operations().values())) {
            closeOperation(operation);
        }
        LOG.info("Session {} of user {} closed", session.handle(), session.user());
    }

    Operation operation(org.apache.hive.service.rpc.thrift.TOperationHandle handle) {
        if (handle == null || handle.getOperationId() == null) {
            throw new GatewayException(GatewayException.INVALID_HANDLE, "Missing operation handle");
        }
        Operation operation = operations.get(Handle.idOf(handle.getOperationId()));
        if (operation == null || !operation.handle().matches(handle.getOperationId())) {
            throw new GatewayException(GatewayException.INVALID_HANDLE, "Invalid OperationHandle: no open operation " + Handle.idOf(handle.getOperationId()));
        }
        operation.session().touch();
        return operation;
    }

    void closeOperation(Operation operation) {
        operations.remove(operation.handle().id());
        operation.session().operations().remove(operation.handle().id());
        operation.close();
    }

    private <T extends Operation> T register(T operation) {
        operations.put(operation.handle().id(), operation);
        operation.session().operations().put(operation.handle().id(), operation);
        return operation;
    }

    /** Runs a session command, or starts a query; {@code clientTimeoutSeconds} is the client's own (0 = none). */
    Operation executeStatement(Session session, String statement, Map<String, String> confOverlay, long clientTimeoutSeconds) {
        Optional<MetadataResults.Result> command = catalogCall(() -> Commands.run(statement, session, catalog));
        if (command.isPresent()) {
            return register(new MaterializedOperation(TOperationType.EXECUTE_STATEMENT, session, command.get().columns(), command.get().rows()));
        }
        long timeout = effectiveTimeout(session, confOverlay, clientTimeoutSeconds);
        if (session.runningQueries().incrementAndGet() > config.maxOperationsPerSession()) {
            session.runningQueries().decrementAndGet();
            throw new GatewayException(GatewayException.TOO_MANY_OPERATIONS, "Too many queries in this session: at most "
                    + config.maxOperationsPerSession() + " run at once (mortar.gateway.max.operations.per.session); close finished statements");
        }
        if (!serverSlots.tryAcquire()) {
            session.runningQueries().decrementAndGet();
            throw new GatewayException(GatewayException.TOO_MANY_OPERATIONS, "The gateway is busy: at most " + config.maxOperations()
                    + " queries run at once (mortar.gateway.max.operations); try again");
        }
        Runnable release = () -> {
            session.runningQueries().decrementAndGet();
            serverSlots.release();
        };
        QueryOperation operation = register(new QueryOperation(session, statement, engine, executor, timeout, config.defaultFetchRows(), release, listener));
        operation.start(scheduler);
        return operation;
    }

    private long effectiveTimeout(Session session, Map<String, String> overlay, long clientTimeoutSeconds) {
        long timeout = config.queryTimeoutSeconds();
        String sessionValue = overlay != null && overlay.containsKey(SESSION_TIMEOUT_KEY) ? overlay.get(SESSION_TIMEOUT_KEY) : session.configuration().get(SESSION_TIMEOUT_KEY);
        for (long candidate : new long[] {clientTimeoutSeconds, parseSeconds(sessionValue)}) {
            if (candidate > 0) {
                timeout = timeout > 0 ? Math.min(timeout, candidate) : candidate;
            }
        }
        return timeout;
    }

    private static long parseSeconds(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            return Long.parseLong(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
        } catch (NumberFormatException e) {
            throw new GatewayException(GatewayException.DATA_EXCEPTION, SESSION_TIMEOUT_KEY + " must be a number of seconds, not '" + value + "'");
        }
    }

    Operation metadata(Session session, TOperationType type, Supplier<MetadataResults.Result> result) {
        MetadataResults.Result r = catalogCall(result);
        return register(new MaterializedOperation(type, session, r.columns(), r.rows()));
    }

    List<FunctionInfo> functions() {
        List<FunctionInfo> list = functions;
        if (list == null) {
            list = engine.functions();
            functions = list;
        }
        return list;
    }

    static <T> T catalogCall(Supplier<T> call) {
        try {
            return call.get();
        } catch (CatalogException e) {
            throw new GatewayException(GatewayException.CATALOG_UNAVAILABLE, e.getMessage(), e);
        }
    }

    private void closeIdleSessions() {
        long cutoff = System.currentTimeMillis() - TimeUnit.SECONDS.toMillis(config.sessionIdleTimeoutSeconds());
        for (Session session : sessions.values()) {
            boolean busy = session.operations().values().stream().anyMatch(o -> Operation.isActive(o.state()));
            if (!busy && session.lastAccessMillis() < cutoff) {
                LOG.info("Closing session {} of user {}: idle for more than {} s", session.handle(), session.user(), config.sessionIdleTimeoutSeconds());
                closeSession(session);
            }
        }
    }

    @Override
    public void close() {
        for (Session session : new ArrayList<>(sessions.values())) {
            closeSession(session);
        }
        scheduler.shutdownNow();
        executor.shutdownNow();
        engine.close();
    }
}
