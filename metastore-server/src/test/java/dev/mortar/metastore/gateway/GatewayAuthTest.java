package dev.mortar.metastore.gateway;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.HiveJdbc;
import org.apache.thrift.transport.TSaslClientTransport;
import org.apache.thrift.transport.TSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import java.io.OutputStream;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With users configured, every transport checks the password and refuses a wrong one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayAuthTest {
    // printf %s alice-secret | sha256sum
    private static final String ALICE = "alice:sha256:0c848abb03307b06cf70cd4e29c157dc81af5e94ab3eb1d0c59a120269572376";
    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(Map.of("mortar.gateway.users", ALICE, "mortar.gateway.duckdb.memory.limit", "256MB"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    private String url(String transport) {
        return switch (transport) {
            case "binary-sasl" -> "jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/default";
            case "binary-nosasl" -> "jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/default;auth=noSasl";
            case "http" -> "jdbc:hive2://127.0.0.1:" + server.server.gatewayHttpPort() + "/default;transportMode=http;httpPath=cliservice";
            default -> throw new IllegalArgumentException(transport);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary-sasl", "binary-nosasl", "http"})
    void theRightPasswordLogsIn(String transport) throws Exception {
        try (Connection c = HiveJdbc.connect(url(transport), "alice", "alice-secret");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database() IS NOT NULL, 41 + 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(2)).isEqualTo(42);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary-sasl", "binary-nosasl", "http"})
    void aWrongPasswordOrUnknownUserIsRefused(String transport) {
        String reason = switch (transport) {
            case "http" -> "401";
            default -> "Authentication failed for user alice: wrong user name or password";
        };
        assertThatThrownBy(() -> HiveJdbc.connect(url(transport), "alice", "wrong").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(reason);
        assertThatThrownBy(() -> HiveJdbc.connect(url(transport), "mallory", "alice-secret").close()).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> HiveJdbc.connect(url(transport), null, null).close()).isInstanceOf(SQLException.class);
    }

    /**
     * After the SASL handshake, a frame longer than the largest message the gateway accepts closes that
     * connection at once, and the gateway goes on serving others (libthrift's own SASL transport has no
     * such limit: it would allocate the stated length and wait for that many bytes).
     */
    @Test
    void anOversizedFrameAfterLoginClosesOnlyThatConnection() throws Exception {
        SaslClient plain = Sasl.createSaslClient(new String[] {"PLAIN"}, null, "hive", "127.0.0.1", Map.of(), callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName("alice");
                } else if (callback instanceof PasswordCallback password) {
                    password.setPassword("alice-secret".toCharArray());
                }
            }
        });
        try (Socket socket = new Socket("127.0.0.1", server.server.gatewayPort())) {
            socket.setSoTimeout(10_000);
            TSaslClientTransport sasl = new TSaslClientTransport(plain, new TSocket(socket));
            sasl.open();
            OutputStream out = socket.getOutputStream();
            // one byte over the largest message (mortar.thrift.max.message.size, 100 MiB), and a few bytes of it
            out.write(java.nio.ByteBuffer.allocate(8).putInt(100 * 1024 * 1024 + 1).putInt(0).array());
            out.flush();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        theRightPasswordLogsIn("binary-sasl");
    }
}
