package dev.mortar.metastore.config;

import dev.mortar.gateway.auth.UserDirectory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What each setting may hold. Every key of {@link MortarConfig#DEFAULTS} has a rule, so that a wrong value is refused
 * at startup with the others, not when it is first used.
 */
final class SettingRules {
    /** DuckDB's memory_limit: a number and a unit of bytes (KB, MiB, GB, ...), or a percentage of the machine's memory. */
    private static final Pattern BYTE_SIZE = Pattern.compile("(?i)\\d+(\\.\\d+)?\\s*(b|bytes?|[kmgt]i?b|kilobytes?|megabytes?|gigabytes?|terabytes?|%)?");

    @FunctionalInterface
    interface Rule {
        /** What is wrong with this value, or empty when it is fine. */
        Optional<String> problem(String value);
    }

    private SettingRules() {}

    static Rule integer(long min, long max) {
        return value -> {
            String v = value.strip();
            try {
                long n = Long.parseLong(v);
                if (n < min || n > max) {
                    return Optional.of(max == Long.MAX_VALUE ? "must be at least " + min + ", not " + n : "must be between " + min + " and " + max + ", not " + n);
                }
                return Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.of("must be a whole number, not '" + value + "'");
            }
        };
    }

    /** Seconds, as Hive writes them too ("300s"). */
    static Rule seconds(long min) {
        Rule number = integer(min, Long.MAX_VALUE);
        return value -> number.problem(value.strip().endsWith("s") ? value.strip().substring(0, value.strip().length() - 1) : value);
    }

    static Rule oneOf(String... choices) {
        Set<String> allowed = Set.of(choices);
        return value -> allowed.contains(value.strip().toLowerCase(Locale.ROOT)) ? Optional.empty()
                : Optional.of("must be one of " + String.join(", ", choices) + ", not '" + value + "'");
    }

    static Rule bool() {
        return oneOf("true", "false");
    }

    static Rule nonEmpty() {
        return value -> value.isBlank() ? Optional.of("must not be empty") : Optional.empty();
    }

    static Rule any() {
        return value -> Optional.empty();
    }

    static Rule byteSize() {
        return value -> BYTE_SIZE.matcher(value.strip()).matches() ? Optional.empty()
                : Optional.of("must be a size such as 512MB, 2GB or 50%, not '" + value + "'");
    }

    static Rule jdbcUrlOrEmpty() {
        return value -> value.isBlank() || value.strip().startsWith("jdbc:") ? Optional.empty()
                : Optional.of("must be a JDBC URL (jdbc:mysql://..., jdbc:postgresql://..., jdbc:h2:...), not '" + value + "'");
    }

    static Rule httpUrlOrEmpty() {
        return value -> {
            if (value.isBlank()) {
                return Optional.empty();
            }
            try {
                URI uri = new URI(value.strip());
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return Optional.empty();
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            return Optional.of("must be an http:// or https:// URL with a host, not '" + value + "'");
        };
    }

    static Rule accessKeys() {
        return value -> {
            for (String pair : value.split(",")) {
                String p = pair.strip();
                if (!p.isEmpty() && (p.indexOf(':') <= 0 || p.indexOf(':') == p.length() - 1)) {
                    return Optional.of("must be AKID:SECRET pairs separated by commas, not '" + p + "'");
                }
            }
            return Optional.empty();
        };
    }

    static Rule gatewayUsers() {
        return value -> {
            try {
                UserDirectory.parse(value);
                return Optional.empty();
            } catch (IllegalArgumentException e) {
                return Optional.of(e.getMessage().replaceFirst("^Setting mortar\\.gateway\\.users: ", ""));
            }
        };
    }

    static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("mortar.bind.host", nonEmpty()),
            Map.entry("mortar.thrift.port", integer(0, 65535)),
            Map.entry("mortar.http.port", integer(0, 65535)),
            Map.entry("mortar.data.dir", nonEmpty()),
            Map.entry("mortar.warehouse.dir", any()),
            Map.entry("mortar.warehouse.external.dir", any()),
            Map.entry("mortar.store.url", jdbcUrlOrEmpty()),
            Map.entry("mortar.store.user", any()),
            Map.entry("mortar.store.password", any()),
            Map.entry("mortar.store.pool.size", integer(1, 10_000)),
            Map.entry("mortar.thrift.max.connections", integer(1, Integer.MAX_VALUE)),
            Map.entry("mortar.thrift.max.message.size", integer(1024, Integer.MAX_VALUE)),
            Map.entry("mortar.limit.partition.request", integer(-1, Integer.MAX_VALUE)),
            Map.entry("mortar.cache.partitions", integer(0, Integer.MAX_VALUE)),
            Map.entry("mortar.lock.timeout.seconds", seconds(1)),
            Map.entry("mortar.fs.trash.interval.minutes", integer(0, Integer.MAX_VALUE)),
            Map.entry("mortar.hms.compatibility", oneOf("engines", "hive")),
            Map.entry("mortar.authorization.storage.checks", bool()),
            Map.entry("mortar.shutdown.grace.seconds", integer(0, Integer.MAX_VALUE)),
            Map.entry("mortar.glue.access.keys", accessKeys()),
            Map.entry("mortar.glue.catalog.id", nonEmpty()),
            Map.entry("mortar.crawler.workers", oneOf("in-process", "external")),
            Map.entry("mortar.crawler.task.max.attempts", integer(1, 1000)),
            Map.entry("mortar.crawler.embedded.workers", integer(1, 1000)),
            Map.entry("mortar.crawler.lease.seconds", integer(1, 3600)),
            Map.entry("mortar.worker.port", integer(-1, 65535)),
            Map.entry("mortar.jobs.workers", oneOf("in-process", "external")),
            Map.entry("mortar.jobs.embedded.workers", integer(0, 1000)),
            Map.entry("mortar.jobs.lease.seconds", integer(1, 3600)),
            Map.entry("mortar.jobs.python", nonEmpty()),
            Map.entry("mortar.jobs.duckdb.memory.limit", byteSize()),
            Map.entry("mortar.jobs.duckdb.threads", integer(0, 4096)),
            Map.entry("mortar.jobs.region", nonEmpty()),
            Map.entry("mortar.scheduler.enabled", bool()),
            Map.entry("mortar.scheduler.min.interval.minutes", integer(1, 1440)),
            Map.entry("mortar.scheduler.catchup", bool()),
            Map.entry("mortar.scheduler.lease.seconds", integer(3, 3600)),
            Map.entry("mortar.scheduler.poll.millis", integer(10, 1_200_000)),
            Map.entry("mortar.gateway.enabled", bool()),
            Map.entry("mortar.gateway.history.size", integer(0, 100_000)),
            Map.entry("mortar.gateway.port", integer(-1, 65535)),
            Map.entry("mortar.gateway.http.port", integer(-1, 65535)),
            Map.entry("mortar.gateway.http.path", any()),
            Map.entry("mortar.gateway.users", gatewayUsers()),
            Map.entry("mortar.gateway.max.operations", integer(1, Integer.MAX_VALUE)),
            Map.entry("mortar.gateway.max.operations.per.session", integer(1, Integer.MAX_VALUE)),
            Map.entry("mortar.gateway.query.timeout.seconds", integer(0, Integer.MAX_VALUE)),
            Map.entry("mortar.gateway.fetch.default.rows", integer(1, Integer.MAX_VALUE)),
            Map.entry("mortar.gateway.fetch.max.rows", integer(1, Integer.MAX_VALUE)),
            Map.entry("mortar.gateway.session.idle.timeout.seconds", integer(0, Integer.MAX_VALUE)),
            Map.entry("mortar.gateway.duckdb.memory.limit", byteSize()),
            Map.entry("mortar.gateway.duckdb.threads", integer(0, 4096)),
            Map.entry("mortar.gateway.engine", oneOf("duckdb", "trino", "auto")),
            Map.entry("mortar.gateway.trino.url", httpUrlOrEmpty()),
            Map.entry("mortar.gateway.trino.user", nonEmpty()),
            Map.entry("mortar.gateway.trino.catalog", nonEmpty()),
            Map.entry("mortar.s3.endpoint", any()), // S3A takes a URL or a bare host[:port]
            Map.entry("mortar.s3.region", any()),
            Map.entry("mortar.s3.path.style.access", bool()),
            Map.entry("mortar.s3.access.key", any()),
            Map.entry("mortar.s3.secret.key", any()));

    /** Every problem of these settings, each as "key: what is wrong"; checks between settings come last. */
    static List<String> problems(Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        values.forEach((key, value) -> {
            Rule rule = RULES.get(key);
            if (rule == null) {
                if (!key.startsWith(dev.mortar.crawler.source.S3Settings.S3A_PREFIX)) {
                    throw new IllegalStateException("Setting " + key + " has no rule in SettingRules");
                }
                return;
            }
            rule.problem(value == null ? "" : value).ifPresent(p -> problems.add(key + " " + p));
        });
        String engine = values.getOrDefault("mortar.gateway.engine", "duckdb").strip().toLowerCase(Locale.ROOT);
        if ((engine.equals("trino") || engine.equals("auto")) && values.getOrDefault("mortar.gateway.trino.url", "").isBlank()
                && "true".equalsIgnoreCase(values.getOrDefault("mortar.gateway.enabled", "true").strip())) {
            problems.add("mortar.gateway.trino.url must be set when mortar.gateway.engine is " + engine);
        }
        try {
            long lease = Long.parseLong(values.getOrDefault("mortar.scheduler.lease.seconds", "30").strip());
            long poll = Long.parseLong(values.getOrDefault("mortar.scheduler.poll.millis", "1000").strip());
            if (poll * 3 > lease * 1000) {
                problems.add("mortar.scheduler.poll.millis " + poll + " must be at most a third of mortar.scheduler.lease.seconds (" + lease
                        + " s), so that the leader renews its lease in time");
            }
        } catch (NumberFormatException e) {
            // reported by the settings' own rules
        }
        if (values.getOrDefault("mortar.s3.access.key", "").isBlank() != values.getOrDefault("mortar.s3.secret.key", "").isBlank()) {
            problems.add("mortar.s3.access.key and mortar.s3.secret.key go together: set both, or neither (to use the default credential chain)");
        }
        return problems;
    }
}
