package dev.mortar.metastore.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Waits for a condition, asking again every 50 ms; fails after a generous limit. */
final class Await {
    private Await() {}

    static <T> T until(String what, Duration limit, Callable<Optional<T>> probe) throws Exception {
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
}
