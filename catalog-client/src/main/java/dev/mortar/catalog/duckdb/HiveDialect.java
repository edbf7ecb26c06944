package dev.mortar.catalog.duckdb;


/**
 * What Hive clients write that DuckDB reads differently: `backtick` identifiers (Hive's quoting, also
 * in the expanded text of catalog views) and the database name {@code default}, a reserved word in
 * DuckDB. Both are rewritten outside string literals and quoted identifiers; nothing else changes.
 */
public final class HiveDialect {
    private HiveDialect() {}

    public static String toDuckDb(String sql) {
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                int end = endOfQuoted(sql, i, '\'');
                out.append(sql, i, end);
                i = end;
            } else if (c == '"') {
                int end = endOfQuoted(sql, i, '"');
                out.append(sql, i, end);
                i = end;
            } else if (c == '`') {
                int end = sql.indexOf('`', i + 1);
                if (end < 0) {
                    out.append(sql.substring(i));
                    break;
                }
                out.append(SqlText.identifier(sql.substring(i + 1, end)));
                i = end + 1;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                    end++;
                }
                String word = sql.substring(i, end);
                int next = end;
                while (next < n && Character.isWhitespace(sql.charAt(next))) {
                    next++;
                }
                boolean qualifies = next < n && sql.charAt(next) == '.';
                boolean qualified = i > 0 && sql.charAt(i - 1) == '.';
                if (word.equalsIgnoreCase("default") && qualifies && !qualified) {
                    out.append("\"default\"");
                } else {
                    out.append(word);
                }
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Strips whitespace and trailing semicolons. */
    public static String trimStatement(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    private static int endOfQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }
}
