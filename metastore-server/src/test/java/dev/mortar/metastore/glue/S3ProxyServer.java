package dev.mortar.metastore.glue;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-API server for tests: S3Proxy over jclouds' in-memory ("transient") blob store, checking AWS Signature
 * V2/V4 with one key pair, on a free loopback port. It runs in its own JVM (its self-contained jar, copied by the
 * build; see the pom) because its Guava is newer than the one the Hive Metastore classes of this server need.
 * The AWS SDK's S3 client pointed at it uploads test data.
 */
final class S3ProxyServer implements AutoCloseable {
    static final String ACCESS_KEY = "AKIDS3PROXYTEST";
    static final String SECRET_KEY = "s3proxy-test-secret";

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

    static S3ProxyServer start(Path workDir) throws Exception {
        String jar = System.getProperty("s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("No S3Proxy jar at " + jar + " (the build copies it: run the tests through Maven)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path properties = workDir.resolve("s3proxy.conf");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=transient",
                "jclouds.identity=identity",
                "jclouds.credential=credential",
                ""));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar, "--properties", properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("s3proxy.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: " + Files.readString(workDir.resolve("s3proxy.log")));
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("S3Proxy did not listen on port " + port + ": " + Files.readString(workDir.resolve("s3proxy.log")));
                }
                Thread.sleep(100);
            }
        }
        return new S3ProxyServer(process, port);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * The Mortar settings that point S3A at this server; path-style requests (which it needs) are asked for with an
     * S3A option passed through as is.
     */
    Map<String, String> settings() {
        return Map.of("mortar.s3.endpoint", endpoint().toString(), "fs.s3a.path.style.access", "true",
                "mortar.s3.access.key", ACCESS_KEY, "mortar.s3.secret.key", SECRET_KEY);
    }

    void createBucket(String bucket) {
        client.createBucket(r -> r.bucket(bucket));
    }

    void put(String bucket, String key, byte[] content) {
        client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    void put(String bucket, String key, Path file) throws IOException {
        put(bucket, key, Files.readAllBytes(file));
    }

    @Override
    public void close() throws Exception {
        client.close();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
