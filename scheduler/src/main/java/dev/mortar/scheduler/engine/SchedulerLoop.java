package dev.mortar.scheduler.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one active scheduler: while it holds the leader lease, each pass fires the due ticks of SCHEDULED triggers and
 * evaluates the runs that ended; without the lease it only tries to take it. Time comes from the injected clock and
 * waiting from the injected {@link Sleeper}, so tests drive it with a fake clock and no threads.
 */
public final class SchedulerLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLoop.class);

    private final String holder;
    private final LeaderLease lease;
    private final SchedulerStore store;
    private final RunLauncher launcher;
    private final TriggerEvaluator evaluator;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private final SchedulerSettings settings;
    private final SchedulerListener listener;
    private volatile boolean stopped;
    private LeaseGrant grant;

    public SchedulerLoop(String holder, LeaderLease lease, SchedulerStore store, RunLauncher launcher, TriggerEvaluator evaluator,
                         InstantSource clock, Sleeper sleeper, SchedulerSettings settings, SchedulerListener listener) {
        this.holder = Objects.requireNonNull(holder, "holder");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.store = Objects.requireNonNull(store, "store");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** What one pass did. */
    public record Pass(boolean leader, List<Fired> scheduled, List<SkippedTicks> skipped, List<Fired> conditional,
                       int runEndsEvaluated, Duration sleepFor) {
        public Pass {
            scheduled = List.copyOf(scheduled);
            skipped = List.copyOf(skipped);
            conditional = List.copyOf(conditional);
        }
    }

    /** A firing handed to the launcher and its outcome. */
    public record Fired(Firing firing, FireOutcome outcome) {
    }

    /** Runs passes until {@link #stop()} or an interrupt; then gives the lease up. */
    @Override
    public void run() {
        try {
            while (!stopped) {
                Duration sleep;
                try {
                    sleep = runOnce().sleepFor();
                } catch (RuntimeException e) {
                    LOG.warn("Scheduler pass failed; retrying in {}", settings.pollInterval(), e);
                    listener.passFailed(e);
                    sleep = settings.pollInterval();
                }
                if (!stopped) {
                    sleeper.sleep(sleep);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            releaseLease();
        }
    }

    public void stop() {
        stopped = true;
    }

    /** The grant this loop holds, if it believes it leads. */
    public Optional<LeaseGrant> grant() {
        return Optional.ofNullable(grant);
    }

    /** One pass: keep or take the lease, then, as leader, fire due ticks and evaluate ended runs. */
    public Pass runOnce() {
        Instant now = clock.instant();
        if (!holdLease(now)) {
            return new Pass(false, List.of(), List.of(), List.of(), 0, settings.pollInterval());
        }
        List<Fired> fired = new ArrayList<>();
        List<SkippedTicks> skipped = new ArrayList<>();
        List<Fired> conditional = new ArrayList<>();
        Instant nextTick = null;
        for (ScheduledTrigger scheduled : store.activatedSchedules()) {
            ScheduleDecision decision = evaluator.decide(scheduled, now);
            switch (decision) {
                case ScheduleDecision.NotDue notDue -> nextTick = earlier(nextTick, notDue.nextTick());
                case ScheduleDecision.Fire fire -> {
                    FireOutcome outcome = fire(fire.firing());
                    fired.add(new Fired(fire.firing(), outcome));
                    if (outcome == FireOutcome.LEASE_LOST) {
                        return lost(fired, skipped, conditional, 0);
                    }
                    FiringCause.ScheduledTick tick = (FiringCause.ScheduledTick) fire.firing().cause();
                    nextTick = earlier(nextTick, scheduled.trigger().schedule().orElseThrow().nextAfter(tick.tick()));
                }
                case ScheduleDecision.Skip skip -> {
                    FireOutcome outcome = launcher.skip(skip.skipped(), grant.token());
                    LOG.info("Trigger {} missed its ticks through {} while no scheduler ran; skipped ({})",
                            skip.skipped().triggerName(), skip.skipped().latestMissed(), outcome);
                    listener.skipped(skip.skipped(), outcome);
                    skipped.add(skip.skipped());
                    if (outcome == FireOutcome.LEASE_LOST) {
                        return lost(fired, skipped, conditional, 0);
                    }
                    nextTick = earlier(nextTick, scheduled.trigger().schedule().orElseThrow().nextAfter(skip.skipped().latestMissed()));
                }
            }
        }
        int evaluated = 0;
        for (EndedRun ended : store.pendingRunEnds(settings.runEndBatch())) {
            for (Firing firing : evaluator.onRunEnded(ended, store)) {
                FireOutcome outcome = fire(firing);
                conditional.add(new Fired(firing, outcome));
                if (outcome == FireOutcome.LEASE_LOST) {
                    return lost(fired, skipped, conditional, evaluated);
                }
            }
            if (!store.markEvaluated(ended, grant.token())) {
                return lost(fired, skipped, conditional, evaluated);
            }
            evaluated++;
        }
        return new Pass(true, fired, skipped, conditional, evaluated, sleepFor(clock.instant(), nextTick, evaluated));
    }

    private static Instant earlier(Instant current, Optional<Instant> candidate) {
        return candidate.isPresent() && (current == null || candidate.get().isBefore(current)) ? candidate.get() : current;
    }

    private FireOutcome fire(Firing firing) {
        FireOutcome outcome = launcher.fire(firing, grant.token());
        Instant at = clock.instant();
        if (outcome == FireOutcome.FIRED) {
            LOG.info("Trigger {} fired ({}), {} action(s) in chain {}", firing.triggerName(), describe(firing.cause()),
                    firing.actions().size(), firing.chain().id());
        } else {
            LOG.debug("Trigger {} not fired: {}", firing.triggerName(), outcome);
        }
        listener.fired(firing, outcome, at);
        return outcome;
    }

    private static String describe(FiringCause cause) {
        return switch (cause) {
            case FiringCause.ScheduledTick tick -> (tick.caughtUp() ? "caught-up tick " : "tick ") + tick.tick();
            case FiringCause.ConditionsMet met -> "after " + met.endedRun().target() + " run " + met.endedRun().runId();
            case FiringCause.OnDemand ignored -> "on demand";
            case FiringCause.WorkflowRunStarted ignored -> "workflow run started";
        };
    }

    private Duration sleepFor(Instant now, Instant nextTick, int evaluated) {
        if (evaluated == settings.runEndBatch()) {
            return Duration.ZERO;
        }
        Duration sleep = settings.pollInterval();
        if (nextTick != null && Duration.between(now, nextTick).compareTo(sleep) < 0) {
            sleep = Duration.between(now, nextTick);
        }
        Duration toRenewal = Duration.between(now, renewalPoint());
        if (toRenewal.compareTo(sleep) < 0) {
            sleep = toRenewal;
        }
        return sleep.isNegative() ? Duration.ZERO : sleep;
    }

    /** Renew when two thirds of the lease remain, so that a few failed renewals still leave time. */
    private Instant renewalPoint() {
        return grant.expiresAt().minus(settings.leaseDuration().multipliedBy(2).dividedBy(3));
    }

    private boolean holdLease(Instant now) {
        if (grant != null && now.isBefore(grant.expiresAt())) {
            if (!now.isBefore(renewalPoint())) {
                Optional<LeaseGrant> renewed = lease.renew(grant, settings.leaseDuration());
                if (renewed.isEmpty()) {
                    loseLease();
                    return false;
                }
                grant = renewed.get();
            }
            return true;
        }
        if (grant != null) {
            // expired unrenewed (a long pause): whoever holds it now, it is not this loop until it takes it again
            loseLease();
        }
        Optional<LeaseGrant> acquired = lease.tryAcquire(holder, settings.leaseDuration());
        if (acquired.isEmpty()) {
            return false;
        }
        grant = acquired.get();
        LOG.info("Scheduler {} leads with fencing token {} until {}", holder, grant.token().value(), grant.expiresAt());
        listener.leadershipChanged(true, grant);
        return true;
    }

    private Pass lost(List<Fired> fired, List<SkippedTicks> skipped, List<Fired> conditional, int evaluated) {
        loseLease();
        return new Pass(false, fired, skipped, conditional, evaluated, settings.pollInterval());
    }

    private void loseLease() {
        LeaseGrant lost = grant;
        grant = null;
        LOG.info("Scheduler {} no longer leads (fencing token {})", holder, lost.token().value());
        listener.leadershipChanged(false, lost);
    }

    private void releaseLease() {
        if (grant != null) {
            LeaseGrant held = grant;
            grant = null;
            lease.release(held);
            LOG.info("Scheduler {} gave up the lease (fencing token {})", holder, held.token().value());
            listener.leadershipChanged(false, held);
        }
    }
}
