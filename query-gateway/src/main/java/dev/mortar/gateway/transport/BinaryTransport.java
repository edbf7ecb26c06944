package dev.mortar.gateway.transport;

import dev.mortar.gateway.auth.PlainSaslProvider;
import dev.mortar.gateway.auth.PlainSaslServer;
import dev.mortar.gateway.service.CliService;
import dev.mortar.gateway.service.ConnectionContext;
import dev.mortar.gateway.service.GatewayService;
import org.apache.hive.service.rpc.thrift.TCLIService;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.TSaslServerTransport;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.sasl.Sasl;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * TCLIService over a TCP socket, as the Hive JDBC driver speaks it in binary mode. The first byte
 * tells the two flavours apart: a SASL START message (status 0x01) is PLAIN authentication through
 * libthrift's {@link TSaslServerTransport} (the driver's default), whose messages are then framed by
 * {@link SaslFrames}; a strict binary message header (0x80) is {@code auth=noSasl}, whose credentials
 * travel in OpenSession. One virtual thread per connection.
 */
public final class BinaryTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BinaryTransport.class);
    private static final int SASL_START = 0x01;

    private final GatewayService service;
    private final int maxMessageSize;
    private final ServerSocket serverSocket;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public BinaryTransport(GatewayService service, String bindHost, int port, int maxMessageSize) throws IOException {
        this.service = service;
        this.maxMessageSize = maxMessageSize;
        PlainSaslProvider.install();
        this.serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), 256);
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public void start() {
        Thread.ofPlatform().name("gateway-accept").daemon(true).start(this::acceptLoop);
        LOG.info("Query gateway (HiveServer2 binary, SASL PLAIN or noSasl) listening on {}:{}", serverSocket.getInetAddress().getHostAddress(), port());
    }

    private void acceptLoop() {
        while (!stopping) {
            try {
                Socket socket = serverSocket.accept();
                socket.setTcpNoDelay(true);
                open.add(socket);
                connections.submit(() -> serve(socket));
            } catch (IOException e) {
                if (!stopping) {
                    LOG.warn("Gateway accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        String peer = String.valueOf(socket.getRemoteSocketAddress());
        try (socket) {
            BufferedInputStream input = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            BufferedOutputStream output = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            input.mark(1);
            int first = input.read();
            if (first < 0) {
                return;
            }
            input.reset();
            TConfiguration configuration = new TConfiguration(maxMessageSize, maxMessageSize, TConfiguration.DEFAULT_RECURSION_DEPTH);
            TTransport transport = new TIOStreamTransport(configuration, input, output);
            Optional<String> user = Optional.empty();
            String flavour = "binary";
            if (first == SASL_START) {
                TSaslServerTransport sasl = new TSaslServerTransport(transport);
                sasl.addServerDefinition(PlainSaslServer.MECHANISM, "hive", "mortar", Map.of(), new PlainSaslProvider.Users(service.users()));
                try {
                    sasl.open();
                } catch (TTransportException e) {
                    LOG.info("Refused a gateway connection from {}: {}", peer, e.getMessage());
                    return;
                }
                user = Optional.of(sasl.getSaslServer().getAuthorizationID());
                Object qop = sasl.getSaslServer().getNegotiatedProperty(Sasl.QOP);
                // Without a security layer the frames are plain; SaslFrames reads and writes them with kept buffers.
                transport = qop == null || "auth".equalsIgnoreCase(qop.toString()) ? new SaslFrames(transport, maxMessageSize) : sasl;
                flavour = "binary+sasl";
            }
            TProtocol protocol = new TBinaryProtocol(transport, maxMessageSize, maxMessageSize, true, true);
            TCLIService.Processor<CliService> processor = new TCLIService.Processor<>(new CliService(service, new ConnectionContext(user, flavour, peer)));
            while (!stopping) {
                processor.process(protocol, protocol);
            }
        } catch (TTransportException e) {
            if (e.getType() != TTransportException.END_OF_FILE && !stopping) {
                LOG.debug("Gateway connection from {} closed: {}", peer, e.getMessage());
            }
        } catch (TException e) {
            LOG.warn("Closing gateway connection from {}: bad request: {}", peer, e.getMessage());
        } catch (SocketException e) {
            LOG.debug("Gateway connection from {} ended: {}", peer, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Closing gateway connection from {}: {}", peer, e.toString());
        } finally {
            open.remove(socket);
        }
    }

    @Override
    public void close() {
        stopping = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("Closing the gateway listener: {}", e.getMessage());
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("Closing a gateway connection: {}", e.getMessage());
            }
        }
        connections.shutdownNow();
    }
}
