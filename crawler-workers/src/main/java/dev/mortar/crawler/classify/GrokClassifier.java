package dev.mortar.crawler.classify;

import dev.mortar.catalog.Column;
import io.krakens.grok.api.Grok;
import io.krakens.grok.api.GrokCompiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A custom grok classifier: text whose every sampled line matches the grok pattern ({@code %{PATTERN:field}} or
 * {@code %{PATTERN:field:type}}, with the standard Logstash pattern library and the classifier's own
 * {@code CustomPatterns}, one {@code NAME regex} per line). The named fields are the columns, {@code string} unless
 * cast to {@code byte}, {@code short}, {@code int}, {@code long}, {@code float}, {@code double} or {@code boolean}.
 *
 * <p>The service records such tables with its own GrokSerDe, which only its engines read. Here the pattern is
 * expanded to the plain Java regular expression it stands for, with one capturing group per column, and the table
 * gets Hive's {@code RegexSerDe} with that {@code input.regex}: Hive, Spark and Trino read it as is. Grok matches
 * anywhere in a line; {@code RegexSerDe} matches whole lines, so the expression is wrapped in {@code .*?( ... ).*}.
 */
public final class GrokClassifier implements Classifier {
    public static final String SERDE = "org.apache.hadoop.hive.serde2.RegexSerDe";
    public static final String INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat";
    public static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

    private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<(name\\d+)>");
    /** Log lines are short: a file with a longer line (a one-line JSON document) is no log to the built-ins, which need not scan it. */
    private static final int BUILT_IN_MAX_LINE = 64 << 10;
    private static final Pattern CAST = Pattern.compile("%\\{\\w+:[^:}]+:([^:}]+)}");
    private static final Map<String, String> CASTS = Map.of("byte", "tinyint", "short", "smallint", "int", "int", "long", "bigint",
            "float", "float", "double", "double", "boolean", "boolean", "string", "string");

    private final String name;
    private final boolean builtIn;
    private final String classification;
    private final String grokPattern;
    private final String customPatterns;
    private final List<Column> columns;
    private final String hiveRegex;
    private final Pattern linePattern;

    /** Compiles the pattern; a pattern that does not compile, or names no field, is {@link IllegalArgumentException}. */
    public GrokClassifier(String name, String classification, String grokPattern, String customPatterns) {
        this(name, false, classification, grokPattern, customPatterns);
    }

    /** One of the service's built-in log classifiers, whose classification is its name. */
    static GrokClassifier builtIn(String classification, String grokPattern) {
        return new GrokClassifier(classification, true, classification, grokPattern, "");
    }

    private GrokClassifier(String name, boolean builtIn, String classification, String grokPattern, String customPatterns) {
        this.name = name;
        this.builtIn = builtIn;
        this.classification = classification;
        this.grokPattern = grokPattern;
        this.customPatterns = customPatterns == null ? "" : customPatterns;
        Matcher cast = CAST.matcher(grokPattern);
        while (cast.find()) {
            if (!CASTS.containsKey(cast.group(1).toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("Grok field " + cast.group() + " has an unknown type " + cast.group(1)
                        + "; use byte, boolean, double, short, int, long or float");
            }
        }
        GrokCompiler compiler = GrokCompiler.newInstance();
        compiler.registerDefaultPatterns();
        compiler.register(parseCustomPatterns(this.customPatterns));
        Grok grok;
        try {
            grok = compiler.compile(grokPattern, true /* named captures only */);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Grok pattern " + grokPattern + " does not compile: " + e.getMessage(), e);
        }
        // The named groups in order of appearance; the first of each field name becomes its column.
        Map<String, Column> byGroup = new LinkedHashMap<>();
        Map<String, Boolean> seenFields = new HashMap<>();
        Matcher m = NAMED_GROUP.matcher(grok.getNamedRegex());
        while (m.find()) {
            String spec = grok.getNamedRegexCollectionById(m.group(1));
            if (spec == null) {
                continue;
            }
            String[] parts = spec.split(":", 2);
            String field = parts[0].toLowerCase(Locale.ROOT);
            if (parts[0].equals("UNWANTED") || parts[0].equals(parts[0].toUpperCase(Locale.ROOT)) && compiler.getPatternDefinitions().containsKey(parts[0])
                    || seenFields.putIfAbsent(field, true) != null) {
                continue;
            }
            String type = parts.length == 2 ? CASTS.get(parts[1].toLowerCase(Locale.ROOT)) : "string";
            if (type == null) {
                throw new IllegalArgumentException("Grok field " + spec + " has an unknown type; use byte, boolean, double, short, int, long or float");
            }
            byGroup.put(m.group(1), new Column(field, type));
        }
        if (byGroup.isEmpty()) {
            throw new IllegalArgumentException("Grok pattern " + grokPattern + " names no field; name them as %{PATTERN:field}");
        }
        this.columns = List.copyOf(byGroup.values());
        this.hiveRegex = ".*?(?:" + captureOnly(grok.getNamedRegex(), byGroup.keySet()) + ").*";
        try {
            this.linePattern = Pattern.compile(hiveRegex);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Grok pattern " + grokPattern + " does not compile: " + e.getMessage(), e);
        }
    }

    /** CustomPatterns as the service takes them: one {@code NAME regex} per line; blank lines and {@code #} comments are skipped. */
    static Map<String, String> parseCustomPatterns(String text) {
        Map<String, String> patterns = new LinkedHashMap<>();
        for (String line : text.split("\\r?\\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+", 2);
            if (parts.length < 2 || !parts[0].matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("Custom grok pattern line '" + l + "' is not NAME followed by a regular expression");
            }
            patterns.put(parts[0], parts[1]);
        }
        return patterns;
    }

    /**
     * The expression with exactly one capturing group per column, in column order: the columns' named groups become
     * plain groups, every other group (named or not) non-capturing, as {@code RegexSerDe} maps group n to column n.
     */
    static String captureOnly(String regex, java.util.Set<String> columnGroups) {
        StringBuilder out = new StringBuilder(regex.length());
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                if (regex.charAt(i + 1) == 'Q') {
                    int end = regex.indexOf("\\E", i + 2);
                    end = end < 0 ? regex.length() : end + 2;
                    out.append(regex, i, end);
                    i = end;
                } else {
                    out.append(c).append(regex.charAt(i + 1));
                    i += 2;
                }
            } else if (c == '[') {
                int j = i + 1;
                if (j < regex.length() && regex.charAt(j) == '^') {
                    j++;
                }
                if (j < regex.length() && regex.charAt(j) == ']') {
                    j++; // a leading ] is literal
                }
                int depth = 1;
                while (j < regex.length() && depth > 0) {
                    char d = regex.charAt(j);
                    if (d == '\\') {
                        j++;
                    } else if (d == '[') {
                        depth++;
                    } else if (d == ']') {
                        depth--;
                    }
                    j++;
                }
                out.append(regex, i, j);
                i = j;
            } else if (c == '(') {
                if (regex.startsWith("(?<", i) && i + 3 < regex.length() && regex.charAt(i + 3) != '=' && regex.charAt(i + 3) != '!') {
                    int close = regex.indexOf('>', i);
                    String group = regex.substring(i + 3, close);
                    out.append(columnGroups.contains(group) ? "(" : "(?:");
                    i = close + 1;
                } else if (regex.startsWith("(?", i)) {
                    out.append("(?");
                    i += 2;
                } else {
                    out.append("(?:");
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    public List<Column> columns() {
        return columns;
    }

    /** The regular expression of the table's {@code RegexSerDe}. */
    public String hiveRegex() {
        return hiveRegex;
    }

    @Override
    public Optional<Classification> classify(SampledFile file) throws IOException {
        byte[] sample = file.content(SampledFile.TEXT_SAMPLE_BYTES);
        boolean truncated = sample.length == SampledFile.TEXT_SAMPLE_BYTES;
        String text = new String(sample, StandardCharsets.UTF_8);
        if (text.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        String[] lines = text.split("\\r?\\n");
        int last = truncated && lines.length > 1 ? lines.length - 1 : lines.length; // the sample cut the last line
        int matched = 0;
        for (int i = 0; i < last; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            if (builtIn && lines[i].length() > BUILT_IN_MAX_LINE || !linePattern.matcher(lines[i]).matches()) {
                return Optional.empty();
            }
            matched++;
        }
        if (matched == 0) {
            return Optional.empty();
        }
        Compression compression = file.compression();
        Map<String, String> table = new HashMap<>(Map.of("classification", classification, "typeOfData", "file",
                "compressionType", compression.tableValue(), "grokPattern", grokPattern));
        if (!customPatterns.isBlank()) {
            table.put("grokCustomPatterns", customPatterns);
        }
        String explanation = (builtIn ? classification + ": built-in grok classifier" : "custom grok classifier '" + name + "'") + ": all " + matched + " sampled lines match " + grokPattern + "; "
                + columns.size() + " named fields are the columns; RegexSerDe with the pattern expanded to a regular expression"
                + (compression == Compression.NONE ? "" : "; " + compression.tableValue() + " compressed, read transparently");
        return Optional.of(new Classification(classification, columns, SERDE, Map.of("input.regex", hiveRegex), INPUT_FORMAT, OUTPUT_FORMAT, table, explanation));
    }
}
