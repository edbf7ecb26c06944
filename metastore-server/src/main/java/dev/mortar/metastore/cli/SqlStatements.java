package dev.mortar.metastore.cli;

import java.util.ArrayList;
import java.util.List;

/** Splits SQL text into statements at the semicolons outside quotes and comments. */
final class SqlStatements {
    private SqlStatements() {}

    static List<String> split(String text) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        boolean lineComment = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (lineComment) {
                if (c == '\n') {
                    lineComment = false;
                    current.append(c);
                }
                continue;
            }
            if (quote != 0) {
                current.append(c);
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
                lineComment = true;
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                quote = c;
                current.append(c);
            } else if (c == ';') {
                add(statements, current);
            } else {
                current.append(c);
            }
        }
        add(statements, current);
        return statements;
    }

    /** Whether the text ends a statement: its last non-blank character outside quotes and comments is a semicolon. */
    static boolean complete(String text) {
        char quote = 0;
        boolean lineComment = false;
        char last = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (lineComment) {
                lineComment = c != '\n';
                continue;
            }
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                last = c;
                continue;
            }
            if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
                lineComment = true;
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            }
            if (!Character.isWhitespace(c)) {
                last = c;
            }
        }
        return quote == 0 && last == ';';
    }

    private static void add(List<String> statements, StringBuilder current) {
        String statement = current.toString().strip();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }
}
