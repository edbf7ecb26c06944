package dev.mortar.scheduler.engine;

import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.CrawlState;
import dev.mortar.scheduler.trigger.JobRunState;
import dev.mortar.scheduler.trigger.RunTarget;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.trigger.TriggerState;
import dev.mortar.scheduler.trigger.TriggerType;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The control plane's side of the scheduler's interfaces, in memory, as the server must do it in its store: every
 * write checks the fencing token, a scheduled firing is a compare-and-set of the watermark, a conditional one a unique
 * (trigger, chain), and a refused call changes nothing. Several {@link SchedulerLoop}s share one instance as several
 * servers share one database.
 */
final class InMemoryControlPlane implements SchedulerStore, RunLauncher, LeaderLease {
    /** A run the launcher started (or a manual one), and how it ended. */
    record Run(RunRef ref, Optional<RunOrigin> origin, List<RunRef> predecessors, Map<String, String> arguments, Instant startedAt,
               Optional<EndedRun> end) {
    }

    record WorkflowRun(String workflowName, String runId, List<Trigger> snapshot, Instant startedAt) {
    }

    private final InstantSource clock;
    private final Map<String, Trigger> triggers = new LinkedHashMap<>();
    private final Map<String, Instant> watermarks = new HashMap<>();
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final Set<String> firedInChain = new HashSet<>();
    private final Map<String, WorkflowRun> workflowRuns = new LinkedHashMap<>();
    private final List<EndedRun> pending = new ArrayList<>();
    private final List<SkippedTicks> skips = new ArrayList<>();
    private String leaseHolder;
    private long leaseToken;
    private Instant leaseExpiresAt = Instant.EPOCH;
    private int nextRun = 1;

    InMemoryControlPlane(InstantSource clock) {
        this.clock = clock;
    }

    // --- what the control plane's API does -------------------------------------------------------------------------

    /** CreateTrigger (with StartOnCreation) or StartTrigger of a scheduled trigger: the watermark is the time of it. */
    void put(Trigger trigger) {
        Trigger old = triggers.put(trigger.name(), trigger);
        if (trigger.type() == TriggerType.SCHEDULED && trigger.isActivated()
                && (old == null || !old.isActivated() || !old.schedule().equals(trigger.schedule()))) {
            watermarks.put(trigger.name(), clock.instant());
        }
    }

    /** A run's end, as the run coordinator records it, queued for evaluation. */
    EndedRun end(String runId, Enum<?> state) {
        Run run = runs.get(runId);
        EndedRun ended = switch (run.ref().target()) {
            case RunTarget.Job job -> new EndedRun.JobRunEnded(job.name(), runId, (JobRunState) state, clock.instant(), run.origin());
            case RunTarget.Crawler crawler -> new EndedRun.CrawlEnded(crawler.name(), runId, (CrawlState) state, clock.instant(), run.origin());
        };
        runs.put(runId, new Run(run.ref(), run.origin(), run.predecessors(), run.arguments(), run.startedAt(), Optional.of(ended)));
        pending.add(ended);
        return ended;
    }

    /** StartJobRun from outside any trigger. */
    String startManually(RunTarget target) {
        return start(target, Optional.empty(), List.of(), Map.of()).ref().runId();
    }

    List<Run> runs() {
        return List.copyOf(runs.values());
    }

    List<Run> runsOf(String name) {
        return runs.values().stream().filter(r -> r.ref().target().name().equals(name)).toList();
    }

    Run lastRunOf(String name) {
        return runsOf(name).getLast();
    }

    Map<String, WorkflowRun> workflowRuns() {
        return workflowRuns;
    }

    List<SkippedTicks> skips() {
        return skips;
    }

    Instant watermark(String trigger) {
        return watermarks.get(trigger);
    }

    Optional<String> leaseHolder() {
        return clock.instant().isBefore(leaseExpiresAt) ? Optional.ofNullable(leaseHolder) : Optional.empty();
    }

    // --- SchedulerStore -------------------------------------------------------------------------------------------

    @Override
    public List<ScheduledTrigger> activatedSchedules() {
        return triggers.values().stream().filter(t -> t.type() == TriggerType.SCHEDULED && t.state() == TriggerState.ACTIVATED)
                .map(t -> new ScheduledTrigger(t, watermarks.get(t.name()))).toList();
    }

    @Override
    public List<Trigger> conditionalTriggersWatching(RunTarget target) {
        return triggers.values().stream().filter(t -> t.type() == TriggerType.CONDITIONAL && t.isActivated()
                && t.workflowName().isEmpty() && t.predicate().orElseThrow().watched().contains(target)).toList();
    }

    @Override
    public Optional<List<Trigger>> workflowRunTriggers(Chain chain) {
        return Optional.ofNullable(workflowRuns.get(chain.id())).map(WorkflowRun::snapshot);
    }

    @Override
    public Map<RunTarget, EndedRun> latestEndedRuns(Chain chain, Set<RunTarget> targets) {
        Map<RunTarget, EndedRun> latest = new HashMap<>();
        for (Run run : runs.values()) {
            if (run.end().isPresent() && run.origin().isPresent() && run.origin().get().chain().equals(chain)
                    && targets.contains(run.ref().target())) {
                EndedRun end = run.end().get();
                latest.merge(end.target(), end, (a, b) -> b.endedAt().isBefore(a.endedAt()) ? a : b);
            }
        }
        return latest;
    }

    @Override
    public boolean hasFired(String triggerName, Chain chain) {
        return firedInChain.contains(triggerName + "@" + chain.id());
    }

    @Override
    public List<EndedRun> pendingRunEnds(int limit) {
        return List.copyOf(pending.subList(0, Math.min(limit, pending.size())));
    }

    @Override
    public boolean markEvaluated(EndedRun run, FencingToken token) {
        if (!current(token)) {
            return false;
        }
        pending.remove(run);
        return true;
    }

    // --- RunLauncher: one transaction each ------------------------------------------------------------------------

    @Override
    public FireOutcome fire(Firing firing, FencingToken token) {
        if (!current(token)) {
            return FireOutcome.LEASE_LOST;
        }
        switch (firing.cause()) {
            case FiringCause.ScheduledTick tick -> {
                Trigger trigger = triggers.get(firing.triggerName());
                if (trigger == null || !trigger.isActivated() || !tick.expectedFiredThrough().equals(watermarks.get(firing.triggerName()))) {
                    return FireOutcome.CLAIMED_ELSEWHERE;
                }
                watermarks.put(firing.triggerName(), tick.tick());
            }
            case FiringCause.ConditionsMet ignored -> {
                if (!firedInChain.add(firing.triggerName() + "@" + firing.chain().id())) {
                    return FireOutcome.CLAIMED_ELSEWHERE;
                }
            }
            case FiringCause.OnDemand ignored -> {
            }
            case FiringCause.WorkflowRunStarted ignored -> {
            }
        }
        if (firing.startsWorkflowRun()) {
            String workflow = firing.chain().workflowName().orElseThrow();
            List<Trigger> snapshot = triggers.values().stream().filter(t -> t.workflowName().equals(Optional.of(workflow))).toList();
            workflowRuns.put(firing.chain().id(), new WorkflowRun(workflow, firing.chain().id(), snapshot, clock.instant()));
        }
        for (Action action : firing.actions()) {
            Map<String, String> arguments = action instanceof Action.JobAction job ? job.arguments() : Map.of();
            start(action.target(), Optional.of(firing.origin()), firing.predecessors(), arguments);
        }
        return FireOutcome.FIRED;
    }

    @Override
    public FireOutcome skip(SkippedTicks skipped, FencingToken token) {
        if (!current(token)) {
            return FireOutcome.LEASE_LOST;
        }
        if (!skipped.expectedFiredThrough().equals(watermarks.get(skipped.triggerName()))) {
            return FireOutcome.CLAIMED_ELSEWHERE;
        }
        watermarks.put(skipped.triggerName(), skipped.latestMissed());
        skips.add(skipped);
        return FireOutcome.FIRED;
    }

    private Run start(RunTarget target, Optional<RunOrigin> origin, List<RunRef> predecessors, Map<String, String> arguments) {
        String id = (target instanceof RunTarget.Job ? "jr_" : "cr_") + nextRun++;
        Run run = new Run(new RunRef(target, id), origin, predecessors, arguments, clock.instant(), Optional.empty());
        runs.put(id, run);
        return run;
    }

    // --- LeaderLease: one row, a conditional update -----------------------------------------------------------------

    @Override
    public Optional<LeaseGrant> tryAcquire(String holder, Duration duration) {
        Instant now = clock.instant();
        if (leaseHolder != null && now.isBefore(leaseExpiresAt) && !leaseHolder.equals(holder)) {
            return Optional.empty();
        }
        leaseHolder = holder;
        leaseToken++;
        leaseExpiresAt = now.plus(duration);
        return Optional.of(new LeaseGrant(holder, new FencingToken(leaseToken), leaseExpiresAt));
    }

    @Override
    public Optional<LeaseGrant> renew(LeaseGrant grant, Duration duration) {
        if (!current(grant.token())) {
            return Optional.empty();
        }
        leaseExpiresAt = clock.instant().plus(duration);
        return Optional.of(new LeaseGrant(grant.holder(), grant.token(), leaseExpiresAt));
    }

    @Override
    public void release(LeaseGrant grant) {
        if (grant.token().value() == leaseToken) {
            leaseExpiresAt = clock.instant();
        }
    }

    private boolean current(FencingToken token) {
        return token.value() == leaseToken && clock.instant().isBefore(leaseExpiresAt);
    }
}
