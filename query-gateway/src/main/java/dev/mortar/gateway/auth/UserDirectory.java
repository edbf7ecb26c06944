package dev.mortar.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The gateway's users, from {@code mortar.gateway.users}: {@code name:sha256:<hex of SHA-256 of the
 * UTF-8 password>}, comma separated. With no users configured, any user name is accepted without a
 * password check (the gateway then trusts its network, like HiveServer2 with authentication NONE).
 */
public final class UserDirectory {
    private final Map<String, byte[]> sha256ByUser;

    private UserDirectory(Map<String, byte[]> sha256ByUser) {
        this.sha256ByUser = Map.copyOf(sha256ByUser);
    }

    public static UserDirectory parse(String spec) {
        Map<String, byte[]> users = new HashMap<>();
        if (spec != null) {
            for (String entry : spec.split(",")) {
                String trimmed = entry.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String[] parts = trimmed.split(":", 3);
                if (parts.length != 3 || parts[0].isBlank() || !parts[1].equalsIgnoreCase("sha256")) {
                    throw new IllegalArgumentException("Setting mortar.gateway.users: expected name:sha256:<hex>, not '" + trimmed + "'");
                }
                byte[] hash;
                try {
                    hash = HexFormat.of().parseHex(parts[2].trim().toLowerCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Setting mortar.gateway.users: the hash of user " + parts[0] + " is not hexadecimal");
                }
                if (hash.length != 32) {
                    throw new IllegalArgumentException("Setting mortar.gateway.users: the hash of user " + parts[0] + " is not a SHA-256 (64 hex digits)");
                }
                users.put(parts[0].trim(), hash);
            }
        }
        return new UserDirectory(users);
    }

    public boolean requiresPassword() {
        return !sha256ByUser.isEmpty();
    }

    /** True when the user may log in with this password (always, when no users are configured). */
    public boolean authenticate(String user, String password) {
        if (!requiresPassword()) {
            return user != null;
        }
        byte[] expected = sha256ByUser.get(user);
        byte[] actual = sha256(password == null ? "" : password);
        // compare even for unknown users, so timing does not tell which names exist
        return MessageDigest.isEqual(expected == null ? new byte[32] : expected, actual) && expected != null;
    }

    public static String sha256Hex(String password) {
        return HexFormat.of().formatHex(sha256(password));
    }

    private static byte[] sha256(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }
}
