package dev.mortar.metastore.store;

import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TMemoryBuffer;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An unmodifiable list of names that keeps its binary-protocol encoding (a Thrift {@code list<string>})
 * after it is first asked for, so that a cached list of partition names sent again is not encoded again.
 */
public final class EncodedNames extends AbstractList<String> implements RandomAccess {
    private final List<String> names;
    private volatile byte[] binary;

    public EncodedNames(List<String> names) {
        this.names = List.copyOf(names);
    }

    @Override
    public String get(int index) {
        return names.get(index);
    }

    @Override
    public int size() {
        return names.size();
    }

    /** One array copy (the inherited one walks the list element by element). */
    @Override
    public Object[] toArray() {
        return names.toArray();
    }

    /** The list as the binary protocol writes it: element type, count, then each string. */
    public byte[] binary() {
        byte[] bytes = binary;
        if (bytes == null) {
            try {
                TMemoryBuffer buffer = new TMemoryBuffer(names.size() * 24 + 8);
                TBinaryProtocol protocol = new TBinaryProtocol(buffer);
                protocol.writeListBegin(new TList(TType.STRING, names.size()));
                for (String name : names) {
                    protocol.writeString(name);
                }
                protocol.writeListEnd();
                bytes = Arrays.copyOf(buffer.getArray(), buffer.length());
            } catch (TException e) {
                throw new IllegalStateException("Encoding names in memory failed", e);
            }
            binary = bytes;
        }
        return bytes;
    }
}
