package dev.mortar.it.support;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds; fails with the last error seen when the deadline passes. */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(250);

    private Await() {}

    /**
     * @param alive checked before every poll: a process that died will never satisfy the condition
     */
    public static void until(String what, Duration timeout, EngineProcess alive, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (true) {
            if (alive != null && !alive.isAlive()) {
                throw new AssertionError(alive.name() + " exited while waiting until " + what + "\n" + alive.logTail(80));
            }
            try {
                if (condition.call()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError("Timed out after " + timeout + " waiting until " + what
                        + (alive != null ? "\n" + alive.logTail(80) : ""));
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting until " + what, e);
            }
        }
    }
}
