package dev.mortar.gateway;

/**
 * A failure the client sees as an HS2 error status: a SQLSTATE, and a message that names the
 * object or statement at fault. The session stays usable.
 */
public class GatewayException extends RuntimeException {
    public static final String SYNTAX_ERROR = "42000";
    public static final String TABLE_NOT_FOUND = "42S02";
    public static final String SCHEMA_NOT_FOUND = "3F000";
    public static final String NOT_SUPPORTED = "0A000";
    public static final String DATA_EXCEPTION = "22000";
    public static final String CANCELED = "HY008";
    public static final String TIMEOUT = "HYT00";
    public static final String INVALID_HANDLE = "HY000";
    public static final String TOO_MANY_OPERATIONS = "53000";
    public static final String INSUFFICIENT_MEMORY = "53200";
    public static final String IO_ERROR = "58030";
    public static final String CATALOG_UNAVAILABLE = "08S01";
    public static final String INTERNAL = "XX000";

    private final String sqlState;

    public GatewayException(String sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    public GatewayException(String sqlState, String message, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /** The message a client gets for a failure the gateway did not expect: its text, never its Java class (that is in the log). */
    public static String internal(Throwable failure) {
        String message = failure == null ? null : failure.getMessage();
        return "Internal error: " + (message == null || message.isBlank() ? "see the server log" : message);
    }

    public String sqlState() {
        return sqlState;
    }
}
