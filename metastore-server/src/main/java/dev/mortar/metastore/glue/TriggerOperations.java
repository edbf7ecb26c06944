package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.schedule.Triggers;
import dev.mortar.metastore.control.tag.Tags;
import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.Condition;
import dev.mortar.scheduler.trigger.CrawlState;
import dev.mortar.scheduler.trigger.EventBatchingCondition;
import dev.mortar.scheduler.trigger.JobRunState;
import dev.mortar.scheduler.trigger.Logical;
import dev.mortar.scheduler.trigger.LogicalOperator;
import dev.mortar.scheduler.trigger.Predicate;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.trigger.TriggerDefinition;
import dev.mortar.scheduler.trigger.TriggerRules;
import dev.mortar.scheduler.trigger.TriggerType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * CreateTrigger, UpdateTrigger, GetTrigger, GetTriggers, ListTriggers, BatchGetTriggers, StartTrigger, StopTrigger,
 * DeleteTrigger: the Glue shapes of the control plane's {@link Triggers}. Members are read with the model's types and
 * enum values here; the trigger rules (schedule syntax, what each type takes, predicate and action limits, state
 * changes) are the service's and come back as InvalidInputException. A trigger reads back as it was set, with
 * {@code Predicate.Logical} and {@code BatchWindow} defaulted as the service echoes them; StartOnCreation and Tags are
 * never returned.
 */
final class TriggerOperations {
    private static final List<String> TYPES = names(TriggerType.values());
    private static final List<String> LOGICALS = names(Logical.values());
    private static final List<String> OPERATORS = names(LogicalOperator.values());
    private static final List<String> JOB_STATES = names(JobRunState.values());
    private static final List<String> CRAWL_STATES = names(CrawlState.values());

    private final Triggers triggers;
    private final Tags tags;

    TriggerOperations(Triggers triggers, Tags tags) {
        this.triggers = triggers;
        this.tags = tags;
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    void register(Map<String, GlueOperation> ops) {
        ops.put("CreateTrigger", this::createTrigger);
        ops.put("UpdateTrigger", this::updateTrigger);
        ops.put("GetTrigger", this::getTrigger);
        ops.put("GetTriggers", this::getTriggers);
        ops.put("ListTriggers", this::listTriggers);
        ops.put("BatchGetTriggers", this::batchGetTriggers);
        ops.put("StartTrigger", this::startTrigger);
        ops.put("StopTrigger", this::stopTrigger);
        ops.put("DeleteTrigger", this::deleteTrigger);
    }

    // ---- requests

    private ObjectNode createTrigger(GlueRequest r) {
        String name = r.requiredName("Name");
        TriggerType type = TriggerType.valueOf(r.enumValue("Type", TYPES).orElseThrow(() -> GlueException.invalidInput("Type is required: "
                + String.join(", ", TYPES))));
        TriggerDefinition definition = new TriggerDefinition(name, type, r.name("WorkflowName"), description(r), r.string("Schedule", 0, Integer.MAX_VALUE),
                predicate(r), actions(r), batching(r));
        boolean startOnCreation = r.bool("StartOnCreation").orElse(false);
        Map<String, String> tagged = r.stringMap("Tags", 1, 128, 0, 256).orElse(Map.of());
        if (tagged.size() > Tags.MAX_TAGS) {
            throw GlueException.invalidInput("A trigger has at most " + Tags.MAX_TAGS + " tags, not " + tagged.size());
        }
        triggers.create(definition, startOnCreation, tagged);
        return HiveShapes.JSON.createObjectNode().put("Name", name);
    }

    private ObjectNode updateTrigger(GlueRequest r) {
        String name = r.requiredName("Name");
        GlueRequest update = r.requiredObject("TriggerUpdate");
        Optional<String> newName = update.name("Name");
        Optional<String> description = description(update);
        Optional<String> schedule = update.string("Schedule", 0, Integer.MAX_VALUE);
        Optional<Predicate> predicate = predicate(update);
        List<Action> actions = actions(update);
        Optional<EventBatchingCondition> batching = batching(update);
        Trigger updated = triggers.update(name, existing -> new TriggerDefinition(newName.orElse(existing.name()), existing.type(), existing.workflowName(),
                description, schedule, predicate, actions, batching));
        return HiveShapes.JSON.createObjectNode().set("Trigger", triggerJson(updated));
    }

    private static Optional<String> description(GlueRequest r) {
        return r.string("Description", 0, TriggerRules.MAX_DESCRIPTION_LENGTH);
    }

    private static Optional<Predicate> predicate(GlueRequest r) {
        return r.object("Predicate").map(p -> new Predicate(p.enumValue("Logical", LOGICALS).map(Logical::valueOf),
                p.objects("Conditions", 0, TriggerRules.MAX_CONDITIONS).orElse(List.of()).stream().map(TriggerOperations::condition).toList()));
    }

    private static Condition condition(GlueRequest c) {
        Optional<LogicalOperator> operator = c.enumValue("LogicalOperator", OPERATORS).map(LogicalOperator::valueOf);
        Optional<String> job = c.name("JobName");
        Optional<String> crawler = c.name("CrawlerName");
        Optional<JobRunState> state = c.enumValue("State", JOB_STATES).map(JobRunState::valueOf);
        Optional<CrawlState> crawlState = c.enumValue("CrawlState", CRAWL_STATES).map(CrawlState::valueOf);
        if (job.isPresent() == crawler.isPresent()) {
            throw GlueException.invalidInput("A condition names either a JobName (with State) or a CrawlerName (with CrawlState)");
        }
        if (job.isPresent()) {
            if (crawlState.isPresent()) {
                throw GlueException.invalidInput("Condition on job " + job.get() + " has a CrawlState; a job's condition takes State");
            }
            return new Condition.JobCondition(operator, job.get(), state);
        }
        if (state.isPresent()) {
            throw GlueException.invalidInput("Condition on crawler " + crawler.get() + " has a State; a crawler's condition takes CrawlState");
        }
        return new Condition.CrawlerCondition(operator, crawler.get(), crawlState);
    }

    private static List<Action> actions(GlueRequest r) {
        return r.objects("Actions", 0, Integer.MAX_VALUE).orElse(List.of()).stream().map(TriggerOperations::action).toList();
    }

    private static Action action(GlueRequest a) {
        Optional<String> job = a.name("JobName");
        Optional<String> crawler = a.name("CrawlerName");
        Map<String, String> arguments = a.stringMap("Arguments", 1, Integer.MAX_VALUE, 0, Integer.MAX_VALUE).orElse(Map.of());
        Optional<Integer> timeout = a.integer("Timeout", Integer.MIN_VALUE, Integer.MAX_VALUE);
        Optional<String> security = a.string("SecurityConfiguration", 1, 255);
        Optional<Integer> notify = a.object("NotificationProperty").flatMap(n -> n.integer("NotifyDelayAfter", Integer.MIN_VALUE, Integer.MAX_VALUE));
        if (job.isPresent() == crawler.isPresent()) {
            throw GlueException.invalidInput("An action names either a JobName or a CrawlerName");
        }
        if (crawler.isPresent()) {
            if (!arguments.isEmpty() || timeout.isPresent() || security.isPresent() || notify.isPresent()) {
                throw GlueException.invalidInput("Action on crawler " + crawler.get()
                        + " takes no Arguments, Timeout, SecurityConfiguration or NotificationProperty; they are for jobs");
            }
            return Action.crawler(crawler.get());
        }
        return new Action.JobAction(job.get(), arguments, optionalInt(timeout), security, optionalInt(notify));
    }

    private static OptionalInt optionalInt(Optional<Integer> value) {
        return value.map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    private static Optional<EventBatchingCondition> batching(GlueRequest r) {
        return r.object("EventBatchingCondition").map(b -> new EventBatchingCondition(b.integer("BatchSize", Integer.MIN_VALUE, Integer.MAX_VALUE)
                .orElseThrow(() -> GlueException.invalidInput("EventBatchingCondition.BatchSize is required (1 to 100)")),
                optionalInt(b.integer("BatchWindow", Integer.MIN_VALUE, Integer.MAX_VALUE))));
    }

    // ---- operations

    private ObjectNode getTrigger(GlueRequest r) {
        return HiveShapes.JSON.createObjectNode().set("Trigger", triggerJson(triggers.get(r.requiredName("Name"))));
    }

    /** With DependentJobName: the triggers that start that job, or every trigger when none does (as the service answers). */
    private ObjectNode getTriggers(GlueRequest r) {
        int max = r.integer("MaxResults", 1, 200).orElse(100);
        Optional<String> dependent = r.name("DependentJobName");
        Optional<PageToken> token = PageToken.decode(r.string("NextToken", 0, Integer.MAX_VALUE), "GetTriggers");
        Optional<String> after = token.map(t -> t.after().get(0));
        List<Trigger> page;
        if (dependent.isEmpty()) {
            page = triggers.page(after, max + 1);
        } else {
            List<Trigger> all = triggers.all();
            List<Trigger> starting = all.stream().filter(t -> Triggers.starts(t, dependent.get())).toList();
            page = (starting.isEmpty() ? all : starting).stream().filter(t -> t.name().compareTo(after.orElse("")) > 0).limit(max + 1L).toList();
        }
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("Triggers");
        page.stream().limit(max).forEach(t -> list.add(triggerJson(t)));
        if (page.size() > max) {
            out.put("NextToken", new PageToken("GetTriggers", List.of(page.get(max - 1).name())).encode());
        }
        return out;
    }

    private ObjectNode listTriggers(GlueRequest r) {
        int max = r.integer("MaxResults", 1, 200).orElse(100);
        Optional<String> dependent = r.name("DependentJobName");
        Map<String, String> wanted = r.stringMap("Tags", 1, 128, 0, 256).orElse(Map.of());
        Optional<PageToken> token = PageToken.decode(r.string("NextToken", 0, Integer.MAX_VALUE), "ListTriggers");
        String after = token.map(t -> t.after().get(0)).orElse("");
        List<Trigger> all = triggers.all();
        if (dependent.isPresent()) {
            List<Trigger> starting = all.stream().filter(t -> Triggers.starts(t, dependent.get())).toList();
            all = starting.isEmpty() ? all : starting;
        }
        List<String> page = all.stream().map(Trigger::name).filter(n -> n.compareTo(after) > 0)
                .filter(n -> wanted.isEmpty() || tags.get(Tags.Kind.TRIGGER, n).entrySet().containsAll(wanted.entrySet()))
                .limit(max + 1L).toList();
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode names = out.putArray("TriggerNames");
        page.stream().limit(max).forEach(names::add);
        if (page.size() > max) {
            out.put("NextToken", new PageToken("ListTriggers", List.of(page.get(max - 1))).encode());
        }
        return out;
    }

    private ObjectNode batchGetTriggers(GlueRequest r) {
        List<String> names = r.requiredStrings("TriggerNames", 0, Integer.MAX_VALUE, 1, GlueRequest.NAME_MAX);
        List<Trigger> found = triggers.batch(names);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("Triggers");
        found.forEach(t -> list.add(triggerJson(t)));
        ArrayNode missing = out.putArray("TriggersNotFound");
        names.stream().distinct().filter(n -> found.stream().noneMatch(t -> t.name().equals(n))).forEach(missing::add);
        return out;
    }

    private ObjectNode startTrigger(GlueRequest r) {
        String name = r.requiredName("Name");
        triggers.start(name);
        return HiveShapes.JSON.createObjectNode().put("Name", name);
    }

    private ObjectNode stopTrigger(GlueRequest r) {
        String name = r.requiredName("Name");
        triggers.stop(name);
        return HiveShapes.JSON.createObjectNode().put("Name", name);
    }

    private ObjectNode deleteTrigger(GlueRequest r) {
        String name = r.requiredName("Name");
        triggers.delete(name);
        return HiveShapes.JSON.createObjectNode().put("Name", name);
    }

    // ---- shapes

    /** The Trigger shape: the definition as set, Logical and BatchWindow with the service's defaults, never StartOnCreation or Tags. */
    static ObjectNode triggerJson(Trigger t) {
        ObjectNode n = HiveShapes.JSON.createObjectNode().put("Name", t.name());
        t.workflowName().ifPresent(v -> n.put("WorkflowName", v));
        n.put("Type", t.type().name()).put("State", t.state().name());
        t.description().ifPresent(v -> n.put("Description", v));
        t.schedule().ifPresent(s -> n.put("Schedule", s.expression()));
        ArrayNode actions = n.putArray("Actions");
        for (Action action : t.actions()) {
            ObjectNode a = actions.addObject();
            switch (action) {
                case Action.JobAction job -> {
                    a.put("JobName", job.jobName());
                    if (!job.arguments().isEmpty()) {
                        new TreeMap<>(job.arguments()).forEach(a.putObject("Arguments")::put);
                    }
                    job.timeoutMinutes().ifPresent(v -> a.put("Timeout", v));
                    job.securityConfiguration().ifPresent(v -> a.put("SecurityConfiguration", v));
                    job.notifyDelayAfterMinutes().ifPresent(v -> a.putObject("NotificationProperty").put("NotifyDelayAfter", v));
                }
                case Action.CrawlerAction crawler -> a.put("CrawlerName", crawler.crawlerName());
            }
        }
        t.predicate().ifPresent(p -> {
            ObjectNode predicate = n.putObject("Predicate").put("Logical", p.logicalOrDefault().name());
            ArrayNode conditions = predicate.putArray("Conditions");
            for (Condition condition : p.conditions()) {
                ObjectNode c = conditions.addObject();
                condition.logicalOperator().ifPresent(v -> c.put("LogicalOperator", v.name()));
                switch (condition) {
                    case Condition.JobCondition job -> {
                        c.put("JobName", job.jobName());
                        job.state().ifPresent(v -> c.put("State", v.name()));
                    }
                    case Condition.CrawlerCondition crawler -> {
                        c.put("CrawlerName", crawler.crawlerName());
                        crawler.crawlState().ifPresent(v -> c.put("CrawlState", v.name()));
                    }
                }
            }
        });
        t.eventBatchingCondition().ifPresent(b -> n.putObject("EventBatchingCondition").put("BatchSize", b.batchSize())
                .put("BatchWindow", b.batchWindowSeconds().orElse(EventBatchingCondition.DEFAULT_BATCH_WINDOW_SECONDS)));
        return n;
    }
}
