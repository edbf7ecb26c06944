package dev.mortar.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Waits for a condition, asking again every 50 ms; fails after a generous limit, naming what it waited for. */
public final class Await {
    private Await() {}

    /** The first value {@code probe} yields. */
    public static <T> T until(String what, Duration limit, Callable<Optional<T>> probe) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<T> value = probe.call();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting (" + limit + ") for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Until {@code condition} holds. */
    public static void untilTrue(String what, Duration limit, Callable<Boolean> condition) throws Exception {
        until(what, limit, () -> condition.call() ? Optional.of(true) : Optional.empty());
    }
}
