package dev.mortar.metastore.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/** The HTTP port: {@code /health}, {@code /metrics}, and the APIs that other modules mount on it. */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public HttpEndpoint(String bindHost, int port, Metrics metrics, BooleanSupplier healthy) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindHost), port), 256);
        server.setExecutor(executor);
        server.createContext("/health", exchange -> {
            boolean up = healthy.getAsBoolean();
            respond(exchange, up ? 200 : 503, "application/json", ("{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}").getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    }

    public void mount(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void start() {
        server.start();
        LOG.info("HTTP listening on {}:{} (/health, /metrics)", server.getAddress().getAddress().getHostAddress(), port());
    }

    public static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
