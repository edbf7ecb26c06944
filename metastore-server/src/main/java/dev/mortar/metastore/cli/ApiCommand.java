package dev.mortar.metastore.cli;

import dev.mortar.metastore.cli.GlueApiClient.GlueApiException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A subcommand that calls a running server's Glue API ({@code mortar crawler ...}, {@code mortar job ...},
 * {@code mortar catalog ...}). Errors of the API print as one line, {@code Error: <ErrorType>: <message>}, and exit
 * with status 1, as do a server that cannot be reached and an argument the command refuses.
 */
abstract class ApiCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    /** Runs the command; its exit status. */
    abstract int run(GlueApiClient glue, PrintWriter out) throws Exception;

    /** Whether the output is a terminal, where progress updates one line in place (otherwise it prints a line per change). */
    boolean terminal() {
        return spec.root().userObject() instanceof MortarCli cli && cli.terminal();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(api.client(), spec.commandLine().getOut());
        } catch (GlueApiException e) {
            err.println("Error: " + e.type() + ": " + e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
        } finally {
            spec.commandLine().getOut().flush();
        }
        err.flush();
        return 1;
    }

    /** A local path as the absolute path the server reads (relative paths are the caller's); URIs as given. */
    static String absolute(String path) {
        if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || path.startsWith("file:")) {
            return path;
        }
        return Path.of(path).toAbsolutePath().normalize().toString();
    }
}
