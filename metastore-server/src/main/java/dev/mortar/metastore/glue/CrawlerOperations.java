package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.control.crawl.CrawlRecord;
import dev.mortar.metastore.control.crawl.CrawlRuns;
import dev.mortar.metastore.control.crawl.CrawlerDefinition;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.DeleteBehavior;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.JdbcTarget;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.LakeFormation;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.RecrawlBehavior;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.S3Target;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.SchemaChangePolicy;
import dev.mortar.metastore.control.crawl.CrawlerDefinition.UpdateBehavior;
import dev.mortar.metastore.control.crawl.CrawlerState;
import dev.mortar.metastore.control.crawl.Crawlers;
import dev.mortar.metastore.control.crawl.Crawlers.CrawlerStatus;
import dev.mortar.metastore.control.schedule.CrawlerSchedules;
import dev.mortar.metastore.hms.HmsContext;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * CreateCrawler, GetCrawler, GetCrawlers, BatchGetCrawlers, ListCrawlers, UpdateCrawler, DeleteCrawler, StartCrawler,
 * StopCrawler, GetCrawlerMetrics, ListCrawls, StartCrawlerSchedule, StopCrawlerSchedule, UpdateCrawlerSchedule: the Glue
 * shapes of the control plane's {@link Crawlers}, {@link CrawlRuns} and {@link CrawlerSchedules}. A schedule is checked as
 * a trigger's is; a crawler given a new schedule is SCHEDULED in the same transaction as its write (a stopped schedule
 * stays stopped when its expression changes). Requests are checked here with the service's limits and mapped to typed definitions; what the
 * control plane refuses comes back as its errors, mapped to Glue's in {@link GlueException#of}.
 */
final class CrawlerOperations {
    /** Target kinds the service has and crawls here do not read. */
    private static final List<String> UNSUPPORTED_TARGETS = List.of("MongoDBTargets", "DynamoDBTargets", "CatalogTargets", "DeltaTargets", "IcebergTargets",
            "HudiTargets");

    private final Crawlers crawlers;
    private final CrawlRuns runs;
    private final CrawlerSchedules schedules;

    CrawlerOperations(Crawlers crawlers, CrawlRuns runs, CrawlerSchedules schedules) {
        this.crawlers = crawlers;
        this.runs = runs;
        this.schedules = schedules;
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
        ops.put("StartCrawlerSchedule", this::startCrawlerSchedule);
        ops.put("StopCrawlerSchedule", this::stopCrawlerSchedule);
        ops.put("UpdateCrawlerSchedule", this::updateCrawlerSchedule);
    }

    // ---- requests to definitions

    /** Checks the members of a Create/UpdateCrawler request with the service's limits. */
    private static void check(GlueRequest request, boolean create) {
        String role = create ? request.requiredString("Role", 0, Integer.MAX_VALUE) : request.string("Role", 0, Integer.MAX_VALUE).orElse(null);
        // The database a crawl writes is created as CreateDatabase creates it: its name is checked now, not when a crawl fails on it.
        request.string("DatabaseName", 0, Integer.MAX_VALUE).filter(n -> !n.isEmpty() && !HmsContext.isValidName(n)).ifPresent(n -> {
            throw GlueException.invalidInput(n + " is not a valid database name");
        });
        request.string("Description", 0, 2048);
        request.string("TablePrefix", 0, 128);
        request.string("Configuration", 0, Integer.MAX_VALUE);
        Optional<GlueRequest> targets = create ? Optional.of(request.requiredObject("Targets")) : request.object("Targets");
        targets.ifPresent(t -> {
            for (String kind : UNSUPPORTED_TARGETS) {
                if (t.json().path(kind).size() > 0) {
                    throw GlueException.invalidInput(kind + " are not supported by this endpoint yet; crawlers take S3Targets (any Hadoop file system path) and JdbcTargets");
                }
            }
            JdbcCrawlTargets.validate(t);
            for (GlueRequest s3 : t.objects("S3Targets", 0, Integer.MAX_VALUE).orElse(List.of())) {
                s3.requiredString("Path", 1, Integer.MAX_VALUE);
            }
        });
        if (role != null && role.isEmpty()) {
            throw GlueException.invalidInput("Role must not be empty");
        }
        CrawlerDefinitions.validateRequest(request);
    }

    /** The definition a request gives: its members where present, the others from {@code base}. */
    private static CrawlerDefinition definition(GlueRequest r, CrawlerDefinition base) {
        Optional<GlueRequest> targets = r.object("Targets");
        List<S3Target> s3 = targets.map(t -> t.objects("S3Targets", 0, Integer.MAX_VALUE).orElse(List.of()).stream().map(CrawlerOperations::s3).toList())
                .orElse(base.s3Targets());
        List<JdbcTarget> jdbc = targets.map(t -> t.objects("JdbcTargets", 0, Integer.MAX_VALUE).orElse(List.of()).stream().map(CrawlerOperations::jdbc).toList())
                .orElse(base.jdbcTargets());
        Optional<SchemaChangePolicy> policy = r.object("SchemaChangePolicy").map(p -> new SchemaChangePolicy(
                p.enumValue("UpdateBehavior", CrawlerDefinitions.UPDATE_BEHAVIORS).map(UpdateBehavior::valueOf),
                p.enumValue("DeleteBehavior", CrawlerDefinitions.DELETE_BEHAVIORS).map(DeleteBehavior::valueOf)));
        Optional<RecrawlBehavior> recrawl = r.object("RecrawlPolicy").flatMap(p -> p.enumValue("RecrawlBehavior", CrawlerDefinitions.RECRAWL_BEHAVIORS))
                .map(RecrawlBehavior::valueOf);
        Optional<LakeFormation> lakeFormation = r.object("LakeFormationConfiguration").map(l -> new LakeFormation(l.bool("UseLakeFormationCredentials"),
                l.string("AccountId", 0, 12)));
        return new CrawlerDefinition(
                r.string("Role", 0, Integer.MAX_VALUE).orElse(base.role()),
                or(r.string("DatabaseName", 0, Integer.MAX_VALUE), base.databaseName()),
                or(r.string("Description", 0, 2048), base.description()),
                s3, jdbc,
                r.has("Schedule") ? schedule(r) : base.schedule(),
                r.strings("Classifiers", 0, Integer.MAX_VALUE, 1, 255).orElse(base.classifiers()),
                or(r.string("TablePrefix", 0, 128), base.tablePrefix()),
                policy.isPresent() ? policy : base.schemaChangePolicy(),
                recrawl.isPresent() || r.has("RecrawlPolicy") ? recrawl : base.recrawlBehavior(),
                r.object("LineageConfiguration").isPresent()
                        ? r.object("LineageConfiguration").flatMap(l -> l.enumValue("CrawlerLineageSettings", List.of("ENABLE", "DISABLE")))
                        : base.lineageSettings(),
                lakeFormation.isPresent() ? lakeFormation : base.lakeFormation(),
                or(r.string("Configuration", 0, Integer.MAX_VALUE), base.configuration()),
                or(r.string("CrawlerSecurityConfiguration", 0, 128), base.securityConfiguration()));
    }

    /** The request's Schedule: a cron expression, or none when it is blank (which removes a schedule). */
    private static Optional<String> schedule(GlueRequest r) {
        return r.string("Schedule", 0, Integer.MAX_VALUE).filter(s -> !s.isBlank());
    }

    /** Checks a Schedule member as a trigger's schedule is checked. */
    private void checkSchedule(GlueRequest r) {
        schedule(r).ifPresent(expression -> {
            try {
                schedules.check(expression);
            } catch (dev.mortar.metastore.control.ControlException e) {
                throw GlueException.invalidInput("Schedule " + expression + ": " + e.getMessage());
            }
        });
    }

    /**
     * After a crawler's write, in its transaction, when its schedule changed from {@code before}: a new schedule is
     * SCHEDULED from now unless the old one was stopped; a removed one is gone.
     */
    private Crawlers.Written scheduleWritten(String name, Optional<String> before) {
        return (c, written) -> {
            if (written.schedule().filter(s -> !s.isBlank()).equals(before.filter(s -> !s.isBlank()))) {
                return;
            }
            boolean stopped = before.filter(s -> !s.isBlank()).isPresent() && schedules.state(name).orElse(CrawlerSchedules.State.NOT_SCHEDULED) == CrawlerSchedules.State.NOT_SCHEDULED;
            if (written.schedule().filter(s -> !s.isBlank()).isEmpty() || !stopped) {
                schedules.scheduleChanged(c, name, written.schedule());
            }
        };
    }

    private static <T> Optional<T> or(Optional<T> given, Optional<T> base) {
        return given.isPresent() ? given : base;
    }

    private static S3Target s3(GlueRequest t) {
        return new S3Target(t.requiredString("Path", 1, Integer.MAX_VALUE), t.strings("Exclusions", 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE).orElse(List.of()),
                t.string("ConnectionName", 0, Integer.MAX_VALUE),
                t.integer("SampleSize", CrawlerDefinitions.SAMPLE_SIZE_MIN, CrawlerDefinitions.SAMPLE_SIZE_MAX).map(OptionalInt::of).orElse(OptionalInt.empty()),
                t.string("EventQueueArn", 0, Integer.MAX_VALUE), t.string("DlqEventQueueArn", 0, Integer.MAX_VALUE));
    }

    private static JdbcTarget jdbc(GlueRequest t) {
        return new JdbcTarget(t.requiredString("ConnectionName", 1, Integer.MAX_VALUE), t.requiredString("Path", 1, Integer.MAX_VALUE),
                t.strings("Exclusions", 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE).orElse(List.of()),
                t.strings("EnableAdditionalMetadata", 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE).orElse(List.of()));
    }

    private static final CrawlerDefinition EMPTY = new CrawlerDefinition("", Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(),
            List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    // ---- operations

    private ObjectNode createCrawler(GlueRequest request) {
        String name = request.requiredName("Name");
        check(request, true);
        checkSchedule(request);
        CrawlerDefinition definition = definition(request, EMPTY);
        crawlers.create(name, definition, request.stringMap("Tags", 1, 128, 0, 256).orElse(Map.of()), scheduleWritten(name, Optional.empty()));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode updateCrawler(GlueRequest request) {
        String name = request.requiredName("Name");
        check(request, false);
        checkSchedule(request);
        List<Optional<String>> before = new ArrayList<>(List.of(Optional.empty()));
        crawlers.update(name, current -> {
            before.set(0, current.schedule());
            return definition(request, current);
        }, (c, written) -> scheduleWritten(name, before.get(0)).written(c, written));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode deleteCrawler(GlueRequest request) {
        crawlers.delete(request.requiredName("Name"));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode getCrawler(GlueRequest request) {
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        out.set("Crawler", crawlerJson(crawlers.status(request.requiredName("Name"))));
        return out;
    }

    /** Up to 100 crawlers by name: those that exist, in the order asked, and the names that do not. */
    private ObjectNode batchGetCrawlers(GlueRequest request) {
        List<String> names = List.copyOf(new LinkedHashSet<>(request.requiredStrings("CrawlerNames", 0, 100, 1, 255)));
        List<CrawlerStatus> found = crawlers.statuses(names);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("Crawlers");
        found.forEach(s -> list.add(crawlerJson(s)));
        ArrayNode missing = out.putArray("CrawlersNotFound");
        names.stream().filter(n -> found.stream().noneMatch(s -> s.crawler().name().equals(n))).forEach(missing::add);
        return out;
    }

    private ObjectNode getCrawlers(GlueRequest request) {
        int max = request.integer("MaxResults", 1, 1000).orElse(100);
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetCrawlers");
        List<String> page = crawlers.names(token.map(t -> t.after().get(0)).orElse(""), max + 1);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("Crawlers");
        crawlers.statuses(page.subList(0, Math.min(max, page.size()))).forEach(s -> list.add(crawlerJson(s)));
        if (page.size() > max) {
            out.put("NextToken", new PageToken("GetCrawlers", List.of(page.get(max - 1))).encode());
        }
        return out;
    }

    private ObjectNode listCrawlers(GlueRequest request) {
        int max = request.integer("MaxResults", 1, 1000).orElse(100);
        Map<String, String> tags = request.stringMap("Tags", 1, 128, 0, 256).orElse(Map.of());
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "ListCrawlers");
        List<String> page = crawlers.names(token.map(t -> t.after().get(0)).orElse(""), max + 1, tags);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode names = out.putArray("CrawlerNames");
        page.subList(0, Math.min(max, page.size())).forEach(names::add);
        if (page.size() > max) {
            out.put("NextToken", new PageToken("ListCrawlers", List.of(page.get(max - 1))).encode());
        }
        return out;
    }

    private ObjectNode startCrawler(GlueRequest request) {
        runs.start(request.requiredName("Name"));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode stopCrawler(GlueRequest request) {
        runs.stop(request.requiredName("Name"));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode getCrawlerMetrics(GlueRequest request) {
        Optional<List<String>> names = request.strings("CrawlerNameList", 0, 100, 1, 255);
        int max = request.integer("MaxResults", 1, 1000).orElse(100);
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetCrawlerMetrics");
        List<String> all = names.isPresent() && !names.get().isEmpty() ? names.get().stream().sorted().distinct().toList() : crawlers.names("", Integer.MAX_VALUE);
        String after = token.map(t -> t.after().get(0)).orElse("");
        List<String> page = all.stream().filter(n -> n.compareTo(after) > 0).limit(max + 1L).toList();
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("CrawlerMetricsList");
        for (CrawlerStatus status : crawlers.statuses(page.subList(0, Math.min(max, page.size())))) {
            String n = status.crawler().name();
            List<CrawlRecord> ended = crawlers.runs(n).stream().filter(r -> r.ended().isPresent()).toList();
            List<Double> runtimes = ended.stream().map(CrawlerOperations::seconds).sorted().toList();
            Optional<CrawlRecord> last = ended.stream().findFirst();
            ObjectNode m = list.addObject().put("CrawlerName", n)
                    .put("TimeLeftSeconds", 0.0)
                    .put("StillEstimating", status.crawler().state() != CrawlerState.READY)
                    .put("LastRuntimeSeconds", last.map(CrawlerOperations::seconds).orElse(0.0))
                    .put("MedianRuntimeSeconds", runtimes.isEmpty() ? 0.0 : runtimes.get(runtimes.size() / 2));
            m.put("TablesCreated", last.map(CrawlRecord::tablesCreated).orElse(0));
            m.put("TablesUpdated", last.map(CrawlRecord::tablesUpdated).orElse(0));
            m.put("TablesDeleted", last.flatMap(CrawlRecord::summary).map(s -> parse(s).path("TABLE").path("DELETE").path("Count").asInt()).orElse(0));
        }
        if (page.size() > max) {
            out.put("NextToken", new PageToken("GetCrawlerMetrics", List.of(page.get(max - 1))).encode());
        }
        return out;
    }

    private static double seconds(CrawlRecord r) {
        return (r.ended().orElseThrow().toEpochMilli() - r.started().toEpochMilli()) / 1000.0;
    }

    private ObjectNode listCrawls(GlueRequest request) {
        String name = request.requiredName("CrawlerName");
        int max = request.integer("MaxResults", 1, 1000).orElse(20);
        List<Predicate<CrawlRecord>> predicates = new ArrayList<>();
        for (GlueRequest f : request.objects("Filters", 0, Integer.MAX_VALUE).orElse(List.of())) {
            predicates.add(crawlFilter(f));
        }
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "ListCrawls");
        List<CrawlRecord> all = crawlers.runs(name).stream().filter(r -> predicates.stream().allMatch(p -> p.test(r))).toList();
        int from = token.map(t -> Integer.parseInt(t.after().get(0))).orElse(0);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("Crawls");
        for (CrawlRecord r : all.subList(Math.min(from, all.size()), Math.min(all.size(), from + max))) {
            ObjectNode crawl = list.addObject().put("CrawlId", r.crawlId()).put("State", r.state().name()).put("StartTime", epochSeconds(r.started()));
            r.ended().ifPresent(e -> crawl.put("EndTime", epochSeconds(e)));
            r.summary().ifPresent(s -> crawl.put("Summary", s));
            r.error().ifPresent(e -> crawl.put("ErrorMessage", e));
            crawl.put("LogGroup", "/aws-glue/crawlers").put("LogStream", name).put("MessagePrefix", r.crawlId()).put("DPUHour", 0.0);
        }
        if (from + max < all.size()) {
            out.put("NextToken", new PageToken("ListCrawls", List.of(String.valueOf(from + max))).encode());
        }
        return out;
    }

    /** The service's ListCrawls filter fields and operators. */
    private static final List<String> CRAWL_FILTER_FIELDS = List.of("CRAWL_ID", "STATE", "START_TIME", "END_TIME", "DPU_HOUR");
    private static final List<String> CRAWL_FILTER_OPERATORS = List.of("GT", "GE", "LT", "LE", "EQ", "NE");

    /**
     * One {@code CrawlsFilter}: all three members are needed; {@code CRAWL_ID} and {@code STATE} take EQ and NE only;
     * {@code START_TIME} and {@code END_TIME} compare instants given as epoch milliseconds (as the service documents
     * them) or ISO-8601; {@code DPU_HOUR} compares numbers. A crawl that has not ended matches no {@code END_TIME} filter.
     */
    private static Predicate<CrawlRecord> crawlFilter(GlueRequest f) {
        Optional<String> field = f.enumValue("FieldName", CRAWL_FILTER_FIELDS);
        Optional<String> operator = f.enumValue("FilterOperator", CRAWL_FILTER_OPERATORS);
        Optional<String> given = f.string("FieldValue", 0, Integer.MAX_VALUE).filter(v -> !v.isEmpty());
        if (field.isEmpty() || operator.isEmpty() || given.isEmpty()) {
            throw GlueException.invalidInput("Invalid Filter Provided: FieldName: " + field.orElse("null") + ", FilterOperator: " + operator.orElse("null")
                    + ", FieldValue: " + given.orElse("null"));
        }
        String op = operator.get();
        String value = given.get();
        return switch (field.get()) {
            case "CRAWL_ID", "STATE" -> {
                if (!op.equals("EQ") && !op.equals("NE")) {
                    throw GlueException.invalidInput("Only EQ or NE operator is allowed for field : " + field.get());
                }
                boolean id = field.get().equals("CRAWL_ID");
                yield r -> (id ? r.crawlId() : r.state().name()).equals(value) == op.equals("EQ");
            }
            case "START_TIME" -> {
                long millis = filterInstant(field.get(), value);
                yield r -> compares(Long.compare(r.started().toEpochMilli(), millis), op);
            }
            case "END_TIME" -> {
                long millis = filterInstant(field.get(), value);
                yield r -> r.ended().isPresent() && compares(Long.compare(r.ended().get().toEpochMilli(), millis), op);
            }
            default -> {
                double dpuHours;
                try {
                    dpuHours = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw GlueException.invalidInput("Invalid FieldValue for field : DPU_HOUR: '" + value + "' is not a number");
                }
                // Crawls here run in the server or its workers, not on DPUs: every crawl reports 0.
                yield r -> compares(Double.compare(0.0, dpuHours), op);
            }
        };
    }

    private static boolean compares(int comparison, String op) {
        return switch (op) {
            case "GT" -> comparison > 0;
            case "GE" -> comparison >= 0;
            case "LT" -> comparison < 0;
            case "LE" -> comparison <= 0;
            case "EQ" -> comparison == 0;
            default -> comparison != 0;
        };
    }

    /** A time filter's value: epoch milliseconds, or an ISO-8601 instant (a date-time without an offset is UTC). */
    private static long filterInstant(String field, String value) {
        String v = value.trim();
        if (v.matches("-?\\d+")) {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                // too large: reported below
            }
        }
        try {
            return java.time.OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (java.time.format.DateTimeParseException notOffset) {
            try {
                return java.time.LocalDateTime.parse(v.replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
            } catch (java.time.format.DateTimeParseException notLocal) {
                throw GlueException.invalidInput("Invalid FieldValue for field : " + field + ": '" + value
                        + "'; expected epoch milliseconds or an ISO-8601 date-time");
            }
        }
    }

    // ---- schedules

    private ObjectNode startCrawlerSchedule(GlueRequest request) {
        schedules.start(request.requiredName("CrawlerName"));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode stopCrawlerSchedule(GlueRequest request) {
        schedules.stop(request.requiredName("CrawlerName"));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode updateCrawlerSchedule(GlueRequest request) {
        String name = request.requiredName("CrawlerName");
        checkSchedule(request);
        Optional<String> schedule = schedule(request);
        Optional<String> before = crawlers.status(name).crawler().definition().schedule().filter(s -> !s.isBlank());
        crawlers.updateSchedule(name, schedule, scheduleWritten(name, before));
        return HiveShapes.JSON.createObjectNode();
    }

    // ---- shapes

    private static double epochSeconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    private static JsonNode parse(String json) {
        try {
            return HiveShapes.JSON.readTree(json);
        } catch (IOException e) {
            return HiveShapes.JSON.createObjectNode();
        }
    }

    /** The Crawler shape: the definition as given with the service's defaults, state, times, version, the last run, and Mortar's progress. */
    private ObjectNode crawlerJson(CrawlerStatus status) {
        CrawlerDefinition d = status.crawler().definition();
        ObjectNode out = HiveShapes.JSON.createObjectNode().put("Name", status.crawler().name()).put("Role", d.role());
        d.databaseName().ifPresent(v -> out.put("DatabaseName", v));
        d.description().ifPresent(v -> out.put("Description", v));
        ObjectNode targets = out.putObject("Targets");
        ArrayNode s3 = targets.putArray("S3Targets");
        for (S3Target t : d.s3Targets()) {
            ObjectNode n = s3.addObject().put("Path", t.path());
            t.exclusions().forEach(n.putArray("Exclusions")::add);
            t.connectionName().ifPresent(v -> n.put("ConnectionName", v));
            t.sampleSize().ifPresent(v -> n.put("SampleSize", v));
            t.eventQueueArn().ifPresent(v -> n.put("EventQueueArn", v));
            t.dlqEventQueueArn().ifPresent(v -> n.put("DlqEventQueueArn", v));
        }
        ArrayNode jdbc = targets.putArray("JdbcTargets");
        for (JdbcTarget t : d.jdbcTargets()) {
            ObjectNode n = jdbc.addObject().put("ConnectionName", t.connectionName()).put("Path", t.path());
            t.exclusions().forEach(n.putArray("Exclusions")::add);
            if (!t.enableAdditionalMetadata().isEmpty()) {
                t.enableAdditionalMetadata().forEach(n.putArray("EnableAdditionalMetadata")::add);
            }
        }
        UNSUPPORTED_TARGETS.forEach(targets::putArray);
        // CreateCrawler takes the cron expression; the Crawler shape wraps it with the schedule's state.
        d.schedule().ifPresent(v -> out.putObject("Schedule").put("ScheduleExpression", v)
                .put("State", schedules.state(status.crawler().name()).orElse(CrawlerSchedules.State.NOT_SCHEDULED).name()));
        d.classifiers().forEach(out.putArray("Classifiers")::add);
        if (!out.has("Classifiers")) {
            out.putArray("Classifiers");
        }
        d.tablePrefix().ifPresent(v -> out.put("TablePrefix", v));
        ObjectNode scp = out.putObject("SchemaChangePolicy");
        Optional<SchemaChangePolicy> policy = d.schemaChangePolicy();
        if (policy.isEmpty()) {
            scp.put("UpdateBehavior", "UPDATE_IN_DATABASE").put("DeleteBehavior", "DEPRECATE_IN_DATABASE");
        } else {
            policy.get().updateBehavior().ifPresent(v -> scp.put("UpdateBehavior", v.name()));
            policy.get().deleteBehavior().ifPresent(v -> scp.put("DeleteBehavior", v.name()));
        }
        out.putObject("RecrawlPolicy").put("RecrawlBehavior", d.recrawlBehavior().orElse(RecrawlBehavior.CRAWL_EVERYTHING).name());
        out.putObject("LineageConfiguration").put("CrawlerLineageSettings", d.lineageSettings().orElse("DISABLE"));
        d.lakeFormation().ifPresent(l -> {
            ObjectNode n = out.putObject("LakeFormationConfiguration");
            l.useLakeFormationCredentials().ifPresent(v -> n.put("UseLakeFormationCredentials", v));
            l.accountId().ifPresent(v -> n.put("AccountId", v));
        });
        d.configuration().ifPresent(v -> out.put("Configuration", v));
        d.securityConfiguration().ifPresent(v -> out.put("CrawlerSecurityConfiguration", v));
        out.put("State", status.crawler().state().name());
        out.put("CreationTime", epochSeconds(status.crawler().created()));
        out.put("LastUpdated", epochSeconds(status.crawler().updated()));
        out.put("Version", status.crawler().version());
        // The service reports 0 for a crawler with no crawl on, and the milliseconds since the open crawl began otherwise.
        out.put("CrawlElapsedTime", status.crawler().state() == CrawlerState.READY ? 0L
                : status.current().map(r -> Math.max(0L, System.currentTimeMillis() - r.started().toEpochMilli())).orElse(0L));
        status.lastEnded().ifPresent(last -> {
            ObjectNode lc = out.putObject("LastCrawl");
            lc.put("Status", switch (last.state()) {
                case COMPLETED -> "SUCCEEDED";
                case STOPPED -> "CANCELLED";
                case FAILED, RUNNING -> "FAILED";
            });
            last.error().ifPresent(e -> lc.put("ErrorMessage", e));
            lc.put("LogGroup", "/aws-glue/crawlers").put("LogStream", status.crawler().name()).put("MessagePrefix", last.crawlId())
                    .put("StartTime", epochSeconds(last.started()));
        });
        // A Mortar extension of the Crawler shape, which clients that do not know it ignore: the open run's progress at its holder's last heartbeat.
        status.progress().ifPresent(p -> {
            ObjectNode mp = out.putObject("MortarProgress").put("CrawlId", p.crawlId()).put("FilesSeen", p.progress().filesSeen())
                    .put("BytesSeen", p.progress().bytesSeen()).put("TablesFound", p.progress().tablesFound()).put("Attempt", p.attempt());
            p.worker().ifPresent(w -> mp.put("Worker", w));
        });
        return out;
    }
}
