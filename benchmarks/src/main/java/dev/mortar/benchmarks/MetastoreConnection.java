package dev.mortar.benchmarks;

import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;

import java.time.Duration;

/**
 * One plain Thrift connection (TSocket, unframed TBinaryProtocol, no SASL) with the generated
 * {@link ThriftHiveMetastore.Client}: no retries, no client-side caching, nothing in between.
 */
final class MetastoreConnection
        implements AutoCloseable
{
    // a 100,000-partition get_partitions answer is far above libthrift's 100 MB default
    private static final int MAX_MESSAGE_BYTES = Integer.MAX_VALUE;

    private final TSocket socket;
    private final ThriftHiveMetastore.Client client;

    private MetastoreConnection(TSocket socket)
    {
        this.socket = socket;
        this.client = new ThriftHiveMetastore.Client(new TBinaryProtocol(socket));
    }

    static MetastoreConnection open(Target target, Duration callTimeout)
            throws TTransportException
    {
        TConfiguration configuration = TConfiguration.custom()
                .setMaxMessageSize(MAX_MESSAGE_BYTES)
                .setMaxFrameSize(MAX_MESSAGE_BYTES)
                .build();
        TSocket socket = new TSocket(configuration, target.host(), target.port(), (int) callTimeout.toMillis());
        socket.setConnectTimeout(10_000);
        socket.open();
        return new MetastoreConnection(socket);
    }

    ThriftHiveMetastore.Client client()
    {
        return client;
    }

    @Override
    public void close()
    {
        socket.close();
    }
}
