package dev.mortar.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the benchmarks that start a Mortar server process share: free ports, its health wait, its stop, and their work folders. */
final class BenchmarkFiles {
    private BenchmarkFiles() {
    }

    /** Waits until the server answers {@code /health} on {@code httpPort} (at most 180 s); fails when it exits or does not answer. */
    static void awaitHealth(Process mortar, int httpPort, Path logFile) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!mortar.isAlive()) {
                throw new IllegalStateException("Mortar exited (status " + mortar.exitValue() + "); see " + logFile);
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + "/health").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Mortar did not answer /health within 180 s; see " + logFile);
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    static void stop(Process p) {
        if (p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(p)) {
            paths.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.delete(x);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
