package dev.mortar.metastore.hms;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.mortar.metastore.store.CatalogStore;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.InvalidInputException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.QueryState;
import org.apache.hadoop.hive.metastore.api.ScheduledQuery;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryKey;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryMaintenanceRequest;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryPollRequest;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryPollResponse;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryProgressInfo;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Hive's scheduled queries: Mortar keeps them and hands out their executions; executing them is the
 * business of whoever polls (HiveServer2's scheduled query service). Schedules are Quartz cron
 * expressions ({@code 0 0 * * * ? *}), as Hive writes them.
 */
public final class ScheduledQueryHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledQueryHandler.class);
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    /** The states after which a query may be handed out again. */
    private static final Set<QueryState> ENDED = EnumSet.of(QueryState.FINISHED, QueryState.FAILED, QueryState.TIMED_OUT, QueryState.AUTO_DISABLED);

    private final HmsContext ctx;

    public ScheduledQueryHandler(HmsContext ctx) {
        this.ctx = ctx;
    }

    private record Stored(long id, ScheduledQuery query, Long activeExecution) {}

    public void scheduled_query_maintenance(ScheduledQueryMaintenanceRequest request) throws TException {
        if (request == null || request.getType() == null || request.getScheduledQuery() == null) {
            throw new InvalidInputException("A scheduled query maintenance request needs a type and a scheduled query");
        }
        ScheduledQuery given = request.getScheduledQuery();
        ScheduledQueryKey key = requireKey(given.getScheduleKey());
        switch (request.getType()) {
            case CREATE -> create(key, given);
            case ALTER -> alter(key, given);
            case DROP -> drop(key);
        }
    }

    private void create(ScheduledQueryKey key, ScheduledQuery given) throws TException {
        ScheduledQuery query = given.deepCopy();
        query.setNextExecution(nextExecution(query.getSchedule(), HmsContext.now()));
        long id = ctx.store.database().nextId("object", 1);
        ctx.tx(c -> {
            if (find(c, key, false).isPresent()) {
                throw new AlreadyExistsException("Scheduled query " + describe(key) + " already exists");
            }
            CatalogStore.update(c, "INSERT INTO m_scheduled_queries (schq_id, cluster_namespace, schedule_name, enabled, next_execution, body) VALUES (?, ?, ?, ?, ?, ?)",
                    id, key.getClusterNamespace(), key.getScheduleName(), enabled(query) ? 1 : 0, query.getNextExecution(), encode(query));
            return null;
        });
        LOG.info("Created scheduled query {}", describe(key));
    }

    /** Changes what the new definition sets (enabled, schedule, user, query) and computes the next execution again. */
    private void alter(ScheduledQueryKey key, ScheduledQuery given) throws TException {
        ctx.tx(c -> {
            Stored stored = find(c, key, true).orElseThrow(() -> new NoSuchObjectException("Scheduled query " + describe(key) + " does not exist"));
            ScheduledQuery query = stored.query().deepCopy();
            if (given.isSetEnabled()) {
                query.setEnabled(given.isEnabled());
            }
            if (given.isSetSchedule()) {
                query.setSchedule(given.getSchedule());
            }
            if (given.isSetUser()) {
                query.setUser(given.getUser());
            }
            if (given.isSetQuery()) {
                query.setQuery(given.getQuery());
            }
            query.setNextExecution(nextExecution(query.getSchedule(), HmsContext.now()));
            CatalogStore.update(c, "UPDATE m_scheduled_queries SET enabled = ?, next_execution = ?, body = ? WHERE schq_id = ?",
                    enabled(query) ? 1 : 0, query.getNextExecution(), encode(query), stored.id());
            return null;
        });
        LOG.info("Altered scheduled query {}", describe(key));
    }

    private void drop(ScheduledQueryKey key) throws TException {
        ctx.tx(c -> {
            Stored stored = find(c, key, true).orElseThrow(() -> new NoSuchObjectException("Scheduled query " + describe(key) + " does not exist"));
            CatalogStore.update(c, "DELETE FROM m_scheduled_executions WHERE schq_id = ?", stored.id());
            CatalogStore.update(c, "DELETE FROM m_scheduled_queries WHERE schq_id = ?", stored.id());
            return null;
        });
        LOG.info("Dropped scheduled query {}", describe(key));
    }

    public ScheduledQuery get_scheduled_query(ScheduledQueryKey key) throws TException {
        ScheduledQueryKey k = requireKey(key);
        return ctx.read(c -> find(c, k, false).map(Stored::query)
                .orElseThrow(() -> new NoSuchObjectException("Scheduled query " + describe(k) + " does not exist")));
    }

    /**
     * Hands out the enabled query of the namespace whose next execution is due the longest, if it has
     * no execution running: a new execution (INITED) becomes its active one, and its next execution
     * moves on. The query's row is locked, so two polls never hand out the same execution.
     */
    public ScheduledQueryPollResponse scheduled_query_poll(ScheduledQueryPollRequest request) throws TException {
        if (request == null || request.getClusterNamespace() == null) {
            throw new MetaException("A poll needs a cluster namespace");
        }
        int now = HmsContext.now();
        long executionId = ctx.store.database().nextId("object", 1);
        return ctx.tx(c -> {
            Optional<Long> due = CatalogStore.queryOne(c, "SELECT schq_id FROM m_scheduled_queries WHERE cluster_namespace = ? AND enabled = 1"
                    + " AND next_execution <= ? AND active_execution_id IS NULL ORDER BY next_execution, schq_id",
                    rs -> rs.getLong(1), request.getClusterNamespace(), now);
            ScheduledQueryPollResponse response = new ScheduledQueryPollResponse();
            if (due.isEmpty()) {
                return response;
            }
            // Locked, then checked again: a concurrent poll may have handed it out meanwhile.
            Optional<Stored> locked = CatalogStore.queryOne(c, "SELECT schq_id, body, active_execution_id, next_execution FROM m_scheduled_queries WHERE schq_id = ?"
                    + " FOR UPDATE", ScheduledQueryHandler::stored, due.get());
            if (locked.isEmpty() || locked.get().activeExecution() != null || locked.get().query().getNextExecution() > now) {
                return response;
            }
            ScheduledQuery query = locked.get().query();
            query.setNextExecution(nextExecution(query.getSchedule(), now));
            CatalogStore.update(c, "INSERT INTO m_scheduled_executions (execution_id, schq_id, state, start_time, last_update_time) VALUES (?, ?, ?, ?, ?)",
                    executionId, locked.get().id(), QueryState.INITED.name(), now, now);
            CatalogStore.update(c, "UPDATE m_scheduled_queries SET next_execution = ?, active_execution_id = ?, body = ? WHERE schq_id = ?",
                    query.getNextExecution(), executionId, encode(query), locked.get().id());
            response.setScheduleKey(query.getScheduleKey());
            response.setQuery(query.getQuery());
            response.setUser(query.getUser());
            response.setExecutionId(executionId);
            return response;
        });
    }

    /** An execution's progress; once it has ended, its query may be handed out again. */
    public void scheduled_query_progress(ScheduledQueryProgressInfo info) throws TException {
        if (info == null || info.getState() == null) {
            throw new InvalidOperationException("Progress needs an execution id and a state");
        }
        int now = HmsContext.now();
        boolean ended = ENDED.contains(info.getState());
        ctx.tx(c -> {
            Optional<Long> schq = CatalogStore.queryOne(c, "SELECT schq_id FROM m_scheduled_executions WHERE execution_id = ?" + " FOR UPDATE",
                    rs -> rs.getLong(1), info.getScheduledExecutionId());
            if (schq.isEmpty()) {
                throw new InvalidOperationException("There is no scheduled query execution " + info.getScheduledExecutionId());
            }
            CatalogStore.update(c, "UPDATE m_scheduled_executions SET state = ?, executor_query_id = ?, error_message = ?, end_time = ?, last_update_time = ? WHERE execution_id = ?",
                    info.getState().name(), info.getExecutorQueryId(), info.getErrorMessage(), ended ? now : null, ended ? null : now, info.getScheduledExecutionId());
            if (ended) {
                CatalogStore.update(c, "UPDATE m_scheduled_queries SET active_execution_id = NULL WHERE schq_id = ? AND active_execution_id = ?",
                        schq.get(), info.getScheduledExecutionId());
            }
            return null;
        });
    }

    private Optional<Stored> find(Connection c, ScheduledQueryKey key, boolean lock) throws SQLException {
        return CatalogStore.queryOne(c, "SELECT schq_id, body, active_execution_id, next_execution FROM m_scheduled_queries WHERE cluster_namespace = ? AND schedule_name = ?"
                + (lock ? " FOR UPDATE" : ""), ScheduledQueryHandler::stored, key.getClusterNamespace(), key.getScheduleName());
    }

    private static Stored stored(java.sql.ResultSet rs) throws SQLException {
        ScheduledQuery query = dev.mortar.metastore.store.ThriftCodec.decode(rs.getBytes(2), ScheduledQuery::new);
        long active = rs.getLong(3);
        Long activeExecution = rs.wasNull() ? null : active;
        int next = rs.getInt(4);
        if (!rs.wasNull()) {
            query.setNextExecution(next);
        }
        return new Stored(rs.getLong(1), query, activeExecution);
    }

    private static byte[] encode(ScheduledQuery query) {
        return dev.mortar.metastore.store.ThriftCodec.encode(query);
    }

    private static boolean enabled(ScheduledQuery query) {
        return !query.isSetEnabled() || query.isEnabled();
    }

    private static ScheduledQueryKey requireKey(ScheduledQueryKey key) throws InvalidInputException {
        if (key == null || key.getScheduleName() == null || key.getClusterNamespace() == null) {
            throw new InvalidInputException("A scheduled query needs a schedule name and a cluster namespace");
        }
        return key;
    }

    private static String describe(ScheduledQueryKey key) {
        return key.getClusterNamespace() + "." + key.getScheduleName();
    }

    /** The first time after {@code now} (epoch seconds, UTC) that a Quartz schedule names; a bad schedule is an InvalidInputException. */
    static int nextExecution(String schedule, int now) throws InvalidInputException {
        if (schedule == null || schedule.isBlank()) {
            throw new InvalidInputException("A scheduled query needs a schedule");
        }
        ExecutionTime time;
        try {
            time = ExecutionTime.forCron(QUARTZ.parse(schedule));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Invalid schedule '" + schedule + "': " + e.getMessage());
        }
        ZonedDateTime from = ZonedDateTime.ofInstant(Instant.ofEpochSecond(now), ZoneOffset.UTC);
        return time.nextExecution(from).map(t -> (int) t.toEpochSecond())
                .orElseThrow(() -> new InvalidInputException("The schedule '" + schedule + "' names no time after now"));
    }
}
