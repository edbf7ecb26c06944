package dev.mortar.scheduler.engine;

import dev.mortar.scheduler.trigger.RunTarget;
import dev.mortar.scheduler.trigger.Trigger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the engine reads of the control plane's store; implemented by the control plane. Reads see committed data. */
public interface SchedulerStore {
    /** Every SCHEDULED trigger in state ACTIVATED, inside workflows or not, with its watermark. */
    List<ScheduledTrigger> activatedSchedules();

    /** The ACTIVATED CONDITIONAL triggers outside any workflow whose predicate watches {@code target}. */
    List<Trigger> conditionalTriggersWatching(RunTarget target);

    /** The triggers workflow run {@code chain} snapshotted when it started; empty when there is no such run. */
    Optional<List<Trigger>> workflowRunTriggers(Chain chain);

    /**
     * For each of {@code targets}, its run (job run or crawl) that ended last within {@code chain}; targets without one
     * are absent from the map. For a resumed workflow run, the nodes it kept answer with their runs of the run it
     * resumed.
     */
    Map<RunTarget, EndedRun> latestEndedRuns(Chain chain, Set<RunTarget> targets);

    /** Whether {@code triggerName} has fired within {@code chain} (a claimed {@link FiringCause.ConditionsMet}). */
    boolean hasFired(String triggerName, Chain chain);

    /**
     * Runs that ended and have not been evaluated yet, oldest first, at most {@code limit}: the outbox that makes a
     * run's end lead to its dependent runs even when the server that saw it end dies right after.
     */
    List<EndedRun> pendingRunEnds(int limit);

    /**
     * Marks a run's end evaluated, after its firings were handed to the launcher; false (and nothing changed) when
     * {@code token} is not the lease's current one.
     */
    boolean markEvaluated(EndedRun run, FencingToken token);
}
