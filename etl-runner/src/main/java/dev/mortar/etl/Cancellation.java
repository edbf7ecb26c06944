package dev.mortar.etl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to stop a run, made from any thread (a stop asked through the job API, a run's timeout). The run checks
 * it between steps, and what is blocked in a step (an engine's statement, a script's process) is stopped by the
 * actions registered with {@link #onCancel}. The first reason given is kept; later calls change nothing.
 */
public final class Cancellation {
    private final Object lock = new Object();
    private final List<Runnable> actions = new ArrayList<>();
    private String reason;

    /** Asks the run to stop, for {@code reason} (said in the run's error), and runs the registered actions once. */
    public void cancel(String reason) {
        Objects.requireNonNull(reason, "reason");
        List<Runnable> toRun;
        synchronized (lock) {
            if (this.reason != null) {
                return;
            }
            this.reason = reason.isBlank() ? "stopped" : reason;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        RuntimeException failure = null;
        for (Runnable action : toRun) {
            try {
                action.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    public boolean isCancelled() {
        synchronized (lock) {
            return reason != null;
        }
    }

    /** Why the run was asked to stop; empty while it was not. */
    public Optional<String> reason() {
        synchronized (lock) {
            return Optional.ofNullable(reason);
        }
    }

    /**
     * Runs {@code action} when the run is cancelled, on the cancelling thread; at once (on this thread) when it
     * already is. Closing the registration drops the action (the step it guards has ended).
     */
    public Registration onCancel(Runnable action) {
        Objects.requireNonNull(action, "action");
        synchronized (lock) {
            if (reason == null) {
                actions.add(action);
                return () -> {
                    synchronized (lock) {
                        actions.remove(action);
                    }
                };
            }
        }
        action.run();
        return () -> { };
    }

    /** Throws {@link JobCancelledException} when the run was asked to stop. */
    public void throwIfCancelled() {
        Optional<String> why = reason();
        if (why.isPresent()) {
            throw new JobCancelledException(why.get());
        }
    }

    /** An action registered with {@link #onCancel}. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
