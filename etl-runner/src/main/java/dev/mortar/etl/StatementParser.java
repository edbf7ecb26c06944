package dev.mortar.etl;

import dev.mortar.catalog.Column;
import dev.mortar.catalog.TableName;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.insert.Insert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a statement of a SQL job with JSqlParser. A statement's query (from its first top-level {@code SELECT} or
 * {@code WITH}) is kept as text and runs in the engine's own dialect; what comes before it, the write, is parsed by
 * JSqlParser with a placeholder query. Hive's storage clauses JSqlParser lacks ({@code STORED AS},
 * {@code PARTITIONED BY} with types, {@code LOCATION}) are taken from the statement's tokens before that, and their
 * column lists parsed by JSqlParser as column definitions.
 */
public final class StatementParser {
    private StatementParser() {}

    public static JobStatement parse(Script.Statement statement) {
        List<Token> tokens = statement.tokens();
        int queryStart = queryStart(tokens);
        String head = queryStart < 0 ? statement.text() : queryStart == 0 ? "" : text(statement, 0, queryStart);
        Optional<String> query = queryStart < 0 ? Optional.empty()
                : Optional.of(statement.text().substring(startOffset(statement, tokens.get(queryStart))));
        String first = tokens.get(0).image.toUpperCase(Locale.ROOT);
        if (queryStart == 0) {
            return new JobStatement.Query(statement, statement.text());
        }
        return switch (first) {
            case "CREATE" -> create(statement, queryStart < 0 ? tokens.size() : queryStart, query);
            case "INSERT" -> insert(statement, head, queryStart, query.orElseThrow(() -> fail(statement, "INSERT needs a query (SELECT or WITH ...)", null)));
            default -> throw fail(statement, "a job runs queries (SELECT, WITH), CREATE TABLE, CREATE TABLE ... AS, INSERT INTO and "
                    + "INSERT OVERWRITE TABLE; '" + tokens.get(0).image + "' is none of them", null);
        };
    }

    private static JobStatement create(Script.Statement statement, int end, Optional<String> query) {
        List<Token> tokens = statement.tokens();
        Optional<OutputFormat> format = Optional.empty();
        Optional<String> location = Optional.empty();
        Optional<String> partitionedBy = Optional.empty();
        List<int[]> kept = new ArrayList<>();
        int depth = 0;
        int i = 0;
        while (i < end) {
            Token t = tokens.get(i);
            String word = t.image.toUpperCase(Locale.ROOT);
            if (depth == 0 && word.equals("STORED") && i + 2 < end && tokens.get(i + 1).image.equalsIgnoreCase("AS")) {
                String name = tokens.get(i + 2).image;
                format = Optional.of(OutputFormat.named(name).orElseThrow(() -> fail(statement,
                        "STORED AS " + name + ": a job writes PARQUET, TEXTFILE or JSONFILE", null)));
                i += 3;
            } else if (depth == 0 && word.equals("LOCATION") && i + 1 < end && tokens.get(i + 1).image.startsWith("'")) {
                String literal = tokens.get(i + 1).image;
                location = Optional.of(literal.substring(1, literal.length() - 1).replace("''", "'"));
                i += 2;
            } else if (depth == 0 && word.equals("PARTITIONED") && i + 2 < end && tokens.get(i + 1).image.equalsIgnoreCase("BY")
                    && tokens.get(i + 2).image.equals("(")) {
                int close = closing(tokens, i + 2, end);
                if (close < 0) {
                    throw fail(statement, "PARTITIONED BY ( without its closing )", null);
                }
                partitionedBy = Optional.of(close == i + 3 ? "" : text(statement, i + 3, close));
                i = close + 1;
            } else if (depth == 0 && word.equals("AS") && query.isPresent() && i == end - 1) {
                i++; // the AS before the query
            } else {
                if (t.image.equals("(")) {
                    depth++;
                } else if (t.image.equals(")")) {
                    depth--;
                }
                kept.add(new int[] {i});
                i++;
            }
        }
        StringBuilder rest = new StringBuilder();
        for (int[] k : kept) {
            rest.append(text(statement, k[0], k[0] + 1)).append(' ');
        }
        Statement parsed = jsql(statement, rest + (query.isPresent() ? " AS SELECT 1" : ""));
        if (!(parsed instanceof CreateTable create)) {
            throw fail(statement, "only CREATE TABLE is a job's CREATE statement", null);
        }
        TableName table = tableName(statement, create.getTable());
        if (query.isPresent()) {
            if (create.getColumnDefinitions() != null && !create.getColumnDefinitions().isEmpty()) {
                throw fail(statement, "CREATE TABLE ... AS takes its columns from its query, not a column list", null);
            }
            List<String> partitionColumns = new ArrayList<>();
            if (partitionedBy.isPresent()) {
                for (Column c : columnList(statement, partitionedBy.get(), false)) {
                    partitionColumns.add(c.name());
                }
            }
            return new JobStatement.CreateTableAs(statement, table, create.isIfNotExists(), partitionColumns, format, location, query.get());
        }
        if (create.getColumnDefinitions() == null || create.getColumnDefinitions().isEmpty()) {
            throw fail(statement, "CREATE TABLE needs its columns, or AS and a query", null);
        }
        List<Column> columns = create.getColumnDefinitions().stream().map(StatementParser::column).toList();
        List<Column> keys = partitionedBy.map(p -> columnList(statement, p, true)).orElse(List.of());
        return new JobStatement.CreateTable(statement, table, create.isIfNotExists(), columns, keys, format, location);
    }

    private static List<Column> columnList(Script.Statement statement, String list, boolean typed) {
        if (list.isBlank()) {
            throw fail(statement, "PARTITIONED BY () names no column", null);
        }
        if (!typed) {
            // names only: parsed as the column list of an INSERT
            Statement parsed = jsql(statement, "INSERT INTO t (" + list + ") SELECT 1");
            return ((Insert) parsed).getColumns().stream().map(c -> new Column(unquote(c.getColumnName()), "string")).toList();
        }
        Statement parsed = jsql(statement, "CREATE TABLE t (" + list + ")");
        return ((CreateTable) parsed).getColumnDefinitions().stream().map(StatementParser::column).toList();
    }

    private static Column column(ColumnDefinition definition) {
        String type = definition.getColDataType().toString().toLowerCase(Locale.ROOT).replace(" (", "(").replace(", ", ",");
        if (type.equals("integer")) {
            type = "int";
        } else if (type.equals("text") || type.equals("varchar")) {
            type = "string";
        }
        return new Column(unquote(definition.getColumnName()).toLowerCase(Locale.ROOT), type);
    }

    private static JobStatement insert(Script.Statement statement, String head, int queryStart, String query) {
        Statement parsed = jsql(statement, head + " SELECT 1");
        if (!(parsed instanceof Insert insert)) {
            throw fail(statement, "not an INSERT", null);
        }
        if (insert.getColumns() != null && !insert.getColumns().isEmpty()) {
            throw fail(statement, "INSERT takes the table's columns in order (partition columns last), without a column list", null);
        }
        if (!insert.isOverwrite() && insert.getPartitions() != null && !insert.getPartitions().isEmpty()) {
            throw fail(statement, "INSERT INTO appends; PARTITION (...) is for INSERT OVERWRITE TABLE", null);
        }
        LinkedHashMap<String, Optional<String>> partition = partitionSpec(statement, queryStart);
        int parsedKeys = insert.getPartitions() == null ? 0 : insert.getPartitions().size();
        if (parsedKeys != partition.size()) {
            throw fail(statement, "cannot read the PARTITION clause", null);
        }
        return new JobStatement.Insert(statement, tableName(statement, insert.getTable()), insert.isOverwrite(), partition, query);
    }

    /**
     * The {@code PARTITION (k = 'v', d, ...)} clause of an INSERT, from its tokens: JSqlParser parses the clause, but
     * gives a dynamic key the value of the static key before it.
     */
    private static LinkedHashMap<String, Optional<String>> partitionSpec(Script.Statement statement, int end) {
        List<Token> tokens = statement.tokens();
        LinkedHashMap<String, Optional<String>> spec = new LinkedHashMap<>();
        for (int i = 0; i + 1 < end; i++) {
            if (tokens.get(i).image.equalsIgnoreCase("PARTITION") && tokens.get(i + 1).image.equals("(")) {
                int close = closing(tokens, i + 1, end);
                int j = i + 2;
                while (j < close) {
                    String name = unquote(tokens.get(j).image).toLowerCase(Locale.ROOT);
                    Optional<String> value = Optional.empty();
                    j++;
                    if (j < close && tokens.get(j).image.equals("=")) {
                        if (j + 1 >= close) {
                            throw fail(statement, "PARTITION (" + name + " =) has no value", null);
                        }
                        value = Optional.of(literalValue(tokens.get(j + 1).image));
                        j += 2;
                    }
                    if (spec.put(name, value) != null) {
                        throw fail(statement, "PARTITION names " + name + " twice", null);
                    }
                    if (j < close && tokens.get(j).image.equals(",")) {
                        j++;
                    } else if (j < close) {
                        throw fail(statement, "PARTITION takes key = 'value' or a key alone, separated by commas", null);
                    }
                }
                break;
            }
        }
        return spec;
    }

    private static String literalValue(String expression) {
        String e = expression.trim();
        if (e.length() >= 2 && e.startsWith("'") && e.endsWith("'")) {
            return e.substring(1, e.length() - 1).replace("''", "'");
        }
        return e;
    }

    private static TableName tableName(Script.Statement statement, Table table) {
        if (table.getSchemaName() == null || table.getSchemaName().isBlank()) {
            throw fail(statement, "name the table with its database: database.table (" + table.getName() + " has none)", null);
        }
        return new TableName(unquote(table.getSchemaName()), unquote(table.getName()));
    }

    static String unquote(String name) {
        if (name.length() >= 2) {
            char q = name.charAt(0);
            if ((q == '`' || q == '"') && name.charAt(name.length() - 1) == q) {
                String inner = name.substring(1, name.length() - 1);
                return inner.replace(String.valueOf(q) + q, String.valueOf(q));
            }
        }
        return name;
    }

    private static Statement jsql(Script.Statement statement, String sql) {
        try {
            return CCJSqlParserUtil.parse(sql, parser -> parser.withSquareBracketQuotation(false));
        } catch (JSQLParserException e) {
            String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : String.valueOf(e.getMessage());
            throw fail(statement, "cannot parse: " + message.lines().findFirst().orElse(message).trim(), e);
        }
    }

    /** The first token at depth 0 that starts a query, or -1. */
    private static int queryStart(List<Token> tokens) {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String image = tokens.get(i).image;
            if (image.equals("(")) {
                depth++;
            } else if (image.equals(")")) {
                depth--;
            } else if (depth == 0 && (image.equalsIgnoreCase("SELECT") || image.equalsIgnoreCase("WITH") || image.equalsIgnoreCase("VALUES")
                    || image.equalsIgnoreCase("FROM") && i == 0)) {
                return i;
            }
        }
        return -1;
    }

    private static int closing(List<Token> tokens, int open, int end) {
        int depth = 0;
        for (int i = open; i < end; i++) {
            if (tokens.get(i).image.equals("(")) {
                depth++;
            } else if (tokens.get(i).image.equals(")") && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The statement's text from token {@code from} up to (not including) token {@code to}. */
    private static String text(Script.Statement statement, int from, int to) {
        int start = startOffset(statement, statement.tokens().get(from));
        Token last = statement.tokens().get(to - 1);
        int[] starts = Script.lineStarts(statement.text());
        int end = Script.offset(starts, last.endLine - statement.line() + 1, last.endColumn) + 1 - firstColumnShift(statement, last.endLine);
        return statement.text().substring(start, end);
    }

    private static int startOffset(Script.Statement statement, Token token) {
        int[] starts = Script.lineStarts(statement.text());
        return Script.offset(starts, token.beginLine - statement.line() + 1, token.beginColumn) - firstColumnShift(statement, token.beginLine);
    }

    /** On the statement's first line, its text starts at its first token's column, not at column 1. */
    private static int firstColumnShift(Script.Statement statement, int line) {
        return line == statement.line() ? statement.tokens().get(0).beginColumn - 1 : 0;
    }

    static JobException fail(Script.Statement statement, String message, Throwable cause) {
        return new JobException(statement.number(), statement.line(), message, cause);
    }
}
