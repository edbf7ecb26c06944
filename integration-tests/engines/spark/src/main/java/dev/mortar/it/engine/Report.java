package dev.mortar.it.engine;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The lines a forked engine program prints for the JUnit test to assert on (parsed by
 * {@code dev.mortar.it.support.EngineOutput}): {@code @@FACT key value} and
 * {@code @@ERROR step message}, tab-separated, values escaped so that each record is one line.
 */
final class Report {
    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private int errors;

    interface Step {
        void run() throws Exception;
    }

    void fact(String key, Object value) {
        out.println("@@FACT\t" + escape(key) + "\t" + escape(value == null ? null : String.valueOf(value)));
    }

    /** Runs one step; a failure is reported with the exception the client got, and the program goes on. */
    void step(String name, Step step) {
        try {
            step.run();
            out.println("@@OK\t" + escape(name));
        } catch (Throwable e) {
            errors++;
            out.println("@@ERROR\t" + escape(name) + "\t" + escape(describe(e)));
            e.printStackTrace(System.err);
        }
    }

    int errors() {
        return errors;
    }

    static String describe(Throwable e) {
        return e.getClass().getName() + ": " + e.getMessage();
    }

    static String escape(String s) {
        if (s == null) {
            return "\\N";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
