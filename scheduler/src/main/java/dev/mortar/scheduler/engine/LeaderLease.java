package dev.mortar.scheduler.engine;

import java.time.Duration;
import java.util.Optional;

/**
 * One active scheduler among the servers on a store: a lease in the store, as the run queue leases tasks (a
 * conditional update, a token that grows with every new holder).
 */
public interface LeaderLease {
    /**
     * Takes the lease for {@code duration} when nobody holds it or the holder's lease has expired; the new grant's
     * token is greater than every earlier one. Empty when another holder's lease is still valid.
     */
    Optional<LeaseGrant> tryAcquire(String holder, Duration duration);

    /** Extends a lease still held under {@code grant}'s token; empty when it was lost (expired and taken, or released). */
    Optional<LeaseGrant> renew(LeaseGrant grant, Duration duration);

    /** Gives the lease up at once, if {@code grant} still holds it, so another server need not wait for it to expire. */
    void release(LeaseGrant grant);
}
