package dev.mortar.metastore.glue;


import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.crawl.CrawlRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import static dev.mortar.metastore.store.CatalogStore.update;

/**
 * CreateCrawler, GetCrawler, GetCrawlers, ListCrawlers, UpdateCrawler, DeleteCrawler, StartCrawler, StopCrawler,
 * GetCrawlerMetrics, ListCrawls. Crawlers are kept in {@code g_crawlers}, their runs in {@code g_crawls}
 * ({@code V3__crawlers.sql}); runs are started, stopped and followed through the control plane's
 * {@link CrawlRuns}, which hands them to workers (in this server or in worker processes) as tasks.
 */
final class CrawlerOperations {
    private static final Logger LOG = LoggerFactory.getLogger(CrawlerOperations.class);
    static final String READY = "READY";
    static final String RUNNING = "RUNNING";
    static final String STOPPING = "STOPPING";
    /** Definition members of CreateCrawler that GetCrawler returns as given. */
    private static final List<String> DEFINITION = List.of("Role", "DatabaseName", "Description", "Targets", "Schedule", "Classifiers",
            "TablePrefix", "SchemaChangePolicy", "RecrawlPolicy", "LineageConfiguration", "LakeFormationConfiguration", "Configuration",
            "CrawlerSecurityConfiguration");

    private final GlueContext ctx;
    private final CrawlRuns runs;

    private record CrawlerRow(String name, ObjectNode definition, String state, long createdAt, long updatedAt, long version) {}

    private record CrawlRow(String id, String crawler, String state, long startedAt, Long endedAt, int tablesCreated, int tablesUpdated,
                            int partitionsAdded, int filesRead, String summary, String error) {}

    CrawlerOperations(GlueContext ctx, CrawlRuns runs) {
        this.ctx = ctx;
        this.runs = runs;
    }

    void register(Map<String, GlueOperation> ops) {
        ops.put("CreateCrawler", this::createCrawler);
        ops.put("GetCrawler", this::getCrawler);
        ops.put("GetCrawlers", this::getCrawlers);
        ops.put("BatchGetCrawlers", this::batchGetCrawlers);
        ops.put("ListCrawlers", this::listCrawlers);
        ops.put("UpdateCrawler", this::updateCrawler);
        ops.put("DeleteCrawler", this::deleteCrawler);
        ops.put("StartCrawler", this::startCrawler);
        ops.put("StopCrawler", this::stopCrawler);
        ops.put("GetCrawlerMetrics", this::getCrawlerMetrics);
        ops.put("ListCrawls", this::listCrawls);
    }

    static GlueException crawlerRunning(String message) {
        return new GlueException("CrawlerRunningException", 400, message);
    }

    // ---- definitions

    private ObjectNode definition(GlueRequest request, boolean create) {
        ObjectNode def = HiveShapes.JSON.createObjectNode();
        String role = create ? request.requiredString("Role", 0, Integer.MAX_VALUE) : request.string("Role", 0, Integer.MAX_VALUE).orElse(null);
        request.string("DatabaseName", 0, Integer.MAX_VALUE);
        request.string("Description", 0, 2048);
        request.string("TablePrefix", 0, 128);
        request.string("Configuration", 0, Integer.MAX_VALUE);
        Optional<GlueRequest> targets = create ? Optional.of(request.requiredObject("Targets")) : request.object("Targets");
        targets.ifPresent(t -> {
            for (String kind : List.of("MongoDBTargets", "DynamoDBTargets", "CatalogTargets", "DeltaTargets", "IcebergTargets", "HudiTargets")) {
                if (t.json().path(kind).size() > 0) {
                    throw GlueException.invalidInput(kind + " are not supported by this endpoint yet; crawlers take S3Targets (any Hadoop file system path) and JdbcTargets");
                }
            }
            JdbcCrawlTargets.validate(t);
            for (GlueRequest s3 : t.objects("S3Targets", 0, Integer.MAX_VALUE).orElse(List.of())) {
                s3.requiredString("Path", 1, Integer.MAX_VALUE);
            }
        });
        request.json().fields().forEachRemaining(e -> {
            if (DEFINITION.contains(e.getKey()) && !e.getValue().isNull()) {
                def.set(e.getKey(), e.getValue());
            }
        });
        if (role != null && role.isEmpty()) {
            throw GlueException.invalidInput("Role must not be empty");
        }
        CrawlerDefinitions.validateRequest(request);
        return def;
    }

    private ObjectNode createCrawler(GlueRequest request) {
        String name = request.requiredName("Name");
        ObjectNode def = definition(request, true);
        CrawlerDefinitions.validate(def);
        request.stringMap("Tags", 1, 128, 0, 256);
        long now = System.currentTimeMillis();
        ctx.tx(c -> {
            if (crawler(c, name).isPresent()) {
                throw GlueException.alreadyExists("Crawler with name " + name + " already exists");
            }
            update(c, "INSERT INTO g_crawlers (crawler_name, definition, crawler_state, created_at, updated_at, version_no) VALUES (?, ?, ?, ?, ?, ?)",
                    name, def.toString(), READY, now, now, 1L);
            return null;
        });
        LOG.info("Glue: created crawler {}", name);
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode updateCrawler(GlueRequest request) {
        String name = request.requiredName("Name");
        ObjectNode changes = definition(request, false);
        ctx.tx(c -> {
            CrawlerRow row = requireCrawler(c, name, true);
            if (!row.state().equals(READY)) {
                throw crawlerRunning("Crawler " + name + " is " + row.state() + " and cannot be updated");
            }
            ObjectNode def = row.definition().deepCopy();
            def.setAll(changes);
            CrawlerDefinitions.validate(def);
            update(c, "UPDATE g_crawlers SET definition = ?, updated_at = ?, version_no = version_no + 1 WHERE crawler_name = ?",
                    def.toString(), System.currentTimeMillis(), name);
            return null;
        });
        LOG.info("Glue: updated crawler {}", name);
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode deleteCrawler(GlueRequest request) {
        String name = request.requiredName("Name");
        ctx.tx(c -> {
            CrawlerRow row = requireCrawler(c, name, true);
            if (!row.state().equals(READY)) {
                throw crawlerRunning("Crawler " + name + " is " + row.state() + " and cannot be deleted");
            }
            update(c, "DELETE FROM g_crawls WHERE crawler_name = ?", name);
            CrawlRuns.deleteState(c, name);
            update(c, "DELETE FROM g_crawlers WHERE crawler_name = ?", name);
            return null;
        });
        LOG.info("Glue: deleted crawler {}", name);
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode getCrawler(GlueRequest request) {
        String name = request.requiredName("Name");
        return ctx.tx(c -> {
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            out.set("Crawler", withProgress(c, crawlerJson(c, requireCrawler(c, name, false))));
            return out;
        });
    }

    /** Up to 100 crawlers by name: those that exist, in the order asked, and the names that do not. */
    private ObjectNode batchGetCrawlers(GlueRequest request) {
        List<String> names = request.requiredStrings("CrawlerNames", 0, 100, 1, 255);
        return ctx.tx(c -> {
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            ArrayNode found = out.putArray("Crawlers");
            ArrayNode missing = out.putArray("CrawlersNotFound");
            for (String n : new java.util.LinkedHashSet<>(names)) {
                Optional<CrawlerRow> row = crawler(c, n);
                if (row.isPresent()) {
                    found.add(withProgress(c, crawlerJson(c, row.get())));
                } else {
                    missing.add(n);
                }
            }
            return out;
        });
    }

    private ObjectNode getCrawlers(GlueRequest request) {
        int max = request.integer("MaxResults", 1, 1000).orElse(100);
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetCrawlers");
        return ctx.tx(c -> {
            List<String> page = page(c, max + 1, token);
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            ArrayNode list = out.putArray("Crawlers");
            for (String n : page.subList(0, Math.min(max, page.size()))) {
                Optional<CrawlerRow> row = crawler(c, n);
                if (row.isPresent()) {
                    list.add(withProgress(c, crawlerJson(c, row.get())));
                }
            }
            if (page.size() > max) {
                out.put("NextToken", new PageToken("GetCrawlers", List.of(page.get(max - 1))).encode());
            }
            return out;
        });
    }

    private ObjectNode listCrawlers(GlueRequest request) {
        int max = request.integer("MaxResults", 1, 1000).orElse(100);
        request.stringMap("Tags", 1, 128, 0, 256);
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "ListCrawlers");
        return ctx.tx(c -> {
            List<String> page = page(c, max + 1, token);
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            ArrayNode names = out.putArray("CrawlerNames");
            page.subList(0, Math.min(max, page.size())).forEach(names::add);
            if (page.size() > max) {
                out.put("NextToken", new PageToken("ListCrawlers", List.of(page.get(max - 1))).encode());
            }
            return out;
        });
    }

    private static List<String> page(Connection c, int limit, Optional<PageToken> token) throws SQLException {
        String after = token.map(t -> t.after().get(0)).orElse("");
        List<String> names = query(c, "SELECT crawler_name FROM g_crawlers WHERE crawler_name > ? ORDER BY crawler_name", rs -> rs.getString(1), after);
        return names.size() > limit ? names.subList(0, limit) : names;
    }

    // ---- runs

    private ObjectNode startCrawler(GlueRequest request) {
        runs.start(request.requiredName("Name"));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode stopCrawler(GlueRequest request) {
        runs.stop(request.requiredName("Name"));
        return HiveShapes.JSON.createObjectNode();
    }

    /**
     * Adds {@code MortarProgress} (a Mortar extension of the Crawler shape, which clients that do not know it
     * ignore) to a running crawler: files seen, their bytes and tables found so far, from the latest heartbeat of
     * the worker that holds the run's task.
     */
    private ObjectNode withProgress(Connection c, ObjectNode crawler) throws SQLException {
        if (READY.equals(crawler.path("State").asText())) {
            return crawler;
        }
        runs.progress(c, crawler.path("Name").asText()).ifPresent(p -> {
            ObjectNode out = crawler.putObject("MortarProgress").put("CrawlId", p.crawlId()).put("FilesSeen", p.progress().filesSeen())
                    .put("BytesSeen", p.progress().bytesSeen()).put("TablesFound", p.progress().tablesFound()).put("Attempt", p.attempt());
            p.worker().ifPresent(w -> out.put("Worker", w));
        });
        return crawler;
    }

    private ObjectNode getCrawlerMetrics(GlueRequest request) {
        Optional<List<String>> names = request.strings("CrawlerNameList", 0, 100, 1, 255);
        int max = request.integer("MaxResults", 1, 1000).orElse(100);
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetCrawlerMetrics");
        return ctx.tx(c -> {
            List<String> all = names.isPresent() && !names.get().isEmpty() ? names.get().stream().sorted().distinct().toList() : page(c, Integer.MAX_VALUE, Optional.empty());
            String after = token.map(t -> t.after().get(0)).orElse("");
            List<String> page = all.stream().filter(n -> n.compareTo(after) > 0).limit(max + 1L).toList();
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            ArrayNode list = out.putArray("CrawlerMetricsList");
            for (String n : page.subList(0, Math.min(max, page.size()))) {
                Optional<CrawlerRow> row = crawler(c, n);
                if (row.isEmpty()) {
                    continue;
                }
                List<CrawlRow> crawls = crawls(c, n);
                List<Double> runtimes = crawls.stream().filter(r -> r.endedAt() != null).map(r -> (r.endedAt() - r.startedAt()) / 1000.0).sorted().toList();
                Optional<CrawlRow> last = crawls.stream().filter(r -> r.endedAt() != null).findFirst();
                ObjectNode m = list.addObject().put("CrawlerName", n)
                        .put("TimeLeftSeconds", 0.0)
                        .put("StillEstimating", !row.get().state().equals(READY))
                        .put("LastRuntimeSeconds", last.map(r -> (r.endedAt() - r.startedAt()) / 1000.0).orElse(0.0))
                        .put("MedianRuntimeSeconds", runtimes.isEmpty() ? 0.0 : runtimes.get(runtimes.size() / 2));
                m.put("TablesCreated", last.map(CrawlRow::tablesCreated).orElse(0));
                m.put("TablesUpdated", last.map(CrawlRow::tablesUpdated).orElse(0));
                m.put("TablesDeleted", last.map(r -> r.summary() == null ? 0 : parseSummary(r.summary()).path("TABLE").path("DELETE").path("Count").asInt())
                        .orElse(0));
            }
            if (page.size() > max) {
                out.put("NextToken", new PageToken("GetCrawlerMetrics", List.of(page.get(max - 1))).encode());
            }
            return out;
        });
    }

    private ObjectNode listCrawls(GlueRequest request) {
        String name = request.requiredName("CrawlerName");
        int max = request.integer("MaxResults", 1, 1000).orElse(20);
        List<GlueRequest> filters = request.objects("Filters", 0, Integer.MAX_VALUE).orElse(List.of());
        List<java.util.function.Predicate<CrawlRow>> predicates = new ArrayList<>();
        for (GlueRequest f : filters) {
            String field = f.enumValue("FieldName", List.of("CRAWL_ID", "STATE", "START_TIME", "END_TIME", "DPU_HOUR")).orElse("");
            String op = f.enumValue("FilterOperator", List.of("GT", "GE", "LT", "LE", "EQ", "NE")).orElse("EQ");
            String value = f.string("FieldValue", 0, Integer.MAX_VALUE).orElse("");
            if (!field.equals("CRAWL_ID") && !field.equals("STATE") || !op.equals("EQ") && !op.equals("NE")) {
                throw GlueException.invalidInput("ListCrawls filters on " + field + " with " + op + " are not supported yet; use CRAWL_ID or STATE with EQ or NE");
            }
            boolean eq = op.equals("EQ");
            predicates.add(r -> (field.equals("STATE") ? r.state() : r.id()).equals(value) == eq);
        }
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "ListCrawls");
        return ctx.tx(c -> {
            requireCrawler(c, name, false);
            List<CrawlRow> all = crawls(c, name).stream().filter(r -> predicates.stream().allMatch(p -> p.test(r))).toList();
            int from = token.map(t -> Integer.parseInt(t.after().get(0))).orElse(0);
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            ArrayNode list = out.putArray("Crawls");
            for (CrawlRow r : all.subList(Math.min(from, all.size()), Math.min(all.size(), from + max))) {
                ObjectNode crawl = list.addObject().put("CrawlId", r.id()).put("State", r.state()).put("StartTime", r.startedAt() / 1000.0);
                if (r.endedAt() != null) {
                    crawl.put("EndTime", r.endedAt() / 1000.0);
                }
                if (r.summary() != null) {
                    crawl.put("Summary", r.summary());
                }
                if (r.error() != null) {
                    crawl.put("ErrorMessage", r.error());
                }
                crawl.put("LogGroup", "/aws-glue/crawlers").put("LogStream", name).put("MessagePrefix", r.id()).put("DPUHour", 0.0);
            }
            if (from + max < all.size()) {
                out.put("NextToken", new PageToken("ListCrawls", List.of(String.valueOf(from + max))).encode());
            }
            return out;
        });
    }

    // ---- store and shapes

    private static Optional<CrawlerRow> crawler(Connection c, String name) throws SQLException {
        return queryOne(c, "SELECT crawler_name, definition, crawler_state, created_at, updated_at, version_no FROM g_crawlers WHERE crawler_name = ?",
                rs -> new CrawlerRow(rs.getString(1), parse(rs.getString(2)), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)), name);
    }

    private static CrawlerRow requireCrawler(Connection c, String name, boolean lock) throws SQLException {
        if (lock) {
            queryOne(c, "SELECT crawler_name FROM g_crawlers WHERE crawler_name = ? FOR UPDATE", rs -> rs.getString(1), name);
        }
        return crawler(c, name).orElseThrow(() -> GlueException.entityNotFound("Crawler entry with name " + name + " does not exist"));
    }

    /** The crawler's runs, newest first. */
    private static List<CrawlRow> crawls(Connection c, String name) throws SQLException {
        return query(c, "SELECT crawl_id, crawler_name, crawl_state, started_at, ended_at, tables_created, tables_updated, partitions_added, files_read, "
                        + "summary, error_message FROM g_crawls WHERE crawler_name = ? ORDER BY started_at DESC, crawl_id",
                rs -> {
                    long ended = rs.getLong(5);
                    Long endedAt = rs.wasNull() ? null : ended;
                    return new CrawlRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), endedAt, rs.getInt(6), rs.getInt(7),
                            rs.getInt(8), rs.getInt(9), rs.getString(10), rs.getString(11));
                }, name);
    }

    private static com.fasterxml.jackson.databind.JsonNode parseSummary(String json) {
        try {
            return HiveShapes.JSON.readTree(json);
        } catch (java.io.IOException e) {
            return HiveShapes.JSON.createObjectNode();
        }
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) HiveShapes.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw GlueException.internal("Stored crawler definition is not JSON: " + e.getMessage());
        }
    }

    private static ObjectNode crawlerJson(Connection c, CrawlerRow row) throws SQLException {
        ObjectNode out = HiveShapes.JSON.createObjectNode().put("Name", row.name());
        out.setAll(row.definition());
        if (out.has("Schedule")) {
            // CreateCrawler takes the cron expression; the Crawler shape wraps it. Schedules are kept, not yet run.
            String expression = out.get("Schedule").asText();
            out.putObject("Schedule").put("ScheduleExpression", expression).put("State", "NOT_SCHEDULED");
        }
        if (!out.has("SchemaChangePolicy")) {
            out.putObject("SchemaChangePolicy").put("UpdateBehavior", "UPDATE_IN_DATABASE").put("DeleteBehavior", "DEPRECATE_IN_DATABASE");
        }
        if (!out.has("RecrawlPolicy")) {
            out.putObject("RecrawlPolicy").put("RecrawlBehavior", "CRAWL_EVERYTHING");
        }
        if (!out.has("LineageConfiguration")) {
            out.putObject("LineageConfiguration").put("CrawlerLineageSettings", "DISABLE");
        }
        if (!out.has("Classifiers")) {
            out.putArray("Classifiers");
        }
        out.put("State", row.state());
        out.put("CreationTime", row.createdAt() / 1000.0);
        out.put("LastUpdated", row.updatedAt() / 1000.0);
        out.put("Version", row.version());
        List<CrawlRow> crawls = crawls(c, row.name());
        if (!crawls.isEmpty() && crawls.get(0).endedAt() == null) {
            out.put("CrawlElapsedTime", System.currentTimeMillis() - crawls.get(0).startedAt());
        }
        crawls.stream().filter(r -> r.endedAt() != null).findFirst().ifPresent(last -> {
            ObjectNode lc = out.putObject("LastCrawl");
            lc.put("Status", switch (last.state()) {
                case "COMPLETED" -> "SUCCEEDED";
                case "STOPPED" -> "CANCELLED";
                default -> "FAILED";
            });
            if (last.error() != null) {
                lc.put("ErrorMessage", last.error());
            }
            lc.put("LogGroup", "/aws-glue/crawlers").put("LogStream", row.name()).put("MessagePrefix", last.id()).put("StartTime", last.startedAt() / 1000.0);
        });
        return out;
    }

}
