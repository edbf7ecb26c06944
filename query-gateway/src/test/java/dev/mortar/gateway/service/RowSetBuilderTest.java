package dev.mortar.gateway.service;

import org.apache.hive.service.rpc.thrift.TColumn;
import org.apache.hive.service.rpc.thrift.TRowSet;
import org.apache.hive.service.rpc.thrift.TTypeId;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TMemoryBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The row sets the gateway writes are read back by Thrift's own generated TRowSet code as the values put in. */
class RowSetBuilderTest {
    private static final List<ResultColumn> COLUMNS = List.of(
            new ResultColumn("b", TTypeId.BOOLEAN_TYPE, ResultColumn.Carrier.BOOLEAN, 0, 0),
            new ResultColumn("t", TTypeId.TINYINT_TYPE, ResultColumn.Carrier.BYTE, 0, 0),
            new ResultColumn("s", TTypeId.SMALLINT_TYPE, ResultColumn.Carrier.SHORT, 0, 0),
            new ResultColumn("i", TTypeId.INT_TYPE, ResultColumn.Carrier.INT, 0, 0),
            new ResultColumn("l", TTypeId.BIGINT_TYPE, ResultColumn.Carrier.LONG, 0, 0),
            new ResultColumn("d", TTypeId.DOUBLE_TYPE, ResultColumn.Carrier.DOUBLE, 0, 0),
            new ResultColumn("m", TTypeId.DECIMAL_TYPE, ResultColumn.Carrier.DECIMAL, 10, 2),
            new ResultColumn("v", TTypeId.STRING_TYPE, ResultColumn.Carrier.STRING, 0, 0),
            new ResultColumn("x", TTypeId.BINARY_TYPE, ResultColumn.Carrier.BINARY, 0, 0));

    private static Object[] row(int i) {
        if (i % 7 == 3) {
            return new Object[COLUMNS.size()];
        }
        return new Object[] {i % 2 == 0, (byte) i, (short) -i, i * 1000, (long) i << 40, i / 3.0, new BigDecimal("12.3" + i % 10),
                "zeile " + i + " \u00fc\u4e2d\uD83D\uDE00", new byte[] {(byte) i, 0, (byte) 255}};
    }

    @Test
    void binaryAndCompactProtocolsReadBackTheValuesAndNulls() throws Exception {
        for (Function<TMemoryBuffer, TProtocol> protocol : List.<Function<TMemoryBuffer, TProtocol>>of(TBinaryProtocol::new, TCompactProtocol::new)) {
            RowSetBuilder builder = new RowSetBuilder(COLUMNS, 0);
            for (int i = 0; i < 100; i++) {
                builder.addRow(row(i));
            }
            // three batches as the fetches take them: 40, 40, 20 rows
            int offset = 0;
            for (int batch : new int[] {40, 40, 40}) {
                TRowSet written = builder.take(batch, offset);
                TRowSet read = roundTrip(written, protocol);
                int count = Math.min(batch, 100 - offset);
                assertThat(read.getStartRowOffset()).isEqualTo(offset);
                assertThat(read.getRows()).isEmpty();
                assertThat(read.getColumnCount()).isEqualTo(COLUMNS.size());
                assertThat(read.getColumns()).hasSize(COLUMNS.size());
                for (int r = 0; r < count; r++) {
                    Object[] expected = row(offset + r);
                    for (int c = 0; c < COLUMNS.size(); c++) {
                        assertThat(value(read.getColumns().get(c), r)).as("row %d column %d", offset + r, c).isEqualTo(normal(expected[c]));
                    }
                }
                offset += count;
            }
            assertThat(builder.rows()).isZero();
            TRowSet empty = roundTrip(builder.take(10, 100), protocol);
            assertThat(empty.getColumns()).hasSize(COLUMNS.size());
            assertThat(empty.getColumns().get(4).getI64Val().getValues()).isEmpty();
        }
    }

    private static TRowSet roundTrip(TRowSet written, Function<TMemoryBuffer, TProtocol> protocol) throws Exception {
        TMemoryBuffer buffer = new TMemoryBuffer(1 << 24);
        written.write(protocol.apply(buffer));
        TRowSet read = new TRowSet();
        read.read(protocol.apply(buffer));
        return read;
    }

    private static Object normal(Object value) {
        return switch (value) {
            case null -> null;
            case BigDecimal d -> d.toPlainString();
            case byte[] b -> Arrays.toString(b);
            case Float f -> f.doubleValue();
            default -> value;
        };
    }

    private static Object value(TColumn column, int row) {
        Object raw;
        ByteBuffer nulls;
        switch (column.getSetField()) {
            case BOOL_VAL -> { raw = column.getBoolVal().getValues().get(row); nulls = column.getBoolVal().bufferForNulls(); }
            case BYTE_VAL -> { raw = column.getByteVal().getValues().get(row); nulls = column.getByteVal().bufferForNulls(); }
            case I16_VAL -> { raw = column.getI16Val().getValues().get(row); nulls = column.getI16Val().bufferForNulls(); }
            case I32_VAL -> { raw = column.getI32Val().getValues().get(row); nulls = column.getI32Val().bufferForNulls(); }
            case I64_VAL -> { raw = column.getI64Val().getValues().get(row); nulls = column.getI64Val().bufferForNulls(); }
            case DOUBLE_VAL -> { raw = column.getDoubleVal().getValues().get(row); nulls = column.getDoubleVal().bufferForNulls(); }
            case STRING_VAL -> { raw = column.getStringVal().getValues().get(row); nulls = column.getStringVal().bufferForNulls(); }
            case BINARY_VAL -> {
                ByteBuffer b = column.getBinaryVal().getValues().get(row);
                byte[] copy = new byte[b.remaining()];
                b.duplicate().get(copy);
                raw = Arrays.toString(copy);
                nulls = column.getBinaryVal().bufferForNulls();
            }
            default -> throw new AssertionError(column);
        }
        byte[] bits = new byte[nulls.remaining()];
        nulls.duplicate().get(bits);
        return BitSet.valueOf(bits).get(row) ? null : raw;
    }

    @Test
    void textIsUtf8() throws Exception {
        RowSetBuilder builder = new RowSetBuilder(List.of(ResultColumn.string("v")), 0);
        builder.addRow(new Object[] {"\u00e4\uD83D\uDE00"});
        TRowSet read = roundTrip(builder.build(), TBinaryProtocol::new);
        assertThat(read.getColumns().getFirst().getStringVal().getValues()).containsExactly(new String("\u00e4\uD83D\uDE00".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    @Test
    void valuesReadFromADuckDbResultAndLongerThanAWriteChunk() throws Exception {
        String big = "x".repeat(200_000) + "\u00e9";
        try (java.sql.Connection duckDb = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.Statement s = duckDb.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT i % 2 = 0 AS b, (i % 100)::TINYINT AS t, (-(i % 1000))::SMALLINT AS s, (i * 1000)::INTEGER AS i, i::BIGINT << 40 AS l, "
                     + "i / 3 AS d, (i / 7)::DECIMAL(10,2) AS m, CASE WHEN i = 5 THEN '" + big + "' ELSE 'v' || i END AS v, "
                     + "encode('x' || i) AS x FROM (SELECT CASE WHEN range % 7 = 3 THEN NULL ELSE range END AS i FROM range(3000))")) {
            RowSetBuilder builder = new RowSetBuilder(COLUMNS, 0);
            List<Object[]> expected = new java.util.ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[COLUMNS.size()];
                for (int i = 0; i < row.length; i++) {
                    builder.setFrom(i, rs);
                    Object v = rs.getObject(i + 1);
                    row[i] = switch (v) {
                        case null -> null;
                        case java.sql.Blob blob -> blob.getBytes(1, (int) blob.length());
                        default -> v;
                    };
                }
                builder.endRow();
                expected.add(row);
            }
            for (Function<TMemoryBuffer, TProtocol> protocol : List.<Function<TMemoryBuffer, TProtocol>>of(TBinaryProtocol::new, TCompactProtocol::new)) {
                TRowSet read = roundTrip(builder.take(expected.size(), 0), protocol);
                for (int r = 0; r < expected.size(); r++) {
                    for (int c = 0; c < COLUMNS.size(); c++) {
                        assertThat(value(read.getColumns().get(c), r)).as("row %d column %d", r, c).isEqualTo(normal(expected.get(r)[c]));
                    }
                }
                assertThat(value(read.getColumns().get(7), 5)).isEqualTo(big);
                for (int r = 0; r < expected.size(); r++) {
                    builder.addRow(expected.get(r));
                }
            }
        }
    }
}
