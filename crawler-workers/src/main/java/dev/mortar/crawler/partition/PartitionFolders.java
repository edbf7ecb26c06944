package dev.mortar.crawler.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Partition keys and values from the folders between a table's folder and a file: a Hive-style
 * {@code key=value} folder names its key, any other folder is {@code partition_<depth>}; values are strings.
 */
public final class PartitionFolders {
    private PartitionFolders() {}

    public record Segment(String key, String value) {}

    public static List<Segment> parse(List<String> folders) {
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < folders.size(); i++) {
            String folder = folders.get(i);
            int eq = folder.indexOf('=');
            if (eq > 0 && eq < folder.length() - 1) {
                segments.add(new Segment(folder.substring(0, eq).toLowerCase(Locale.ROOT), unescape(folder.substring(eq + 1))));
            } else {
                segments.add(new Segment("partition_" + i, folder));
            }
        }
        return segments;
    }

    /** Whether a folder name is Hive-style {@code key=value}. */
    public static boolean isKeyValue(String folder) {
        int eq = folder.indexOf('=');
        return eq > 0 && eq < folder.length() - 1;
    }

    /** Hive escapes special characters in partition folder names as {@code %XX}. */
    private static String unescape(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '%' && i + 2 < value.length()) {
                try {
                    sb.append((char) Integer.parseInt(value.substring(i + 1, i + 3), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the '%'
                }
            }
            sb.append(ch);
        }
        return sb.toString();
    }
}
