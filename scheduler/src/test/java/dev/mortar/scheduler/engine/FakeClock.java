package dev.mortar.scheduler.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that tests move by hand. */
final class FakeClock implements InstantSource {
    private Instant now;

    FakeClock(Instant start) {
        this.now = start;
    }

    FakeClock(String start) {
        this(Instant.parse(start));
    }

    @Override
    public Instant instant() {
        return now;
    }

    void set(Instant instant) {
        now = instant;
    }

    void set(String instant) {
        now = Instant.parse(instant);
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** A clock that reads this one minus {@code lag}: a server whose clock is behind. */
    InstantSource lagging(Duration lag) {
        return () -> now.minus(lag);
    }
}
