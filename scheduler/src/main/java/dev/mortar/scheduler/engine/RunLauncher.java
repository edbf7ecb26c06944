package dev.mortar.scheduler.engine;

/**
 * Where decisions become runs: implemented by the control plane. Each call is ONE store transaction that
 * <ol>
 *   <li>checks that {@code token} is the leader lease's current token (else {@link FireOutcome#LEASE_LOST});</li>
 *   <li>claims the firing exactly once, by its cause (else {@link FireOutcome#CLAIMED_ELSEWHERE}):
 *       {@link FiringCause.ScheduledTick}: set the trigger's watermark to the tick where it is still
 *       {@code expectedFiredThrough} and the trigger is still ACTIVATED; {@link FiringCause.ConditionsMet}: insert
 *       (trigger name, chain id) under a unique key; on-demand and workflow starts are claimed by their API call;</li>
 *   <li>when {@link Firing#startsWorkflowRun()}, creates the workflow run (its id is the chain id) with the snapshot
 *       of the workflow's triggers, or records it in ERROR when MaxConcurrentRuns is reached;</li>
 *   <li>starts every action as a run recording {@link Firing#origin()} and {@link Firing#predecessors()}: a job run
 *       with its arguments merged as StartJobRun merges them, or a crawl; a job or crawler that no longer exists gives
 *       a run in ERROR, as the service does.</li>
 * </ol>
 * Nothing of a refused call is left behind.
 */
public interface RunLauncher {
    FireOutcome fire(Firing firing, FencingToken token);

    /** Moves the watermark past missed ticks without running them: the same claim as a scheduled firing, no runs. */
    FireOutcome skip(SkippedTicks skipped, FencingToken token);
}
