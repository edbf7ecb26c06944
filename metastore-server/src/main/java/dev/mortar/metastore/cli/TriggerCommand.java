package dev.mortar.metastore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code mortar trigger ...}: scheduled, conditional and on-demand triggers of jobs and crawlers, through a running
 * server's Glue API.
 */
@Command(name = "trigger", mixinStandardHelpOptions = true,
        description = "Start jobs and crawlers on a schedule, after other runs, or on demand (through a running server's Glue API).",
        subcommands = {TriggerCommand.Create.class, TriggerCommand.ListTriggers.class, TriggerCommand.Start.class, TriggerCommand.Stop.class,
                TriggerCommand.Delete.class})
final class TriggerCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Define a trigger. Examples:",
                    "  mortar trigger create nightly --schedule 'cron(0 2 * * ? *)' --job load --start",
                    "  mortar trigger create then-clean --when job:load:SUCCEEDED --job clean --start",
                    "  mortar trigger create now --job load   (on demand: `mortar trigger start now` runs it)"})
    static final class Create extends ApiCommand {
        @Parameters(index = "0", description = "Trigger name")
        String name;

        @Option(names = "--schedule", paramLabel = "CRON", description = "A SCHEDULED trigger: cron(Minutes Hours Day-of-month Month Day-of-week Year), in UTC")
        String schedule;

        @Option(names = "--when", paramLabel = "job:NAME:STATE|crawler:NAME:STATE",
                description = "A CONDITIONAL trigger: fires when the run of a job (SUCCEEDED, STOPPED, FAILED, TIMEOUT) or crawler (SUCCEEDED, FAILED, CANCELLED) "
                        + "that a trigger started ended so. Repeatable: all must hold, or one with --any")
        List<String> when = new ArrayList<>();

        @Option(names = "--any", description = "A conditional trigger fires when any one of its --when conditions holds (default: all)")
        boolean any;

        @Option(names = "--job", paramLabel = "NAME", description = "A job the trigger starts. Repeatable")
        List<String> jobs = new ArrayList<>();

        @Option(names = "--arg", paramLabel = "--KEY=VALUE", description = "An argument of the job runs it starts (over the job's defaults). Repeatable")
        List<String> args = new ArrayList<>();

        @Option(names = "--crawler", paramLabel = "NAME", description = "A crawler the trigger starts. Repeatable")
        List<String> crawlers = new ArrayList<>();

        @Option(names = "--workflow", paramLabel = "NAME", description = "The workflow the trigger belongs to")
        String workflow;

        @Option(names = "--start", description = "Activate a scheduled or conditional trigger at once (StartOnCreation)")
        boolean start;

        @Option(names = "--description", description = "Description of the trigger")
        String description;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            if (schedule != null && !when.isEmpty()) {
                throw new IllegalArgumentException("Give --schedule or --when, not both");
            }
            if (jobs.isEmpty() && crawlers.isEmpty()) {
                throw new IllegalArgumentException("Give what the trigger starts: --job NAME or --crawler NAME");
            }
            String type = schedule != null ? "SCHEDULED" : !when.isEmpty() ? "CONDITIONAL" : "ON_DEMAND";
            ObjectNode input = GlueApiClient.object().put("Name", name).put("Type", type);
            if (schedule != null) {
                input.put("Schedule", schedule);
            }
            if (!when.isEmpty()) {
                ObjectNode predicate = input.putObject("Predicate").put("Logical", any ? "ANY" : "AND");
                ArrayNode conditions = predicate.putArray("Conditions");
                for (String condition : when) {
                    String[] parts = condition.split(":", 3);
                    if (parts.length != 3 || parts[1].isEmpty()) {
                        throw new IllegalArgumentException("--when takes job:NAME:STATE or crawler:NAME:STATE, not '" + condition + "'");
                    }
                    ObjectNode c = conditions.addObject().put("LogicalOperator", "EQUALS");
                    switch (parts[0].toLowerCase(Locale.ROOT)) {
                        case "job" -> c.put("JobName", parts[1]).put("State", parts[2].toUpperCase(Locale.ROOT));
                        case "crawler" -> c.put("CrawlerName", parts[1]).put("CrawlState", parts[2].toUpperCase(Locale.ROOT));
                        default -> throw new IllegalArgumentException("--when takes job:NAME:STATE or crawler:NAME:STATE, not '" + condition + "'");
                    }
                }
            }
            ArrayNode actions = input.putArray("Actions");
            Map<String, String> arguments = JobCommand.arguments(args);
            for (String job : jobs) {
                ObjectNode action = actions.addObject().put("JobName", job);
                if (!arguments.isEmpty()) {
                    arguments.forEach(action.putObject("Arguments")::put);
                }
            }
            crawlers.forEach(crawler -> actions.addObject().put("CrawlerName", crawler));
            if (workflow != null) {
                input.put("WorkflowName", workflow);
            }
            if (description != null) {
                input.put("Description", description);
            }
            if (start) {
                input.put("StartOnCreation", true);
            }
            glue.call("CreateTrigger", input);
            JsonNode created = glue.call("GetTrigger", GlueApiClient.object().put("Name", name)).path("Trigger");
            out.printf("Created trigger %s: %s, %s%n", name, describe(created), created.path("State").asText());
            return 0;
        }
    }

    /** What the trigger waits for: its schedule, its conditions, or a start. */
    static String describe(JsonNode trigger) {
        return switch (trigger.path("Type").asText()) {
            case "SCHEDULED" -> trigger.path("Schedule").asText();
            case "CONDITIONAL" -> {
                List<String> conditions = new ArrayList<>();
                for (JsonNode c : trigger.path("Predicate").path("Conditions")) {
                    conditions.add(c.has("JobName") ? "job " + c.path("JobName").asText() + " " + c.path("State").asText()
                            : "crawler " + c.path("CrawlerName").asText() + " " + c.path("CrawlState").asText());
                }
                yield "after " + String.join(trigger.path("Predicate").path("Logical").asText("AND").equals("ANY") ? " or " : " and ", conditions);
            }
            case "ON_DEMAND" -> "on demand";
            default -> trigger.path("Type").asText().toLowerCase(Locale.ROOT);
        };
    }

    static String actions(JsonNode trigger) {
        List<String> actions = new ArrayList<>();
        for (JsonNode a : trigger.path("Actions")) {
            actions.add(a.has("JobName") ? "job " + a.path("JobName").asText() : "crawler " + a.path("CrawlerName").asText());
        }
        return actions.stream().collect(Collectors.joining(", "));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the triggers: type, state, when they fire and what they start.")
    static final class ListTriggers extends ApiCommand {
        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            TextTable table = new TextTable("NAME", "TYPE", "STATE", "FIRES", "STARTS", "WORKFLOW");
            glue.pages("GetTriggers", GlueApiClient.object(), "Triggers", t -> table.row(t.path("Name").asText(), t.path("Type").asText(),
                    t.path("State").asText(), describe(t), actions(t), t.hasNonNull("WorkflowName") ? t.path("WorkflowName").asText() : null));
            if (table.rows() == 0) {
                out.println("No triggers (mortar trigger create --help)");
                return 0;
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Activate a scheduled or conditional trigger; fire an on-demand trigger now (in a workflow: a new workflow run).")
    static final class Start extends ApiCommand {
        @Parameters(index = "0", description = "Trigger name")
        String name;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            glue.call("StartTrigger", GlueApiClient.object().put("Name", name));
            JsonNode trigger = glue.call("GetTrigger", GlueApiClient.object().put("Name", name)).path("Trigger");
            out.println(trigger.path("Type").asText().equals("ON_DEMAND") ? "Fired trigger " + name + ": started " + actions(trigger)
                    : "Trigger " + name + " " + trigger.path("State").asText() + ": " + describe(trigger));
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Deactivate a scheduled or conditional trigger.")
    static final class Stop extends ApiCommand {
        @Parameters(index = "0", description = "Trigger name")
        String name;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            glue.call("StopTrigger", GlueApiClient.object().put("Name", name));
            out.println("Trigger " + name + " DEACTIVATED");
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a trigger (no error when there is none).")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", description = "Trigger name")
        String name;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            glue.call("DeleteTrigger", GlueApiClient.object().put("Name", name));
            out.println("Deleted trigger " + name);
            return 0;
        }
    }
}
