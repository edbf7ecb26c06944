package dev.mortar.gateway.service;

import org.apache.hive.service.rpc.thrift.TRowSet;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;

import java.util.ArrayList;
import java.util.List;

/** Builds columnar TRowSets (HS2 protocol V6+), with a null bitmap per column. */
public final class RowSetBuilder {
    private final List<ResultColumn> columns;
    private final List<ColumnValues> values = new ArrayList<>();
    private final long startOffset;
    private int rows;

    public RowSetBuilder(List<ResultColumn> columns, long startOffset) {
        this.columns = columns;
        this.startOffset = startOffset;
        for (ResultColumn column : columns) {
            values.add(new ColumnValues(column.carrier()));
        }
    }

    /** Adds a value of column {@code index} for the current row; null is SQL NULL. */
    public void set(int index, Object value) {
        values.get(index).add(value);
    }

    /** Adds the value of column {@code index} (0-based) in the current row of {@code rs}, numbers unboxed. */
    public void setFrom(int index, java.sql.ResultSet rs) throws java.sql.SQLException {
        values.get(index).addFrom(rs, index + 1);
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

    public TRowSet build() {
        return take(rows, startOffset);
    }

    /**
     * The first {@code count} rows as a row set starting at {@code offset}; they are removed from this builder, which
     * keeps the rows after them.
     */
    public TRowSet take(int count, long offset) {
        int taken = Math.min(count, rows);
        List<ColumnValues> head = new ArrayList<>(values.size());
        for (ColumnValues column : values) {
            head.add(column.takeFirst(taken));
        }
        rows -= taken;
        return new Columnar(offset, head);
    }

    /**
     * A TRowSet that writes its columns from {@link ColumnValues} (its generated fields stay empty: it is only
     * written to a client, never read). The fields are those of {@code TRowSet} in TCLIService.thrift: the start
     * offset, the required (empty) row list, the columns, and their count.
     */
    private static final class Columnar extends TRowSet {
        private static final TStruct STRUCT = new TStruct("TRowSet");
        private static final TField START_ROW_OFFSET = new TField("startRowOffset", TType.I64, (short) 1);
        private static final TField ROWS = new TField("rows", TType.LIST, (short) 2);
        private static final TField COLUMNS = new TField("columns", TType.LIST, (short) 3);
        private static final TField COLUMN_COUNT = new TField("columnCount", TType.I32, (short) 5);

        private final List<ColumnValues> columnValues;

        Columnar(long offset, List<ColumnValues> columnValues) {
            super(offset, new ArrayList<>());
            this.columnValues = columnValues;
            setColumnCount(columnValues.size());
        }

        @Override
        public void write(TProtocol out) throws TException {
            out.writeStructBegin(STRUCT);
            out.writeFieldBegin(START_ROW_OFFSET);
            out.writeI64(getStartRowOffset());
            out.writeFieldEnd();
            out.writeFieldBegin(ROWS);
            out.writeListBegin(new TList(TType.STRUCT, 0));
            out.writeListEnd();
            out.writeFieldEnd();
            out.writeFieldBegin(COLUMNS);
            out.writeListBegin(new TList(TType.STRUCT, columnValues.size()));
            for (ColumnValues column : columnValues) {
                column.write(out);
            }
            out.writeListEnd();
            out.writeFieldEnd();
            out.writeFieldBegin(COLUMN_COUNT);
            out.writeI32(columnValues.size());
            out.writeFieldEnd();
            out.writeFieldStop();
            out.writeStructEnd();
        }
    }
}
