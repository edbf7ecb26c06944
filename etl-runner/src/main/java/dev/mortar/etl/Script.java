package dev.mortar.etl;

import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.CCJSqlParserTokenManager;
import net.sf.jsqlparser.parser.SimpleCharStream;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.TokenMgrException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A SQL job's script: its text with every {@code ${name}} replaced by the run argument {@code --name}, cut into
 * statements at the {@code ;} tokens of JSqlParser's lexer (so a {@code ;} in a string, a quoted name or a comment
 * does not end a statement). Each statement keeps the line it starts on.
 */
public final class Script {
    /** One statement: its number (from 1), the line it starts on (from 1), its text and its tokens. */
    public record Statement(int number, int line, String text, List<Token> tokens) {
        public Statement {
            tokens = List.copyOf(tokens);
        }
    }

    private Script() {}

    /** The statements of {@code script} with {@code arguments} (keys with or without their leading {@code --}) substituted. */
    public static List<Statement> parse(String script, Map<String, String> arguments) {
        String text = substitute(script, arguments);
        List<Statement> statements = new ArrayList<>();
        int[] lineStarts = lineStarts(text);
        CCJSqlParserTokenManager lexer = new CCJSqlParserTokenManager(new SimpleCharStream(new StringProvider(text)));
        List<Token> current = new ArrayList<>();
        while (true) {
            Token token;
            try {
                token = lexer.getNextToken();
            } catch (TokenMgrException e) {
                throw new JobException("The script cannot be read: " + e.getMessage().trim(), e);
            }
            boolean end = token.kind == CCJSqlParserConstants.EOF;
            if (end || token.image.equals(";")) {
                if (!current.isEmpty()) {
                    Token first = current.get(0);
                    Token last = current.get(current.size() - 1);
                    int from = offset(lineStarts, first.beginLine, first.beginColumn);
                    int to = offset(lineStarts, last.endLine, last.endColumn) + 1;
                    statements.add(new Statement(statements.size() + 1, first.beginLine, text.substring(from, to), current));
                    current = new ArrayList<>();
                }
                if (end) {
                    return statements;
                }
            } else {
                current.add(token);
            }
        }
    }

    /** The offset in the text of a token position (line and column from 1, a tab counting as one column). */
    static int offset(int[] lineStarts, int line, int column) {
        return lineStarts[line - 1] + column - 1;
    }

    static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Replaces each {@code ${name}}; a name with no argument is an error naming its line. */
    static String substitute(String script, Map<String, String> arguments) {
        StringBuilder out = new StringBuilder(script.length());
        int i = 0;
        while (i < script.length()) {
            int open = script.indexOf("${", i);
            if (open < 0) {
                out.append(script, i, script.length());
                break;
            }
            int close = script.indexOf('}', open + 2);
            if (close < 0) {
                throw new JobException("Line " + line(script, open) + ": '${' without a closing '}'");
            }
            String name = script.substring(open + 2, close).trim();
            String value = arguments.get("--" + name);
            if (value == null) {
                value = arguments.get(name);
            }
            if (value == null) {
                throw new JobException("Line " + line(script, open) + ": ${" + name + "} names no run argument (pass --" + name + " value)");
            }
            out.append(script, i, open).append(value);
            i = close + 1;
        }
        return out.toString();
    }

    private static int line(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
