package dev.mortar.metastore.cli;

import dev.mortar.metastore.server.StartupException;

import java.sql.SQLException;

/** One line that says why the server did not start, from the exception that stopped it. */
final class StartupFailure {
    private StartupFailure() {}

    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StartupException || t instanceof IllegalArgumentException) {
                return firstLine(t.getMessage());
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if (sql.getErrorCode() == 90020 || String.valueOf(sql.getMessage()).contains("Database may be already in use")) {
                    // H2's DATABASE_ALREADY_OPEN: an embedded store named with --store-url that another process holds
                    return "Another process has the embedded catalog store open: stop it, or give this server another --data-dir or --store-url";
                }
                return "The catalog store cannot be opened: " + firstLine(root(sql).getMessage()) + " (check --store-url, --store-user and --store-password)";
            }
        }
        Throwable root = root(failure);
        return root.getClass().getSimpleName() + ": " + firstLine(root.getMessage());
    }

    /** Whether the one line says all there is: a refused setting or a known startup problem, not an unexpected failure. */
    static boolean explained(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StartupException || t instanceof IllegalArgumentException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable root(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
