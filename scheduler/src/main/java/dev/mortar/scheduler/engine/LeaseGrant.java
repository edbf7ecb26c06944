package dev.mortar.scheduler.engine;

import java.time.Instant;
import java.util.Objects;

/** A held leader lease: who holds it, its fencing token, and when it expires (by the scheduler's clock). */
public record LeaseGrant(String holder, FencingToken token, Instant expiresAt) {
    public LeaseGrant {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
