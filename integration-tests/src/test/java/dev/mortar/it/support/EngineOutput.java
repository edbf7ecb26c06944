package dev.mortar.it.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a forked engine program reported on stdout (see {@code engines/*}/Report.java): facts,
 * failed steps, and for SQL scripts every statement's rows or error. Other lines (engine logging)
 * are ignored.
 */
public final class EngineOutput {
    /** One statement of a script: its rows, or the error the engine raised. */
    public record Statement(String label, String sql, List<List<String>> rows, Optional<String> error) {
        public boolean ok() {
            return error.isEmpty();
        }

        /** All cells of all rows, one line per row, tab-separated: handy for EXPLAIN and DESCRIBE output. */
        public String text() {
            StringBuilder b = new StringBuilder();
            rows.forEach(r -> b.append(String.join("\t", r.stream().map(v -> v == null ? "NULL" : v).toList())).append('\n'));
            return b.toString();
        }
    }

    private final Map<String, String> facts = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private final Map<String, MutableStatement> statements = new LinkedHashMap<>();
    private Integer done;

    private static final class MutableStatement {
        final String sql;
        final List<List<String>> rows = new ArrayList<>();
        String error;

        MutableStatement(String sql) {
            this.sql = sql;
        }
    }

    public static EngineOutput parse(String stdout) {
        EngineOutput output = new EngineOutput();
        for (String line : stdout.split("\n")) {
            if (!line.startsWith("@@")) {
                continue;
            }
            List<String> f = Arrays.stream(line.split("\t", -1)).map(EngineOutput::unescape).toList();
            switch (f.get(0)) {
                case "@@FACT" -> output.facts.put(f.get(1), f.get(2));
                case "@@STMT" -> output.statements.put(f.get(1), new MutableStatement(f.get(2)));
                case "@@ROW" -> output.statements.get(f.get(1)).rows.add(new ArrayList<>(f.subList(2, f.size())));
                case "@@ERROR" -> {
                    MutableStatement s = output.statements.get(f.get(1));
                    if (s != null) {
                        s.error = f.get(2);
                    }
                    output.errors.put(f.get(1), f.get(2));
                }
                case "@@DONE" -> output.done = Integer.parseInt(f.get(1));
                default -> { }
            }
        }
        return output;
    }

    /** True when the program ran to its end (it prints {@code @@DONE} last). */
    public boolean completed() {
        return done != null;
    }

    /** The fact's value, or null when the engine did not report it (its step failed: see {@link #errors()}). */
    public String fact(String key) {
        return facts.get(key);
    }

    public Map<String, String> facts() {
        return facts;
    }

    /** Failed steps or statements: label → the exception the engine got. */
    public Map<String, String> errors() {
        return errors;
    }

    public Statement statement(String label) {
        MutableStatement s = statements.get(label);
        if (s == null) {
            throw new AssertionError("The script did not run statement '" + label + "'");
        }
        return new Statement(label, s.sql, s.rows, Optional.ofNullable(s.error));
    }

    public List<Statement> statements() {
        return statements.keySet().stream().map(this::statement).toList();
    }

    private static String unescape(String s) {
        if (s.equals("\\N")) {
            return null;
        }
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
