package dev.mortar.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * Fresh, empty catalog stores for tests: embedded H2 in a directory, or a new database on the
 * machine's MariaDB (127.0.0.1:3306, root) or PostgreSQL (127.0.0.1:5432, trust) server.
 */
public final class TestStores {
    public static final String[] KINDS = {"h2", "mariadb", "postgres"};

    private TestStores() {}

    /** The settings that point Mortar at a new, empty store of the given kind. */
    public static Map<String, String> fresh(String kind, Path dir) throws Exception {
        String name = "mortar_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return switch (kind) {
            case "h2" -> Map.of("mortar.store.url", "jdbc:h2:file:" + dir.resolve("catalog-h2") + ";DB_CLOSE_ON_EXIT=FALSE");
            case "mariadb" -> {
                try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/", "root", "");
                     Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
                }
                yield Map.of("mortar.store.url", "jdbc:mysql://127.0.0.1:3306/" + name, "mortar.store.user", "root", "mortar.store.password", "");
            }
            case "postgres" -> {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                     Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
                yield Map.of("mortar.store.url", "jdbc:postgresql://127.0.0.1:5432/" + name, "mortar.store.user", "postgres", "mortar.store.password", "");
            }
            default -> throw new IllegalArgumentException("Unknown store kind " + kind);
        };
    }
}
