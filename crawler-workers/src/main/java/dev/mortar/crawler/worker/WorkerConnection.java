package dev.mortar.crawler.worker;

import dev.mortar.thrift.worker.CrawlTaskService;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/** One connection to the server's worker port (framed transport, binary protocol), opened again after it broke. */
final class WorkerConnection implements TaskService {
    private static final int TIMEOUT_MILLIS = 60_000;

    private final String host;
    private final int port;
    private TFramedTransport transport;
    private CrawlTaskService.Client client;

    WorkerConnection(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Runs the call; a broken connection is closed and reopened by the next call. */
    @Override
    public synchronized <T> T call(Call<T> call) throws TException {
        if (client == null) {
            transport = new TFramedTransport(new TSocket(host, port, TIMEOUT_MILLIS));
            transport.open();
            client = new CrawlTaskService.Client(new TBinaryProtocol(transport));
        }
        try {
            return call.call(client);
        } catch (TTransportException e) {
            close();
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (transport != null) {
            transport.close();
        }
        transport = null;
        client = null;
    }
}
