package dev.mortar.testing;

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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3-API server for tests: S3Proxy over jclouds' in-memory ("transient") blob store, checking AWS Signature
 * V2/V4 with one key pair, on a free loopback port; and the AWS SDK's S3 client pointed at it, to upload test data.
 * It runs in its own JVM, from S3Proxy's self-contained jar, which the build of each module that uses it copies and
 * names in the system property {@code s3proxy.jar} (see metastore-server's pom): its Guava and Jetty are newer than
 * the ones of Hive's classes on our test classpaths, and they stay out of them this way.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "AKIDS3PROXYTEST";
    public static final String SECRET_KEY = "s3proxy-test-secret";

    private final Process process;
    private final int port;
    private final S3Client client;

    private S3ProxyServer(Process process, int port) {
        this.process = process;
        this.port = port;
        this.client = S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                // checksums only where the operation needs them: S3Proxy keeps objects as they are sent
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
    }

    /** Starts a server whose settings and log ({@code s3proxy.log}) are kept in {@code workDir}. */
    public static S3ProxyServer start(Path workDir) throws Exception {
        String jar = System.getProperty("s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("No S3Proxy jar at " + jar + " (the build copies it: run the tests through Maven)");
        }
        Files.createDirectories(workDir);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path properties = workDir.resolve("s3proxy.conf");
        Path log = workDir.resolve("s3proxy.log");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=transient",
                "jclouds.identity=identity",
                "jclouds.credential=credential",
                // Trino's listings ask for RestoreStatus (x-amz-optional-object-attributes), which S3Proxy 2.7 does not
                // know; ignored, the listing is what S3 returns for objects that were never archived
                "s3proxy.ignore-unknown-headers=true",
                ""));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar, "--properties", properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: " + Files.readString(log));
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("S3Proxy did not listen on port " + port + " within 60 s: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
        return new S3ProxyServer(process, port);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public S3Client client() {
        return client;
    }

    /** The Mortar settings ({@code mortar.s3.*}) that point S3A at this server, with path-style requests, which it needs. */
    public Map<String, String> settings() {
        return Map.of("mortar.s3.endpoint", endpoint().toString(), "mortar.s3.path.style.access", "true",
                "mortar.s3.access.key", ACCESS_KEY, "mortar.s3.secret.key", SECRET_KEY);
    }

    public void createBucket(String bucket) {
        client.createBucket(r -> r.bucket(bucket));
    }

    public void put(String bucket, String key, byte[] content) {
        client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    public void put(String bucket, String key, Path file) throws IOException {
        put(bucket, key, Files.readAllBytes(file));
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
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
