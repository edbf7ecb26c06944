package dev.mortar.gateway.service;

import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The values of one result column, unboxed: numbers in a primitive array, text already encoded as UTF-8 (on the
 * thread that reads rows ahead of the client, not on the one answering its fetch), with the null bitmap. Written as
 * HS2's {@code TColumn} union by {@link #write}; over the binary protocol the values go to the transport in one
 * piece, in exactly the bytes Thrift's generated code would write element by element.
 */
final class ColumnValues {
    private static final TStruct COLUMN = new TStruct("TColumn");
    private static final TStruct VALUES = new TStruct("TColumnValues");
    private static final TField VALUES_FIELD = new TField("values", TType.LIST, (short) 1);
    private static final TField NULLS_FIELD = new TField("nulls", TType.STRING, (short) 2);
    private static final byte[] NO_BYTES = new byte[0];
    /** Bytes handed to the transport at once. */
    private static final int CHUNK = 64 * 1024;

    private final ResultColumn.Carrier carrier;
    private long[] longs;
    private int[] ints;
    private short[] shorts;
    private byte[] bytes;
    private double[] doubles;
    private boolean[] booleans;
    private byte[][] blobs;
    private BitSet nulls = new BitSet();
    private int size;
    /** Length of the array in use. */
    private int capacity;

    ColumnValues(ResultColumn.Carrier carrier) {
        this(carrier, 16);
    }

    private ColumnValues(ResultColumn.Carrier carrier, int capacity) {
        this.carrier = carrier;
        this.capacity = capacity;
        switch (carrier) {
            case LONG -> longs = new long[capacity];
            case INT -> ints = new int[capacity];
            case SHORT -> shorts = new short[capacity];
            case BYTE -> bytes = new byte[capacity];
            case DOUBLE -> doubles = new double[capacity];
            case BOOLEAN -> booleans = new boolean[capacity];
            case DECIMAL, STRING, BINARY -> blobs = new byte[capacity][];
        }
    }

    int size() {
        return size;
    }

    /** Appends a value; null is SQL NULL (a zero or empty value under a set bit of the bitmap, as Hive writes it). */
    void add(Object value) {
        if (size == capacity) {
            grow(Math.max(16, size * 2));
        }
        if (value == null) {
            nulls.set(size);
            if (blobs != null) {
                blobs[size] = NO_BYTES;
            }
            size++;
            return;
        }
        switch (carrier) {
            case LONG -> longs[size] = ((Number) value).longValue();
            case INT -> ints[size] = ((Number) value).intValue();
            case SHORT -> shorts[size] = ((Number) value).shortValue();
            case BYTE -> bytes[size] = ((Number) value).byteValue();
            case DOUBLE -> doubles[size] = ((Number) value).doubleValue();
            case BOOLEAN -> booleans[size] = (Boolean) value;
            case DECIMAL -> blobs[size] = utf8(value instanceof BigDecimal d ? d.toPlainString() : value.toString());
            case STRING -> blobs[size] = utf8(value.toString());
            case BINARY -> blobs[size] = value instanceof byte[] b ? b : utf8(value.toString());
        }
        size++;
    }

    /** Appends the value of this column in the current row of {@code rs} (1-based {@code index}), without boxing numbers. */
    void addFrom(java.sql.ResultSet rs, int index) throws java.sql.SQLException {
        if (size == capacity) {
            grow(Math.max(16, size * 2));
        }
        switch (carrier) {
            case LONG -> longs[size] = rs.getLong(index);
            case INT -> ints[size] = rs.getInt(index);
            case SHORT -> shorts[size] = rs.getShort(index);
            case BYTE -> bytes[size] = rs.getByte(index);
            case DOUBLE -> doubles[size] = rs.getDouble(index);
            case BOOLEAN -> booleans[size] = rs.getBoolean(index);
            // the driver's own decimal, written out (not its text parsed again)
            case DECIMAL -> {
                BigDecimal d = rs.getBigDecimal(index);
                blobs[size] = d == null ? NO_BYTES : utf8(d.toPlainString());
            }
            case STRING -> {
                String v = rs.getString(index);
                blobs[size] = v == null ? NO_BYTES : utf8(v);
            }
            case BINARY -> {
                byte[] v = rs.getBytes(index);
                blobs[size] = v == null ? NO_BYTES : v;
            }
        }
        if (rs.wasNull()) {
            nulls.set(size);
        }
        size++;
    }

    /** Removes the first {@code count} values and returns them as a column of their own. */
    ColumnValues takeFirst(int count) {
        ColumnValues head = new ColumnValues(carrier, Math.max(count, 1));
        Object from = array();
        System.arraycopy(from, 0, head.array(), 0, count);
        head.size = count;
        head.nulls = nulls.get(0, count);
        System.arraycopy(from, count, from, 0, size - count);
        if (blobs != null) {
            Arrays.fill(blobs, size - count, size, null);
        }
        nulls = nulls.get(count, Math.max(count, size));
        size -= count;
        return head;
    }

    private Object array() {
        return switch (carrier) {
            case LONG -> longs;
            case INT -> ints;
            case SHORT -> shorts;
            case BYTE -> bytes;
            case DOUBLE -> doubles;
            case BOOLEAN -> booleans;
            case DECIMAL, STRING, BINARY -> blobs;
        };
    }

    private void grow(int capacity) {
        this.capacity = capacity;
        switch (carrier) {
            case LONG -> longs = Arrays.copyOf(longs, capacity);
            case INT -> ints = Arrays.copyOf(ints, capacity);
            case SHORT -> shorts = Arrays.copyOf(shorts, capacity);
            case BYTE -> bytes = Arrays.copyOf(bytes, capacity);
            case DOUBLE -> doubles = Arrays.copyOf(doubles, capacity);
            case BOOLEAN -> booleans = Arrays.copyOf(booleans, capacity);
            case DECIMAL, STRING, BINARY -> blobs = Arrays.copyOf(blobs, capacity);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes this column as a {@code TColumn}: the union member of its carrier holding {@code values} and {@code nulls}. */
    void write(TProtocol out) throws TException {
        out.writeStructBegin(COLUMN);
        out.writeFieldBegin(member());
        out.writeStructBegin(VALUES);
        out.writeFieldBegin(VALUES_FIELD);
        out.writeListBegin(new TList(elementType(), size));
        if (out instanceof TBinaryProtocol) {
            writeBinaryElements(out.getTransport());
        } else {
            writeElements(out);
        }
        out.writeListEnd();
        out.writeFieldEnd();
        out.writeFieldBegin(NULLS_FIELD);
        // Hive's bitmap: bit i (least significant first) of byte i/8 marks row i as NULL
        out.writeBinary(ByteBuffer.wrap(nulls.toByteArray()));
        out.writeFieldEnd();
        out.writeFieldStop();
        out.writeStructEnd();
        out.writeFieldEnd();
        out.writeFieldStop();
        out.writeStructEnd();
    }

    /** The TColumn union member (field id as in TCLIService.thrift) of this carrier. */
    private TField member() {
        return switch (carrier) {
            case BOOLEAN -> new TField("boolVal", TType.STRUCT, (short) 1);
            case BYTE -> new TField("byteVal", TType.STRUCT, (short) 2);
            case SHORT -> new TField("i16Val", TType.STRUCT, (short) 3);
            case INT -> new TField("i32Val", TType.STRUCT, (short) 4);
            case LONG -> new TField("i64Val", TType.STRUCT, (short) 5);
            case DOUBLE -> new TField("doubleVal", TType.STRUCT, (short) 6);
            case DECIMAL, STRING -> new TField("stringVal", TType.STRUCT, (short) 7);
            case BINARY -> new TField("binaryVal", TType.STRUCT, (short) 8);
        };
    }

    private byte elementType() {
        return switch (carrier) {
            case BOOLEAN -> TType.BOOL;
            case BYTE -> TType.BYTE;
            case SHORT -> TType.I16;
            case INT -> TType.I32;
            case LONG -> TType.I64;
            case DOUBLE -> TType.DOUBLE;
            case DECIMAL, STRING, BINARY -> TType.STRING;
        };
    }

    /** The bytes of the list's elements in the binary protocol. */
    private long encodedLength() {
        return switch (carrier) {
            case BOOLEAN, BYTE -> size;
            case SHORT -> 2L * size;
            case INT -> 4L * size;
            case LONG, DOUBLE -> 8L * size;
            case DECIMAL, STRING, BINARY -> {
                long length = 4L * size;
                for (int i = 0; i < size; i++) {
                    length += blobs[i].length;
                }
                yield length;
            }
        };
    }

    private void writeElements(TProtocol out) throws TException {
        for (int i = 0; i < size; i++) {
            switch (carrier) {
                case BOOLEAN -> out.writeBool(booleans[i]);
                case BYTE -> out.writeByte(bytes[i]);
                case SHORT -> out.writeI16(shorts[i]);
                case INT -> out.writeI32(ints[i]);
                case LONG -> out.writeI64(longs[i]);
                case DOUBLE -> out.writeDouble(doubles[i]);
                case DECIMAL, STRING, BINARY -> out.writeBinary(ByteBuffer.wrap(blobs[i]));
            }
        }
    }

    /**
     * The list's elements as the binary protocol writes them (big-endian numbers, booleans as one byte, strings
     * length-prefixed), handed to the transport a buffer at a time.
     */
    private void writeBinaryElements(TTransport transport) throws TTransportException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, encodedLength()));
        for (int i = 0; i < size; i++) {
            int width = switch (carrier) {
                case BOOLEAN, BYTE -> 1;
                case SHORT -> 2;
                case INT -> 4;
                case LONG, DOUBLE -> 8;
                case DECIMAL, STRING, BINARY -> 4 + blobs[i].length;
            };
            if (buffer.remaining() < width) {
                transport.write(buffer.array(), 0, buffer.position());
                buffer.clear();
                if (width > buffer.capacity()) {
                    transport.write(ByteBuffer.allocate(4).putInt(blobs[i].length).array());
                    transport.write(blobs[i]);
                    continue;
                }
            }
            switch (carrier) {
                case BOOLEAN -> buffer.put(booleans[i] ? (byte) 1 : (byte) 0);
                case BYTE -> buffer.put(bytes[i]);
                case SHORT -> buffer.putShort(shorts[i]);
                case INT -> buffer.putInt(ints[i]);
                case LONG -> buffer.putLong(longs[i]);
                case DOUBLE -> buffer.putLong(Double.doubleToLongBits(doubles[i]));
                case DECIMAL, STRING, BINARY -> buffer.putInt(blobs[i].length).put(blobs[i]);
            }
        }
        transport.write(buffer.array(), 0, buffer.position());
    }
}
