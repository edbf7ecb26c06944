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

    /**
     * The list that follows this one after partitions were added or dropped: {@code next} holds names of this
     * list (the same objects, in the same order) with some added, or some dropped. Should this list's encoding be
     * known, the successor makes its own from it when first asked (copying the encoded names it keeps, not
     * encoding every name again), so the first listing after a write costs little more than the next ones.
     */
    public EncodedNames successor(List<String> next) {
        EncodedNames result = new EncodedNames(next);
        byte[] old = binary;
        if (old != null && next.size() != names.size()) {
            result.predecessor = new Predecessor(names, old);
        }
        return result;
    }

    /** The names and encoding of the list this one followed, until this one's encoding is made. */
    private record Predecessor(List<String> names, byte[] binary) {}

    private volatile Predecessor predecessor;

    /**
     * The encoding, made from the predecessor's: its bytes for the names kept, in runs; new names encoded here. Null
     * when this list is not the predecessor's with names only added or only dropped.
     */
    private byte[] spliced(Predecessor from) {
        boolean adding = names.size() > from.names().size();
        byte[] old = from.binary();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(old.length + (adding ? 64 * (names.size() - from.names().size()) : 0));
        out.write(TType.STRING);
        writeInt(out, names.size());
        int oldAt = 0;
        int oldOffset = LIST_HEADER;
        int runStart = LIST_HEADER;
        for (String name : names) {
            if (!adding) {
                // dropping: the old names before this one that are not it are the dropped ones
                while (oldAt < from.names().size() && from.names().get(oldAt) != name) {
                    out.write(old, runStart, oldOffset - runStart);
                    oldOffset += 4 + readInt(old, oldOffset);
                    runStart = oldOffset;
                    oldAt++;
                }
            }
            if (oldAt < from.names().size() && from.names().get(oldAt) == name) {
                oldOffset += 4 + readInt(old, oldOffset);
                oldAt++;
            } else {
                if (!adding) {
                    // not a list with names dropped from the predecessor's: encode it whole
                    return null;
                }
                // an added name: the kept run before it, then its own encoding
                out.write(old, runStart, oldOffset - runStart);
                runStart = oldOffset;
                byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                writeInt(out, utf8.length);
                out.write(utf8, 0, utf8.length);
            }
        }
        out.write(old, runStart, oldOffset - runStart);
        // with names added, every old one must have been kept
        return adding && oldAt != from.names().size() ? null : out.toByteArray();
    }

    /** Element type (one byte) and count (four) that begin a binary-protocol list. */
    private static final int LIST_HEADER = 5;

    private static void writeInt(java.io.ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16 | (bytes[offset + 2] & 0xff) << 8 | (bytes[offset + 3] & 0xff);
    }

    /** The list as the binary protocol writes it: element type, count, then each string. */
    public byte[] binary() {
        byte[] bytes = binary;
        Predecessor from = predecessor;
        if (bytes == null && from != null) {
            bytes = spliced(from);
            binary = bytes;
            predecessor = null;
        }
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
