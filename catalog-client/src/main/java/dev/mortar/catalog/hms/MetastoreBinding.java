package dev.mortar.catalog.hms;

import dev.mortar.catalog.CatalogException;
import dev.mortar.catalog.CatalogUnavailableException;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Where HMS calls go: Hive's own Thrift client over a socket to a metastore port ({@link #socket}), or any
 * {@link ThriftHiveMetastore.Iface} in the same process ({@link #direct}: a worker inside the server binds to the
 * server's HMS handler, with the same validation and transactions as a remote client). Thrift failures become
 * catalog-client exceptions here, in one place.
 */
public abstract sealed class MetastoreBinding implements AutoCloseable {
    /** One HMS call; a {@link TException} it throws is mapped by {@link #call}. */
    @FunctionalInterface
    public interface Call<T> {
        T apply(ThriftHiveMetastore.Iface metastore) throws TException;
    }

    /**
     * Runs {@code call}; a failure is a {@link CatalogUnavailableException} when the metastore cannot be reached,
     * else a {@link CatalogException} with the metastore's message and {@code what} it was asked to do.
     */
    public abstract <T> T call(String what, Call<T> call);

    /** Where the calls go, for messages. */
    public abstract String describe();

    @Override
    public void close() {}

    /**
     * Socket clients of a metastore port, pooled (up to 16 idle). With {@code retryBrokenConnection}, a call whose
     * connection broke is retried once on a new connection (right for reads, not for writes that may have landed).
     */
    public static MetastoreBinding socket(String host, int port, int timeoutMillis, boolean retryBrokenConnection) {
        return new Socket(host, port, timeoutMillis, retryBrokenConnection);
    }

    /** A metastore handler in this process; closing the binding leaves the handler alone. */
    public static MetastoreBinding direct(ThriftHiveMetastore.Iface metastore) {
        return new Direct(metastore);
    }

    static CatalogException refused(String where, String what, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new CatalogException("Metastore " + where + " refused to " + what + ": " + message, e);
    }

    private static final class Direct extends MetastoreBinding {
        private final ThriftHiveMetastore.Iface metastore;

        Direct(ThriftHiveMetastore.Iface metastore) {
            this.metastore = Objects.requireNonNull(metastore, "metastore");
        }

        @Override
        public <T> T call(String what, Call<T> call) {
            try {
                return call.apply(metastore);
            } catch (TException e) {
                throw refused(describe(), what, e);
            }
        }

        @Override
        public String describe() {
            return "(in process)";
        }
    }

    private static final class Socket extends MetastoreBinding {
        private static final Logger LOG = LoggerFactory.getLogger(MetastoreBinding.class);

        private record Connection(TSocket socket, ThriftHiveMetastore.Client client) {}

        private final String host;
        private final int port;
        private final int timeoutMillis;
        private final boolean retryBrokenConnection;
        private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(16);

        Socket(String host, int port, int timeoutMillis, boolean retryBrokenConnection) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            this.timeoutMillis = timeoutMillis;
            this.retryBrokenConnection = retryBrokenConnection;
        }

        @Override
        public <T> T call(String what, Call<T> call) {
            for (int attempt = 0; ; attempt++) {
                Connection connection = idle.poll();
                try {
                    if (connection == null) {
                        connection = open();
                    }
                    T result = call.apply(connection.client());
                    release(connection);
                    return result;
                } catch (TTransportException e) {
                    if (connection != null) {
                        connection.socket().close();
                    }
                    if (attempt > 0 || !retryBrokenConnection) {
                        throw new CatalogUnavailableException("Cannot reach the catalog at " + describe() + " to " + what + ": " + e.getMessage(), e);
                    }
                    LOG.debug("Metastore connection broke during {}, retrying: {}", what, e.getMessage());
                } catch (TException e) {
                    release(connection);
                    throw refused(describe(), what, e);
                } catch (RuntimeException e) {
                    // the connection's state is unknown after a failure outside Thrift's own
                    if (connection != null) {
                        connection.socket().close();
                    }
                    throw e;
                }
            }
        }

        private void release(Connection connection) {
            if (!idle.offer(connection)) {
                connection.socket().close();
            }
        }

        private Connection open() throws TTransportException {
            TSocket socket = new TSocket(host, port, timeoutMillis);
            socket.open();
            return new Connection(socket, new ThriftHiveMetastore.Client(new TBinaryProtocol(socket)));
        }

        @Override
        public String describe() {
            return host + ":" + port;
        }

        @Override
        public void close() {
            Connection c;
            while ((c = idle.poll()) != null) {
                c.socket().close();
            }
        }
    }
}
