package dev.mortar.metastore.thrift;

import dev.mortar.metastore.hms.ServerHandler;
import dev.mortar.metastore.hms.TableHandler;
import dev.mortar.metastore.server.Metrics;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TIOStreamTransport;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HMS Thrift endpoint. Each connection is served by a platform thread from a cached pool: a
 * blocked read wakes its own thread directly, where a virtual thread also waits for a carrier, which
 * on a busy machine adds a scheduling delay to every call; threads are reused, so clients that open a
 * connection per call (Trino) cost no thread creation. The connection limit bounds the threads. The first bytes decide the wire format: unframed binary
 * (the default of Hive clients), framed binary, or compact. A connection that sends garbage, a
 * truncated message or a frame over the size limit is closed with a logged reason; the others go on.
 */
public final class ThriftServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ThriftServer.class);

    private final HmsProcessor processor;
    private final Metrics metrics;
    private final int maxMessageSize;
    private final int graceSeconds;
    private final Semaphore connectionSlots;
    private final ServerSocket serverSocket;
    private final ExecutorService connections = Executors.newCachedThreadPool(Thread.ofPlatform().name("hms-conn-", 0).daemon(true).factory());
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;
    private Thread acceptor;

    public ThriftServer(String bindHost, int port, HmsDispatcher dispatcher, TableHandler tables, Metrics metrics,
                       int maxMessageSize, int maxConnections, int graceSeconds) throws IOException {
        this.graceSeconds = graceSeconds;
        this.processor = new HmsProcessor(dispatcher, new LegacyCalls(tables), metrics);
        this.metrics = metrics;
        this.maxMessageSize = maxMessageSize;
        this.connectionSlots = new Semaphore(maxConnections);
        this.serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), 512);
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public void start() {
        acceptor = Thread.ofPlatform().name("hms-accept").daemon(true).start(this::acceptLoop);
        LOG.info("HMS Thrift API listening on {}:{} ({} methods)", serverSocket.getInetAddress().getHostAddress(), port(), processor.methods().size());
    }

    private void acceptLoop() {
        while (!stopping) {
            try {
                Socket socket = serverSocket.accept();
                if (!connectionSlots.tryAcquire()) {
                    LOG.warn("Refusing connection from {}: {} connections open", socket.getRemoteSocketAddress(), open.size());
                    socket.close();
                    continue;
                }
                socket.setTcpNoDelay(true);
                open.add(socket);
                connections.submit(() -> serve(socket));
            } catch (IOException e) {
                if (!stopping) {
                    LOG.warn("Accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        metrics.connectionOpened();
        String peer = String.valueOf(socket.getRemoteSocketAddress());
        ServerHandler.CONNECTION.remove();
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
            TProtocol protocol;
            if (first == 0x82) {
                protocol = new TCompactProtocol(transport, maxMessageSize, maxMessageSize);
            } else if (first == 0x80) {
                protocol = new TBinaryProtocol(transport, maxMessageSize, maxMessageSize, true, true);
            } else {
                // A frame length comes first; a sane one starts with 0x00 for frames under 16 MiB.
                transport = new TFramedTransport(transport, maxMessageSize);
                protocol = new TBinaryProtocol(transport, maxMessageSize, maxMessageSize, true, true);
            }
            while (!stopping) {
                if (!waitForRequest(input)) {
                    break;
                }
                inFlight.incrementAndGet();
                try {
                    processor.process(protocol, protocol);
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        } catch (TTransportException e) {
            if (e.getType() != TTransportException.END_OF_FILE) {
                LOG.warn("Closing connection from {}: {}", peer, e.getMessage());
            }
        } catch (org.apache.thrift.TException e) {
            LOG.warn("Closing connection from {}: bad request: {}", peer, e.getMessage());
        } catch (SocketException e) {
            LOG.debug("Connection from {} ended: {}", peer, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Closing connection from {}: {}", peer, e.toString());
        } catch (Error e) {
            LOG.error("Closing connection from {} after an internal error", peer, e);
        } finally {
            open.remove(socket);
            connectionSlots.release();
            metrics.connectionClosed();
        }
    }

    /** Blocks until the next request begins; false when the client closed the connection. */
    private static boolean waitForRequest(InputStream input) throws IOException {
        input.mark(1);
        int b = input.read();
        if (b < 0) {
            return false;
        }
        input.reset();
        return true;
    }

    /** Stops accepting, lets calls in flight finish (up to the grace period), then closes connections. */
    @Override
    public void close() {
        stopping = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("Closing the listener: {}", e.getMessage());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("Closing a connection: {}", e.getMessage());
            }
        }
        connections.shutdownNow();
        LOG.info("HMS Thrift API stopped");
    }
}
