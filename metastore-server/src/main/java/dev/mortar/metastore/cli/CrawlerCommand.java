package dev.mortar.metastore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * {@code mortar crawler ...}: defines, runs and watches crawlers through a running server's Glue API.
 * Errors of the API print as {@code Error: <ErrorType>: <message>} and exit with status 1.
 */
@Command(name = "crawler", mixinStandardHelpOptions = true,
        description = "Define, run and watch crawlers on a running Mortar server (through its Glue API).",
        subcommands = {CrawlerCommand.Create.class, CrawlerCommand.Start.class, CrawlerCommand.Stop.class, CrawlerCommand.Status.class,
                CrawlerCommand.ListCrawlers.class, CrawlerCommand.Runs.class, CrawlerCommand.Log.class, CrawlerCommand.Get.class, CrawlerCommand.Delete.class})
final class CrawlerCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Define a crawler over one or more paths.")
    static final class Create extends ApiCommand {
        @Parameters(index = "0", description = "Crawler name")
        String name;

        @Option(names = {"-d", "--database"}, required = true, description = "Database the crawler writes tables to (created when missing)")
        String database;

        @Option(names = {"-p", "--path"}, required = true, description = "Path to crawl: a local path, file://, s3a:// or s3://...; repeatable")
        List<String> paths;

        @Option(names = {"-x", "--exclude"}, description = "Glob of files to skip, relative to each path (*, **, ?, [a-z], {a,b}); repeatable")
        List<String> exclusions = new ArrayList<>();

        @Option(names = "--table-prefix", description = "Prefix of the names of the tables the crawler creates")
        String tablePrefix;

        @Option(names = "--role", defaultValue = "mortar", description = "Role recorded with the crawler (kept for Glue clients; default: ${DEFAULT-VALUE})")
        String role;

        @Option(names = "--description", description = "Description of the crawler")
        String description;

        @Option(names = "--schema-change", description = "What a changed schema does: UPDATE_IN_DATABASE (default) or LOG (report only)")
        String schemaChange;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            ObjectNode input = GlueApiClient.object().put("Name", name).put("Role", role).put("DatabaseName", database);
            ArrayNode targets = input.putObject("Targets").putArray("S3Targets");
            for (String path : paths) {
                ObjectNode target = targets.addObject().put("Path", absolute(path));
                if (!exclusions.isEmpty()) {
                    exclusions.forEach(target.putArray("Exclusions")::add);
                }
            }
            if (tablePrefix != null) {
                input.put("TablePrefix", tablePrefix);
            }
            if (description != null) {
                input.put("Description", description);
            }
            if (schemaChange != null) {
                input.putObject("SchemaChangePolicy").put("UpdateBehavior", schemaChange.toUpperCase(Locale.ROOT));
            }
            glue.call("CreateCrawler", input);
            out.printf("Created crawler %s: %s into database %s%n", name, String.join(", ", paths.stream().map(ApiCommand::absolute).toList()), database);
            return 0;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a run of a crawler; with --wait, show its progress until it ends.")
    static final class Start extends ApiCommand {
        @Parameters(index = "0", description = "Crawler name")
        String name;

        @Option(names = {"-w", "--wait"}, description = "Show progress until the run ends, then its summary; exit 1 unless it COMPLETED")
        boolean wait;

        @Option(names = "--interval-ms", defaultValue = "500", description = "How often --wait asks the server (default: ${DEFAULT-VALUE})")
        long intervalMillis;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            glue.call("StartCrawler", GlueApiClient.object().put("Name", name));
            if (!wait) {
                out.printf("Started crawler %s%n", name);
                return 0;
            }
            return awaitRun(glue, out, name, intervalMillis, terminal());
        }
    }

    /** Shows the running crawl's progress until the crawler is READY again, then the run's summary. */
    static int awaitRun(GlueApiClient glue, PrintWriter out, String name, long intervalMillis, boolean terminal) throws Exception {
        String lastLine = null;
        int width = 0;
        long started = System.nanoTime();
        while (true) {
            JsonNode crawler = glue.call("GetCrawler", GlueApiClient.object().put("Name", name)).path("Crawler");
            String state = crawler.path("State").asText();
            if (state.equals("READY")) {
                break;
            }
            JsonNode p = crawler.path("MortarProgress");
            String line = String.format("%s %s: %d files (%s), %d tables", name, state, p.path("FilesSeen").asLong(), Readable.bytes(p.path("BytesSeen").asLong()),
                    p.path("TablesFound").asLong()) + (p.has("Worker") ? " [worker " + p.path("Worker").asText() + "]" : "");
            if (terminal) {
                String shown = line + String.format(" %ds", (System.nanoTime() - started) / 1_000_000_000L);
                out.print("\r" + shown + " ".repeat(Math.max(0, width - shown.length())));
                width = shown.length();
                out.flush();
            } else if (!line.equals(lastLine)) {
                out.println(line);
                out.flush();
            }
            lastLine = line;
            Thread.sleep(intervalMillis);
        }
        if (terminal && width > 0) {
            out.println();
        }
        JsonNode crawls = glue.call("ListCrawls", GlueApiClient.object().put("CrawlerName", name).put("MaxResults", 1)).path("Crawls");
        if (crawls.isEmpty()) {
            out.printf("Crawler %s has no runs%n", name);
            return 1;
        }
        JsonNode run = crawls.get(0);
        JsonNode summary = run.hasNonNull("Summary") ? JSON.readTree(run.path("Summary").asText()) : JSON.createObjectNode();
        String state = run.path("State").asText();
        // what a table or partition without data became follows the crawler's DeleteBehavior
        String gone = switch (crawler(glue, name).path("SchemaChangePolicy").path("DeleteBehavior").asText("DEPRECATE_IN_DATABASE")) {
            case "DELETE_FROM_DATABASE" -> "deleted";
            default -> "deprecated";
        };
        out.printf("Run %s %s in %s: %d tables created, %d updated, %d %s; %d partitions added, %d %s; %d files read, %d errors%n",
                run.path("CrawlId").asText(), state, duration(run), summary.at("/TABLE/ADD/Count").asInt(), summary.at("/TABLE/UPDATE/Count").asInt(),
                summary.at("/TABLE/DELETE/Count").asInt(), gone, summary.at("/PARTITION/ADD/Count").asInt(), summary.at("/PARTITION/DELETE/Count").asInt(), gone,
                summary.at("/FILE/READ/Count").asInt(), summary.path("Errors").size());
        if (!summary.path("TablesCreated").isEmpty()) {
            out.printf("  tables created: %s%n", join(summary.path("TablesCreated")));
        }
        if (!summary.path("TablesUpdated").isEmpty()) {
            out.printf("  tables updated: %s%n", join(summary.path("TablesUpdated")));
        }
        if (!summary.path("TablesDeleted").isEmpty()) {
            out.printf("  tables %s: %s%n", gone, join(summary.path("TablesDeleted")));
        }
        for (JsonNode e : summary.path("Errors")) {
            out.printf("  error: %s: %s%n", e.path("Path").asText(), e.path("Message").asText());
        }
        if (run.hasNonNull("ErrorMessage")) {
            out.printf("  reason: %s%n", run.path("ErrorMessage").asText());
        }
        if (!state.equals("COMPLETED") || !summary.path("Errors").isEmpty()) {
            out.printf("  why, decision by decision: mortar crawler log %s %s%n", name, run.path("CrawlId").asText());
        }
        return state.equals("COMPLETED") ? 0 : 1;
    }

    private static JsonNode crawler(GlueApiClient glue, String name) throws Exception {
        return glue.call("GetCrawler", GlueApiClient.object().put("Name", name)).path("Crawler");
    }

    /** Why a run failed, or "-". */
    private static String reason(JsonNode run) {
        return run.hasNonNull("ErrorMessage") && !run.path("ErrorMessage").asText().isEmpty() ? run.path("ErrorMessage").asText() : "-";
    }

    /** Up to 20 names, then how many more. */
    private static String join(JsonNode names) {
        List<String> list = new ArrayList<>();
        names.forEach(n -> list.add(n.asText()));
        int shown = 20;
        return list.size() <= shown ? String.join(", ", list) : String.join(", ", list.subList(0, shown)) + " and " + (list.size() - shown) + " more";
    }

    private static String duration(JsonNode run) {
        if (!run.has("EndTime")) {
            return "-";
        }
        return Readable.seconds(run.path("EndTime").asDouble() - run.path("StartTime").asDouble());
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a running crawler (between tables).")
    static final class Stop extends ApiCommand {
        @Parameters(index = "0", description = "Crawler name")
        String name;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            glue.call("StopCrawler", GlueApiClient.object().put("Name", name));
            out.printf("Stopping crawler %s%n", name);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a crawler and its run records (not its tables).")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", description = "Crawler name")
        String name;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            glue.call("DeleteCrawler", GlueApiClient.object().put("Name", name));
            out.printf("Deleted crawler %s%n", name);
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a crawler's definition and state as JSON (GetCrawler).")
    static final class Get extends ApiCommand {
        @Parameters(index = "0", description = "Crawler name")
        String name;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(glue.call("GetCrawler", GlueApiClient.object().put("Name", name)).path("Crawler")));
            return 0;
        }
    }

    /** Every crawler, page by page (GetCrawlers). */
    private static List<JsonNode> allCrawlers(GlueApiClient glue) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        glue.pages("GetCrawlers", GlueApiClient.object(), "Crawlers", all::add);
        return all;
    }

    private static String targets(JsonNode crawler) {
        List<String> paths = new ArrayList<>();
        crawler.path("Targets").path("S3Targets").forEach(t -> paths.add(t.path("Path").asText()));
        return paths.isEmpty() ? "-" : String.join(",", paths);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the crawlers: state, database, paths and last run.")
    static final class ListCrawlers extends ApiCommand {
        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            TextTable table = new TextTable("NAME", "STATE", "DATABASE", "PATHS", "LAST RUN", "LAST RUN STARTED", "REASON");
            for (JsonNode c : allCrawlers(glue)) {
                JsonNode last = c.path("LastCrawl");
                table.row(c.path("Name").asText(), c.path("State").asText(), c.path("DatabaseName").asText("-"), targets(c),
                        last.path("Status").asText("-"), Readable.time(last.path("StartTime")), reason(last));
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "State of crawlers (all when none is named): progress of a running crawl, the last run's outcome and counts.")
    static final class Status extends ApiCommand {
        @Parameters(arity = "0..*", description = "Crawler names")
        List<String> names = new ArrayList<>();

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            List<JsonNode> crawlers = new ArrayList<>();
            if (names.isEmpty()) {
                crawlers.addAll(allCrawlers(glue));
            } else {
                for (String n : names) {
                    crawlers.add(glue.call("GetCrawler", GlueApiClient.object().put("Name", n)).path("Crawler"));
                }
            }
            TextTable table = new TextTable("NAME", "STATE", "FILES SEEN", "BYTES SEEN", "TABLES FOUND", "LAST RUN", "LAST RUNTIME", "TABLES CREATED",
                    "TABLES UPDATED", "REASON");
            if (!crawlers.isEmpty()) {
                ObjectNode input = GlueApiClient.object();
                ArrayNode list = input.putArray("CrawlerNameList");
                crawlers.forEach(c -> list.add(c.path("Name").asText()));
                java.util.Map<String, JsonNode> metrics = new java.util.HashMap<>();
                glue.call("GetCrawlerMetrics", input).path("CrawlerMetricsList").forEach(m -> metrics.put(m.path("CrawlerName").asText(), m));
                for (JsonNode c : crawlers) {
                    JsonNode p = c.path("MortarProgress");
                    JsonNode m = metrics.getOrDefault(c.path("Name").asText(), GlueApiClient.object());
                    boolean ran = c.has("LastCrawl");
                    table.row(c.path("Name").asText(), c.path("State").asText(),
                            p.isMissingNode() ? "-" : p.path("FilesSeen").asText(), p.isMissingNode() ? "-" : Readable.bytes(p.path("BytesSeen").asLong()),
                            p.isMissingNode() ? "-" : p.path("TablesFound").asText(), c.path("LastCrawl").path("Status").asText("-"),
                            ran ? Readable.seconds(m.path("LastRuntimeSeconds").asDouble()) : "-",
                            ran ? m.path("TablesCreated").asText("0") : "-", ran ? m.path("TablesUpdated").asText("0") : "-", reason(c.path("LastCrawl")));
                }
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "The runs of a crawler, newest first (ListCrawls).")
    static final class Runs extends ApiCommand {
        @Parameters(index = "0", description = "Crawler name")
        String name;

        @Option(names = "--max", defaultValue = "20", description = "Most runs shown (default: ${DEFAULT-VALUE})")
        int max;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            JsonNode crawls = glue.call("ListCrawls", GlueApiClient.object().put("CrawlerName", name).put("MaxResults", max)).path("Crawls");
            TextTable table = new TextTable("CRAWL ID", "STATE", "STARTED", "DURATION", "TABLES CREATED", "TABLES UPDATED", "PARTITIONS ADDED", "FILES READ",
                    "ERRORS", "REASON");
            for (JsonNode r : crawls) {
                JsonNode s = r.hasNonNull("Summary") ? JSON.readTree(r.path("Summary").asText()) : JSON.createObjectNode();
                boolean ended = r.has("EndTime");
                table.row(r.path("CrawlId").asText(), r.path("State").asText(), Readable.time(r.path("StartTime")), duration(r),
                        ended ? s.at("/TABLE/ADD/Count").asInt() : "-", ended ? s.at("/TABLE/UPDATE/Count").asInt() : "-",
                        ended ? s.at("/PARTITION/ADD/Count").asInt() : "-", ended ? s.at("/FILE/READ/Count").asInt() : "-",
                        ended ? s.path("Errors").size() : "-", reason(r));
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true,
            description = "The decision log of a run: why each folder became a table or partition, was skipped or failed (default: the last run).")
    static final class Log extends ApiCommand {
        @Parameters(index = "0", description = "Crawler name")
        String name;

        @Parameters(index = "1", arity = "0..1", description = "Crawl id (from `mortar crawler runs`; default: the last run)")
        String crawlId;

        @Override
        int run(GlueApiClient glue, PrintWriter out) throws Exception {
            String id = crawlId;
            if (id == null) {
                JsonNode crawls = glue.call("ListCrawls", GlueApiClient.object().put("CrawlerName", name).put("MaxResults", 1)).path("Crawls");
                if (crawls.isEmpty()) {
                    throw new IllegalArgumentException("Crawler " + name + " has no runs yet");
                }
                id = crawls.get(0).path("CrawlId").asText();
            }
            out.print(glue.get("/crawlers/" + GlueApiClient.pathSegment(name) + "/runs/" + GlueApiClient.pathSegment(id) + "/log").body());
            return 0;
        }
    }
}
