package dev.mortar.gateway.engine.duckdb;

import dev.mortar.catalog.duckdb.DuckDbTypes;

import java.sql.Types;
import java.util.Locale;

/** Hive's type strings (as the catalog stores them) in DuckDB's and JDBC's terms. */
public final class HiveTypes {
    private HiveTypes() {}

    /** The DuckDB type of a Hive type string. */
    public static String toDuckDb(String hiveType) {
        return DuckDbTypes.toDuckDb(hiveType);
    }

    /** java.sql.Types of a Hive type, as HiveServer2 reports it in DatabaseMetaData. */
    public static int jdbcType(String hiveType) {
        String type = hiveType.trim().toLowerCase(Locale.ROOT);
        if (type.startsWith("array<")) {
            return Types.ARRAY;
        }
        if (type.startsWith("map<")) {
            return Types.JAVA_OBJECT;
        }
        if (type.startsWith("struct<")) {
            return Types.STRUCT;
        }
        if (type.startsWith("uniontype<")) {
            return Types.OTHER;
        }
        if (type.startsWith("decimal")) {
            return Types.DECIMAL;
        }
        if (type.startsWith("varchar")) {
            return Types.VARCHAR;
        }
        if (type.startsWith("char")) {
            return Types.CHAR;
        }
        return switch (type) {
            case "string" -> Types.VARCHAR;
            case "tinyint" -> Types.TINYINT;
            case "smallint" -> Types.SMALLINT;
            case "int", "integer" -> Types.INTEGER;
            case "bigint" -> Types.BIGINT;
            case "float" -> Types.FLOAT;
            case "double", "double precision" -> Types.DOUBLE;
            case "boolean" -> Types.BOOLEAN;
            case "binary" -> Types.BINARY;
            case "date" -> Types.DATE;
            case "timestamp" -> Types.TIMESTAMP;
            case "timestamp with local time zone" -> Types.TIMESTAMP_WITH_TIMEZONE;
            case "void" -> Types.NULL;
            default -> Types.OTHER;
        };
    }

    /** COLUMN_SIZE as HiveServer2 reports it: precision for numbers and decimals, length for strings. */
    public static Integer columnSize(String hiveType) {
        String type = hiveType.trim().toLowerCase(Locale.ROOT);
        if (type.startsWith("decimal")) {
            int[] ps = decimalPrecisionScale(type);
            return ps[0];
        }
        if (type.startsWith("varchar(") || type.startsWith("char(")) {
            return Integer.parseInt(type.substring(type.indexOf('(') + 1, type.indexOf(')')).trim());
        }
        return switch (type) {
            case "string" -> Integer.MAX_VALUE;
            case "tinyint" -> 3;
            case "smallint" -> 5;
            case "int", "integer" -> 10;
            case "bigint" -> 19;
            case "float" -> 7;
            case "double", "double precision" -> 15;
            case "date" -> 10;
            case "timestamp" -> 29;
            default -> null;
        };
    }

    public static Integer decimalDigits(String hiveType) {
        String type = hiveType.trim().toLowerCase(Locale.ROOT);
        if (type.startsWith("decimal")) {
            return decimalPrecisionScale(type)[1];
        }
        return switch (type) {
            case "tinyint", "smallint", "int", "integer", "bigint" -> 0;
            case "float" -> 7;
            case "double", "double precision" -> 15;
            case "timestamp" -> 9;
            default -> null;
        };
    }

    /** Hive's upper-case type name, as TYPE_NAME of getColumns shows it. */
    public static String typeName(String hiveType) {
        return hiveType.trim().toUpperCase(Locale.ROOT);
    }

    static int[] decimalPrecisionScale(String type) {
        String params = type.substring("decimal".length()).trim();
        if (params.isEmpty()) {
            return new int[] {10, 0};
        }
        String[] parts = params.substring(1, params.length() - 1).split(",");
        return new int[] {Integer.parseInt(parts[0].trim()), parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 0};
    }
}
