package dev.mortar.crawler.source;

import org.apache.hadoop.conf.Configuration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How crawlers (and the warehouse) reach S3 and S3-API stores: Hadoop's S3A connector for {@code s3a://} paths,
 * with {@code s3://} mapped to the same connector so that include paths and table locations written for the
 * managed service work as given. The endpoint, region and path-style switch point S3A at any S3-API server;
 * without an access key the AWS SDK's default credential chain (environment, system properties, profile files,
 * container and instance credentials) is used. Every {@code fs.s3a.*} option is passed to S3A as is, after these.
 */
public record S3Settings(String endpoint, String region, boolean pathStyleAccess, String accessKey, String secretKey, Map<String, String> s3aOptions) {
    /** The Mortar setting keys, with their defaults (documented in conf/mortar.properties). */
    public static final Map<String, String> DEFAULTS = Map.of(
            "mortar.s3.endpoint", "",
            "mortar.s3.region", "",
            "mortar.s3.path.style.access", "false",
            "mortar.s3.access.key", "",
            "mortar.s3.secret.key", "");

    /** The prefix of S3A's own options, which Mortar's configuration passes through. */
    public static final String S3A_PREFIX = "fs.s3a.";

    static final String DEFAULT_CREDENTIALS_CHAIN = "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider";

    public S3Settings {
        endpoint = Objects.requireNonNullElse(endpoint, "").trim();
        region = Objects.requireNonNullElse(region, "").trim();
        accessKey = Objects.requireNonNullElse(accessKey, "").trim();
        secretKey = Objects.requireNonNullElse(secretKey, "");
        s3aOptions = Map.copyOf(s3aOptions);
        if (accessKey.isEmpty() != secretKey.isEmpty()) {
            throw new IllegalArgumentException("Set both mortar.s3.access.key and mortar.s3.secret.key, or neither (to use the default credential chain)");
        }
    }

    /** Reads the {@code mortar.s3.*} keys and every {@code fs.s3a.*} key of a settings map. */
    public static S3Settings from(Map<String, String> settings) {
        Map<String, String> s3a = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith(S3A_PREFIX) && v != null) {
                s3a.put(k, v);
            }
        });
        return new S3Settings(settings.getOrDefault("mortar.s3.endpoint", ""), settings.getOrDefault("mortar.s3.region", ""),
                Boolean.parseBoolean(settings.getOrDefault("mortar.s3.path.style.access", "false").trim()),
                settings.getOrDefault("mortar.s3.access.key", ""), settings.getOrDefault("mortar.s3.secret.key", ""), s3a);
    }

    /** Whether any S3 setting was given: then the server's own file system use (the warehouse) goes through S3A too. */
    public boolean configured() {
        return !endpoint.isEmpty() || !region.isEmpty() || pathStyleAccess || !accessKey.isEmpty() || !s3aOptions.isEmpty();
    }

    /** Sets S3A up in a Hadoop configuration: s3:// and s3a:// both through S3A, with these settings. */
    public Configuration applyTo(Configuration conf) {
        conf.set("fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
        conf.set("fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
        conf.set("fs.AbstractFileSystem.s3a.impl", "org.apache.hadoop.fs.s3a.S3A");
        conf.set("fs.AbstractFileSystem.s3.impl", "org.apache.hadoop.fs.s3a.S3A");
        if (!endpoint.isEmpty()) {
            conf.set("fs.s3a.endpoint", endpoint);
        }
        if (!region.isEmpty()) {
            conf.set("fs.s3a.endpoint.region", region);
        } else if (!endpoint.isEmpty()) {
            // A store of its own (S3Proxy, MinIO, Ceph) has no AWS region to discover; SigV4 still signs with one.
            conf.set("fs.s3a.endpoint.region", "us-east-1");
        }
        conf.setBoolean("fs.s3a.path.style.access", pathStyleAccess);
        if (!accessKey.isEmpty()) {
            conf.set("fs.s3a.access.key", accessKey);
            conf.set("fs.s3a.secret.key", secretKey);
            conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        } else {
            conf.set("fs.s3a.aws.credentials.provider", DEFAULT_CREDENTIALS_CHAIN);
        }
        s3aOptions.forEach(conf::set);
        return conf;
    }
}
