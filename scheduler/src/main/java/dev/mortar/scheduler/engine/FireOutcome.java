package dev.mortar.scheduler.engine;

/** What became of a {@link Firing} or a skip handed to the {@link RunLauncher}. */
public enum FireOutcome {
    /** Claimed and done: the runs started (or ended in ERROR at once, for a job that no longer exists). */
    FIRED,
    /** Not claimed: done already by this or another scheduler, or the trigger changed since the decision. Nothing done. */
    CLAIMED_ELSEWHERE,
    /** The fencing token is no longer the lease's: nothing done, and this scheduler is no longer the leader. */
    LEASE_LOST
}
