package dev.mortar.scheduler.trigger;

import dev.mortar.scheduler.cron.GlueSchedule;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked trigger with its state: what the store keeps and the engine reads. Made by {@link TriggerRules}, which
 * guarantees: a SCHEDULED trigger has a schedule, a CONDITIONAL one a predicate, and none has what its type does not use.
 */
public record Trigger(String name, TriggerType type, TriggerState state, Optional<String> workflowName,
                      Optional<String> description, Optional<GlueSchedule> schedule, Optional<Predicate> predicate,
                      List<Action> actions, Optional<EventBatchingCondition> eventBatchingCondition) {
    public Trigger {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(workflowName, "workflowName");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(predicate, "predicate");
        actions = List.copyOf(actions);
        Objects.requireNonNull(eventBatchingCondition, "eventBatchingCondition");
    }

    public boolean isActivated() {
        return state == TriggerState.ACTIVATED;
    }

    /** Whether this trigger starts a workflow run (the one trigger of a workflow that is not CONDITIONAL). */
    public boolean startsWorkflow() {
        return workflowName.isPresent() && type != TriggerType.CONDITIONAL;
    }

    public Trigger withState(TriggerState newState) {
        return new Trigger(name, type, newState, workflowName, description, schedule, predicate, actions, eventBatchingCondition);
    }

    /** The definition this trigger was made from, the schedule as written. */
    public TriggerDefinition definition() {
        return new TriggerDefinition(name, type, workflowName, description, schedule.map(GlueSchedule::expression), predicate,
                actions, eventBatchingCondition);
    }
}
