package dev.mortar.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the report says about the machine it ran on (Linux /proc). */
final class Machine
{
    private Machine() {}

    static int cores()
    {
        return Runtime.getRuntime().availableProcessors();
    }

    static String memory()
    {
        for (String line : lines("/proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
            }
        }
        return "unknown";
    }

    static String cpuModel()
    {
        for (String line : lines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown CPU";
    }

    static String kernel()
    {
        List<String> release = lines("/proc/sys/kernel/osrelease");
        return release.isEmpty() ? System.getProperty("os.version") : release.getFirst().trim();
    }

    /** The 1-minute load average: other work on the machine shows here. */
    static String loadAverage()
    {
        List<String> load = lines("/proc/loadavg");
        return load.isEmpty() ? "unknown" : load.getFirst().split(" ")[0];
    }

    private static List<String> lines(String file)
    {
        try {
            return Files.readAllLines(Path.of(file));
        }
        catch (IOException e) {
            return List.of();
        }
    }
}
