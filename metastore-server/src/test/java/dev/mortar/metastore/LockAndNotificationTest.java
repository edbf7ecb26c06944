package dev.mortar.metastore;

import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.CheckLockRequest;
import org.apache.hadoop.hive.metastore.api.CurrentNotificationEventId;
import org.apache.hadoop.hive.metastore.api.LockComponent;
import org.apache.hadoop.hive.metastore.api.LockLevel;
import org.apache.hadoop.hive.metastore.api.LockRequest;
import org.apache.hadoop.hive.metastore.api.LockResponse;
import org.apache.hadoop.hive.metastore.api.LockState;
import org.apache.hadoop.hive.metastore.api.LockType;
import org.apache.hadoop.hive.metastore.api.NoSuchLockException;
import org.apache.hadoop.hive.metastore.api.NotificationEvent;
import org.apache.hadoop.hive.metastore.api.NotificationEventResponse;
import org.apache.hadoop.hive.metastore.api.NotificationEventsCountRequest;
import org.apache.hadoop.hive.metastore.api.ShowLocksRequest;
import org.apache.hadoop.hive.metastore.api.ShowLocksResponse;
import org.apache.hadoop.hive.metastore.api.ShowLocksResponseElement;
import org.apache.hadoop.hive.metastore.api.MetaException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LockAndNotificationTest {
    static TestServer server;
    static HiveMetaStoreClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("mortar.lock.timeout.seconds", "2"));
        client = server.client();
        client.createDatabase(Fixtures.database("ice"));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        server.deleteData();
    }

    private static LockRequest request(LockType type, String table, String agent) {
        LockComponent component = new LockComponent(type, LockLevel.TABLE, "ice");
        component.setTablename(table);
        LockRequest request = new LockRequest(List.of(component), "tester", "localhost");
        request.setAgentInfo(agent);
        return request;
    }

    @Test
    void exclusiveLocksExcludeEachOtherUntilUnlocked() throws Exception {
        LockResponse first = client.lock(request(LockType.EXCLUSIVE, "t1", "Iceberg-a"));
        assertThat(first.getState()).isEqualTo(LockState.ACQUIRED);
        LockResponse second = client.lock(request(LockType.EXCLUSIVE, "t1", "Iceberg-b"));
        assertThat(second.getState()).isEqualTo(LockState.WAITING);
        assertThat(client.lock(request(LockType.EXCLUSIVE, "other_table", "Iceberg-c")).getState()).isEqualTo(LockState.ACQUIRED);
        assertThat(client.checkLock(second.getLockid()).getState()).isEqualTo(LockState.WAITING);

        ShowLocksResponse shown = client.showLocks(new ShowLocksRequest());
        assertThat(shown.getLocks()).extracting(ShowLocksResponseElement::getAgentInfo).contains("Iceberg-a", "Iceberg-b");
        ShowLocksResponseElement a = shown.getLocks().stream().filter(l -> "Iceberg-a".equals(l.getAgentInfo())).findFirst().orElseThrow();
        assertThat(a.getTablename()).isEqualTo("t1");
        assertThat(a.getState()).isEqualTo(LockState.ACQUIRED);

        client.unlock(first.getLockid());
        assertThat(client.checkLock(second.getLockid()).getState()).isEqualTo(LockState.ACQUIRED);
        client.unlock(second.getLockid());
        assertThatThrownBy(() -> client.unlock(second.getLockid())).isInstanceOf(NoSuchLockException.class);
        assertThatThrownBy(() -> client.checkLock(999_999)).isInstanceOf(NoSuchLockException.class);
    }

    @Test
    void sharedReadLocksCoexistButBlockExclusive() throws Exception {
        LockResponse r1 = client.lock(request(LockType.SHARED_READ, "t2", "r1"));
        LockResponse r2 = client.lock(request(LockType.SHARED_READ, "t2", "r2"));
        assertThat(r1.getState()).isEqualTo(LockState.ACQUIRED);
        assertThat(r2.getState()).isEqualTo(LockState.ACQUIRED);
        LockResponse x = client.lock(request(LockType.EXCLUSIVE, "t2", "x"));
        assertThat(x.getState()).isEqualTo(LockState.WAITING);
        client.unlock(r1.getLockid());
        client.unlock(r2.getLockid());
        assertThat(client.checkLock(x.getLockid()).getState()).isEqualTo(LockState.ACQUIRED);
        client.unlock(x.getLockid());
    }

    @Test
    void abandonedLocksExpire() throws Exception {
        LockResponse abandoned = client.lock(request(LockType.EXCLUSIVE, "t3", "crashed-writer"));
        assertThat(abandoned.getState()).isEqualTo(LockState.ACQUIRED);
        LockResponse waiting = client.lock(request(LockType.EXCLUSIVE, "t3", "next-writer"));
        assertThat(waiting.getState()).isEqualTo(LockState.WAITING);
        long deadline = System.currentTimeMillis() + 20_000;
        LockState state = LockState.WAITING;
        while (state == LockState.WAITING && System.currentTimeMillis() < deadline) {
            client.heartbeat(0, waiting.getLockid());
            state = client.checkLock(waiting.getLockid()).getState();
            Thread.sleep(200);
        }
        assertThat(state).isEqualTo(LockState.ACQUIRED);
        assertThatThrownBy(() -> client.unlock(abandoned.getLockid())).isInstanceOf(NoSuchLockException.class);
        client.unlock(waiting.getLockid());
    }

    @Test
    void everyDdlIsInTheNotificationLogWithContiguousIds() throws Exception {
        long before = client.getCurrentNotificationEventId().getEventId();
        client.createTable(Fixtures.partitionedTable("ice", "events_src"));
        client.add_partition(Fixtures.partition(client.getTable("ice", "events_src"), "2024-01-01", "1"));
        client.dropPartition("ice", "events_src", List.of("2024-01-01", "1"), true);
        client.dropTable("ice", "events_src");
        CurrentNotificationEventId after = client.getCurrentNotificationEventId();
        assertThat(after.getEventId()).isEqualTo(before + 4);
        NotificationEventResponse response = client.getNextNotification(before, 100, null);
        List<NotificationEvent> events = response.getEvents();
        assertThat(events).extracting(NotificationEvent::getEventType).containsExactly("CREATE_TABLE", "ADD_PARTITION", "DROP_PARTITION", "DROP_TABLE");
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getEventId()).isEqualTo(before + 1 + i);
        }
        assertThat(events.get(0).getDbName()).isEqualTo("ice");
        assertThat(events.get(0).getTableName()).isEqualTo("events_src");
        assertThat(events.get(0).getMessageFormat()).isEqualTo("json-0.2");
        assertThat(events.get(0).getMessage()).contains("\"tableObjJson\"").contains("\"db\":\"ice\"");
        assertThat(client.getNextNotification(before, 2, null).getEvents()).hasSize(2);
        NotificationEventsCountRequest count = new NotificationEventsCountRequest(before, "ice");
        assertThat(client.getNotificationEventsCount(count).getEventsCount()).isEqualTo(4);
    }

    @Test
    void serverCalls() throws Exception {
        assertThat(client.getConfigValue("hive.metastore.warehouse.dir", "x")).endsWith("/warehouse");
        assertThat(client.getConfigValue("some.unknown.key", "fallback")).isEqualTo("fallback");
        client.setMetaConf("metastore.try.direct.sql", "false");
        assertThat(client.getMetaConf("metastore.try.direct.sql")).isEqualTo("false");
        assertThatThrownBy(() -> client.setMetaConf("not.a.meta.var", "1")).isInstanceOf(MetaException.class);
        client.flushCache();
    }
}
