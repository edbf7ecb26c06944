package dev.mortar.metastore.control.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.job.JobRunRecord.Output;
import dev.mortar.metastore.control.job.JobRunRecord.Predecessor;
import dev.mortar.metastore.control.job.JobRunRecord.RunFigures;
import dev.mortar.metastore.control.job.JobRunRecord.RunSettings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored form of job definitions, run settings and run figures: JSON documents of the control plane's own format,
 * written and read member by member so that the store never follows the wire.
 */
final class JobDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobDocument() {}

    static String write(JobDefinition d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("role", d.role());
        ObjectNode command = n.putObject("command").put("name", d.command().name()).put("script", d.command().scriptLocation());
        d.command().pythonVersion().ifPresent(v -> command.put("python", v));
        d.command().runtime().ifPresent(v -> command.put("runtime", v));
        d.description().ifPresent(v -> n.put("description", v));
        d.logUri().ifPresent(v -> n.put("logUri", v));
        d.maxConcurrentRuns().ifPresent(v -> n.put("maxConcurrentRuns", v));
        map(n.putObject("defaultArguments"), d.defaultArguments());
        map(n.putObject("nonOverridableArguments"), d.nonOverridableArguments());
        d.connections().forEach(n.putArray("connections")::add);
        d.maxRetries().ifPresent(v -> n.put("maxRetries", v));
        d.allocatedCapacity().ifPresent(v -> n.put("allocatedCapacity", v));
        d.timeoutMinutes().ifPresent(v -> n.put("timeout", v));
        d.maxCapacity().ifPresent(v -> n.put("maxCapacity", v));
        d.securityConfiguration().ifPresent(v -> n.put("securityConfiguration", v));
        d.notifyDelayAfter().ifPresent(v -> n.put("notifyDelayAfter", v));
        d.glueVersion().ifPresent(v -> n.put("glueVersion", v));
        d.numberOfWorkers().ifPresent(v -> n.put("numberOfWorkers", v));
        d.workerType().ifPresent(v -> n.put("workerType", v));
        d.executionClass().ifPresent(v -> n.put("executionClass", v));
        d.maintenanceWindow().ifPresent(v -> n.put("maintenanceWindow", v));
        d.jobMode().ifPresent(v -> n.put("jobMode", v));
        d.jobRunQueuingEnabled().ifPresent(v -> n.put("queuing", v));
        map(n.putObject("sourceControl"), d.sourceControl());
        d.visualGraph().ifPresent(v -> n.put("visualGraph", v));
        return n.toString();
    }

    static JobDefinition readDefinition(String text) {
        JsonNode n = parse(text);
        JsonNode c = n.path("command");
        return new JobDefinition(n.path("role").asText(),
                new JobDefinition.Command(c.path("name").asText(), c.path("script").asText(), text(c, "python"), text(c, "runtime")),
                text(n, "description"), text(n, "logUri"), integer(n, "maxConcurrentRuns"), map(n.path("defaultArguments")),
                map(n.path("nonOverridableArguments")), strings(n.path("connections")), integer(n, "maxRetries"), integer(n, "allocatedCapacity"),
                integer(n, "timeout"), n.has("maxCapacity") ? Optional.of(n.get("maxCapacity").asDouble()) : Optional.empty(),
                text(n, "securityConfiguration"), integer(n, "notifyDelayAfter"), text(n, "glueVersion"), integer(n, "numberOfWorkers"),
                text(n, "workerType"), text(n, "executionClass"), text(n, "maintenanceWindow"), text(n, "jobMode"),
                n.has("queuing") ? Optional.of(n.get("queuing").asBoolean()) : Optional.empty(), map(n.path("sourceControl")), text(n, "visualGraph"));
    }

    static String write(RunSettings s) {
        ObjectNode n = JSON.createObjectNode();
        map(n.putObject("arguments"), s.arguments());
        n.put("timeout", s.timeoutMinutes());
        s.workerType().ifPresent(v -> n.put("workerType", v));
        s.numberOfWorkers().ifPresent(v -> n.put("numberOfWorkers", v));
        s.maxCapacity().ifPresent(v -> n.put("maxCapacity", v));
        s.securityConfiguration().ifPresent(v -> n.put("securityConfiguration", v));
        s.notifyDelayAfter().ifPresent(v -> n.put("notifyDelayAfter", v));
        s.executionClass().ifPresent(v -> n.put("executionClass", v));
        n.put("queuing", s.queuing());
        n.put("glueVersion", s.glueVersion());
        n.put("jobMode", s.jobMode());
        ArrayNode p = n.putArray("predecessors");
        s.predecessors().forEach(x -> p.addObject().put("job", x.jobName()).put("run", x.runId()));
        return n.toString();
    }

    static RunSettings readSettings(String text) {
        JsonNode n = parse(text);
        List<Predecessor> predecessors = new ArrayList<>();
        n.path("predecessors").forEach(x -> predecessors.add(new Predecessor(x.path("job").asText(), x.path("run").asText())));
        return new RunSettings(map(n.path("arguments")), n.path("timeout").asInt(), text(n, "workerType"), integer(n, "numberOfWorkers"),
                n.has("maxCapacity") ? Optional.of(n.get("maxCapacity").asDouble()) : Optional.empty(), text(n, "securityConfiguration"),
                integer(n, "notifyDelayAfter"), text(n, "executionClass"), n.path("queuing").asBoolean(), n.path("glueVersion").asText(),
                n.path("jobMode").asText("SCRIPT"), predecessors);
    }

    static String write(RunFigures f) {
        ObjectNode n = JSON.createObjectNode().put("rowsRead", f.rowsRead()).put("filesRead", f.filesRead()).put("bytesRead", f.bytesRead())
                .put("rowsWritten", f.rowsWritten()).put("filesWritten", f.filesWritten()).put("bytesWritten", f.bytesWritten());
        ArrayNode outputs = n.putArray("outputs");
        for (Output o : f.outputs()) {
            ObjectNode out = outputs.addObject().put("table", o.table()).put("location", o.location()).put("change", o.change());
            o.values().forEach(out.putArray("values")::add);
        }
        return n.toString();
    }

    static RunFigures readFigures(String text) {
        JsonNode n = parse(text);
        List<Output> outputs = new ArrayList<>();
        n.path("outputs").forEach(o -> outputs.add(new Output(o.path("table").asText(), strings(o.path("values")), o.path("location").asText(),
                o.path("change").asText())));
        return new RunFigures(n.path("rowsRead").asLong(), n.path("filesRead").asLong(), n.path("bytesRead").asLong(), n.path("rowsWritten").asLong(),
                n.path("filesWritten").asLong(), n.path("bytesWritten").asLong(), outputs);
    }

    private static void map(ObjectNode target, Map<String, String> values) {
        new java.util.TreeMap<>(values).forEach(target::put);
    }

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static Optional<String> text(JsonNode n, String member) {
        return n.hasNonNull(member) ? Optional.of(n.get(member).asText()) : Optional.empty();
    }

    private static Optional<Integer> integer(JsonNode n, String member) {
        return n.hasNonNull(member) ? Optional.of(n.get(member).asInt()) : Optional.empty();
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("A stored job document is not JSON: " + e.getMessage(), e);
        }
    }
}
