package dev.mortar.gateway.service;

import org.apache.hive.service.rpc.thrift.TBinaryColumn;
import org.apache.hive.service.rpc.thrift.TBoolColumn;
import org.apache.hive.service.rpc.thrift.TByteColumn;
import org.apache.hive.service.rpc.thrift.TColumn;
import org.apache.hive.service.rpc.thrift.TDoubleColumn;
import org.apache.hive.service.rpc.thrift.TI16Column;
import org.apache.hive.service.rpc.thrift.TI32Column;
import org.apache.hive.service.rpc.thrift.TI64Column;
import org.apache.hive.service.rpc.thrift.TRowSet;
import org.apache.hive.service.rpc.thrift.TStringColumn;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Builds one columnar TRowSet (HS2 protocol V6+), with a null bitmap per column. */
public final class RowSetBuilder {
    private final List<ResultColumn> columns;
    private final List<List<Object>> values = new ArrayList<>();
    private final List<BitSet> nulls = new ArrayList<>();
    private final long startOffset;
    private int rows;

    public RowSetBuilder(List<ResultColumn> columns, long startOffset) {
        this.columns = columns;
        this.startOffset = startOffset;
        for (int i = 0; i < columns.size(); i++) {
            values.add(new ArrayList<>());
            nulls.add(new BitSet());
        }
    }

    /** Adds a value of column {@code index} for the current row; null is SQL NULL. */
    public void set(int index, Object value) {
        List<Object> column = values.get(index);
        if (value == null) {
            nulls.get(index).set(column.size());
            column.add(placeholder(columns.get(index).carrier()));
            return;
        }
        column.add(switch (columns.get(index).carrier()) {
            case DECIMAL -> value instanceof BigDecimal d ? d.toPlainString() : value.toString();
            case STRING -> value.toString();
            case BINARY -> value instanceof byte[] b ? ByteBuffer.wrap(b) : ByteBuffer.wrap(value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case LONG -> ((Number) value).longValue();
            case INT -> ((Number) value).intValue();
            case SHORT -> ((Number) value).shortValue();
            case BYTE -> ((Number) value).byteValue();
            case DOUBLE -> ((Number) value).doubleValue();
            case BOOLEAN -> (Boolean) value;
        });
    }

    public void endRow() {
        rows++;
    }

    public int rows() {
        return rows;
    }

    public void addRow(Object[] row) {
        for (int i = 0; i < row.length; i++) {
            set(i, row[i]);
        }
        endRow();
    }

    private static Object placeholder(ResultColumn.Carrier carrier) {
        return switch (carrier) {
            case DECIMAL, STRING -> "";
            case BINARY -> ByteBuffer.allocate(0);
            case LONG -> 0L;
            case INT -> 0;
            case SHORT -> (short) 0;
            case BYTE -> (byte) 0;
            case DOUBLE -> 0.0d;
            case BOOLEAN -> false;
        };
    }

    public TRowSet build() {
        return rowSet(startOffset, values, nulls);
    }

    /**
     * The first {@code count} rows as a row set starting at {@code offset}; they are removed from this builder, which
     * keeps the rows after them.
     */
    public TRowSet take(int count, long offset) {
        if (count >= rows) {
            TRowSet all = rowSet(offset, new ArrayList<>(values), new ArrayList<>(nulls));
            for (int i = 0; i < columns.size(); i++) {
                values.set(i, new ArrayList<>());
                nulls.set(i, new BitSet());
            }
            rows = 0;
            return all;
        }
        List<List<Object>> headValues = new ArrayList<>(columns.size());
        List<BitSet> headNulls = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            List<Object> column = values.get(i);
            List<Object> head = column.subList(0, count);
            headValues.add(new ArrayList<>(head));
            head.clear();
            BitSet bits = nulls.get(i);
            headNulls.add(bits.get(0, count));
            nulls.set(i, bits.get(count, Math.max(count, bits.length())));
        }
        rows -= count;
        return rowSet(offset, headValues, headNulls);
    }

    @SuppressWarnings("unchecked")
    private TRowSet rowSet(long offset, List<List<Object>> values, List<BitSet> nulls) {
        TRowSet rowSet = new TRowSet(offset, new ArrayList<>());
        List<TColumn> out = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            List<?> v = values.get(i);
            ByteBuffer bitmap = ByteBuffer.wrap(toBytes(nulls.get(i)));
            out.add(switch (columns.get(i).carrier()) {
                case DECIMAL, STRING -> TColumn.stringVal(new TStringColumn((List<String>) v, bitmap));
                case BINARY -> TColumn.binaryVal(new TBinaryColumn((List<ByteBuffer>) v, bitmap));
                case LONG -> TColumn.i64Val(new TI64Column((List<Long>) v, bitmap));
                case INT -> TColumn.i32Val(new TI32Column((List<Integer>) v, bitmap));
                case SHORT -> TColumn.i16Val(new TI16Column((List<Short>) v, bitmap));
                case BYTE -> TColumn.byteVal(new TByteColumn((List<Byte>) v, bitmap));
                case DOUBLE -> TColumn.doubleVal(new TDoubleColumn((List<Double>) v, bitmap));
                case BOOLEAN -> TColumn.boolVal(new TBoolColumn((List<Boolean>) v, bitmap));
            });
        }
        rowSet.setColumns(out);
        rowSet.setColumnCount(columns.size());
        return rowSet;
    }

    /** Hive's null bitmap: bit i (least significant first) of byte i/8 marks row i as NULL. */
    private static byte[] toBytes(BitSet bits) {
        return bits.toByteArray();
    }
}
