package dev.mortar.gateway.transport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mortar.gateway.service.CliService;
import dev.mortar.gateway.service.ConnectionContext;
import dev.mortar.gateway.service.GatewayService;
import org.apache.hive.service.rpc.thrift.TCLIService;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TIOStreamTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * TCLIService over HTTP, as the Hive JDBC driver speaks it with {@code transportMode=http}: each POST
 * to the path carries one binary-protocol Thrift call and the response its answer. Credentials come
 * in an {@code Authorization: Basic} header on every request; sessions live across requests.
 */
public final class HttpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

    static {
        // The JDK's HTTP server leaves Nagle's algorithm on, so a response written in two parts waits for the client's
        // delayed ACK (about 40 ms); read once, when the JDK's server is first used. An operator's own setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final GatewayService service;
    private final int maxMessageSize;
    private final String path;
    private final HttpServer server;
    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();

    public HttpTransport(GatewayService service, String bindHost, int port, String path, int maxMessageSize) throws IOException {
        this.service = service;
        this.maxMessageSize = maxMessageSize;
        this.path = path;
        this.server = HttpServer.create(new InetSocketAddress(bindHost, port), 256);
        server.setExecutor(requests);
        server.createContext(path, this::handle);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void start() {
        server.start();
        LOG.info("Query gateway (HiveServer2 HTTP) listening on {}:{}{}", server.getAddress().getHostString(), port(), path);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Allow", "POST");
                send(exchange, 405, "text/plain", "TCLIService takes POST requests".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Optional<String[]> credentials = basic(exchange.getRequestHeaders().getFirst("Authorization"));
            Optional<String> user = credentials.map(c -> c[0]);
            if (service.users().requiresPassword() && (credentials.isEmpty() || !service.users().authenticate(credentials.get()[0], credentials.get()[1]))) {
                LOG.info("Refused an HTTP gateway request from {} for user {}", exchange.getRemoteAddress(), user.orElse("(none)"));
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"mortar\"");
                send(exchange, 401, "text/plain", "Authentication failed: wrong user name or password".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, "text/plain", ("Request larger than " + maxMessageSize + " bytes").getBytes(StandardCharsets.UTF_8));
                return;
            }
            // the answer in pieces, copied once on its way out (a result batch can be megabytes)
            MessageBuffer out = new MessageBuffer(0);
            TConfiguration configuration = new TConfiguration(maxMessageSize, maxMessageSize, TConfiguration.DEFAULT_RECURSION_DEPTH);
            TIOStreamTransport transport = new TIOStreamTransport(configuration, new ByteArrayInputStream(body), out);
            TBinaryProtocol protocol = new TBinaryProtocol(transport, maxMessageSize, maxMessageSize, true, true);
            String peer = String.valueOf(exchange.getRemoteAddress());
            new TCLIService.Processor<>(new CliService(service, new ConnectionContext(user, "http", peer))).process(protocol, protocol);
            transport.flush();
            exchange.getResponseHeaders().set("Content-Type", "application/x-thrift");
            exchange.sendResponseHeaders(200, out.length() == 0 ? -1 : out.length());
            try (OutputStream response = exchange.getResponseBody()) {
                out.drainTo(response::write);
            }
        } catch (TException e) {
            LOG.warn("Bad TCLIService request over HTTP from {}: {}", exchange.getRemoteAddress(), e.getMessage());
        }
    }

    private byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            body.write(buffer, 0, n);
            if (body.size() > maxMessageSize) {
                return null;
            }
        }
        return body.toByteArray();
    }

    private static Optional<String[]> basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        requests.shutdownNow();
    }
}
