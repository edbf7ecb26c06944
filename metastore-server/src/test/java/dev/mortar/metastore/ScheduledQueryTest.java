package dev.mortar.metastore;

import dev.mortar.testing.TestStores;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.InvalidInputException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.QueryState;
import org.apache.hadoop.hive.metastore.api.ScheduledQuery;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryKey;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryMaintenanceRequest;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryMaintenanceRequestType;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryPollRequest;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryPollResponse;
import org.apache.hadoop.hive.metastore.api.ScheduledQueryProgressInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hive's scheduled queries: kept, altered, dropped, and handed out to one poller at a time. */
class ScheduledQueryTest {
    static TestServer server;
    static HiveMetaStoreClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        server.deleteData();
    }

    private static ScheduledQuery query(String name, String namespace, String schedule) {
        ScheduledQuery q = new ScheduledQuery(new ScheduledQueryKey(name, namespace));
        q.setEnabled(true);
        q.setSchedule(schedule);
        q.setUser("etl");
        q.setQuery("insert into t select 1");
        return q;
    }

    private static void maintain(ScheduledQueryMaintenanceRequestType type, ScheduledQuery q) throws Exception {
        ScheduledQueryMaintenanceRequest r = new ScheduledQueryMaintenanceRequest();
        r.setType(type);
        r.setScheduledQuery(q);
        client.scheduledQueryMaintenance(r);
    }

    private static ScheduledQueryPollResponse awaitPoll(String namespace) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        ScheduledQueryPollResponse r;
        do {
            r = client.scheduledQueryPoll(new ScheduledQueryPollRequest(namespace));
        } while (!r.isSetQuery() && System.currentTimeMillis() < deadline);
        return r;
    }

    @Test
    void createAlterDropAndBadInput() throws Exception {
        ScheduledQuery q = query("nightly", "ns_a", "0 0 2 * * ? *");
        maintain(ScheduledQueryMaintenanceRequestType.CREATE, q);
        ScheduledQuery got = client.getScheduledQuery(new ScheduledQueryKey("nightly", "ns_a"));
        assertThat(got.getNextExecution()).as("the next 02:00 UTC").isGreaterThan((int) (System.currentTimeMillis() / 1000)).matches(t -> t % 86400 == 7200);
        q.setNextExecution(got.getNextExecution());
        assertThat(got).isEqualTo(q);
        assertThatThrownBy(() -> maintain(ScheduledQueryMaintenanceRequestType.CREATE, q)).isInstanceOf(AlreadyExistsException.class);

        assertThatThrownBy(() -> maintain(ScheduledQueryMaintenanceRequestType.CREATE, query("bad", "ns_a", "asd asd"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> client.getScheduledQuery(new ScheduledQueryKey("bad", "ns_a"))).isInstanceOf(NoSuchObjectException.class);

        ScheduledQuery changed = query("nightly", "ns_a", "0 30 3 * * ? *");
        changed.setQuery("insert into t select 2");
        maintain(ScheduledQueryMaintenanceRequestType.ALTER, changed);
        ScheduledQuery altered = client.getScheduledQuery(new ScheduledQueryKey("nightly", "ns_a"));
        assertThat(altered.getQuery()).isEqualTo("insert into t select 2");
        assertThat(altered.getNextExecution() % 86400).isEqualTo(3 * 3600 + 1800);
        assertThatThrownBy(() -> maintain(ScheduledQueryMaintenanceRequestType.ALTER, query("missing", "ns_a", "0 0 2 * * ? *"))).isInstanceOf(NoSuchObjectException.class);

        maintain(ScheduledQueryMaintenanceRequestType.DROP, q);
        assertThatThrownBy(() -> client.getScheduledQuery(new ScheduledQueryKey("nightly", "ns_a"))).isInstanceOf(NoSuchObjectException.class);
        assertThatThrownBy(() -> maintain(ScheduledQueryMaintenanceRequestType.DROP, q)).isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void aDueQueryIsHandedOutOnceUntilItsExecutionEnds() throws Exception {
        maintain(ScheduledQueryMaintenanceRequestType.CREATE, query("every_second", "ns_poll", "* * * * * ? *"));
        ScheduledQuery disabled = query("off", "ns_poll", "* * * * * ? *");
        disabled.setEnabled(false);
        maintain(ScheduledQueryMaintenanceRequestType.CREATE, disabled);

        ScheduledQueryPollResponse first = awaitPoll("ns_poll");
        assertThat(first.getScheduleKey().getScheduleName()).isEqualTo("every_second");
        assertThat(first.getUser()).isEqualTo("etl");
        assertThat(first.isSetExecutionId()).isTrue();
        assertThat(client.scheduledQueryPoll(new ScheduledQueryPollRequest("ns_poll")).isSetQuery()).as("its execution runs").isFalse();
        assertThat(client.scheduledQueryPoll(new ScheduledQueryPollRequest("ns_other")).isSetQuery()).isFalse();

        client.scheduledQueryProgress(new ScheduledQueryProgressInfo(first.getExecutionId(), QueryState.EXECUTING, "q-1"));
        assertThat(client.scheduledQueryPoll(new ScheduledQueryPollRequest("ns_poll")).isSetQuery()).isFalse();
        client.scheduledQueryProgress(new ScheduledQueryProgressInfo(first.getExecutionId(), QueryState.FINISHED, "q-1"));
        ScheduledQueryPollResponse second = awaitPoll("ns_poll");
        assertThat(second.getScheduleKey().getScheduleName()).isEqualTo("every_second");
        assertThat(second.getExecutionId()).isNotEqualTo(first.getExecutionId());

        assertThatThrownBy(() -> client.scheduledQueryProgress(new ScheduledQueryProgressInfo(-5, QueryState.FINISHED, "q")))
                .isInstanceOf(org.apache.hadoop.hive.metastore.api.InvalidOperationException.class);
        maintain(ScheduledQueryMaintenanceRequestType.DROP, query("every_second", "ns_poll", "* * * * * ? *"));
        assertThat(client.scheduledQueryPoll(new ScheduledQueryPollRequest("ns_poll")).isSetQuery()).isFalse();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mariadb", "postgres"})
    void pollsAndProgressOnEveryStore(String kind) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("mortar-schq-" + kind);
        HiveMetaStoreClient main = client;
        try (TestServer other = TestServer.start(dir, TestStores.fresh(kind, dir))) {
            client = other.client();
            maintain(ScheduledQueryMaintenanceRequestType.CREATE, query("each", "ns_" + kind, "* * * * * ? *"));
            assertThatThrownBy(() -> maintain(ScheduledQueryMaintenanceRequestType.CREATE, query("each", "ns_" + kind, "* * * * * ? *"))).isInstanceOf(AlreadyExistsException.class);
            ScheduledQueryPollResponse first = awaitPoll("ns_" + kind);
            assertThat(first.isSetExecutionId()).isTrue();
            assertThat(client.scheduledQueryPoll(new ScheduledQueryPollRequest("ns_" + kind)).isSetQuery()).isFalse();
            client.scheduledQueryProgress(new ScheduledQueryProgressInfo(first.getExecutionId(), QueryState.FAILED, "q-1"));
            assertThat(awaitPoll("ns_" + kind).getExecutionId()).isNotEqualTo(first.getExecutionId());
            maintain(ScheduledQueryMaintenanceRequestType.DROP, query("each", "ns_" + kind, "* * * * * ? *"));
            client.close();
            other.deleteData();
        } finally {
            client = main;
        }
    }
}
