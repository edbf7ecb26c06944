package dev.mortar.metastore.readme;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fenced code block of a Markdown file, with the {@code <!-- readme-test: ... -->} mark on the line before it
 * ({@code skip: why} or {@code background: ...}) and the mark's text after the colon.
 */
record ReadmeBlock(String file, int line, String language, String text, String mark, String reason) {
    private static final Pattern FENCE = Pattern.compile("(?m)^```(\\w*)\\n(.*?)^```\\s*$", Pattern.DOTALL);
    private static final Pattern MARK = Pattern.compile("<!-- readme-test: (skip|background)\\b:?\\s*(.*?)\\s*-->\\s*$");
    static final Pattern ANY_MARK = Pattern.compile("<!-- readme-test:");
    private static final Set<String> RUNNABLE = Set.of("sh", "python", "sql");

    static List<ReadmeBlock> parse(String markdown) {
        return parse("README.md", markdown);
    }

    static List<ReadmeBlock> parse(String file, String markdown) {
        List<ReadmeBlock> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(markdown);
        while (m.find()) {
            String before = markdown.substring(0, m.start());
            String previousLine = before.endsWith("\n") ? before.substring(before.lastIndexOf('\n', before.length() - 2) + 1).strip() : "";
            Matcher mark = MARK.matcher(previousLine);
            boolean marked = mark.find();
            int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
            blocks.add(new ReadmeBlock(file, line, m.group(1), m.group(2), marked ? mark.group(1) : "", marked ? mark.group(2) : ""));
        }
        return blocks;
    }

    boolean runnable() {
        return RUNNABLE.contains(language);
    }

    boolean skipped() {
        return mark.equals("skip");
    }

    boolean background() {
        return mark.equals("background");
    }

    @Override
    public String toString() {
        return file + " line " + line + " (" + language + ")";
    }
}
