package dev.mortar.metastore.hms;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Object name patterns as Hive Metastore clients send them: {@code *} matches any characters,
 * {@code |} separates alternatives, and {@code .*} (as Trino sends) means the same as {@code *}.
 * Matching is case-insensitive.
 */
public final class NamePattern {
    private final List<Pattern> alternatives;

    private NamePattern(List<Pattern> alternatives) {
        this.alternatives = alternatives;
    }

    public static NamePattern of(String pattern) {
        List<Pattern> alternatives = new ArrayList<>();
        if (pattern == null) {
            alternatives.add(Pattern.compile(".*"));
            return new NamePattern(alternatives);
        }
        for (String alternative : pattern.split("\\|")) {
            StringBuilder regex = new StringBuilder();
            String text = alternative.trim().replace(".*", "*");
            for (char c : text.toCharArray()) {
                if (c == '*') {
                    regex.append(".*");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            alternatives.add(Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE));
        }
        return new NamePattern(alternatives);
    }

    public boolean matches(String name) {
        for (Pattern p : alternatives) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }
}
