package dev.mortar.gateway.auth;

import javax.security.auth.callback.CallbackHandler;
import javax.security.sasl.SaslServer;
import javax.security.sasl.SaslServerFactory;
import java.security.Provider;
import java.security.Security;
import java.util.Map;

/**
 * Makes {@link PlainSaslServer} reachable through {@code Sasl.createSaslServer("PLAIN", ...)}, which
 * is how libthrift's {@code TSaslServerTransport} creates its server. The user directory travels in
 * the callback handler: each transport is given a {@link Users} handler with the directory to check.
 */
public final class PlainSaslProvider extends Provider {
    public static final String NAME = "MortarPlainSasl";

    /** The callback handler a transport passes; it only carries the directory. */
    public record Users(UserDirectory directory) implements CallbackHandler {
        @Override
        public void handle(javax.security.auth.callback.Callback[] callbacks) {
            // PlainSaslServer checks passwords itself, against the directory
        }
    }

    public PlainSaslProvider() {
        super(NAME, "1.0", "SASL PLAIN server mechanism for the Mortar query gateway");
        put("SaslServerFactory.PLAIN", Factory.class.getName());
    }

    /** Registers the provider once per JVM; the JDK's SASL lookup only sees registered providers. */
    public static void install() {
        synchronized (PlainSaslProvider.class) {
            if (Security.getProvider(NAME) == null) {
                Security.addProvider(new PlainSaslProvider());
            }
        }
    }

    public static final class Factory implements SaslServerFactory {
        @Override
        public SaslServer createSaslServer(String mechanism, String protocol, String serverName, Map<String, ?> props, CallbackHandler handler) {
            if (!PlainSaslServer.MECHANISM.equals(mechanism) || !(handler instanceof Users users)) {
                return null;
            }
            return new PlainSaslServer(users.directory());
        }

        @Override
        public String[] getMechanismNames(Map<String, ?> props) {
            return new String[] {PlainSaslServer.MECHANISM};
        }
    }
}
