package dev.mortar.metastore.control.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.scheduler.cron.GlueSchedule;
import dev.mortar.scheduler.trigger.Action;
import dev.mortar.scheduler.trigger.Condition;
import dev.mortar.scheduler.trigger.CrawlState;
import dev.mortar.scheduler.trigger.EventBatchingCondition;
import dev.mortar.scheduler.trigger.JobRunState;
import dev.mortar.scheduler.trigger.Logical;
import dev.mortar.scheduler.trigger.LogicalOperator;
import dev.mortar.scheduler.trigger.Predicate;
import dev.mortar.scheduler.trigger.Trigger;
import dev.mortar.scheduler.trigger.TriggerState;
import dev.mortar.scheduler.trigger.TriggerType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A checked trigger as the store keeps it: a JSON document of the control plane's own format (not the wire's), for
 * the trigger itself and for the snapshot of a workflow's triggers that each of its runs takes.
 */
public final class TriggerDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TriggerDocument() {
    }

    public static String write(Trigger trigger) {
        return node(trigger).toString();
    }

    public static String writeAll(List<Trigger> triggers) {
        ArrayNode array = JSON.createArrayNode();
        triggers.forEach(t -> array.add(node(t)));
        return array.toString();
    }

    public static Trigger read(String json) {
        return trigger(parse(json));
    }

    public static List<Trigger> readAll(String json) {
        List<Trigger> triggers = new ArrayList<>();
        parse(json).forEach(n -> triggers.add(trigger(n)));
        return triggers;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored trigger document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode node(Trigger t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", t.name()).put("type", t.type().name()).put("state", t.state().name());
        t.workflowName().ifPresent(v -> o.put("workflow", v));
        t.description().ifPresent(v -> o.put("description", v));
        t.schedule().ifPresent(v -> o.put("schedule", v.expression()));
        t.predicate().ifPresent(p -> {
            ObjectNode pn = o.putObject("predicate");
            p.logical().ifPresent(l -> pn.put("logical", l.name()));
            ArrayNode conditions = pn.putArray("conditions");
            for (Condition c : p.conditions()) {
                ObjectNode cn = conditions.addObject();
                c.logicalOperator().ifPresent(op -> cn.put("operator", op.name()));
                switch (c) {
                    case Condition.JobCondition job -> {
                        cn.put("job", job.jobName());
                        job.state().ifPresent(s -> cn.put("state", s.name()));
                    }
                    case Condition.CrawlerCondition crawler -> {
                        cn.put("crawler", crawler.crawlerName());
                        crawler.crawlState().ifPresent(s -> cn.put("state", s.name()));
                    }
                }
            }
        });
        ArrayNode actions = o.putArray("actions");
        for (Action a : t.actions()) {
            ObjectNode an = actions.addObject();
            switch (a) {
                case Action.JobAction job -> {
                    an.put("job", job.jobName());
                    ObjectNode args = an.putObject("arguments");
                    job.arguments().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> args.put(e.getKey(), e.getValue()));
                    job.timeoutMinutes().ifPresent(v -> an.put("timeout", v));
                    job.securityConfiguration().ifPresent(v -> an.put("securityConfiguration", v));
                    job.notifyDelayAfterMinutes().ifPresent(v -> an.put("notifyDelayAfter", v));
                }
                case Action.CrawlerAction crawler -> an.put("crawler", crawler.crawlerName());
            }
        }
        t.eventBatchingCondition().ifPresent(b -> {
            ObjectNode bn = o.putObject("batching").put("size", b.batchSize());
            b.batchWindowSeconds().ifPresent(w -> bn.put("window", w));
        });
        return o;
    }

    private static Trigger trigger(JsonNode o) {
        Optional<Predicate> predicate = Optional.empty();
        if (o.has("predicate")) {
            JsonNode pn = o.get("predicate");
            List<Condition> conditions = new ArrayList<>();
            for (JsonNode cn : pn.path("conditions")) {
                Optional<LogicalOperator> op = text(cn, "operator").map(LogicalOperator::valueOf);
                if (cn.has("job")) {
                    conditions.add(new Condition.JobCondition(op, cn.get("job").asText(), text(cn, "state").map(JobRunState::valueOf)));
                } else {
                    conditions.add(new Condition.CrawlerCondition(op, cn.get("crawler").asText(), text(cn, "state").map(CrawlState::valueOf)));
                }
            }
            predicate = Optional.of(new Predicate(text(pn, "logical").map(Logical::valueOf), conditions));
        }
        List<Action> actions = new ArrayList<>();
        for (JsonNode an : o.path("actions")) {
            if (an.has("job")) {
                Map<String, String> args = new LinkedHashMap<>();
                an.path("arguments").properties().forEach(e -> args.put(e.getKey(), e.getValue().asText()));
                actions.add(new Action.JobAction(an.get("job").asText(), args, integer(an, "timeout"), text(an, "securityConfiguration"),
                        integer(an, "notifyDelayAfter")));
            } else {
                actions.add(new Action.CrawlerAction(an.get("crawler").asText()));
            }
        }
        Optional<EventBatchingCondition> batching = o.has("batching")
                ? Optional.of(new EventBatchingCondition(o.get("batching").get("size").asInt(), integer(o.get("batching"), "window")))
                : Optional.empty();
        return new Trigger(o.get("name").asText(), TriggerType.valueOf(o.get("type").asText()), TriggerState.valueOf(o.get("state").asText()),
                text(o, "workflow"), text(o, "description"), text(o, "schedule").map(GlueSchedule::parse), predicate, actions, batching);
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static OptionalInt integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? OptionalInt.empty() : OptionalInt.of(v.asInt());
    }
}
