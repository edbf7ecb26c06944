package dev.mortar.metastore.hms;

import dev.mortar.metastore.store.CatalogStore;
import org.apache.hadoop.hive.metastore.api.CheckLockRequest;
import org.apache.hadoop.hive.metastore.api.HeartbeatRequest;
import org.apache.hadoop.hive.metastore.api.LockComponent;
import org.apache.hadoop.hive.metastore.api.LockRequest;
import org.apache.hadoop.hive.metastore.api.LockResponse;
import org.apache.hadoop.hive.metastore.api.LockState;
import org.apache.hadoop.hive.metastore.api.LockType;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.hadoop.hive.metastore.api.NoSuchLockException;
import org.apache.hadoop.hive.metastore.api.NoSuchTxnException;
import org.apache.hadoop.hive.metastore.api.ShowLocksRequest;
import org.apache.hadoop.hive.metastore.api.ShowLocksResponse;
import org.apache.hadoop.hive.metastore.api.ShowLocksResponseElement;
import org.apache.hadoop.hive.metastore.api.UnlockRequest;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.mortar.metastore.hms.HmsContext.lower;

/**
 * Table, partition and database locks without transactions, as Iceberg's HiveCatalog takes them
 * around a commit. Exclusive excludes all; shared-read excludes only exclusive; locks are granted
 * in request order; a lock not heartbeated within the timeout is released.
 */
public final class LockHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LockHandler.class);

    private final HmsContext ctx;

    public LockHandler(HmsContext ctx) {
        this.ctx = ctx;
    }

    private record LockRow(long lockId, int idx, String db, String table, String partition, LockType type, LockState state,
                           long txnId, String user, String host, String agentInfo, long createdAt, Long acquiredAt, long lastHeartbeat) {}

    private static LockRow read(java.sql.ResultSet rs) throws SQLException {
        long acquired = rs.getLong(12);
        Long acquiredAt = rs.wasNull() ? null : acquired;
        return new LockRow(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                LockType.valueOf(rs.getString(6)), LockState.valueOf(rs.getString(7)), rs.getLong(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getLong(13), acquiredAt, rs.getLong(14));
    }

    private static final String COLUMNS = "lock_id, component_idx, db_name, tbl_name, part_name, lock_type, lock_state, txn_id, user_name, host_name, agent_info, acquired_at, created_at, last_heartbeat";

    public LockResponse lock(LockRequest request) throws TException {
        if (request.getComponent() == null || request.getComponent().isEmpty()) {
            throw new MetaException("A lock request needs at least one component");
        }
        if (request.getTxnid() > 0) {
            throw new NoSuchTxnException("No such transaction " + request.getTxnid() + ": Mortar does not run Hive ACID transactions");
        }
        long lockId = ctx.store.database().nextId("lock", 1);
        long now = System.currentTimeMillis();
        return ctx.tx(c -> {
            serialize(c);
            expire(c, now);
            int idx = 0;
            for (LockComponent component : request.getComponent()) {
                if (component.getDbname() == null) {
                    throw new MetaException("A lock component needs a database name");
                }
                CatalogStore.update(c, "INSERT INTO m_locks (lock_id, component_idx, db_name, tbl_name, part_name, lock_type, lock_state, txn_id, user_name, host_name, agent_info, created_at, last_heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        lockId, idx++, lower(component.getDbname()), lower(component.getTablename()), component.getPartitionname(),
                        component.getType().name(), LockState.WAITING.name(), request.getTxnid(),
                        nonNull(request.getUser()), nonNull(request.getHostname()), request.getAgentInfo(), now, now);
            }
            LockState state = tryAcquire(c, lockId, now);
            LOG.debug("Lock {} for {} is {}", lockId, request.getAgentInfo(), state);
            return new LockResponse(lockId, state);
        });
    }

    public LockResponse check_lock(CheckLockRequest request) throws TException {
        long now = System.currentTimeMillis();
        return ctx.tx(c -> {
            serialize(c);
            expire(c, now);
            List<LockRow> rows = rows(c, "lock_id = ?", request.getLockid());
            if (rows.isEmpty()) {
                throw new NoSuchLockException("No such lock: " + request.getLockid());
            }
            CatalogStore.update(c, "UPDATE m_locks SET last_heartbeat = ? WHERE lock_id = ?", now, request.getLockid());
            return new LockResponse(request.getLockid(), tryAcquire(c, request.getLockid(), now));
        });
    }

    public void unlock(UnlockRequest request) throws TException {
        ctx.tx(c -> {
            serialize(c);
            if (CatalogStore.update(c, "DELETE FROM m_locks WHERE lock_id = ?", request.getLockid()) == 0) {
                throw new NoSuchLockException("No such lock: " + request.getLockid());
            }
            return null;
        });
    }

    public void heartbeat(HeartbeatRequest request) throws TException {
        if (request.getTxnid() > 0) {
            throw new NoSuchTxnException("No such transaction " + request.getTxnid());
        }
        if (request.getLockid() <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        ctx.tx(c -> {
            if (CatalogStore.update(c, "UPDATE m_locks SET last_heartbeat = ? WHERE lock_id = ?", now, request.getLockid()) == 0) {
                throw new NoSuchLockException("No such lock: " + request.getLockid());
            }
            return null;
        });
    }

    public ShowLocksResponse show_locks(ShowLocksRequest request) throws TException {
        long now = System.currentTimeMillis();
        return ctx.tx(c -> {
            serialize(c);
            expire(c, now);
            List<ShowLocksResponseElement> result = new ArrayList<>();
            for (LockRow row : rows(c, "1 = 1")) {
                if (request.getDbname() != null && !lower(request.getDbname()).equals(row.db())) {
                    continue;
                }
                if (request.getTablename() != null && !lower(request.getTablename()).equals(row.table())) {
                    continue;
                }
                if (request.getPartname() != null && !request.getPartname().equals(row.partition())) {
                    continue;
                }
                ShowLocksResponseElement e = new ShowLocksResponseElement(row.lockId(), row.db(), row.state(), row.type(), row.lastHeartbeat(), row.user(), row.host());
                e.setTablename(row.table());
                e.setPartname(row.partition());
                e.setTxnid(row.txnId());
                if (row.acquiredAt() != null) {
                    e.setAcquiredat(row.acquiredAt());
                }
                if (row.agentInfo() != null) {
                    e.setAgentInfo(row.agentInfo());
                }
                e.setLockIdInternal(row.idx() + 1);
                result.add(e);
            }
            return new ShowLocksResponse(result);
        });
    }

    /** Lock decisions are made one at a time across all servers on the store: the sequence row is the mutex. */
    private static void serialize(Connection c) throws SQLException {
        CatalogStore.queryOne(c, "SELECT next_val FROM m_sequences WHERE seq_name = 'lock' FOR UPDATE", rs -> rs.getLong(1));
    }

    private void expire(Connection c, long now) throws SQLException {
        long timeoutMs = ctx.config.getLong("mortar.lock.timeout.seconds") * 1000;
        List<LockRow> stale = rows(c, "last_heartbeat < ?", now - timeoutMs);
        if (!stale.isEmpty()) {
            CatalogStore.update(c, "DELETE FROM m_locks WHERE last_heartbeat < ?", now - timeoutMs);
            stale.stream().map(LockRow::lockId).distinct().forEach(id -> LOG.info("Released lock {}: no heartbeat for {} s", id, timeoutMs / 1000));
        }
    }

    private LockState tryAcquire(Connection c, long lockId, long now) throws SQLException {
        List<LockRow> mine = rows(c, "lock_id = ?", lockId);
        if (!mine.isEmpty() && mine.stream().allMatch(r -> r.state() == LockState.ACQUIRED)) {
            return LockState.ACQUIRED;
        }
        for (LockRow component : mine) {
            List<LockRow> others = rows(c, "db_name = ? AND lock_id <> ?", component.db(), lockId);
            for (LockRow other : others) {
                boolean ahead = other.state() == LockState.ACQUIRED || other.lockId() < lockId;
                if (ahead && overlaps(component, other) && conflicts(component.type(), other.type())) {
                    return LockState.WAITING;
                }
            }
        }
        CatalogStore.update(c, "UPDATE m_locks SET lock_state = ?, acquired_at = ? WHERE lock_id = ?", LockState.ACQUIRED.name(), now, lockId);
        return LockState.ACQUIRED;
    }

    private static boolean overlaps(LockRow a, LockRow b) {
        if (!a.db().equals(b.db())) {
            return false;
        }
        if (a.table() == null || b.table() == null) {
            return true;
        }
        if (!a.table().equals(b.table())) {
            return false;
        }
        return a.partition() == null || b.partition() == null || Objects.equals(a.partition(), b.partition());
    }

    private static boolean conflicts(LockType mine, LockType theirs) {
        if (mine == LockType.EXCLUSIVE || theirs == LockType.EXCLUSIVE) {
            return true;
        }
        if (mine == LockType.SHARED_READ || theirs == LockType.SHARED_READ) {
            return false;
        }
        // SHARED_WRITE and EXCL_WRITE: writers exclude each other unless both are SHARED_WRITE.
        return !(mine == LockType.SHARED_WRITE && theirs == LockType.SHARED_WRITE);
    }

    private static List<LockRow> rows(Connection c, String where, Object... params) throws SQLException {
        return CatalogStore.query(c, "SELECT " + COLUMNS + " FROM m_locks WHERE " + where + " ORDER BY lock_id, component_idx", LockHandler::read, params);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
