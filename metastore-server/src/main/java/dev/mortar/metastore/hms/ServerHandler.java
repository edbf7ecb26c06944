package dev.mortar.metastore.hms;

import com.facebook.fb303.fb_status;
import dev.mortar.metastore.store.CatalogStore.EventRow;
import org.apache.hadoop.hive.metastore.api.CurrentNotificationEventId;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NotificationEvent;
import org.apache.hadoop.hive.metastore.api.NotificationEventRequest;
import org.apache.hadoop.hive.metastore.api.NotificationEventResponse;
import org.apache.hadoop.hive.metastore.api.NotificationEventsCountRequest;
import org.apache.hadoop.hive.metastore.api.NotificationEventsCountResponse;
import org.apache.hadoop.hive.metastore.api.ScheduledQuery;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryKey;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryMaintenanceRequest;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryPollRequest;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryPollResponse;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryProgressInfo;
import org.apache.thrift.TException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Server-level calls: configuration, identity, caches, the notification log and fb303 status. */
public final class ServerHandler {
    /** Settings a client may read and set for its own connection, as the Hive Metastore's "meta vars". */
    private static final Map<String, String> META_VARS = Map.of(
            "metastore.try.direct.sql", "true",
            "hive.metastore.try.direct.sql", "true",
            "metastore.try.direct.sql.ddl", "true",
            "hive.metastore.try.direct.sql.ddl", "true",
            "metastore.client.socket.timeout", "600s",
            "hive.metastore.client.socket.timeout", "600s",
            "metastore.partition.name.whitelist.pattern", "",
            "hive.metastore.partition.name.whitelist.pattern", "",
            "metastore.batch.retrieve.max", "300",
            "hive.metastore.batch.retrieve.max", "300");

    public static final String VERSION = "4.0.1";

    private final HmsContext ctx;
    private final ScheduledQueryHandler scheduledQueries;
    private final long startedAt = System.currentTimeMillis() / 1000;

    public ServerHandler(HmsContext ctx) {
        this.ctx = ctx;
        this.scheduledQueries = new ScheduledQueryHandler(ctx);
    }

    // ---- scheduled queries (kept by ScheduledQueryHandler; served from here, one of the server's handlers)

    public void scheduled_query_maintenance(ScheduledQueryMaintenanceRequest request) throws TException {
        scheduledQueries.scheduled_query_maintenance(request);
    }

    public ScheduledQuery get_scheduled_query(ScheduledQueryKey key) throws TException {
        return scheduledQueries.get_scheduled_query(key);
    }

    public ScheduledQueryPollResponse scheduled_query_poll(ScheduledQueryPollRequest request) throws TException {
        return scheduledQueries.scheduled_query_poll(request);
    }

    public void scheduled_query_progress(ScheduledQueryProgressInfo info) throws TException {
        scheduledQueries.scheduled_query_progress(info);
    }

    // ---- runtime statistics (Hive's re-optimization keeps what a query's execution saw)

    /** Keeps a runtime statistic; the server sets its create time, as the Hive Metastore does. */
    public void add_runtime_stats(org.apache.hadoop.hive.metastore.api.RuntimeStat stat) throws TException {
        if (stat == null || !stat.isSetPayload()) {
            throw new org.apache.hadoop.hive.metastore.api.MetaException("A runtime statistic needs a payload");
        }
        long id = ctx.store.database().nextId("object", 1);
        int now = HmsContext.now();
        ctx.tx(c -> dev.mortar.metastore.store.CatalogStore.update(c, "INSERT INTO m_runtime_stats (stat_id, create_time, weight, payload) VALUES (?, ?, ?, ?)",
                id, now, stat.getWeight(), stat.getPayload()));
    }

    /**
     * The newest runtime statistics first, created before {@code maxCreateTime} when it is positive, until their weights
     * add up to {@code maxWeight} when it is positive (the one that reaches it included).
     */
    public java.util.List<org.apache.hadoop.hive.metastore.api.RuntimeStat> get_runtime_stats(
            org.apache.hadoop.hive.metastore.api.GetRuntimeStatsRequest request) throws TException {
        int maxWeight = request == null ? -1 : request.getMaxWeight();
        int maxCreateTime = request == null ? -1 : request.getMaxCreateTime();
        return ctx.read(c -> {
            java.util.List<org.apache.hadoop.hive.metastore.api.RuntimeStat> stats = new java.util.ArrayList<>();
            int total = 0;
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT create_time, weight, payload FROM m_runtime_stats"
                    + (maxCreateTime > 0 ? " WHERE create_time < ?" : "") + " ORDER BY create_time DESC, stat_id DESC")) {
                if (maxCreateTime > 0) {
                    ps.setInt(1, maxCreateTime);
                }
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        org.apache.hadoop.hive.metastore.api.RuntimeStat stat = new org.apache.hadoop.hive.metastore.api.RuntimeStat(rs.getInt(2),
                                java.nio.ByteBuffer.wrap(rs.getBytes(3)));
                        stat.setCreateTime(rs.getInt(1));
                        stats.add(stat);
                        total += stat.getWeight();
                        if (maxWeight > 0 && total >= maxWeight) {
                            break;
                        }
                    }
                }
            }
            return stats;
        });
    }

    /** What one client connection has set: its user and its meta settings. */
    public static final class ConnectionState {
        String user;
        final Map<String, String> metaConf = new HashMap<>();
    }

    public static final ThreadLocal<ConnectionState> CONNECTION = ThreadLocal.withInitial(ConnectionState::new);

    public String get_config_value(String name, String defaultValue) throws TException {
        if (name == null) {
            throw new MetaException("Configuration key is null");
        }
        return switch (name) {
            case "hive.metastore.warehouse.dir", "metastore.warehouse.dir" -> ctx.warehouse.root().toString();
            case "hive.metastore.warehouse.external.dir", "metastore.warehouse.external.dir" -> ctx.warehouse.externalRoot().toString();
            case "hive.metastore.limit.partition.request", "metastore.limit.partition.request" -> ctx.config.get("mortar.limit.partition.request");
            case "hive.txn.timeout", "metastore.txn.timeout" -> ctx.config.get("mortar.lock.timeout.seconds");
            default -> defaultValue;
        };
    }

    public String getMetaConf(String key) throws TException {
        if (key == null || !META_VARS.containsKey(key)) {
            throw new MetaException("Invalid configuration key " + key);
        }
        return CONNECTION.get().metaConf.getOrDefault(key, META_VARS.get(key));
    }

    public void setMetaConf(String key, String value) throws TException {
        if (key == null || !META_VARS.containsKey(key)) {
            throw new MetaException("Invalid configuration key " + key);
        }
        CONNECTION.get().metaConf.put(key, value);
    }

    public List<String> set_ugi(String user, List<String> groups) throws TException {
        CONNECTION.get().user = user;
        List<String> result = new ArrayList<>();
        if (user != null) {
            result.add(user);
        }
        if (groups != null) {
            result.addAll(groups);
        }
        return result;
    }

    public void flushCache() {
        // Mortar keeps no object cache: every read comes from the store.
    }

    public CurrentNotificationEventId get_current_notificationEventId() throws TException {
        return new CurrentNotificationEventId(ctx.read(ctx.store::currentEventId));
    }

    public NotificationEventResponse get_next_notification(NotificationEventRequest request) throws TException {
        int max = request.isSetMaxEvents() ? request.getMaxEvents() : -1;
        Set<String> skip = request.getEventTypeSkipList() == null ? Set.of() : new HashSet<>(request.getEventTypeSkipList());
        boolean filtered = !skip.isEmpty() || request.isSetDbName() || request.isSetCatName() || request.isSetTableNames();
        List<EventRow> rows = ctx.tx(c -> ctx.store.events(c, request.getLastEvent(), filtered ? -1 : max));
        List<NotificationEvent> events = new ArrayList<>();
        for (EventRow row : rows) {
            if (skip.contains(row.type())
                    || (request.isSetDbName() && !request.getDbName().equalsIgnoreCase(row.db()))
                    || (request.isSetCatName() && !request.getCatName().equalsIgnoreCase(row.catalog()))
                    || (request.isSetTableNames() && (row.table() == null || request.getTableNames().stream().noneMatch(t -> t.equalsIgnoreCase(row.table()))))) {
                continue;
            }
            NotificationEvent event = new NotificationEvent(row.id(), row.time(), row.type(), row.message());
            event.setDbName(row.db());
            event.setTableName(row.table());
            event.setCatName(row.catalog());
            event.setMessageFormat(row.format());
            events.add(event);
            if (max > 0 && events.size() >= max) {
                break;
            }
        }
        return new NotificationEventResponse(events);
    }

    public NotificationEventsCountResponse get_notification_events_count(NotificationEventsCountRequest request) throws TException {
        List<EventRow> rows = ctx.tx(c -> ctx.store.events(c, request.getFromEventId(), -1));
        long count = 0;
        for (EventRow row : rows) {
            if (request.isSetToEventId() && row.id() > request.getToEventId()) {
                break;
            }
            if (request.getDbName() != null && !request.getDbName().equalsIgnoreCase(row.db())) {
                continue;
            }
            if (request.isSetCatName() && !request.getCatName().equalsIgnoreCase(row.catalog())) {
                continue;
            }
            if (request.isSetTableNames() && (row.table() == null || request.getTableNames().stream().noneMatch(t -> t.equalsIgnoreCase(row.table())))) {
                continue;
            }
            count++;
            if (request.isSetLimit() && request.getLimit() > 0 && count >= request.getLimit()) {
                break;
            }
        }
        return new NotificationEventsCountResponse(count);
    }

    // ---- fb303

    public String getName() {
        return "Mortar";
    }

    public String getVersion() {
        return VERSION;
    }

    public fb_status getStatus() {
        return fb_status.ALIVE;
    }

    public String getStatusDetails() {
        return "Mortar catalog is serving";
    }

    public Map<String, Long> getCounters() {
        return new HashMap<>();
    }

    public long getCounter(String key) {
        return 0;
    }

    public void setOption(String key, String value) {
        // No runtime options.
    }

    public String getOption(String key) {
        return "";
    }

    public Map<String, String> getOptions() {
        return new HashMap<>();
    }

    public String getCpuProfile(int seconds) {
        return "";
    }

    public long aliveSince() {
        return startedAt;
    }

    public void reinitialize() {
        // Nothing to reload.
    }

    /** Clients call this when they close; it ends nothing on the server, as in the Hive Metastore. */
    public void shutdown() {
    }
}
