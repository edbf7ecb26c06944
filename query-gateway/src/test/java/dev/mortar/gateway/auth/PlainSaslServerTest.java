package dev.mortar.gateway.auth;

import org.junit.jupiter.api.Test;

import javax.security.sasl.SaslException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlainSaslServerTest {
    private static final UserDirectory USERS = UserDirectory.parse("alice:sha256:" + UserDirectory.sha256Hex("alice-secret"));

    private static byte[] plain(String authzid, String user, String password) {
        return (authzid + "\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theRightPasswordCompletesAuthentication() throws Exception {
        PlainSaslServer server = new PlainSaslServer(USERS);
        assertThat(server.evaluateResponse(plain("", "alice", "alice-secret"))).isEmpty();
        assertThat(server.isComplete()).isTrue();
        assertThat(server.getAuthorizationID()).isEqualTo("alice");
    }

    @Test
    void aWrongPasswordAnUnknownUserOrAMalformedMessageFails() {
        assertThatThrownBy(() -> new PlainSaslServer(USERS).evaluateResponse(plain("", "alice", "nope")))
                .isInstanceOf(SaslException.class).hasMessage("Authentication failed for user alice: wrong user name or password");
        assertThatThrownBy(() -> new PlainSaslServer(USERS).evaluateResponse(plain("", "bob", "alice-secret"))).isInstanceOf(SaslException.class);
        assertThatThrownBy(() -> new PlainSaslServer(USERS).evaluateResponse("alice".getBytes(StandardCharsets.UTF_8))).isInstanceOf(SaslException.class);
        assertThatThrownBy(() -> new PlainSaslServer(USERS).evaluateResponse(plain("root", "alice", "alice-secret"))).isInstanceOf(SaslException.class);
    }

    @Test
    void withoutConfiguredUsersAnyNameIsAccepted() throws Exception {
        PlainSaslServer server = new PlainSaslServer(UserDirectory.parse(""));
        server.evaluateResponse(plain("", "anyone", "anything"));
        assertThat(server.getAuthorizationID()).isEqualTo("anyone");
    }

    @Test
    void aMalformedUserSettingIsRejectedWithItsEntry() {
        assertThatThrownBy(() -> UserDirectory.parse("alice:md5:abc")).hasMessageContaining("alice:md5:abc");
        assertThatThrownBy(() -> UserDirectory.parse("alice:sha256:abcd")).hasMessageContaining("not a SHA-256");
    }
}
