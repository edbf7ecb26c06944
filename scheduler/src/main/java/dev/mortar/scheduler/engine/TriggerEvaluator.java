package dev.mortar.scheduler.engine;

import dev.mortar.scheduler.cron.GlueSchedule;
import dev.mortar.scheduler.trigger.Condition;
import dev.mortar.scheduler.trigger.Logical;
import dev.mortar.scheduler.trigger.Predicate;
import dev.mortar.scheduler.trigger.RunTarget;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.trigger.TriggerType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what fires: the pure part of the scheduler. It reads through {@link SchedulerStore} and returns decisions;
 * it writes nothing, so the same decision made twice (two servers, a retry) is harmless: the launcher's claim lets one
 * through.
 *
 * <p>Scheduled: a tick is due when it is after the trigger's watermark and at or before now. The latest due tick fires
 * when it is at most {@code misfireGrace} old (a scheduler that polls, or takes over within a lease period, is on
 * time); an older one was missed while no scheduler ran and is skipped, unless {@code catchUp}, which fires it once,
 * late. Ticks before the latest due one never fire.
 *
 * <p>Conditional: only a run that a trigger started counts (a chain descends from a SCHEDULED or ON_DEMAND trigger, or
 * a workflow run's start). Inside a workflow run only the triggers of the run's snapshot are considered, outside only
 * triggers of no workflow. A trigger fires when the ended run meets one of its conditions and the predicate holds over
 * the latest ended run of each watched job and crawler in the same chain (AND: all conditions, ANY: one); it fires at
 * most once per chain.
 */
public final class TriggerEvaluator {
    private final IdGenerator ids;
    private final Duration misfireGrace;
    private final boolean catchUp;

    public TriggerEvaluator(IdGenerator ids, Duration misfireGrace, boolean catchUp) {
        this.ids = Objects.requireNonNull(ids, "ids");
        this.misfireGrace = Objects.requireNonNull(misfireGrace, "misfireGrace");
        this.catchUp = catchUp;
        if (misfireGrace.isNegative()) {
            throw new IllegalArgumentException("misfireGrace must not be negative: " + misfireGrace);
        }
    }

    public ScheduleDecision decide(ScheduledTrigger scheduled, Instant now) {
        Trigger trigger = scheduled.trigger();
        GlueSchedule schedule = trigger.schedule().orElseThrow();
        Optional<Instant> first = schedule.nextAfter(scheduled.firedThrough());
        if (first.isEmpty() || first.get().isAfter(now)) {
            return new ScheduleDecision.NotDue(first);
        }
        Instant latest = first.get();
        Optional<Instant> second = schedule.nextAfter(latest);
        if (second.isPresent() && !second.get().isAfter(now)) {
            latest = schedule.lastAtOrBefore(now).orElseThrow();
        }
        boolean onTime = !Duration.between(latest, now).minus(misfireGrace).isPositive();
        if (!onTime && !catchUp) {
            return new ScheduleDecision.Skip(new SkippedTicks(trigger.name(), scheduled.firedThrough(), latest));
        }
        FiringCause cause = new FiringCause.ScheduledTick(latest, scheduled.firedThrough(), !onTime);
        return new ScheduleDecision.Fire(start(trigger, cause));
    }

    /** StartTrigger on an ON_DEMAND trigger: it fires now, beginning a chain (or a workflow run, in a workflow). */
    public Firing onDemand(Trigger trigger) {
        if (trigger.type() != TriggerType.ON_DEMAND) {
            throw new IllegalArgumentException("Trigger " + trigger.name() + " is " + trigger.type() + ", not ON_DEMAND");
        }
        return start(trigger, new FiringCause.OnDemand());
    }

    /**
     * StartWorkflowRun: the workflow's starting trigger fires in the new run {@code workflowRunId}, which the API call
     * creates, so the firing does not ask for it again.
     */
    public Firing workflowRunStarted(Trigger startingTrigger, String workflowRunId) {
        if (!startingTrigger.startsWorkflow()) {
            throw new IllegalArgumentException("Trigger " + startingTrigger.name() + " does not start a workflow");
        }
        return new Firing(startingTrigger.name(), new FiringCause.WorkflowRunStarted(),
                Chain.workflowRun(startingTrigger.workflowName().get(), workflowRunId), false, List.of(), startingTrigger.actions());
    }

    private Firing start(Trigger trigger, FiringCause cause) {
        if (trigger.workflowName().isPresent()) {
            Chain run = Chain.workflowRun(trigger.workflowName().get(), ids.newWorkflowRunId());
            return new Firing(trigger.name(), cause, run, true, List.of(), trigger.actions());
        }
        return new Firing(trigger.name(), cause, Chain.standalone(ids.newChainId()), false, List.of(), trigger.actions());
    }

    /** The conditional triggers that {@code ended} makes fire, in the order the store lists them. */
    public List<Firing> onRunEnded(EndedRun ended, SchedulerStore store) {
        if (ended.origin().isEmpty()) {
            return List.of();
        }
        Chain chain = ended.origin().get().chain();
        List<Trigger> candidates;
        if (chain.isWorkflowRun()) {
            candidates = store.workflowRunTriggers(chain).orElse(List.of()).stream()
                    .filter(t -> t.workflowName().equals(chain.workflowName()))
                    .toList();
        } else {
            candidates = store.conditionalTriggersWatching(ended.target()).stream()
                    .filter(t -> t.workflowName().isEmpty())
                    .toList();
        }
        List<Firing> firings = new ArrayList<>();
        for (Trigger trigger : candidates) {
            if (trigger.type() != TriggerType.CONDITIONAL || !trigger.isActivated() || trigger.predicate().isEmpty()) {
                continue;
            }
            Predicate predicate = trigger.predicate().get();
            boolean endedMeetsOne = predicate.conditions().stream()
                    .anyMatch(c -> c.target().equals(ended.target()) && c.isMetBy(ended.state()));
            if (!endedMeetsOne || store.hasFired(trigger.name(), chain)) {
                continue;
            }
            Map<RunTarget, EndedRun> latest =
                    new HashMap<>(store.latestEndedRuns(chain, predicate.watched()));
            EndedRun stored = latest.get(ended.target());
            if (stored == null || !stored.endedAt().isAfter(ended.endedAt())) {
                // the store may not list the run whose end is being evaluated; a later run of the same target wins
                latest.put(ended.target(), ended);
            }
            Set<RunRef> predecessors = new LinkedHashSet<>();
            int met = 0;
            for (Condition condition : predicate.conditions()) {
                EndedRun run = latest.get(condition.target());
                if (run != null && condition.isMetBy(run.state())) {
                    met++;
                    predecessors.add(run.ref());
                }
            }
            boolean holds = predicate.logicalOrDefault() == Logical.ANY ? met > 0 : met == predicate.conditions().size();
            if (holds) {
                firings.add(new Firing(trigger.name(), new FiringCause.ConditionsMet(ended.ref()), chain, false,
                        List.copyOf(predecessors), trigger.actions()));
            }
        }
        return firings;
    }
}
