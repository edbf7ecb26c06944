package dev.mortar.metastore.config;

import dev.mortar.gateway.GatewayConfig;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Mortar's settings. Precedence: command-line flag &gt; environment variable ({@code MORTAR_...}) &gt;
 * {@code conf/mortar.properties} &gt; a Hive {@code metastore-site.xml}/{@code hive-site.xml} &gt;
 * built-in default. Every key is documented in {@code conf/mortar.properties}.
 */
public final class MortarConfig {
    public static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("mortar.bind.host", "0.0.0.0");
        DEFAULTS.put("mortar.thrift.port", "9083");
        DEFAULTS.put("mortar.http.port", "8910");
        DEFAULTS.put("mortar.data.dir", "./var");
        DEFAULTS.put("mortar.warehouse.dir", "");
        DEFAULTS.put("mortar.warehouse.external.dir", "");
        DEFAULTS.put("mortar.store.url", "");
        DEFAULTS.put("mortar.store.user", "");
        DEFAULTS.put("mortar.store.password", "");
        DEFAULTS.put("mortar.store.pool.size", "16");
        DEFAULTS.put("mortar.thrift.max.connections", "1000");
        DEFAULTS.put("mortar.thrift.max.message.size", String.valueOf(100 * 1024 * 1024));
        DEFAULTS.put("mortar.limit.partition.request", "-1");
        DEFAULTS.put("mortar.cache.partitions", "200000");
        DEFAULTS.put("mortar.lock.timeout.seconds", "300");
        DEFAULTS.put("mortar.fs.trash.interval.minutes", "0");
        DEFAULTS.put("mortar.hms.compatibility", "engines");
        DEFAULTS.put("mortar.authorization.storage.checks", "false");
        DEFAULTS.put("mortar.shutdown.grace.seconds", "30");
        DEFAULTS.put("mortar.glue.access.keys", "");
        DEFAULTS.put("mortar.glue.catalog.id", "000000000000");
        DEFAULTS.put("mortar.crawler.workers", "in-process");
        DEFAULTS.put("mortar.crawler.task.max.attempts", "3");
        DEFAULTS.put("mortar.crawler.embedded.workers", "4");
        DEFAULTS.put("mortar.crawler.lease.seconds", "30");
        DEFAULTS.put("mortar.jobs.workers", "in-process");
        DEFAULTS.put("mortar.jobs.embedded.workers", "2");
        DEFAULTS.put("mortar.jobs.lease.seconds", "30");
        DEFAULTS.put("mortar.jobs.python", "python3");
        DEFAULTS.put("mortar.jobs.duckdb.memory.limit", "2GB");
        DEFAULTS.put("mortar.jobs.duckdb.threads", "0");
        DEFAULTS.put("mortar.jobs.region", "us-east-1");
        DEFAULTS.put("mortar.gateway.history.size", "100");
        DEFAULTS.put("mortar.scheduler.enabled", "true");
        DEFAULTS.put("mortar.scheduler.min.interval.minutes", "1");
        DEFAULTS.put("mortar.scheduler.catchup", "false");
        DEFAULTS.put("mortar.scheduler.lease.seconds", "30");
        DEFAULTS.put("mortar.scheduler.poll.millis", "1000");
        DEFAULTS.put("mortar.worker.port", "9084");
        DEFAULTS.put("mortar.gateway.enabled", "true");
        DEFAULTS.put("mortar.gateway.port", "10000");
        DEFAULTS.put("mortar.gateway.http.port", "10001");
        DEFAULTS.put("mortar.gateway.http.path", "cliservice");
        DEFAULTS.put("mortar.gateway.users", "");
        DEFAULTS.put("mortar.gateway.max.operations", "16");
        DEFAULTS.put("mortar.gateway.max.operations.per.session", "4");
        DEFAULTS.put("mortar.gateway.query.timeout.seconds", "0");
        DEFAULTS.put("mortar.gateway.fetch.default.rows", "10000");
        DEFAULTS.put("mortar.gateway.fetch.max.rows", "100000");
        DEFAULTS.put("mortar.gateway.session.idle.timeout.seconds", "3600");
        DEFAULTS.put("mortar.gateway.duckdb.memory.limit", "2GB");
        DEFAULTS.put("mortar.gateway.duckdb.threads", "0");
        DEFAULTS.put("mortar.gateway.engine", "duckdb");
        DEFAULTS.put("mortar.gateway.trino.url", "");
        DEFAULTS.put("mortar.gateway.trino.user", "mortar");
        DEFAULTS.put("mortar.gateway.trino.catalog", "hive");
        new java.util.TreeMap<>(dev.mortar.crawler.source.S3Settings.DEFAULTS).forEach(DEFAULTS::put);
    }

    /** Keys of a Hive metastore-site.xml / hive-site.xml that Mortar understands, mapped to its own. */
    static final Map<String, String> HIVE_KEYS = new LinkedHashMap<>();

    static {
        HIVE_KEYS.put("metastore.thrift.port", "mortar.thrift.port");
        HIVE_KEYS.put("hive.metastore.port", "mortar.thrift.port");
        HIVE_KEYS.put("metastore.thrift.bind.host", "mortar.bind.host");
        HIVE_KEYS.put("metastore.warehouse.dir", "mortar.warehouse.dir");
        HIVE_KEYS.put("hive.metastore.warehouse.dir", "mortar.warehouse.dir");
        HIVE_KEYS.put("metastore.warehouse.external.dir", "mortar.warehouse.external.dir");
        HIVE_KEYS.put("hive.metastore.warehouse.external.dir", "mortar.warehouse.external.dir");
        HIVE_KEYS.put("javax.jdo.option.ConnectionURL", "mortar.store.url");
        HIVE_KEYS.put("javax.jdo.option.ConnectionUserName", "mortar.store.user");
        HIVE_KEYS.put("javax.jdo.option.ConnectionPassword", "mortar.store.password");
        HIVE_KEYS.put("metastore.limit.partition.request", "mortar.limit.partition.request");
        HIVE_KEYS.put("hive.metastore.limit.partition.request", "mortar.limit.partition.request");
        HIVE_KEYS.put("metastore.server.max.message.size", "mortar.thrift.max.message.size");
        HIVE_KEYS.put("hive.metastore.server.max.message.size", "mortar.thrift.max.message.size");
        HIVE_KEYS.put("metastore.server.max.threads", "mortar.thrift.max.connections");
        HIVE_KEYS.put("hive.metastore.server.max.threads", "mortar.thrift.max.connections");
        HIVE_KEYS.put("metastore.txn.timeout", "mortar.lock.timeout.seconds");
        HIVE_KEYS.put("hive.txn.timeout", "mortar.lock.timeout.seconds");
        HIVE_KEYS.put("fs.trash.interval", "mortar.fs.trash.interval.minutes");
        HIVE_KEYS.put("metastore.authorization.storage.checks", "mortar.authorization.storage.checks");
        HIVE_KEYS.put("hive.metastore.authorization.storage.checks", "mortar.authorization.storage.checks");
    }

    private final Map<String, String> values;
    private final ServerSettings settings;

    private MortarConfig(Map<String, String> values) {
        this.values = values;
        this.settings = serverSettings();
    }

    /** The server's settings as typed values. */
    public ServerSettings settings() {
        return settings;
    }

    private ServerSettings serverSettings() {
        String bind = get("mortar.bind.host");
        boolean external = "external".equalsIgnoreCase(get("mortar.crawler.workers"));
        boolean jobsExternal = "external".equalsIgnoreCase(get("mortar.jobs.workers"));
        int workerPort = getInt("mortar.worker.port");
        Optional<GatewayConfig> gateway = Boolean.parseBoolean(get("mortar.gateway.enabled").strip())
                ? Optional.of(new GatewayConfig(bind,
                        getInt("mortar.gateway.port"),
                        getInt("mortar.gateway.http.port"),
                        get("mortar.gateway.http.path"),
                        get("mortar.gateway.users"),
                        getInt("mortar.gateway.max.operations"),
                        getInt("mortar.gateway.max.operations.per.session"),
                        getLong("mortar.gateway.query.timeout.seconds"),
                        getInt("mortar.gateway.fetch.default.rows"),
                        getInt("mortar.gateway.fetch.max.rows"),
                        getLong("mortar.gateway.session.idle.timeout.seconds"),
                        getInt("mortar.thrift.max.message.size"),
                        get("mortar.gateway.duckdb.memory.limit"),
                        getInt("mortar.gateway.duckdb.threads"),
                        dataDir().resolve("tmp").resolve("gateway"),
                        get("mortar.gateway.engine").toLowerCase(Locale.ROOT),
                        get("mortar.gateway.trino.url"),
                        get("mortar.gateway.trino.user"),
                        get("mortar.gateway.trino.catalog")))
                : Optional.empty();
        return new ServerSettings(bind, getInt("mortar.thrift.port"), getInt("mortar.http.port"), dataDir(), warehouseDir(),
                get("mortar.warehouse.external.dir"),
                new ServerSettings.StoreSettings(storeUrl(), get("mortar.store.user"), get("mortar.store.password"), getInt("mortar.store.pool.size")),
                getInt("mortar.thrift.max.connections"), getInt("mortar.thrift.max.message.size"), getInt("mortar.shutdown.grace.seconds"),
                getInt("mortar.cache.partitions"),
                new ServerSettings.HmsBehaviour(ServerSettings.HmsCompatibility.valueOf(get("mortar.hms.compatibility").strip().toUpperCase(Locale.ROOT)),
                        Boolean.parseBoolean(get("mortar.authorization.storage.checks").strip())),
                (external || jobsExternal) && workerPort >= 0 ? Optional.of(workerPort) : Optional.empty(),
                new ServerSettings.CrawlSettings(external, getInt("mortar.crawler.embedded.workers"), getInt("mortar.crawler.lease.seconds"),
                        getInt("mortar.crawler.task.max.attempts")),
                new ServerSettings.JobSettings(jobsExternal, getInt("mortar.jobs.embedded.workers"), getInt("mortar.jobs.lease.seconds"), get("mortar.jobs.python").strip(),
                        get("mortar.jobs.duckdb.memory.limit").strip(), getInt("mortar.jobs.duckdb.threads"), get("mortar.jobs.region").strip(),
                        dataDir().resolve("tmp").resolve("jobs")),
                getInt("mortar.gateway.history.size"),
                gateway,
                new ServerSettings.SchedulerSettings(Boolean.parseBoolean(get("mortar.scheduler.enabled").strip()), getInt("mortar.scheduler.min.interval.minutes"),
                        Boolean.parseBoolean(get("mortar.scheduler.catchup").strip()), getInt("mortar.scheduler.lease.seconds"),
                        getInt("mortar.scheduler.poll.millis")));
    }

    public static MortarConfig defaults() {
        return new Builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String get(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("Unknown setting " + key);
        }
        return values.get(key);
    }

    public int getInt(String key) {
        return (int) getLong(key);
    }

    public long getLong(String key) {
        String value = get(key).trim();
        try {
            // Hive writes durations as "300s"; accept a trailing unit of seconds.
            return Long.parseLong(value.endsWith("s") ? value.substring(0, value.length() - 1) : value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Setting " + key + " must be a number, not '" + value + "'");
        }
    }

    public Path dataDir() {
        return Path.of(get("mortar.data.dir")).toAbsolutePath().normalize();
    }

    public String warehouseDir() {
        String configured = get("mortar.warehouse.dir");
        return configured.isBlank() ? dataDir().resolve("warehouse").toUri().toString() : configured;
    }

    public String storeUrl() {
        String configured = get("mortar.store.url");
        return configured.isBlank() ? "jdbc:h2:file:" + dataDir().resolve("catalog") + ";DB_CLOSE_ON_EXIT=FALSE" : configured;
    }

    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    /** Hadoop configuration for warehouse file systems: Hive's file, plus Mortar's trash setting. */
    public Configuration hadoopConfiguration(Path hiveSite) {
        Configuration conf = new Configuration();
        if (hiveSite != null) {
            conf.addResource(new org.apache.hadoop.fs.Path(hiveSite.toUri()));
        }
        conf.setLong("fs.trash.interval", getLong("mortar.fs.trash.interval.minutes"));
        // With S3 settings given, warehouse and table locations on s3:// and s3a:// go through S3A; without any, s3://
        // locations are kept as given and never touched (as the Glue service never touches storage).
        if (s3Settings().configured()) {
            s3Settings().applyTo(conf);
        }
        return conf;
    }

    /** The {@code mortar.s3.*} and {@code fs.s3a.*} settings: how crawlers (and, when given, the warehouse) reach S3. */
    public dev.mortar.crawler.source.S3Settings s3Settings() {
        return dev.mortar.crawler.source.S3Settings.from(values);
    }

    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        private final List<String> unknown = new ArrayList<>();
        private Path hiveSite;

        /** Reads the keys Mortar supports from a Hive metastore-site.xml or hive-site.xml. */
        public Builder hiveSite(Path file) {
            if (file == null) {
                return this;
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("No such Hive configuration file: " + file);
            }
            this.hiveSite = file;
            Configuration conf = new Configuration(false);
            conf.addResource(new org.apache.hadoop.fs.Path(file.toUri()));
            HIVE_KEYS.forEach((hiveKey, mortarKey) -> {
                String value = conf.get(hiveKey);
                if (value != null) {
                    values.put(mortarKey, value.trim());
                }
            });
            return this;
        }

        public Path hiveSiteFile() {
            return hiveSite;
        }

        /** Reads a properties file that must exist: one named with {@code --config}. */
        public Builder requiredPropertiesFile(Path file) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("No such configuration file: " + file.toAbsolutePath().normalize());
            }
            return propertiesFile(file);
        }

        /** Reads a properties file when there is one (the default {@code conf/mortar.properties}). */
        public Builder propertiesFile(Path file) {
            if (file == null || !Files.isRegularFile(file)) {
                return this;
            }
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
            }
            properties.stringPropertyNames().forEach(key -> set(key, properties.getProperty(key)));
            return this;
        }

        public Builder environment(Map<String, String> env) {
            for (String key : DEFAULTS.keySet()) {
                String name = key.toUpperCase(Locale.ROOT).replace('.', '_');
                if (env.containsKey(name)) {
                    values.put(key, env.get(name));
                }
            }
            return this;
        }

        public Builder set(String key, String value) {
            if (key.startsWith(dev.mortar.crawler.source.S3Settings.S3A_PREFIX)) {
                // S3A's own options pass through to the Hadoop configuration as they are
                if (value != null) {
                    values.put(key, value.trim());
                }
                return this;
            }
            if (!DEFAULTS.containsKey(key)) {
                unknown.add(key);
                return this;
            }
            if (value != null) {
                values.put(key, value.trim());
            }
            return this;
        }

        /** The settings, when every one is valid; otherwise {@link InvalidSettingsException} naming each wrong one. */
        public MortarConfig build() {
            List<String> problems = new ArrayList<>();
            for (String key : unknown) {
                problems.add(key + " is not a setting (conf/mortar.properties lists them all)");
            }
            problems.addAll(SettingRules.problems(values));
            if (!problems.isEmpty()) {
                throw new InvalidSettingsException(problems);
            }
            return new MortarConfig(new LinkedHashMap<>(values));
        }
    }
}
