package dev.mortar.metastore.store;

import dev.mortar.metastore.store.PartitionFilter.And;
import dev.mortar.metastore.store.PartitionFilter.Between;
import dev.mortar.metastore.store.PartitionFilter.Compare;
import dev.mortar.metastore.store.PartitionFilter.In;
import dev.mortar.metastore.store.PartitionFilter.IsNull;
import dev.mortar.metastore.store.PartitionFilter.Like;
import dev.mortar.metastore.store.PartitionFilter.Literal;
import dev.mortar.metastore.store.PartitionFilter.LiteralKind;
import dev.mortar.metastore.store.PartitionFilter.Not;
import dev.mortar.metastore.store.PartitionFilter.Op;
import dev.mortar.metastore.store.PartitionFilter.Or;
import dev.mortar.metastore.store.PartitionFilter.ParseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Expression} of Glue's {@code GetPartitions}: the SQL WHERE subset the service accepts over
 * partition keys — {@code = <> != < <= > >=}, {@code AND}, {@code OR}, {@code NOT}, {@code [NOT] IN},
 * {@code [NOT] BETWEEN}, {@code [NOT] LIKE}, {@code IS [NOT] NULL} and parentheses; literals are
 * strings in single quotes ({@code ''} or {@code \'} for a quote), numbers, and
 * {@code DATE '...'}/{@code TIMESTAMP '...'}; keys may be quoted with backticks or double quotes and
 * are case-insensitive. Whether a literal fits its key's type is checked where the keys are known
 * ({@link PartitionFilterSql} with {@link PartitionFilter.Semantics#GLUE}).
 */
public final class GlueExpressionParser {
    private GlueExpressionParser() {}

    /** Parses an expression; a malformed one is a ParseException saying where it failed. */
    public static PartitionFilter parse(String text) throws ParseException {
        Parser parser = new Parser(tokens(text), text);
        PartitionFilter result = parser.or();
        if (parser.peek().kind != Kind.END) {
            throw parser.error("end of expression");
        }
        return result;
    }

    private enum Kind { IDENT, QUOTED_IDENT, STRING, NUMBER, OP, LPAREN, RPAREN, COMMA, END }

    private record Token(Kind kind, String text, int position) {
        boolean is(String keyword) {
            return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
        }
    }

    private static ParseException invalid(String text, String why) {
        return new ParseException("Unsupported expression '" + text + "': " + why);
    }

    private static List<Token> tokens(String s) throws ParseException {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(') {
                tokens.add(new Token(Kind.LPAREN, "(", i++));
            } else if (c == ')') {
                tokens.add(new Token(Kind.RPAREN, ")", i++));
            } else if (c == ',') {
                tokens.add(new Token(Kind.COMMA, ",", i++));
            } else if (c == '\'') {
                int start = i++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (i >= s.length()) {
                        throw invalid(s, "unterminated string starting at position " + start);
                    }
                    char d = s.charAt(i);
                    if (d == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                        value.append('\'');
                        i += 2;
                    } else if (d == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '\'' || s.charAt(i + 1) == '\\')) {
                        value.append(s.charAt(i + 1));
                        i += 2;
                    } else if (d == '\'') {
                        i++;
                        break;
                    } else {
                        value.append(d);
                        i++;
                    }
                }
                tokens.add(new Token(Kind.STRING, value.toString(), start));
            } else if (c == '`' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    throw invalid(s, "unterminated quoted name at position " + i);
                }
                tokens.add(new Token(Kind.QUOTED_IDENT, s.substring(i + 1, end), i));
                i = end + 1;
            } else if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)) && valueMayStart(tokens))) {
                int start = i++;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.'
                        || ((s.charAt(i) == 'e' || s.charAt(i) == 'E') && i + 1 < s.length() && (Character.isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '-')))) {
                    if (s.charAt(i) == 'e' || s.charAt(i) == 'E') {
                        i++;
                    }
                    i++;
                }
                String number = s.substring(start, i);
                try {
                    new java.math.BigDecimal(number.startsWith("+") ? number.substring(1) : number);
                } catch (NumberFormatException e) {
                    throw invalid(s, "'" + number + "' at position " + start + " is not a number");
                }
                tokens.add(new Token(Kind.NUMBER, number.startsWith("+") ? number.substring(1) : number, start));
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(new Token(Kind.IDENT, s.substring(start, i), start));
            } else {
                String op = s.startsWith("<=", i) || s.startsWith(">=", i) || s.startsWith("<>", i) || s.startsWith("!=", i) ? s.substring(i, i + 2)
                        : (c == '<' || c == '>' || c == '=') ? String.valueOf(c) : null;
                if (op == null) {
                    throw invalid(s, "unexpected character '" + c + "' at position " + i);
                }
                tokens.add(new Token(Kind.OP, op, i));
                i += op.length();
            }
        }
        tokens.add(new Token(Kind.END, "end of expression", s.length()));
        return tokens;
    }

    /** A sign belongs to a number only where a value may start, not after a key ({@code a-1} is not a key and a number). */
    private static boolean valueMayStart(List<Token> tokens) {
        if (tokens.isEmpty()) {
            return true;
        }
        Token last = tokens.get(tokens.size() - 1);
        return last.kind == Kind.OP || last.kind == Kind.LPAREN || last.kind == Kind.COMMA
                || (last.kind == Kind.IDENT && (last.is("AND") || last.is("OR") || last.is("NOT") || last.is("IN") || last.is("BETWEEN")));
    }

    private static final class Parser {
        private final List<Token> tokens;
        private final String source;
        private int next;

        Parser(List<Token> tokens, String source) {
            this.tokens = tokens;
            this.source = source;
        }

        Token peek() {
            return tokens.get(next);
        }

        private Token take() {
            return tokens.get(next++);
        }

        ParseException error(String expected) {
            Token t = peek();
            return invalid(source, "expected " + expected + " but found '" + t.text + "' at position " + t.position);
        }

        PartitionFilter or() throws ParseException {
            PartitionFilter left = and();
            while (peek().is("OR")) {
                take();
                left = new Or(left, and());
            }
            return left;
        }

        private PartitionFilter and() throws ParseException {
            PartitionFilter left = not();
            while (peek().is("AND")) {
                take();
                left = new And(left, not());
            }
            return left;
        }

        private PartitionFilter not() throws ParseException {
            if (peek().is("NOT")) {
                take();
                return new Not(not());
            }
            if (peek().kind == Kind.LPAREN) {
                take();
                PartitionFilter inner = or();
                expect(Kind.RPAREN, "')'");
                return inner;
            }
            return predicate();
        }

        private void expect(Kind kind, String what) throws ParseException {
            if (peek().kind != kind) {
                throw error(what);
            }
            take();
        }

        private boolean isKey(Token t) {
            return t.kind == Kind.QUOTED_IDENT || (t.kind == Kind.IDENT && !isKeyword(t) && !isTypedLiteral());
        }

        private boolean isKeyword(Token t) {
            for (String k : List.of("AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "IS", "NULL")) {
                if (t.is(k)) {
                    return true;
                }
            }
            return false;
        }

        private boolean isTypedLiteral() {
            return (peek().is("DATE") || peek().is("TIMESTAMP")) && tokens.get(next + 1).kind == Kind.STRING;
        }

        private boolean isLiteralStart() {
            Kind k = peek().kind;
            return k == Kind.STRING || k == Kind.NUMBER || isTypedLiteral();
        }

        private PartitionFilter predicate() throws ParseException {
            if (isLiteralStart()) {
                Literal value = literal();
                if (peek().kind != Kind.OP) {
                    throw error("a comparison operator");
                }
                Op op = operator(take());
                if (!isKey(peek())) {
                    throw error("a partition key");
                }
                return new Compare(key(take()), op.flipped(), value);
            }
            if (!isKey(peek())) {
                throw error("a partition key");
            }
            String key = key(take());
            if (peek().is("IS")) {
                take();
                boolean negated = false;
                if (peek().is("NOT")) {
                    take();
                    negated = true;
                }
                if (!peek().is("NULL")) {
                    throw error("NULL");
                }
                take();
                return negated ? new Not(new IsNull(key)) : new IsNull(key);
            }
            boolean negated = false;
            if (peek().is("NOT")) {
                take();
                negated = true;
            }
            PartitionFilter result;
            if (peek().is("LIKE")) {
                take();
                Literal pattern = literal();
                result = new Like(key, pattern.text());
            } else if (peek().is("IN")) {
                take();
                expect(Kind.LPAREN, "'('");
                List<Literal> values = new ArrayList<>();
                values.add(literal());
                while (peek().kind == Kind.COMMA) {
                    take();
                    values.add(literal());
                }
                expect(Kind.RPAREN, "')'");
                result = new In(key, values);
            } else if (peek().is("BETWEEN")) {
                take();
                Literal low = literal();
                if (!peek().is("AND")) {
                    throw error("AND");
                }
                take();
                result = new Between(key, low, literal());
            } else if (!negated && peek().kind == Kind.OP) {
                Op op = operator(take());
                if (isKey(peek())) {
                    throw invalid(source, "comparing two partition keys is not supported (at position " + peek().position + ")");
                }
                result = new Compare(key, op, literal());
            } else {
                throw error(negated ? "LIKE, IN or BETWEEN" : "an operator");
            }
            return negated ? new Not(result) : result;
        }

        private static String key(Token t) {
            return t.text.toLowerCase(Locale.ROOT);
        }

        private Literal literal() throws ParseException {
            Token t = peek();
            if (isTypedLiteral()) {
                LiteralKind kind = t.is("DATE") ? LiteralKind.DATE : LiteralKind.TIMESTAMP;
                take();
                return new Literal(take().text, kind);
            }
            if (t.kind == Kind.STRING) {
                return new Literal(take().text, LiteralKind.STRING);
            }
            if (t.kind == Kind.NUMBER) {
                return new Literal(take().text, LiteralKind.NUMBER);
            }
            throw error("a literal");
        }

        private Op operator(Token t) throws ParseException {
            return switch (t.text) {
                case "=" -> Op.EQ;
                case "<>", "!=" -> Op.NE;
                case "<" -> Op.LT;
                case "<=" -> Op.LE;
                case ">" -> Op.GT;
                case ">=" -> Op.GE;
                default -> throw invalid(source, "unknown operator '" + t.text + "' at position " + t.position);
            };
        }
    }
}
