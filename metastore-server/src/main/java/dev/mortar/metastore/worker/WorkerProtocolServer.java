package dev.mortar.metastore.worker;

import dev.mortar.thrift.worker.CrawlTaskService;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The worker port ({@code mortar.worker.port}): the worker protocol ({@code CrawlTaskService} of thrift-idl)
 * over framed binary Thrift, one virtual thread per connection. Kept apart from the HMS port so that
 * the metastore's wire format stays exactly Hive's.
 */
public final class WorkerProtocolServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerProtocolServer.class);

    private final ServerSocket socket;
    private final TServer server;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private Thread serving;

    public WorkerProtocolServer(String bindHost, int port, CrawlTaskService.Iface service, int maxMessageSize) throws IOException {
        this.socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), 128);
        try {
            TServerSocket transport = new TServerSocket(socket);
            this.server = new TThreadPoolServer(new TThreadPoolServer.Args(transport)
                    .processor(new CrawlTaskService.Processor<>(service))
                    .transportFactory(new TFramedTransport.Factory(maxMessageSize))
                    .protocolFactory(new TBinaryProtocol.Factory(maxMessageSize, maxMessageSize))
                    .executorService(connections));
        } catch (TTransportException e) {
            socket.close();
            throw new IOException("Cannot serve the worker protocol on port " + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void start() {
        serving = Thread.ofPlatform().name("worker-protocol").daemon(true).start(server::serve);
        LOG.info("Worker protocol (crawl task leases) listening on {}:{}", socket.getInetAddress().getHostAddress(), port());
    }

    @Override
    public void close() {
        server.stop();
        connections.shutdownNow();
        if (serving != null) {
            try {
                serving.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
