package dev.mortar.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * docs/BENCHMARKS.md holds one section per benchmark, each between its own markers
 * ({@code <!-- name:begin -->} and {@code <!-- name:end -->}), so that running one benchmark
 * replaces its figures and leaves the others' as they were.
 */
public final class BenchmarkSections
{
    private static final String TITLE = """
            # Benchmarks

            Each section is written by a run of `bin/mortar-bench` (the command is in the section); run it
            again rather than editing the figures. Absolute figures depend on the machine and its load;
            each benchmark runs its systems side by side in one run, so their ratios compare.

            """;

    private BenchmarkSections() {}

    /** Replaces the named section of the document with this text, or adds it at the end. */
    public static void write(Path document, String name, String markdown)
            throws IOException
    {
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        String section = begin + "\n" + markdown.strip() + "\n" + end + "\n";
        String text = Files.exists(document) ? Files.readString(document) : "";
        if (!text.contains(":begin -->")) {
            // A document from before sections (or none): start it anew.
            text = TITLE;
        }
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        String updated;
        if (from >= 0 && to > from) {
            int after = to + end.length();
            if (after < text.length() && text.charAt(after) == '\n') {
                after++;
            }
            updated = text.substring(0, from) + section + text.substring(after);
        }
        else {
            updated = text + (text.endsWith("\n\n") ? "" : "\n") + section;
        }
        if (document.getParent() != null) {
            Files.createDirectories(document.getParent());
        }
        Files.writeString(document, updated);
    }
}
