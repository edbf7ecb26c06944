package dev.mortar.it.support;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real S3-API server on a loopback port: S3Proxy (its self-contained jar, copied by the build) over an
 * in-memory blob store, in its own JVM with a small heap, checking Signature V4 with one key pair. The AWS SDK's
 * S3 client uploads test data to it; Mortar (S3A) and Trino (its native S3 file system) read it.
 */
public final class S3Proxy implements AutoCloseable {
    public static final String ACCESS_KEY = "AKIDS3PROXYIT";
    public static final String SECRET_KEY = "s3proxy-it-secret";

    private final EngineProcess process;
    private final int port;
    private final S3Client client;

    private S3Proxy(EngineProcess process, int port) {
        this.process = process;
        this.port = port;
        this.client = S3Client.builder()
                .endpointOverride(java.net.URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
    }

    public static S3Proxy start(Path workDir) {
        Path jar = Path.of(System.getProperty("it.s3proxy.jar", "missing"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No S3Proxy jar at " + jar + " (pre-integration-test copies it: mvn verify)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path properties = workDir.resolve("s3proxy.conf");
        try {
            Files.writeString(properties, String.join("\n", "s3proxy.endpoint=http://127.0.0.1:" + port, "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY, "s3proxy.credential=" + SECRET_KEY, "jclouds.provider=transient",
                    "jclouds.identity=identity", "jclouds.credential=credential",
                    // Trino's listings ask for RestoreStatus (x-amz-optional-object-attributes), which S3Proxy 2.7 does not
                    // know; ignored, the listing is what S3 returns for objects that were never archived
                    "s3proxy.ignore-unknown-headers=true", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EngineProcess process = EngineProcess.java("s3proxy", ItEnvironment.modernJavaHome())
                .jvmArgs("-Xmx256m", "-XX:+UseSerialGC")
                .classpath(List.of(jar))
                .mainClass("org.gaul.s3proxy.Main")
                .args("--properties", properties.toString())
                .workDir(workDir)
                .logDir(workDir.resolve("logs"))
                .start();
        int listening = port;
        try {
            Await.until("S3Proxy listens on port " + port, Duration.ofMinutes(1), process, () -> {
                try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), listening)) {
                    return true;
                }
            });
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
        return new S3Proxy(process, port);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Mortar's settings for this server (S3A through mortar.s3.*). */
    public Map<String, String> mortarSettings() {
        return Map.of("mortar.s3.endpoint", endpoint(), "mortar.s3.path.style.access", "true",
                "mortar.s3.access.key", ACCESS_KEY, "mortar.s3.secret.key", SECRET_KEY);
    }

    /** A Trino hive catalog on the Mortar server that reads this server through Trino's native S3 file system. */
    public Map<String, String> trinoHiveCatalog(MortarServer mortar) {
        return Map.of("connector.name", "hive", "hive.metastore.uri", mortar.thriftUri(), "fs.native-s3.enabled", "true",
                "s3.endpoint", endpoint(), "s3.region", "us-east-1", "s3.path-style-access", "true",
                "s3.aws-access-key", ACCESS_KEY, "s3.aws-secret-key", SECRET_KEY);
    }

    public void createBucket(String bucket) {
        client.createBucket(r -> r.bucket(bucket));
    }

    /** Uploads every file under {@code dir} to {@code bucket} under {@code prefix}, keyed by its path below {@code dir}. */
    public void upload(Path dir, String bucket, String prefix) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String key = prefix + dir.relativize(file).toString().replace('\\', '/');
                client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        process.close();
    }
}
