package dev.mortar.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's CPU time from /proc (Linux): unlike a run's wall time, it does not count the time the run waited
 * for a core while other work on the machine had it.
 */
final class ProcessCpu
{
    /** The unit of utime and stime in /proc/[pid]/stat (USER_HZ, 100 on Linux). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessCpu() {}

    /** User and system CPU time the process (all its threads) has used so far, in nanoseconds. */
    static long cpuNanos(long pid)
    {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted after its last ')';
            // utime and stime are fields 14 and 15, the 12th and 13th after it
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        }
        catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the CPU time of process " + pid + " from /proc: " + e, e);
        }
    }
}
