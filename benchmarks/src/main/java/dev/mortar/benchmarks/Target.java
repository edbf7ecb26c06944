package dev.mortar.benchmarks;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One running metastore server under test.
 *
 * @param pid the server JVM's process id, for its peak RSS; empty when not known
 * @param startupSeconds seconds from launch to an open Thrift port, as measured by the script
 * @param description free text for the report (version, store, JVM, heap)
 */
public record Target(
        String name,
        Product product,
        StoreKind store,
        String host,
        int port,
        OptionalLong pid,
        OptionalDouble startupSeconds,
        String description)
{
    /** REPLAY: the driver's own canned-answer server ({@link ReplayServer}), for the driver's floor. */
    public enum Product { HMS, MORTAR, REPLAY }

    /** Which stores are compared with each other: embedded with embedded, MariaDB with MariaDB. */
    public enum StoreKind
    {
        EMBEDDED("Embedded store (HMS: Derby, Mortar: H2)"),
        MARIADB("MariaDB store (both on the same MariaDB server)");

        private final String title;

        StoreKind(String title)
        {
            this.title = title;
        }

        public String title()
        {
            return title;
        }
    }

    /**
     * Parses {@code name=HMS-Derby;product=hms;store=embedded;port=19083[;host=127.0.0.1][;pid=123][;startup=4.2][;desc=...]}.
     */
    public static Target parse(String spec)
    {
        Map<String, String> fields = new HashMap<>();
        for (String field : spec.split(";")) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Invalid target field '%s' in: %s".formatted(field, spec));
            }
            fields.put(field.substring(0, eq).trim(), field.substring(eq + 1).trim());
        }
        String name = required(fields, "name", spec);
        Product product = Product.valueOf(required(fields, "product", spec).toUpperCase(Locale.ROOT));
        StoreKind store = StoreKind.valueOf(required(fields, "store", spec).toUpperCase(Locale.ROOT));
        int port = Integer.parseInt(required(fields, "port", spec));
        String host = fields.getOrDefault("host", "127.0.0.1");
        OptionalLong pid = fields.containsKey("pid") && !fields.get("pid").isEmpty()
                ? OptionalLong.of(Long.parseLong(fields.get("pid")))
                : OptionalLong.empty();
        OptionalDouble startup = fields.containsKey("startup") && !fields.get("startup").isEmpty()
                ? OptionalDouble.of(Double.parseDouble(fields.get("startup")))
                : OptionalDouble.empty();
        return new Target(name, product, store, host, port, pid, startup, fields.getOrDefault("desc", ""));
    }

    private static String required(Map<String, String> fields, String key, String spec)
    {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("Target is missing '%s': %s".formatted(key, spec));
        }
        return value;
    }
}
