package dev.mortar.metastore.store;

import dev.mortar.metastore.store.PartitionFilter.And;
import dev.mortar.metastore.store.PartitionFilter.Between;
import dev.mortar.metastore.store.PartitionFilter.Compare;
import dev.mortar.metastore.store.PartitionFilter.In;
import dev.mortar.metastore.store.PartitionFilter.Like;
import dev.mortar.metastore.store.PartitionFilter.Literal;
import dev.mortar.metastore.store.PartitionFilter.LiteralKind;
import dev.mortar.metastore.store.PartitionFilter.Not;
import dev.mortar.metastore.store.PartitionFilter.Op;
import dev.mortar.metastore.store.PartitionFilter.Or;
import dev.mortar.metastore.store.PartitionFilter.ParseException;

import java.util.ArrayList;
import java.util.List;

/**
 * The Hive Metastore's filter language (the grammar of Hive's PartitionFilter.g4): comparisons of
 * partition keys with literals, LIKE, IN, BETWEEN, combined with AND, OR, NOT and parentheses; strings
 * in single or double quotes with {@code \} escapes, integers, {@code DATE '...'} and
 * {@code TIMESTAMP '...'}.
 */
public final class HiveFilterParser {
    private HiveFilterParser() {}

    public static PartitionFilter parse(String filter) throws ParseException {
        Parser parser = new Parser(Lexer.tokens(filter), filter);
        PartitionFilter result = parser.orExpression();
        if (!parser.atEnd()) {
            throw new ParseException("Error parsing partition filter \"" + filter + "\": unexpected '" + parser.peek().text + "' at position " + parser.peek().position);
        }
        return result;
    }

    private enum TokenKind { IDENT, STRING, NUMBER, OP, LPAREN, RPAREN, COMMA, END }

    private record Token(TokenKind kind, String text, int position) {
        boolean isKeyword(String keyword) {
            return kind == TokenKind.IDENT && text.equalsIgnoreCase(keyword);
        }
    }

    static final class Lexer {
        private Lexer() {}

        static List<Token> tokens(String s) throws ParseException {
            List<Token> tokens = new ArrayList<>();
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '(') {
                    tokens.add(new Token(TokenKind.LPAREN, "(", i++));
                } else if (c == ')') {
                    tokens.add(new Token(TokenKind.RPAREN, ")", i++));
                } else if (c == ',') {
                    tokens.add(new Token(TokenKind.COMMA, ",", i++));
                } else if (c == '\'' || c == '"') {
                    int start = i++;
                    StringBuilder value = new StringBuilder();
                    while (true) {
                        if (i >= s.length()) {
                            throw new ParseException("Error parsing partition filter \"" + s + "\": unterminated string starting at position " + start);
                        }
                        char d = s.charAt(i);
                        if (d == '\\' && i + 1 < s.length()) {
                            value.append(s.charAt(i + 1));
                            i += 2;
                        } else if (d == c) {
                            i++;
                            break;
                        } else {
                            value.append(d);
                            i++;
                        }
                    }
                    tokens.add(new Token(TokenKind.STRING, value.toString(), start));
                } else if (c == '`') {
                    int end = s.indexOf('`', i + 1);
                    if (end < 0) {
                        throw new ParseException("Error parsing partition filter \"" + s + "\": unterminated identifier at position " + i);
                    }
                    tokens.add(new Token(TokenKind.IDENT, s.substring(i + 1, end), i));
                    i = end + 1;
                } else if (Character.isDigit(c) || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                    int start = i++;
                    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                        i++;
                    }
                    tokens.add(new Token(TokenKind.NUMBER, s.substring(start, i), start));
                } else if (Character.isLetter(c) || c == '_') {
                    int start = i;
                    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
                        i++;
                    }
                    tokens.add(new Token(TokenKind.IDENT, s.substring(start, i), start));
                } else {
                    int start = i;
                    String op = s.startsWith("<=>", i) ? "<=>"
                            : s.startsWith("<=", i) || s.startsWith(">=", i) || s.startsWith("<>", i) || s.startsWith("!=", i) || s.startsWith("==", i) ? s.substring(i, i + 2)
                            : (c == '<' || c == '>' || c == '=') ? String.valueOf(c) : null;
                    if (op == null) {
                        throw new ParseException("Error parsing partition filter \"" + s + "\": unexpected character '" + c + "' at position " + i);
                    }
                    i += op.length();
                    tokens.add(new Token(TokenKind.OP, op, start));
                }
            }
            tokens.add(new Token(TokenKind.END, "<end>", s.length()));
            return tokens;
        }
    }

    static final class Parser {
        private final List<Token> tokens;
        private final String source;
        private int next;

        Parser(List<Token> tokens, String source) {
            this.tokens = tokens;
            this.source = source;
        }

        boolean atEnd() {
            return peek().kind == TokenKind.END;
        }

        Token peek() {
            return tokens.get(next);
        }

        private Token take() {
            return tokens.get(next++);
        }

        private ParseException error(String expected) {
            Token t = peek();
            return new ParseException("Error parsing partition filter \"" + source + "\": expected " + expected + " but found '" + t.text + "' at position " + t.position);
        }

        PartitionFilter orExpression() throws ParseException {
            PartitionFilter left = andExpression();
            while (peek().isKeyword("OR")) {
                take();
                left = new Or(left, andExpression());
            }
            return left;
        }

        private PartitionFilter andExpression() throws ParseException {
            PartitionFilter left = unary();
            while (peek().isKeyword("AND")) {
                take();
                left = new And(left, unary());
            }
            return left;
        }

        private PartitionFilter unary() throws ParseException {
            if (peek().isKeyword("NOT")) {
                take();
                return new Not(unary());
            }
            if (peek().kind == TokenKind.LPAREN) {
                take();
                PartitionFilter inner = orExpression();
                expect(TokenKind.RPAREN, "')'");
                return inner;
            }
            return condition();
        }

        private void expect(TokenKind kind, String what) throws ParseException {
            if (peek().kind != kind) {
                throw error(what);
            }
            take();
        }

        private PartitionFilter condition() throws ParseException {
            if (isLiteralStart()) {
                Literal value = literal();
                if (peek().kind != TokenKind.OP) {
                    throw error("a comparison operator");
                }
                Op op = operator(take());
                if (peek().kind != TokenKind.IDENT) {
                    throw error("a partition key");
                }
                return compare(take().text, op.flipped(), value);
            }
            if (peek().kind != TokenKind.IDENT || isReserved(peek())) {
                throw error("a partition key");
            }
            String key = take().text;
            boolean negated = false;
            if (peek().isKeyword("NOT")) {
                take();
                negated = true;
            }
            PartitionFilter result;
            if (peek().isKeyword("LIKE")) {
                take();
                result = new Like(key, literal().text());
            } else if (peek().isKeyword("IN")) {
                take();
                expect(TokenKind.LPAREN, "'('");
                List<Literal> values = new ArrayList<>();
                values.add(literal());
                while (peek().kind == TokenKind.COMMA) {
                    take();
                    values.add(literal());
                }
                expect(TokenKind.RPAREN, "')'");
                result = new In(key, values);
            } else if (peek().isKeyword("BETWEEN")) {
                take();
                Literal low = literal();
                if (!peek().isKeyword("AND")) {
                    throw error("AND");
                }
                take();
                result = new Between(key, low, literal());
            } else if (!negated && peek().kind == TokenKind.OP) {
                Op op = operator(take());
                result = compare(key, op, literal());
            } else {
                throw error(negated ? "LIKE, IN or BETWEEN" : "an operator");
            }
            return negated ? new Not(result) : result;
        }

        private static PartitionFilter compare(String key, Op op, Literal value) {
            return new Compare(key, op, value);
        }

        private static boolean isReserved(Token t) {
            return t.isKeyword("AND") || t.isKeyword("OR") || t.isKeyword("NOT");
        }

        private boolean isLiteralStart() {
            Token t = peek();
            return t.kind == TokenKind.STRING || t.kind == TokenKind.NUMBER
                    || ((t.isKeyword("DATE") || t.isKeyword("TIMESTAMP")) && tokens.get(next + 1).kind == TokenKind.STRING);
        }

        private Literal literal() throws ParseException {
            Token t = peek();
            if ((t.isKeyword("DATE") || t.isKeyword("TIMESTAMP")) && tokens.get(next + 1).kind == TokenKind.STRING) {
                LiteralKind kind = t.isKeyword("DATE") ? LiteralKind.DATE : LiteralKind.TIMESTAMP;
                take();
                return new Literal(take().text, kind);
            }
            if (t.kind == TokenKind.STRING) {
                return new Literal(take().text, false);
            }
            if (t.kind == TokenKind.NUMBER) {
                return new Literal(take().text, true);
            }
            throw error("a literal");
        }

        private Op operator(Token t) throws ParseException {
            return switch (t.text) {
                case "=", "==", "<=>" -> Op.EQ;
                case "!=", "<>" -> Op.NE;
                case "<" -> Op.LT;
                case "<=" -> Op.LE;
                case ">" -> Op.GT;
                case ">=" -> Op.GE;
                default -> throw new ParseException("Error parsing partition filter \"" + source + "\": unknown operator '" + t.text + "' at position " + t.position);
            };
        }
    }
}
