package dev.mortar.scheduler.trigger;

import dev.mortar.scheduler.cron.GlueSchedule;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The service's rules for trigger definitions and for their state changes (CreateTrigger, UpdateTrigger,
 * StartTrigger, StopTrigger). Every refusal is an {@link InvalidTriggerException} or, for the schedule, an
 * {@link dev.mortar.scheduler.cron.InvalidScheduleException}, and changes nothing.
 */
public final class TriggerRules {
    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_DESCRIPTION_LENGTH = 2048;
    public static final int MAX_CONDITIONS = 500;
    public static final int MAX_CRAWLERS_PER_TRIGGER = 2;
    public static final int MAX_JOBS_PER_TRIGGER = 50;
    /** Mortar's default for {@code mortar.scheduler.min.interval.minutes}; the service's is 5 minutes. */
    public static final Duration DEFAULT_MINIMUM_INTERVAL = Duration.ofMinutes(1);

    private final Duration minimumInterval;
    private final InstantSource clock;

    public TriggerRules(Duration minimumInterval, InstantSource clock) {
        this.minimumInterval = Objects.requireNonNull(minimumInterval, "minimumInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** CreateTrigger: the trigger in CREATED, or ACTIVATED when {@code startOnCreation}. */
    public Trigger create(TriggerDefinition definition, boolean startOnCreation) {
        if (startOnCreation && definition.type() != TriggerType.SCHEDULED && definition.type() != TriggerType.CONDITIONAL) {
            throw new InvalidTriggerException("StartOnCreation is only for SCHEDULED and CONDITIONAL triggers, not " + definition.type());
        }
        return check(definition, startOnCreation ? TriggerState.ACTIVATED : TriggerState.CREATED);
    }

    /**
     * UpdateTrigger: the new definition replaces the whole old one (what it leaves out is gone); the name, type and
     * workflow stay, and so does the state.
     */
    public Trigger update(Trigger existing, TriggerDefinition update) {
        if (!update.name().equals(existing.name())) {
            throw new InvalidTriggerException("Trigger " + existing.name() + " cannot be renamed to " + update.name());
        }
        if (update.type() != existing.type()) {
            throw new InvalidTriggerException("Type of trigger " + existing.name() + " cannot change from " + existing.type()
                    + " to " + update.type());
        }
        if (!update.workflowName().equals(existing.workflowName())) {
            throw new InvalidTriggerException("Workflow of trigger " + existing.name() + " cannot change");
        }
        return check(update, existing.state());
    }

    /**
     * StartTrigger: SCHEDULED and CONDITIONAL triggers become ACTIVATED; an ON_DEMAND trigger keeps its state and fires
     * ({@link dev.mortar.scheduler.engine.TriggerEvaluator#onDemand}); EVENT triggers cannot be started.
     */
    public Trigger start(Trigger trigger) {
        return switch (trigger.type()) {
            case SCHEDULED, CONDITIONAL -> trigger.withState(TriggerState.ACTIVATED);
            case ON_DEMAND -> trigger;
            case EVENT -> throw new InvalidTriggerException("Trigger Type EVENT cannot be started"
                    + " (Mortar has no event source yet; EVENT triggers are stored and listed only)");
        };
    }

    /** StopTrigger: an ACTIVATED trigger becomes DEACTIVATED; any other state is refused. */
    public Trigger stop(Trigger trigger) {
        if (trigger.state() != TriggerState.ACTIVATED) {
            throw new InvalidTriggerException("The operation is not allowed when trigger is in state: " + trigger.state());
        }
        return trigger.withState(TriggerState.DEACTIVATED);
    }

    /**
     * A workflow has exactly one starting trigger (ON_DEMAND, SCHEDULED or EVENT): refuses {@code trigger} when it is a
     * second one. {@code workflowTriggers} are the workflow's other triggers as stored.
     */
    public void checkInWorkflow(Trigger trigger, Collection<Trigger> workflowTriggers) {
        if (!trigger.startsWorkflow()) {
            return;
        }
        for (Trigger other : workflowTriggers) {
            if (!other.name().equals(trigger.name()) && other.startsWorkflow() && other.workflowName().equals(trigger.workflowName())) {
                throw new InvalidTriggerException("Workflow " + trigger.workflowName().get() + " already has the starting trigger "
                        + other.name() + "; a workflow has one starting trigger (ON_DEMAND, SCHEDULED or EVENT)");
            }
        }
    }

    private Trigger check(TriggerDefinition definition, TriggerState state) {
        name("Trigger name", definition.name());
        definition.workflowName().ifPresent(workflow -> name("Workflow name", workflow));
        definition.description().ifPresent(description -> {
            if (description.length() > MAX_DESCRIPTION_LENGTH) {
                throw new InvalidTriggerException("Description of trigger " + definition.name() + " has " + description.length()
                        + " characters; at most " + MAX_DESCRIPTION_LENGTH);
            }
        });
        TriggerType type = definition.type();
        Optional<GlueSchedule> schedule = Optional.empty();
        if (type == TriggerType.SCHEDULED) {
            String text = definition.schedule().filter(s -> !s.isBlank()).orElseThrow(
                    () -> new InvalidTriggerException("Schedule is required for SCHEDULED trigger " + definition.name()));
            GlueSchedule parsed = GlueSchedule.parse(text);
            parsed.requireMinimumInterval(minimumInterval, clock.instant());
            schedule = Optional.of(parsed);
        } else if (definition.schedule().isPresent()) {
            throw new InvalidTriggerException("Schedule is only for SCHEDULED triggers; " + definition.name() + " is " + type);
        }
        if (type == TriggerType.CONDITIONAL) {
            Predicate predicate = definition.predicate().filter(p -> !p.conditions().isEmpty())
                    .orElseThrow(() -> new InvalidTriggerException("Predicate cannot be null or empty"));
            predicate(definition.name(), predicate);
        } else if (definition.predicate().isPresent()) {
            throw new InvalidTriggerException("Predicate is only for CONDITIONAL triggers; " + definition.name() + " is " + type);
        }
        if (type == TriggerType.EVENT) {
            definition.eventBatchingCondition().ifPresent(TriggerRules::batching);
        } else if (definition.eventBatchingCondition().isPresent()) {
            throw new InvalidTriggerException("EventBatchingCondition is only for EVENT triggers; " + definition.name() + " is " + type);
        }
        actions(definition);
        return new Trigger(definition.name(), type, state, definition.workflowName(), definition.description(), schedule,
                definition.predicate(), definition.actions(), definition.eventBatchingCondition());
    }

    private static void predicate(String trigger, Predicate predicate) {
        List<Condition> conditions = predicate.conditions();
        if (conditions.size() > MAX_CONDITIONS) {
            throw new InvalidTriggerException("Predicate of trigger " + trigger + " has " + conditions.size()
                    + " conditions; at most " + MAX_CONDITIONS);
        }
        if (conditions.size() > 1 && predicate.logical().isEmpty()) {
            throw new InvalidTriggerException("Predicate of trigger " + trigger + " has " + conditions.size()
                    + " conditions and needs Logical (AND or ANY)");
        }
        for (Condition condition : conditions) {
            if (condition.logicalOperator().isEmpty()) {
                throw new InvalidTriggerException("Logical operator cannot be null or empty");
            }
            switch (condition) {
                case Condition.JobCondition job -> {
                    name("Job name in a condition", job.jobName());
                    JobRunState state = job.state().orElseThrow(() -> new InvalidTriggerException(
                            "Condition on job " + job.jobName() + " needs a State (SUCCEEDED, STOPPED, FAILED or TIMEOUT)"));
                    if (!JobRunState.WATCHABLE.contains(state)) {
                        throw new InvalidTriggerException("Condition on job " + job.jobName()
                                + " watches State " + state + "; it can watch SUCCEEDED, STOPPED, FAILED or TIMEOUT");
                    }
                }
                case Condition.CrawlerCondition crawler -> {
                    name("Crawler name in a condition", crawler.crawlerName());
                    CrawlState state = crawler.crawlState().orElseThrow(() -> new InvalidTriggerException(
                            "Condition on crawler " + crawler.crawlerName() + " needs a CrawlState (SUCCEEDED, FAILED or CANCELLED)"));
                    if (!CrawlState.WATCHABLE.contains(state)) {
                        throw new InvalidTriggerException("Condition on crawler " + crawler.crawlerName()
                                + " watches CrawlState " + state + "; it can watch SUCCEEDED, FAILED or CANCELLED");
                    }
                }
            }
        }
    }

    private static void actions(TriggerDefinition definition) {
        List<Action> actions = definition.actions();
        if (actions.isEmpty()) {
            throw new InvalidTriggerException("Actions of trigger " + definition.name() + " cannot be empty");
        }
        long crawlers = actions.stream().filter(a -> a instanceof Action.CrawlerAction).count();
        if (crawlers > MAX_CRAWLERS_PER_TRIGGER) {
            throw new InvalidTriggerException("Trigger " + definition.name() + " starts " + crawlers + " crawlers; at most "
                    + MAX_CRAWLERS_PER_TRIGGER);
        }
        long jobs = actions.size() - crawlers;
        if (jobs > MAX_JOBS_PER_TRIGGER) {
            throw new InvalidTriggerException("Trigger " + definition.name() + " starts " + jobs + " jobs; at most " + MAX_JOBS_PER_TRIGGER);
        }
        for (Action action : actions) {
            switch (action) {
                case Action.JobAction job -> {
                    name("Job name in an action", job.jobName());
                    if (job.timeoutMinutes().isPresent() && job.timeoutMinutes().getAsInt() < 1) {
                        throw new InvalidTriggerException("Action on job " + job.jobName() + " has Timeout "
                                + job.timeoutMinutes().getAsInt() + "; at least 1 minute");
                    }
                    if (job.notifyDelayAfterMinutes().isPresent() && job.notifyDelayAfterMinutes().getAsInt() < 1) {
                        throw new InvalidTriggerException("Action on job " + job.jobName() + " has NotifyDelayAfter "
                                + job.notifyDelayAfterMinutes().getAsInt() + "; at least 1 minute");
                    }
                }
                case Action.CrawlerAction crawler -> name("Crawler name in an action", crawler.crawlerName());
            }
        }
        if (definition.type() == TriggerType.CONDITIONAL && definition.predicate().isPresent()) {
            Set<RunTarget> watched = definition.predicate().get().watched();
            List<String> both = actions.stream().map(Action::target).filter(watched::contains).map(RunTarget::toString).distinct().toList();
            if (!both.isEmpty()) {
                throw new InvalidTriggerException("Trigger " + definition.name() + " both watches and starts "
                        + both.stream().collect(Collectors.joining(", ")) + "; a conditional trigger cannot start what its predicate watches");
            }
        }
    }

    private static void batching(EventBatchingCondition batching) {
        if (batching.batchSize() < 1 || batching.batchSize() > 100) {
            throw new InvalidTriggerException("EventBatchingCondition.BatchSize is " + batching.batchSize() + "; it must be from 1 to 100");
        }
        if (batching.batchWindowSeconds().isPresent()
                && (batching.batchWindowSeconds().getAsInt() < 1 || batching.batchWindowSeconds().getAsInt() > 900)) {
            throw new InvalidTriggerException("EventBatchingCondition.BatchWindow is " + batching.batchWindowSeconds().getAsInt()
                    + "; it must be from 1 to 900 seconds");
        }
    }

    /** The service's names: 1-255 characters on one line (tabs allowed). */
    private static void name(String what, String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new InvalidTriggerException(what + " must be 1 to " + MAX_NAME_LENGTH + " characters; it has " + name.length());
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0xFFFE || c == 0xFFFF) {
                throw new InvalidTriggerException(what + " '" + name.replaceAll("\\p{Cntrl}", "?")
                        + "' has a control character at " + i + "; names are one line of text");
            }
        }
    }
}
