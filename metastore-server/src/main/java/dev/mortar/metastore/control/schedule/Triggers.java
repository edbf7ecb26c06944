package dev.mortar.metastore.control.schedule;

import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.tag.Tags;
import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.scheduler.InvalidDefinitionException;
import dev.mortar.scheduler.engine.Firing;
import dev.mortar.scheduler.engine.TriggerEvaluator;
import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.trigger.TriggerDefinition;
import dev.mortar.scheduler.trigger.TriggerRules;
import dev.mortar.scheduler.trigger.TriggerState;
import dev.mortar.scheduler.trigger.TriggerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static dev.mortar.metastore.store.CatalogStore.query;
import dev.mortar.metastore.store.CatalogStore;

/**
 * Triggers: definitions checked by {@link TriggerRules}, their states, and StartTrigger, which activates a SCHEDULED or
 * CONDITIONAL trigger and fires an ON_DEMAND one at once (in a workflow: a new workflow run). Activating a SCHEDULED
 * trigger, or changing an active one, sets its watermark to now: ticks before are not due.
 */
public final class Triggers {
    private static final Logger LOG = LoggerFactory.getLogger(Triggers.class);

    private final CatalogDatabase database;
    private final InstantSource clock;
    private final Supplier<TriggerRules> rules;
    private final RunStarter starter;
    private final TriggerEvaluator evaluator;
    private final Runnable wake;

    Triggers(CatalogDatabase database, InstantSource clock, Supplier<TriggerRules> rules, RunStarter starter, TriggerEvaluator evaluator, Runnable wake) {
        this.database = database;
        this.clock = clock;
        this.rules = rules;
        this.starter = starter;
        this.evaluator = evaluator;
        this.wake = wake;
    }

    static ControlException notFound(String name) {
        return new ControlException.NotFound("Trigger with name " + name + " not found");
    }

    private static <T> T checked(Supplier<T> body) {
        try {
            return body.get();
        } catch (InvalidDefinitionException e) {
            throw new ControlException.InvalidInput(e.getMessage());
        }
    }

    public void create(TriggerDefinition definition, boolean startOnCreation, Map<String, String> tags) {
        Trigger trigger = checked(() -> rules.get().create(definition, startOnCreation));
        long now = clock.millis();
        database.inTransaction(c -> {
            if (SchedulerTables.trigger(c, trigger.name(), false).isPresent()) {
                throw new ControlException.AlreadyExists("Trigger with name " + trigger.name() + " already exists");
            }
            if (trigger.workflowName().isPresent()) {
                Workflows.workflow(c, trigger.workflowName().get(), true).orElseThrow(() -> Workflows.notFound(trigger.workflowName().get()));
                List<Trigger> others = SchedulerTables.triggersOfWorkflow(c, trigger.workflowName().get());
                checked(() -> {
                    rules.get().checkInWorkflow(trigger, others);
                    return null;
                });
            }
            CatalogStore.update(c, "INSERT INTO c_triggers (trigger_name, workflow_name, trigger_type, trigger_state, definition, fired_through, created_at, updated_at, "
                            + "version_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)", trigger.name(), trigger.workflowName().orElse(null), trigger.type().name(),
                    trigger.state().name(), TriggerDocument.write(trigger), trigger.isActivated() ? now : null, now, now);
            Tags.set(c, Tags.Kind.TRIGGER, trigger.name(), tags);
            return null;
        });
        LOG.info("Trigger {}: created {} {}{}", trigger.name(), trigger.type(), trigger.state(),
                trigger.schedule().map(s -> " on " + s.expression()).orElse(""));
        wake.run();
    }

    /** UpdateTrigger: the new definition replaces the whole trigger; the state stays. */
    public Trigger update(String name, java.util.function.UnaryOperator<TriggerDefinition> change) {
        long now = clock.millis();
        Trigger updated = database.inTransaction(c -> {
            Trigger existing = SchedulerTables.trigger(c, name, true).orElseThrow(() -> notFound(name)).trigger();
            Trigger next = checked(() -> rules.get().update(existing, change.apply(existing.definition())));
            CatalogStore.update(c, "UPDATE c_triggers SET definition = ?, fired_through = ?, updated_at = ?, version_no = version_no + 1 WHERE trigger_name = ?",
                    TriggerDocument.write(next), next.isActivated() ? now : null, now, name);
            return next;
        });
        LOG.info("Trigger {}: updated", name);
        wake.run();
        return updated;
    }

    public Trigger get(String name) {
        return database.inTransaction(c -> SchedulerTables.trigger(c, name, false).orElseThrow(() -> notFound(name)).trigger());
    }

    public List<Trigger> batch(List<String> names) {
        return database.inTransaction(c -> {
            List<Trigger> found = new ArrayList<>();
            for (String name : new LinkedHashSet<>(names)) {
                SchedulerTables.trigger(c, name, false).ifPresent(row -> found.add(row.trigger()));
            }
            return found;
        });
    }

    /** Triggers by name after {@code after}, at most {@code limit}. */
    public List<Trigger> page(Optional<String> after, int limit) {
        return database.inTransaction(c -> query(c, "SELECT " + SchedulerTables.TRIGGER_COLUMNS + " FROM c_triggers WHERE trigger_name > ? ORDER BY trigger_name LIMIT "
                + limit, SchedulerTables::triggerRow, after.orElse("")).stream().map(SchedulerTables.TriggerRow::trigger).toList());
    }

    /** Every trigger, by name. */
    public List<Trigger> all() {
        return page(Optional.empty(), Integer.MAX_VALUE);
    }

    /** The triggers with an action that starts {@code jobName}. */
    public static boolean starts(Trigger trigger, String jobName) {
        return trigger.actions().stream().anyMatch(a -> a instanceof Action.JobAction job && job.jobName().equals(jobName));
    }

    /** Deletes the trigger; a missing one is no error. */
    public void delete(String name) {
        boolean deleted = database.inTransaction(c -> {
            if (SchedulerTables.trigger(c, name, true).isEmpty()) {
                return false;
            }
            CatalogStore.update(c, "DELETE FROM c_triggers WHERE trigger_name = ?", name);
            CatalogStore.update(c, "DELETE FROM c_trigger_firings WHERE trigger_name = ?", name);
            Tags.delete(c, Tags.Kind.TRIGGER, name);
            return true;
        });
        if (deleted) {
            LOG.info("Trigger {}: deleted", name);
        }
    }

    /**
     * StartTrigger: a SCHEDULED or CONDITIONAL trigger becomes ACTIVATED; an ON_DEMAND trigger fires now (in a workflow,
     * as a new workflow run); an EVENT trigger is refused.
     */
    public void start(String name) {
        RunStarter.Started started = starter.started();
        database.inTransaction(c -> {
            Trigger existing = SchedulerTables.trigger(c, name, true).orElseThrow(() -> notFound(name)).trigger();
            Trigger next = checked(() -> rules.get().start(existing));
            if (existing.type() == TriggerType.ON_DEMAND) {
                fire(c, evaluator.onDemand(existing), started);
            } else if (!existing.isActivated()) {
                CatalogStore.update(c, "UPDATE c_triggers SET trigger_state = ?, definition = ?, fired_through = ?, updated_at = ? WHERE trigger_name = ?",
                        next.state().name(), TriggerDocument.write(next), clock.millis(), clock.millis(), name);
            }
            return null;
        });
        started.tell();
        LOG.info("Trigger {}: started", name);
        wake.run();
    }

    private void fire(Connection c, Firing firing, RunStarter.Started started) throws SQLException {
        long now = clock.millis();
        if (firing.startsWorkflowRun()) {
            String workflow = firing.chain().workflowName().orElseThrow();
            Optional<WorkflowRecord> stored = Workflows.workflow(c, workflow, true);
            Optional<Integer> max = stored.orElseThrow(() -> Workflows.notFound(workflow)).definition().maxConcurrentRuns();
            if (max.isPresent() && SchedulerTables.activeRuns(c, workflow) >= max.get()) {
                throw new ControlException.Conflict(ControlException.Conflict.Reason.CONCURRENT_RUNS, "Concurrent runs exceeded for workflow: " + workflow + ".");
            }
            starter.createWorkflowRun(c, workflow, firing.chain().id(), Map.of(), now);
        }
        starter.startActions(c, firing, started);
        if (firing.chain().isWorkflowRun()) {
            SchedulerTables.settle(c, firing.chain().id(), now);
        }
    }

    /** StopTrigger: an ACTIVATED trigger becomes DEACTIVATED. */
    public void stop(String name) {
        database.inTransaction(c -> {
            Trigger existing = SchedulerTables.trigger(c, name, true).orElseThrow(() -> notFound(name)).trigger();
            Trigger next = checked(() -> rules.get().stop(existing));
            CatalogStore.update(c, "UPDATE c_triggers SET trigger_state = ?, definition = ?, fired_through = NULL, updated_at = ? WHERE trigger_name = ?", next.state().name(),
                    TriggerDocument.write(next), clock.millis(), name);
            return null;
        });
        LOG.info("Trigger {}: stopped ({})", name, TriggerState.DEACTIVATED);
    }
}
