package dev.mortar.metastore.store;

import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TMemoryBuffer;

import java.util.Arrays;

/**
 * A partition that keeps its binary-protocol encoding after it is first written, so that a cached
 * partition served to many clients is encoded once. The binary protocol writes a struct the same way
 * wherever it stands in a message, which is what makes the bytes reusable; other protocols encode it
 * each time. Like every cached object it must not change once shared.
 */
public final class EncodedPartition extends Partition {
    private volatile byte[] binary;

    public EncodedPartition(Partition partition) {
        super(partition);
    }

    @Override
    public void write(TProtocol out) throws TException {
        if (out.getClass() != TBinaryProtocol.class) {
            super.write(out);
            return;
        }
        byte[] bytes = binary;
        if (bytes == null) {
            TMemoryBuffer buffer = new TMemoryBuffer(1024);
            super.write(new TBinaryProtocol(buffer));
            bytes = Arrays.copyOf(buffer.getArray(), buffer.length());
            binary = bytes;
        }
        out.getTransport().write(bytes);
    }
}
