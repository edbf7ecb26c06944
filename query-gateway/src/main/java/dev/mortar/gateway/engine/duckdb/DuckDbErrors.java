package dev.mortar.gateway.engine.duckdb;

import dev.mortar.gateway.GatewayException;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** DuckDB's errors ("Binder Error: ...") as SQLSTATEs; DuckDB's JDBC driver sets none. */
public final class DuckDbErrors {
    private static final String PENDING_WRAPPER = "Attempting to execute an unsuccessful or closed pending query result";

    private DuckDbErrors() {}

    /** DuckDB's missing table, which comes with suggestions from DuckDB's own catalog ("Did you mean pg_tables?"). */
    private static final Pattern MISSING_TABLE = Pattern.compile("^Catalog Error: Table with name (\\S+?) does not exist!.*", Pattern.DOTALL);

    public static GatewayException map(SQLException e) {
        String message = message(e);
        Matcher missing = MISSING_TABLE.matcher(message);
        if (missing.matches()) {
            // every table a query can read is a catalog table: name that, never DuckDB's own system tables
            return new GatewayException(GatewayException.TABLE_NOT_FOUND, "Table not found: " + missing.group(1)
                    + " (no such table in the current database; SHOW TABLES lists them)", e);
        }
        String state = e.getSQLState() != null && !e.getSQLState().isBlank() ? e.getSQLState() : sqlState(message);
        return new GatewayException(state, message, e);
    }

    static String message(SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int wrapped = message.indexOf(PENDING_WRAPPER);
        if (wrapped >= 0) {
            int inner = message.indexOf("Error: ", wrapped + PENDING_WRAPPER.length());
            if (inner >= 0) {
                message = message.substring(inner + "Error: ".length());
            }
        }
        return message.strip();
    }

    static String sqlState(String message) {
        String kind = message.contains(":") ? message.substring(0, message.indexOf(':')) : "";
        return switch (kind) {
            case "Parser Error" -> GatewayException.SYNTAX_ERROR;
            case "Catalog Error" -> message.contains("Table with name") || message.contains("does not exist")
                    ? GatewayException.TABLE_NOT_FOUND : GatewayException.SYNTAX_ERROR;
            case "Binder Error" -> GatewayException.SYNTAX_ERROR;
            case "Conversion Error" -> "22018";
            case "Out of Range Error" -> "22003";
            case "Invalid Input Error" -> GatewayException.DATA_EXCEPTION;
            case "Not implemented Error" -> GatewayException.NOT_SUPPORTED;
            case "Permission Error" -> "42501";
            case "IO Error" -> GatewayException.IO_ERROR;
            case "Out of Memory Error" -> GatewayException.INSUFFICIENT_MEMORY;
            case "INTERRUPT Error" -> GatewayException.CANCELED;
            default -> GatewayException.INTERNAL;
        };
    }
}
