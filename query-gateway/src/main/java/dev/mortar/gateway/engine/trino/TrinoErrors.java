package dev.mortar.gateway.engine.trino;

import dev.mortar.gateway.GatewayException;

import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trino's failures as SQLSTATEs. Trino's JDBC driver sets no SQLSTATE but carries Trino's error code
 * ({@code io.trino.spi.StandardErrorCode}: user errors below 0x10000, internal errors from 0x10000,
 * insufficient resources from 0x20000, connectors' own codes above), which is mapped here.
 */
public final class TrinoErrors {
    private static final Pattern QUERY_FAILED = Pattern.compile("(?s)^Query failed \\(#([^)]+)\\): (.*)$");
    private static final int INTERNAL_ERRORS = 0x1_0000;
    private static final int INSUFFICIENT_RESOURCES = 0x2_0000;
    private static final int EXCEEDED_TIME_LIMIT = 0x2_0003;
    /** The hive connector's codes (io.trino.plugin.hive.HiveErrorCode). */
    private static final int HIVE_ERRORS = 0x0100_0000;
    private static final int HIVE_METASTORE_ERROR = HIVE_ERRORS;
    private static final int HIVE_BAD_DATA = HIVE_ERRORS + 7;
    private static final int HIVE_UNSUPPORTED_FORMAT = HIVE_ERRORS + 19;

    /** Trino's user error codes (io.trino.spi.StandardErrorCode) with a SQLSTATE of their own. */
    private static final Map<Integer, String> USER_ERRORS = Map.ofEntries(
            Map.entry(1, GatewayException.SYNTAX_ERROR),         // SYNTAX_ERROR
            Map.entry(3, GatewayException.CANCELED),             // USER_CANCELED
            Map.entry(4, "42501"),                               // PERMISSION_DENIED
            Map.entry(5, GatewayException.TABLE_NOT_FOUND),      // NOT_FOUND
            Map.entry(6, GatewayException.SYNTAX_ERROR),         // FUNCTION_NOT_FOUND
            Map.entry(7, GatewayException.DATA_EXCEPTION),       // INVALID_FUNCTION_ARGUMENT
            Map.entry(8, "22012"),                               // DIVISION_BY_ZERO
            Map.entry(9, "22018"),                               // INVALID_CAST_ARGUMENT
            Map.entry(10, GatewayException.SYNTAX_ERROR),        // OPERATOR_NOT_FOUND
            Map.entry(13, GatewayException.NOT_SUPPORTED),       // NOT_SUPPORTED
            Map.entry(19, "22003"),                              // NUMERIC_VALUE_OUT_OF_RANGE
            Map.entry(23, GatewayException.NOT_SUPPORTED),       // READ_ONLY_VIOLATION
            Map.entry(28, "21000"),                              // SUBQUERY_MULTIPLE_ROWS
            Map.entry(31, GatewayException.TOO_MANY_OPERATIONS), // QUERY_REJECTED
            Map.entry(44, GatewayException.SCHEMA_NOT_FOUND),    // CATALOG_NOT_FOUND
            Map.entry(45, GatewayException.SCHEMA_NOT_FOUND),    // SCHEMA_NOT_FOUND
            Map.entry(46, GatewayException.TABLE_NOT_FOUND),     // TABLE_NOT_FOUND
            Map.entry(114, GatewayException.DATA_EXCEPTION),     // JSON_INPUT_CONVERSION_ERROR
            Map.entry(125, GatewayException.CATALOG_UNAVAILABLE) // CATALOG_UNAVAILABLE
    );

    private TrinoErrors() {}

    public static GatewayException map(SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        Matcher failed = QUERY_FAILED.matcher(message);
        if (!failed.matches()) {
            // not a failed query: the driver could not reach the coordinator, or the statement was closed
            return new GatewayException(GatewayException.CATALOG_UNAVAILABLE, "Trino: " + message, e);
        }
        String text = failed.group(2).strip() + " (Trino query " + failed.group(1) + ")";
        return new GatewayException(sqlState(e.getErrorCode()), text, e);
    }

    static String sqlState(int code) {
        if (code < INTERNAL_ERRORS) {
            // the rest are analysis errors (COLUMN_NOT_FOUND, TYPE_MISMATCH, MISSING_GROUP_BY, ...)
            return USER_ERRORS.getOrDefault(code, GatewayException.SYNTAX_ERROR);
        }
        if (code == EXCEEDED_TIME_LIMIT) {
            return GatewayException.TIMEOUT;
        }
        if (code < INSUFFICIENT_RESOURCES) {
            return GatewayException.INTERNAL;
        }
        if (code < INSUFFICIENT_RESOURCES + 0x1_0000) {
            return GatewayException.INSUFFICIENT_MEMORY;
        }
        if (code == HIVE_METASTORE_ERROR) {
            return GatewayException.CATALOG_UNAVAILABLE;
        }
        if (code == HIVE_BAD_DATA) {
            return GatewayException.DATA_EXCEPTION;
        }
        if (code == HIVE_UNSUPPORTED_FORMAT) {
            return GatewayException.NOT_SUPPORTED;
        }
        if (code >= HIVE_ERRORS && code < HIVE_ERRORS + 0x1_0000) {
            // the hive connector's other codes: opening and reading files, file systems
            return GatewayException.IO_ERROR;
        }
        return GatewayException.INTERNAL;
    }
}
