package dev.mortar.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads a process's memory figures from /proc (Linux). */
final class ProcessMemory
{
    private ProcessMemory() {}

    /** Peak resident set size (VmHWM) in bytes, if the process is still there. */
    static OptionalLong peakRssBytes(long pid)
    {
        return statusField(pid, "VmHWM:");
    }

    /** Current resident set size (VmRSS) in bytes. */
    static OptionalLong rssBytes(long pid)
    {
        return statusField(pid, "VmRSS:");
    }

    private static OptionalLong statusField(long pid, String field)
    {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    // "VmHWM:	  312456 kB"
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
            return OptionalLong.empty();
        }
        catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
