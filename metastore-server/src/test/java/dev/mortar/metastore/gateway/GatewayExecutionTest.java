package dev.mortar.metastore.gateway;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.HiveJdbc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cancellation, timeouts and concurrency limits of running queries, through the Hive JDBC driver. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayExecutionTest {
    /** Ten billion rows through a join: minutes of work, unless stopped. */
    private static final String LONG_QUERY = "SELECT count(*) FROM range(100000) a, range(100000) b WHERE (a.range * 31 + b.range) % 1000003 = 7";

    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(Map.of("mortar.gateway.duckdb.memory.limit", "256MB", "mortar.gateway.duckdb.threads", "2",
                "mortar.gateway.max.operations.per.session", "2", "mortar.gateway.fetch.default.rows", "1000"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    private Connection connect() throws SQLException {
        return HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/default", "analyst", "x");
    }

    private static void awaitAccepted(Statement statement) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (HiveJdbc.queryId(statement) == null) {
            assertThat(System.nanoTime()).as("the gateway accepted the statement").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void cancelStopsALongQueryAndTheSessionGoesOn() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            long started = System.nanoTime();
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
                try (ResultSet rs = s.executeQuery(LONG_QUERY)) {
                    return rs.next();
                } catch (SQLException e) {
                    return e;
                }
            });
            awaitAccepted(s);
            s.cancel();
            Object outcome = running.get(30, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage()).contains("cancelled"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            // DuckDB stopped working: the process is (nearly) idle, where the query kept both cores busy
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            Thread.sleep(1000);
            assertThat(os.getProcessCpuTime() - cpuBefore).as("CPU nanoseconds used in the second after cancelling").isLessThan(700_000_000L);
            try (Statement next = c.createStatement(); ResultSet rs = next.executeQuery("SELECT 40 + 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void aQueryOverItsTimeoutIsStopped() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            long started = System.nanoTime();
            assertThatThrownBy(() -> s.executeQuery(LONG_QUERY)).isInstanceOf(SQLTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            s.setQueryTimeout(0);
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void theSessionTimeoutSettingAppliesToo() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SET hive.query.timeout.seconds=1s");
            assertThatThrownBy(() -> s.executeQuery(LONG_QUERY)).isInstanceOf(SQLTimeoutException.class);
        }
    }

    @Test
    void queriesOverTheSessionLimitAreRefusedUntilOneCloses() throws Exception {
        try (Connection c = connect(); Statement first = c.createStatement(); Statement second = c.createStatement(); Statement third = c.createStatement()) {
            // results not read to the end hold their slot
            ResultSet a = first.executeQuery("SELECT * FROM range(100000)");
            ResultSet b = second.executeQuery("SELECT * FROM range(100000)");
            assertThat(a.next()).isTrue();
            assertThat(b.next()).isTrue();
            assertThatThrownBy(() -> third.executeQuery("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("53000");
                        assertThat(e.getMessage()).contains("mortar.gateway.max.operations.per.session");
                    });
            first.close();
            try (ResultSet rs = third.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            // a result read to its end frees its slot without closing
            try (ResultSet rs = third.executeQuery("SELECT * FROM range(10)")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertThat(n).isEqualTo(10);
            }
            try (Statement fourth = c.createStatement(); ResultSet rs = fourth.executeQuery("SELECT 2")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void queriesOverTheServerLimitAreRefused() throws Exception {
        try (TestServer small = TestServer.start(Map.of("mortar.gateway.max.operations", "1", "mortar.gateway.duckdb.memory.limit", "256MB"));
             Connection one = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + small.server.gatewayPort() + "/default", "a", "x");
             Connection two = HiveJdbc.connect("jdbc:hive2://127.0.0.1:" + small.server.gatewayPort() + "/default", "b", "x");
             Statement holding = one.createStatement(); Statement refused = two.createStatement()) {
            ResultSet open = holding.executeQuery("SELECT * FROM range(100000)");
            assertThat(open.next()).isTrue();
            assertThatThrownBy(() -> refused.executeQuery("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("53000");
                        assertThat(e.getMessage()).contains("mortar.gateway.max.operations)");
                    });
            holding.close();
            try (ResultSet rs = refused.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            small.deleteData();
        }
    }
}
