package dev.mortar.scheduler.trigger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A trigger as a client defines it (CreateTrigger; UpdateTrigger with the stored name, type and workflow), the schedule
 * still as text. {@link TriggerRules} turns it into a {@link Trigger} or refuses it.
 */
public record TriggerDefinition(String name, TriggerType type, Optional<String> workflowName, Optional<String> description,
                                Optional<String> schedule, Optional<Predicate> predicate, List<Action> actions,
                                Optional<EventBatchingCondition> eventBatchingCondition) {
    public TriggerDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(workflowName, "workflowName");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(predicate, "predicate");
        actions = List.copyOf(actions);
        Objects.requireNonNull(eventBatchingCondition, "eventBatchingCondition");
    }

    public static TriggerDefinition scheduled(String name, String schedule, Action... actions) {
        return new TriggerDefinition(name, TriggerType.SCHEDULED, Optional.empty(), Optional.empty(), Optional.of(schedule),
                Optional.empty(), List.of(actions), Optional.empty());
    }

    public static TriggerDefinition conditional(String name, Predicate predicate, Action... actions) {
        return new TriggerDefinition(name, TriggerType.CONDITIONAL, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(predicate), List.of(actions), Optional.empty());
    }

    public static TriggerDefinition onDemand(String name, Action... actions) {
        return new TriggerDefinition(name, TriggerType.ON_DEMAND, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(actions), Optional.empty());
    }

    public TriggerDefinition inWorkflow(String workflow) {
        return new TriggerDefinition(name, type, Optional.of(workflow), description, schedule, predicate, actions, eventBatchingCondition);
    }
}
