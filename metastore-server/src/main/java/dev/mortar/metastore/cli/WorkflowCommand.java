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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code mortar workflow ...}: workflows (jobs and crawlers joined by their triggers), their runs and the run graph as
 * it progresses, through a running server's Glue API.
 */
@Command(name = "workflow", mixinStandardHelpOptions = true,
        description = "Run jobs and crawlers joined by triggers as one workflow, and follow its runs (through a running server's Glue API).",
        subcommands = {WorkflowCommand.Create.class, WorkflowCommand.ListWorkflows.class, WorkflowCommand.Run.class, WorkflowCommand.Runs.class,
                WorkflowCommand.Resume.class, WorkflowCommand.Stop.class, WorkflowCommand.Delete.class})
final class WorkflowCommand implements Runnable {
    private static final Set<String> RUN_ENDED = Set.of("COMPLETED", "STOPPED", "ERROR");
    private static final long POLL_MILLIS = 500;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Map<String, String> properties(List<String> given) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String p : given) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--property takes KEY=VALUE, not '" + p + "'");
            }
            properties.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return properties;
    }

    static JsonNode run(GlueApiClient glue, String name, String runId) throws Exception {
        return glue.call("GetWorkflowRun", GlueApiClient.object().put("Name", name).put("RunId", runId).put("IncludeGraph", true)).path("Run");
    }

    /** Each job and crawler node of a run graph with the state of its latest run ("-" before it runs). */
    static Map<String, String> nodeStates(JsonNode run) {
        Map<String, String> states = new LinkedHashMap<>();
        for (JsonNode node : run.path("Graph").path("Nodes")) {
            String type = node.path("Type").asText();
            if (type.equals("JOB")) {
                JsonNode runs = node.path("JobDetails").path("JobRuns");
                JsonNode last = runs.size() == 0 ? null : runs.get(runs.size() - 1);
                states.put("job " + node.path("Name").asText(), last == null ? "-" : last.path("JobRunState").asText()
                        + (last.hasNonNull("ErrorMessage") ? ": " + last.path("ErrorMessage").asText() : ""));
            } else if (type.equals("CRAWLER")) {
                JsonNode crawls = node.path("CrawlerDetails").path("Crawls");
                JsonNode last = crawls.size() == 0 ? null : crawls.get(crawls.size() - 1);
                states.put("crawler " + node.path("Name").asText(), last == null ? "-" : last.path("State").asText());
            }
        }
        return states;
    }

    /** Follows a run until it ends, printing each node's state as it changes; 0 when the run completed and every action succeeded. */
    static int follow(GlueApiClient glue, String name, String runId, PrintWriter out) throws Exception {
        Map<String, String> shown = new LinkedHashMap<>();
        while (true) {
            JsonNode run = run(glue, name, runId);
            nodeStates(run).forEach((node, state) -> {
                if (!state.equals("-") && !state.equals(shown.get(node))) {
                    out.printf("  %-40s %s%n", node, state);
                    out.flush();
                    shown.put(node, state);
                }
            });
            String status = run.path("Status").asText();
            if (RUN_ENDED.contains(status)) {
                JsonNode s = run.path("Statistics");
                out.printf("Workflow run %s %s: %d actions, %d succeeded, %d failed, %d timed out, %d stopped, %d errored%s%n", runId, status,
                        s.path("TotalActions").asInt(), s.path("SucceededActions").asInt(), s.path("FailedActions").asInt(), s.path("TimeoutActions").asInt(),
                        s.path("StoppedActions").asInt(), s.path("ErroredActions").asInt(),
                        run.hasNonNull("ErrorMessage") ? " (" + run.path("ErrorMessage").asText() + ")" : "");
                boolean clean = status.equals("COMPLETED") && s.path("SucceededActions").asInt() == s.path("TotalActions").asInt();
                if (!clean && status.equals("COMPLETED")) {
                    out.println("Resume the failed part with: mortar workflow resume " + name + " " + runId + " --node job:NAME");
                }
                return clean ? 0 : 1;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Define a workflow; add its triggers with `mortar trigger create ... --workflow NAME` (one on-demand or scheduled trigger starts it)."})
    static final class Create extends ApiCommand {
        @Parameters(index = "0", description = "Workflow name")
        String name;

        @Option(names = "--description", description = "Description of the workflow")
        String description;

        @Option(names = "--property", paramLabel = "KEY=VALUE", description = "A default run property. Repeatable")
        List<String> properties = new ArrayList<>();

        @Option(names = "--max-concurrent-runs", paramLabel = "N", description = "Runs that may go at once (default: no limit)")
        Integer maxConcurrentRuns;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            ObjectNode input = GlueApiClient.object().put("Name", name);
            if (description != null) {
                input.put("Description", description);
            }
            Map<String, String> defaults = properties(properties);
            if (!defaults.isEmpty()) {
                defaults.forEach(input.putObject("DefaultRunProperties")::put);
            }
            if (maxConcurrentRuns != null) {
                input.put("MaxConcurrentRuns", maxConcurrentRuns);
            }
            glue.call("CreateWorkflow", input);
            out.println("Created workflow " + name);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the workflows and their last runs.")
    static final class ListWorkflows extends ApiCommand {
        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            List<String> names = new ArrayList<>();
            glue.pages("ListWorkflows", GlueApiClient.object(), "Workflows", n -> names.add(n.asText()));
            if (names.isEmpty()) {
                out.println("No workflows (mortar workflow create --help)");
                return 0;
            }
            ObjectNode batch = GlueApiClient.object();
            ArrayNode wanted = batch.putArray("Names");
            TextTable table = new TextTable("NAME", "LAST RUN", "STATUS", "STARTED", "DESCRIPTION");
            for (int i = 0; i < names.size(); i += 25) {
                wanted.removeAll();
                names.subList(i, Math.min(names.size(), i + 25)).forEach(wanted::add);
                for (JsonNode w : glue.call("BatchGetWorkflows", batch).path("Workflows")) {
                    JsonNode last = w.path("LastRun");
                    table.row(w.path("Name").asText(), last.isMissingNode() ? null : last.path("WorkflowRunId").asText(),
                            last.isMissingNode() ? null : last.path("Status").asText(), last.isMissingNode() ? null : Readable.time(last.path("StartedOn")),
                            w.hasNonNull("Description") ? w.path("Description").asText() : null);
                }
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Start a run of the workflow; with --wait, follow its graph until it ends.")
    static final class Run extends ApiCommand {
        @Parameters(index = "0", description = "Workflow name")
        String name;

        @Option(names = "--property", paramLabel = "KEY=VALUE", description = "A run property (over the workflow's defaults). Repeatable")
        List<String> properties = new ArrayList<>();

        @Option(names = "--wait", description = "Follow the run, printing each job's and crawler's state as it changes; exit 1 unless every action succeeded")
        boolean await;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            ObjectNode input = GlueApiClient.object().put("Name", name);
            Map<String, String> given = properties(properties);
            if (!given.isEmpty()) {
                given.forEach(input.putObject("RunProperties")::put);
            }
            String runId = glue.call("StartWorkflowRun", input).path("RunId").asText();
            out.println("Started workflow run " + runId);
            out.flush();
            return await ? follow(glue, name, runId, out) : 0;
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "List the workflow's runs, newest first.")
    static final class Runs extends ApiCommand {
        @Parameters(index = "0", description = "Workflow name")
        String name;

        @Option(names = "--max", defaultValue = "20", description = "Runs shown (default ${DEFAULT-VALUE})")
        int max;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            TextTable table = new TextTable("RUN ID", "STATUS", "STARTED", "COMPLETED", "ACTIONS", "SUCCEEDED", "FAILED", "PREVIOUS RUN");
            for (JsonNode r : glue.call("GetWorkflowRuns", GlueApiClient.object().put("Name", name).put("MaxResults", max)).path("Runs")) {
                JsonNode s = r.path("Statistics");
                table.row(r.path("WorkflowRunId").asText(), r.path("Status").asText(), Readable.time(r.path("StartedOn")),
                        r.hasNonNull("CompletedOn") ? Readable.time(r.path("CompletedOn")) : null, s.path("TotalActions").asInt(),
                        s.path("SucceededActions").asInt(), s.path("FailedActions").asInt() + s.path("ErroredActions").asInt() + s.path("TimeoutActions").asInt(),
                        r.hasNonNull("PreviousRunId") ? r.path("PreviousRunId").asText() : null);
            }
            if (table.rows() == 0) {
                out.println("Workflow " + name + " has no runs yet (mortar workflow run " + name + ")");
                return 0;
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Run the chosen jobs or crawlers of a completed run again, and everything after them, as a new run.")
    static final class Resume extends ApiCommand {
        @Parameters(index = "0", description = "Workflow name")
        String name;

        @Parameters(index = "1", description = "The completed run to resume")
        String runId;

        @Option(names = "--node", required = true, paramLabel = "job:NAME|crawler:NAME", description = "A node to run again. Repeatable")
        List<String> nodes = new ArrayList<>();

        @Option(names = "--wait", description = "Follow the new run until it ends")
        boolean await;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            JsonNode old = WorkflowCommand.run(glue, name, runId);
            ObjectNode input = GlueApiClient.object().put("Name", name).put("RunId", runId);
            ArrayNode ids = input.putArray("NodeIds");
            for (String node : nodes) {
                String[] parts = node.split(":", 2);
                if (parts.length != 2 || !Set.of("job", "crawler").contains(parts[0].toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("--node takes job:NAME or crawler:NAME, not '" + node + "'");
                }
                String type = parts[0].toUpperCase(Locale.ROOT);
                String id = null;
                for (JsonNode n : old.path("Graph").path("Nodes")) {
                    if (n.path("Type").asText().equals(type) && n.path("Name").asText().equals(parts[1])) {
                        id = n.path("UniqueId").asText();
                    }
                }
                if (id == null) {
                    throw new IllegalArgumentException("Run " + runId + " of workflow " + name + " has no node " + node);
                }
                ids.add(id);
            }
            String resumed = glue.call("ResumeWorkflowRun", input).path("RunId").asText();
            out.println("Started workflow run " + resumed + " (resumes " + runId + ")");
            out.flush();
            return await ? follow(glue, name, resumed, out) : 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a running workflow run: its running jobs and crawlers are stopped, nothing new starts.")
    static final class Stop extends ApiCommand {
        @Parameters(index = "0", description = "Workflow name")
        String name;

        @Parameters(index = "1", description = "Run id")
        String runId;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            glue.call("StopWorkflowRun", GlueApiClient.object().put("Name", name).put("RunId", runId));
            out.println("Workflow run " + runId + " " + WorkflowCommand.run(glue, name, runId).path("Status").asText());
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a workflow with its triggers and runs.")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", description = "Workflow name")
        String name;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            glue.call("DeleteWorkflow", GlueApiClient.object().put("Name", name));
            out.println("Deleted workflow " + name);
            return 0;
        }
    }
}
