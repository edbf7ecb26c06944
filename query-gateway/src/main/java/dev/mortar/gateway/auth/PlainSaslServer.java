package dev.mortar.gateway.auth;

import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * SASL PLAIN (RFC 4616) on the server side, which the JDK does not provide: one message
 * {@code [authzid] NUL authcid NUL passwd}, checked against the {@link UserDirectory}.
 */
public final class PlainSaslServer implements SaslServer {
    public static final String MECHANISM = "PLAIN";

    private final UserDirectory users;
    private String authorizationId;
    private boolean complete;

    public PlainSaslServer(UserDirectory users) {
        this.users = users;
    }

    @Override
    public String getMechanismName() {
        return MECHANISM;
    }

    @Override
    public byte[] evaluateResponse(byte[] response) throws SaslException {
        if (complete) {
            throw new SaslException("PLAIN authentication already completed");
        }
        String message = new String(response, StandardCharsets.UTF_8);
        int first = message.indexOf('\0');
        int second = first < 0 ? -1 : message.indexOf('\0', first + 1);
        if (first < 0 || second < 0) {
            throw new SaslException("Malformed PLAIN message: expected [authzid] NUL authcid NUL password");
        }
        String authzid = message.substring(0, first);
        String user = message.substring(first + 1, second);
        String password = message.substring(second + 1);
        if (user.isEmpty()) {
            throw new SaslException("PLAIN authentication without a user name");
        }
        if (!users.authenticate(user, password)) {
            throw new SaslException("Authentication failed for user " + user + ": wrong user name or password");
        }
        if (!authzid.isEmpty() && !authzid.equals(user)) {
            throw new SaslException("User " + user + " may not act as " + authzid);
        }
        authorizationId = user;
        complete = true;
        return new byte[0];
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public String getAuthorizationID() {
        if (!complete) {
            throw new IllegalStateException("PLAIN authentication not completed");
        }
        return authorizationId;
    }

    @Override
    public byte[] unwrap(byte[] incoming, int offset, int len) {
        throw new IllegalStateException("PLAIN has no security layer");
    }

    @Override
    public byte[] wrap(byte[] outgoing, int offset, int len) {
        throw new IllegalStateException("PLAIN has no security layer");
    }

    @Override
    public Object getNegotiatedProperty(String propName) {
        return "javax.security.sasl.qop".equals(propName) ? "auth" : null;
    }

    @Override
    public void dispose() {
        authorizationId = null;
    }

    @Override
    public String toString() {
        return "PlainSaslServer" + Arrays.asList(complete, authorizationId);
    }
}
