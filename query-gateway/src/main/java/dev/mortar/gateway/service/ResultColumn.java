package dev.mortar.gateway.service;

import org.apache.hive.service.rpc.thrift.TCLIServiceConstants;
import org.apache.hive.service.rpc.thrift.TColumnDesc;
import org.apache.hive.service.rpc.thrift.TPrimitiveTypeEntry;
import org.apache.hive.service.rpc.thrift.TTypeDesc;
import org.apache.hive.service.rpc.thrift.TTypeEntry;
import org.apache.hive.service.rpc.thrift.TTypeId;
import org.apache.hive.service.rpc.thrift.TTypeQualifierValue;
import org.apache.hive.service.rpc.thrift.TTypeQualifiers;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A result column as HS2 describes it, and how its values are carried: {@link Carrier} says which
 * TColumn variant holds them (Hive sends decimals, dates and timestamps as strings).
 */
public record ResultColumn(String name, TTypeId type, Carrier carrier, int precision, int scale) {
    public enum Carrier { BOOLEAN, BYTE, SHORT, INT, LONG, DOUBLE, BINARY, DECIMAL, STRING }

    public static ResultColumn string(String name) {
        return new ResultColumn(name, TTypeId.STRING_TYPE, Carrier.STRING, 0, 0);
    }

    public static ResultColumn integer(String name) {
        return new ResultColumn(name, TTypeId.INT_TYPE, Carrier.INT, 0, 0);
    }

    public static ResultColumn smallint(String name) {
        return new ResultColumn(name, TTypeId.SMALLINT_TYPE, Carrier.SHORT, 0, 0);
    }

    public static ResultColumn bool(String name) {
        return new ResultColumn(name, TTypeId.BOOLEAN_TYPE, Carrier.BOOLEAN, 0, 0);
    }

    /** The HS2 column of a DuckDB result column, from its type name (as its JDBC metadata reports it). */
    public static ResultColumn ofDuckDb(String name, String duckType, int precision, int scale) {
        String type = duckType.toUpperCase(Locale.ROOT);
        if (type.startsWith("DECIMAL")) {
            return new ResultColumn(name, TTypeId.DECIMAL_TYPE, Carrier.DECIMAL, precision, scale);
        }
        if (type.endsWith("[]") || type.startsWith("LIST") || type.matches(".*\\[\\d+]$")) {
            return new ResultColumn(name, TTypeId.ARRAY_TYPE, Carrier.STRING, 0, 0);
        }
        if (type.startsWith("STRUCT")) {
            return new ResultColumn(name, TTypeId.STRUCT_TYPE, Carrier.STRING, 0, 0);
        }
        if (type.startsWith("MAP")) {
            return new ResultColumn(name, TTypeId.MAP_TYPE, Carrier.STRING, 0, 0);
        }
        return switch (type) {
            case "BOOLEAN" -> new ResultColumn(name, TTypeId.BOOLEAN_TYPE, Carrier.BOOLEAN, 0, 0);
            case "TINYINT" -> new ResultColumn(name, TTypeId.TINYINT_TYPE, Carrier.BYTE, 0, 0);
            case "SMALLINT", "UTINYINT" -> new ResultColumn(name, TTypeId.SMALLINT_TYPE, Carrier.SHORT, 0, 0);
            case "INTEGER", "USMALLINT" -> new ResultColumn(name, TTypeId.INT_TYPE, Carrier.INT, 0, 0);
            case "BIGINT", "UINTEGER" -> new ResultColumn(name, TTypeId.BIGINT_TYPE, Carrier.LONG, 0, 0);
            case "UBIGINT" -> new ResultColumn(name, TTypeId.DECIMAL_TYPE, Carrier.DECIMAL, 20, 0);
            case "HUGEINT", "UHUGEINT" -> new ResultColumn(name, TTypeId.DECIMAL_TYPE, Carrier.DECIMAL, 38, 0);
            case "FLOAT" -> new ResultColumn(name, TTypeId.FLOAT_TYPE, Carrier.DOUBLE, 0, 0);
            case "DOUBLE" -> new ResultColumn(name, TTypeId.DOUBLE_TYPE, Carrier.DOUBLE, 0, 0);
            case "DATE" -> new ResultColumn(name, TTypeId.DATE_TYPE, Carrier.STRING, 0, 0);
            case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS" -> new ResultColumn(name, TTypeId.TIMESTAMP_TYPE, Carrier.STRING, 0, 0);
            case "BLOB" -> new ResultColumn(name, TTypeId.BINARY_TYPE, Carrier.BINARY, 0, 0);
            default -> string(name);
        };
    }

    /**
     * The HS2 column of a Trino result column, from its type signature as Trino's JDBC driver reports
     * it ({@code varchar(10)}, {@code decimal(38,2)}, {@code timestamp(3)}, {@code array(integer)}).
     * Character types become Hive's {@code string}; time zones, intervals and Trino-only types
     * ({@code uuid}, {@code json}, {@code ipaddress}) travel as text.
     */
    public static ResultColumn ofTrino(String name, String trinoType, int precision, int scale) {
        String type = trinoType.toLowerCase(Locale.ROOT);
        int parenthesis = type.indexOf('(');
        String base = parenthesis < 0 ? type : type.substring(0, parenthesis);
        if (type.contains("with time zone")) {
            return string(name);
        }
        return switch (base) {
            case "boolean" -> new ResultColumn(name, TTypeId.BOOLEAN_TYPE, Carrier.BOOLEAN, 0, 0);
            case "tinyint" -> new ResultColumn(name, TTypeId.TINYINT_TYPE, Carrier.BYTE, 0, 0);
            case "smallint" -> new ResultColumn(name, TTypeId.SMALLINT_TYPE, Carrier.SHORT, 0, 0);
            case "integer" -> new ResultColumn(name, TTypeId.INT_TYPE, Carrier.INT, 0, 0);
            case "bigint" -> new ResultColumn(name, TTypeId.BIGINT_TYPE, Carrier.LONG, 0, 0);
            case "real" -> new ResultColumn(name, TTypeId.FLOAT_TYPE, Carrier.DOUBLE, 0, 0);
            case "double" -> new ResultColumn(name, TTypeId.DOUBLE_TYPE, Carrier.DOUBLE, 0, 0);
            case "decimal" -> new ResultColumn(name, TTypeId.DECIMAL_TYPE, Carrier.DECIMAL, precision, scale);
            case "date" -> new ResultColumn(name, TTypeId.DATE_TYPE, Carrier.STRING, 0, 0);
            case "timestamp" -> new ResultColumn(name, TTypeId.TIMESTAMP_TYPE, Carrier.STRING, 0, 0);
            case "varbinary" -> new ResultColumn(name, TTypeId.BINARY_TYPE, Carrier.BINARY, 0, 0);
            case "array" -> new ResultColumn(name, TTypeId.ARRAY_TYPE, Carrier.STRING, 0, 0);
            case "map" -> new ResultColumn(name, TTypeId.MAP_TYPE, Carrier.STRING, 0, 0);
            case "row" -> new ResultColumn(name, TTypeId.STRUCT_TYPE, Carrier.STRING, 0, 0);
            default -> string(name);
        };
    }

    public TColumnDesc toDesc(int position) {
        TPrimitiveTypeEntry primitive = new TPrimitiveTypeEntry(type);
        if (type == TTypeId.DECIMAL_TYPE) {
            Map<String, TTypeQualifierValue> qualifiers = new HashMap<>();
            qualifiers.put(TCLIServiceConstants.PRECISION, TTypeQualifierValue.i32Value(precision));
            qualifiers.put(TCLIServiceConstants.SCALE, TTypeQualifierValue.i32Value(scale));
            primitive.setTypeQualifiers(new TTypeQualifiers(qualifiers));
        }
        TColumnDesc desc = new TColumnDesc(name, new TTypeDesc(List.of(TTypeEntry.primitiveEntry(primitive))), position);
        desc.setComment("");
        return desc;
    }
}
