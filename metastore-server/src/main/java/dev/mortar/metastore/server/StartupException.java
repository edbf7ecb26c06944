package dev.mortar.metastore.server;

/** The server cannot start, for a reason its message states in one sentence with what to do about it. */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }

    public StartupException(String message) {
        super(message);
    }
}
