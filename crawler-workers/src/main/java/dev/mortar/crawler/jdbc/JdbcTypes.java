package dev.mortar.crawler.jdbc;

import java.sql.Types;
import java.util.Locale;
import java.util.Map;

/**
 * The Hive type of a source column, from what {@link java.sql.DatabaseMetaData#getColumns} reports: its
 * {@link Types} code, the database's type name, size and scale. The table is in docs/CRAWLERS.md ("JDBC targets").
 */
public final class JdbcTypes {
    /** Largest decimal precision Hive (and the engines reading the catalog) take. */
    static final int MAX_PRECISION = 38;

    /** PostgreSQL array element types (the type name of an array column is its element's, with a leading underscore). */
    private static final Map<String, String> POSTGRES_ELEMENTS = Map.ofEntries(
            Map.entry("bool", "boolean"), Map.entry("int2", "smallint"), Map.entry("int4", "int"), Map.entry("int8", "bigint"),
            Map.entry("float4", "float"), Map.entry("float8", "double"), Map.entry("numeric", "decimal(38,18)"),
            Map.entry("text", "string"), Map.entry("varchar", "string"), Map.entry("bpchar", "string"), Map.entry("uuid", "string"),
            Map.entry("date", "date"), Map.entry("timestamp", "timestamp"), Map.entry("timestamptz", "timestamp"), Map.entry("bytea", "binary"));

    private JdbcTypes() {}

    public static String hiveType(int jdbcType, String typeName, int size, int scale) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        boolean unsigned = name.contains("unsigned");
        return switch (jdbcType) {
            case Types.BIT, Types.BOOLEAN -> size > 1 && !name.startsWith("bool") ? "binary" : "boolean";
            case Types.TINYINT -> unsigned ? "smallint" : "tinyint";
            case Types.SMALLINT -> unsigned ? "int" : "smallint";
            case Types.INTEGER -> unsigned && !name.startsWith("mediumint") ? "bigint" : "int";
            case Types.BIGINT -> unsigned ? "decimal(20,0)" : "bigint";
            case Types.REAL -> "float";
            case Types.FLOAT, Types.DOUBLE -> "double";
            case Types.NUMERIC, Types.DECIMAL -> decimal(size, scale);
            case Types.DATE -> name.equals("year") ? "int" : "date";
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> "timestamp";
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> "binary";
            case Types.ARRAY -> "array<" + POSTGRES_ELEMENTS.getOrDefault(name.startsWith("_") ? name.substring(1) : name, "string") + ">";
            // CHAR, VARCHAR, text, CLOB, TIME, JSON, UUID, ENUM, SET, intervals, network and geometric types
            default -> "string";
        };
    }

    /** {@code decimal(p,s)} within Hive's limits; an unconstrained PostgreSQL numeric is {@code decimal(38,18)}, a wider one {@code string}. */
    private static String decimal(int precision, int scale) {
        if (precision <= 0 || precision == 131089 || precision > 1000) {
            return "decimal(38,18)";
        }
        if (precision > MAX_PRECISION) {
            return "string";
        }
        return "decimal(" + precision + "," + Math.max(0, Math.min(scale, precision)) + ")";
    }
}
