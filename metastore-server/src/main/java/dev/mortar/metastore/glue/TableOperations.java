package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.metastore.store.CatalogExtras.Version;
import dev.mortar.metastore.glue.HiveShapes.Translated;
import dev.mortar.metastore.hms.NamePattern;
import dev.mortar.metastore.store.CatalogExtras;
import dev.mortar.metastore.store.CatalogStore.DbRow;
import dev.mortar.metastore.store.CatalogStore.TableRow;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * CreateTable, GetTable, GetTables, UpdateTable (versions kept, {@code SkipArchive} honoured,
 * {@code VersionId} as a compare-and-swap), DeleteTable, BatchDeleteTable, GetTableVersions,
 * GetTableVersion, DeleteTableVersion, BatchDeleteTableVersion and SearchTables.
 */
final class TableOperations {
    private static final Logger LOG = LoggerFactory.getLogger(TableOperations.class);
    static final int BATCH_DELETE_TABLE_MAX = 100;
    static final int BATCH_DELETE_VERSION_MAX = 100;

    private final GlueContext ctx;
    private final TableVersions versions;

    TableOperations(GlueContext ctx, TableVersions versions) {
        this.ctx = ctx;
        this.versions = versions;
    }

    void register(Map<String, GlueOperation> operations) {
        operations.put("CreateTable", this::createTable);
        operations.put("GetTable", this::getTable);
        operations.put("GetTables", this::getTables);
        operations.put("UpdateTable", this::updateTable);
        operations.put("DeleteTable", this::deleteTable);
        operations.put("BatchDeleteTable", this::batchDeleteTable);
        operations.put("GetTableVersions", this::getTableVersions);
        operations.put("GetTableVersion", this::getTableVersion);
        operations.put("DeleteTableVersion", this::deleteTableVersion);
        operations.put("BatchDeleteTableVersion", this::batchDeleteTableVersion);
        operations.put("SearchTables", this::searchTables);
    }

    /** Members that select Lake Formation transactions or time travel, which this catalog does not have. */
    static void rejectUnsupported(GlueRequest request, String... members) {
        for (String member : members) {
            if (request.has(member)) {
                throw GlueException.invalidInput(member + " is not supported: this catalog has no Lake Formation transactions or table history queries");
            }
        }
    }

    private ObjectNode tableJson(Version v) {
        return HiveShapes.tableJson(v.table(), v.extras(), ctx.catalogId, String.valueOf(v.id()), v.updatedAt());
    }

    // ---- create, read, list

    private ObjectNode createTable(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = GlueContext.lower(request.requiredName("DatabaseName"));
        rejectUnsupported(request, "TransactionId");
        if (request.has("OpenTableFormatInput")) {
            throw GlueException.invalidInput("OpenTableFormatInput is not supported; create Iceberg tables through an Iceberg catalog (GlueCatalog or HiveCatalog)");
        }
        Translated<Table> table = HiveShapes.table(db, request.requiredObject("TableInput"));
        request.name("Name").filter(n -> !n.equalsIgnoreCase(table.hive().getTableName()))
                .ifPresent(n -> {
                    throw GlueException.invalidInput("Name '" + n + "' differs from TableInput.Name '" + table.hive().getTableName() + "'");
                });
        List<CatalogExtras.PartitionIndex> indexes = new ArrayList<>();
        for (GlueRequest index : request.objects("PartitionIndexes", 0, Integer.MAX_VALUE).orElse(List.of())) {
            indexes.add(PartitionOperations.partitionIndex(index, table.hive(), indexes));
        }
        String name = GlueContext.lower(table.hive().getTableName());
        // One transaction: the HMS write and the Glue-only fields commit together or not at all.
        ctx.tx(c -> {
            ctx.requireDatabase(c, db);
            ctx.hmsRun(() -> ctx.hms.create_table(table.hive()));
            TableRow row = ctx.requireTable(c, db, name);
            versions.setCurrentExtras(row.id(), table.extras());
            for (CatalogExtras.PartitionIndex index : indexes) {
                ctx.glue.insertPartitionIndex(c, row.id(), index);
            }
            return null;
        });
        LOG.info("Glue: created table {}.{}", db, name);
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode getTable(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = request.requiredName("DatabaseName");
        String name = request.requiredName("Name");
        rejectUnsupported(request, "TransactionId", "QueryAsOfTime");
        TableRow row = ctx.tx(c -> ctx.requireTable(c, db, name));
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        out.set("Table", tableJson(versions.current(row)));
        return out;
    }

    private ObjectNode getTables(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = request.requiredName("DatabaseName");
        rejectUnsupported(request, "TransactionId", "QueryAsOfTime");
        Predicate<String> matches = nameMatcher(request.string("Expression", 0, 2048).orElse(""));
        int max = request.integer("MaxResults", 1, 100).orElse(100);
        List<String> attributes = request.strings("AttributesToGet", 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE).orElse(List.of());
        if (!attributes.isEmpty() && (!attributes.contains("NAME") || !List.of("NAME", "TABLE_TYPE").containsAll(attributes))) {
            throw GlueException.invalidInput("AttributesToGet must include NAME and may include TABLE_TYPE, not " + attributes);
        }
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetTables");
        String after = token.map(t -> t.after().get(0)).orElse(null);
        record Page(List<TableRow> rows, boolean more) {}
        Page page = ctx.tx(c -> {
            DbRow dbRow = ctx.requireDatabase(c, db);
            List<String> names = new ArrayList<>(ctx.store.listTableNamesAndTypes(c, dbRow.id()).keySet());
            names.sort(null);
            List<String> wanted = new ArrayList<>();
            for (String n : names) {
                if ((after == null || n.compareTo(after) > 0) && matches.test(n)) {
                    wanted.add(n);
                    if (wanted.size() > max) {
                        break;
                    }
                }
            }
            boolean more = wanted.size() > max;
            List<String> pageNames = more ? wanted.subList(0, max) : wanted;
            List<TableRow> rows = new ArrayList<>(ctx.store.getTables(c, dbRow.id(), pageNames));
            rows.sort(Comparator.comparing(r -> r.table().getTableName()));
            return new Page(rows, more);
        });
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("TableList");
        if (attributes.isEmpty()) {
            Map<Long, Version> current = versions.current(page.rows());
            for (TableRow row : page.rows()) {
                list.add(tableJson(current.get(row.id())));
            }
        } else {
            for (TableRow row : page.rows()) {
                ObjectNode t = list.addObject();
                t.put("Name", row.table().getTableName());
                if (attributes.contains("TABLE_TYPE") && row.table().getTableType() != null) {
                    t.put("TableType", row.table().getTableType());
                }
            }
        }
        if (page.more() && !page.rows().isEmpty()) {
            out.put("NextToken", new PageToken("GetTables", List.of(page.rows().get(page.rows().size() - 1).table().getTableName())).encode());
        }
        return out;
    }

    /**
     * GetTables' Expression: a regular expression over table names, matched whole and without regard to
     * case; one that is not a valid regular expression is read as a Hive name pattern ({@code *}, {@code |}).
     */
    static Predicate<String> nameMatcher(String expression) {
        if (expression.isBlank()) {
            return n -> true;
        }
        try {
            Pattern regex = Pattern.compile(expression, Pattern.CASE_INSENSITIVE);
            NamePattern hive = NamePattern.of(expression);
            return n -> regex.matcher(n).matches() || hive.matches(n);
        } catch (PatternSyntaxException e) {
            NamePattern hive = NamePattern.of(expression);
            return hive::matches;
        }
    }

    // ---- update

    private ObjectNode updateTable(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = GlueContext.lower(request.requiredName("DatabaseName"));
        rejectUnsupported(request, "TransactionId", "ViewUpdateAction", "UpdateOpenTableFormatInput");
        Translated<Table> input = HiveShapes.table(db, request.requiredObject("TableInput"));
        String name = GlueContext.lower(request.name("Name").orElse(input.hive().getTableName()));
        if (!GlueContext.lower(input.hive().getTableName()).equals(name)) {
            throw GlueException.invalidInput("Renaming a table is not supported: TableInput.Name '" + input.hive().getTableName() + "' differs from Name '" + name + "'");
        }
        boolean skipArchive = request.bool("SkipArchive").orElse(false);
        Optional<String> expectedVersion = request.string("VersionId", 1, 255);
        TableRow row = ctx.tx(c -> ctx.requireTable(c, db, name));
        long tableId = row.id();
        versions.ensureVersioned(tableId);
        Version written = ctx.withTableLock(tableId, () -> ctx.pairedTx(c -> {
            // The version row lock serializes Glue writers of this table; the HMS write below takes its own connection.
            long head = ctx.glue.currentVersion(c, tableId, true).orElseThrow(() -> GlueException.entityNotFound("Table " + GlueContext.lower(name) + " not found."));
            Version current = ctx.glue.version(c, tableId, head).orElseThrow();
            Table live = ctx.store.getTableById(c, tableId).map(TableRow::table)
                    .orElseThrow(() -> GlueException.entityNotFound("Table " + GlueContext.lower(name) + " not found."));
            boolean changedElsewhere = !current.table().equals(live);
            long effective = changedElsewhere ? head + 1 : head;
            if (expectedVersion.isPresent() && !expectedVersion.get().equals(String.valueOf(effective))) {
                throw GlueException.concurrentModification("Table " + db + "." + name + " was modified: version " + expectedVersion.get()
                        + " is not its current version " + effective + "; read the table again and retry");
            }
            Table updated = input.hive();
            updated.setDbName(db);
            ctx.hmsRun(() -> ctx.hms.alter_table(db, name, updated));
            Table after = ctx.store.getTableById(c, tableId).map(TableRow::table).orElseThrow();
            long now = TableVersions.now();
            if (changedElsewhere && !skipArchive) {
                ctx.glue.insertVersion(c, tableId, new Version(head + 1, live, current.extras(), now));
            }
            if (!changedElsewhere && skipArchive) {
                ctx.glue.deleteVersion(c, tableId, head);
            }
            Version next = new Version(effective + 1, after, input.extras(), now);
            ctx.glue.insertVersion(c, tableId, next);
            ctx.glue.setCurrentVersion(c, tableId, next.id());
            return next;
        }));
        LOG.info("Glue: updated table {}.{} to version {}{}", db, name, written.id(), skipArchive ? " (previous version not archived)" : "");
        return HiveShapes.JSON.createObjectNode();
    }

    // ---- delete

    private ObjectNode deleteTable(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = request.requiredName("DatabaseName");
        String name = request.requiredName("Name");
        rejectUnsupported(request, "TransactionId");
        delete(db, name);
        return HiveShapes.JSON.createObjectNode();
    }

    /** Drops the table's metadata (never its data, as the service) and everything Glue kept about it. */
    private void delete(String db, String name) {
        TableRow row = ctx.tx(c -> ctx.requireTable(c, db, name));
        ctx.tx(c -> {
            ctx.hmsRun(() -> ctx.hms.drop_table(GlueContext.lower(db), GlueContext.lower(name), false /* deleteData */));
            ctx.glue.deleteTable(c, row.id());
            return null;
        });
        LOG.info("Glue: deleted table {}.{}", GlueContext.lower(db), GlueContext.lower(name));
    }

    private ObjectNode batchDeleteTable(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = request.requiredName("DatabaseName");
        rejectUnsupported(request, "TransactionId");
        List<String> names = request.requiredStrings("TablesToDelete", 0, BATCH_DELETE_TABLE_MAX, 1, GlueRequest.NAME_MAX);
        ctx.tx(c -> ctx.requireDatabase(c, db));
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode errors = out.putArray("Errors");
        for (String name : names) {
            try {
                delete(db, name);
            } catch (GlueException e) {
                ObjectNode error = errors.addObject();
                error.put("TableName", name);
                error.putObject("ErrorDetail").put("ErrorCode", e.type()).put("ErrorMessage", e.getMessage());
            }
        }
        return out;
    }

    // ---- versions

    private ObjectNode getTableVersions(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = request.requiredName("DatabaseName");
        String name = request.requiredName("TableName");
        int max = request.integer("MaxResults", 1, 100).orElse(100);
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetTableVersions");
        TableRow row = ctx.tx(c -> ctx.requireTable(c, db, name));
        versions.current(row);
        Optional<Long> before = token.map(t -> Long.parseLong(t.after().get(0)));
        List<Version> kept = versions.list(row.id(), before, max + 1);
        boolean more = kept.size() > max;
        if (more) {
            kept = kept.subList(0, max);
        }
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("TableVersions");
        for (Version v : kept) {
            ObjectNode entry = list.addObject();
            entry.set("Table", tableJson(v));
            entry.put("VersionId", String.valueOf(v.id()));
        }
        if (more) {
            out.put("NextToken", new PageToken("GetTableVersions", List.of(String.valueOf(kept.get(kept.size() - 1).id()))).encode());
        }
        return out;
    }

    private ObjectNode getTableVersion(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = request.requiredName("DatabaseName");
        String name = request.requiredName("TableName");
        Optional<String> versionId = request.string("VersionId", 1, 255);
        TableRow row = ctx.tx(c -> ctx.requireTable(c, db, name));
        Version current = versions.current(row);
        Version v = versionId.isEmpty() ? current : ctx.tx(c -> ctx.glue.version(c, row.id(), versionNumber(versionId.get())))
                .orElseThrow(() -> GlueException.entityNotFound("Version " + versionId.get() + " of table " + GlueContext.lower(db) + "." + GlueContext.lower(name) + " not found."));
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ObjectNode entry = out.putObject("TableVersion");
        entry.set("Table", tableJson(v));
        entry.put("VersionId", String.valueOf(v.id()));
        return out;
    }

    private static long versionNumber(String versionId) {
        try {
            return Long.parseLong(versionId.trim());
        } catch (NumberFormatException e) {
            throw GlueException.invalidInput("VersionId '" + versionId + "' is not a version of this catalog (versions are numbers)");
        }
    }

    private ObjectNode deleteTableVersion(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = request.requiredName("DatabaseName");
        String name = request.requiredName("TableName");
        String versionId = request.requiredString("VersionId", 1, 255);
        TableRow row = ctx.tx(c -> ctx.requireTable(c, db, name));
        versions.current(row);
        deleteVersion(row, db, name, versionId);
        return HiveShapes.JSON.createObjectNode();
    }

    private void deleteVersion(TableRow row, String db, String name, String versionId) {
        long number = versionNumber(versionId);
        ctx.tx(c -> {
            long head = ctx.glue.currentVersion(c, row.id(), true).orElseThrow();
            if (number == head) {
                throw GlueException.invalidInput("Version " + versionId + " is the current version of table " + GlueContext.lower(db) + "." + GlueContext.lower(name) + " and cannot be deleted");
            }
            if (ctx.glue.deleteVersion(c, row.id(), number) == 0) {
                throw GlueException.entityNotFound("Version " + versionId + " of table " + GlueContext.lower(db) + "." + GlueContext.lower(name) + " not found.");
            }
            return null;
        });
    }

    private ObjectNode batchDeleteTableVersion(GlueRequest request) {
        GlueContext.catalogId(request);
        String db = request.requiredName("DatabaseName");
        String name = request.requiredName("TableName");
        List<String> ids = request.requiredStrings("VersionIds", 0, BATCH_DELETE_VERSION_MAX, 1, 255);
        TableRow row = ctx.tx(c -> ctx.requireTable(c, db, name));
        versions.current(row);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode errors = out.putArray("Errors");
        for (String id : ids) {
            try {
                deleteVersion(row, db, name, id);
            } catch (GlueException e) {
                ObjectNode error = errors.addObject();
                error.put("TableName", row.table().getTableName());
                error.put("VersionId", id);
                error.putObject("ErrorDetail").put("ErrorCode", e.type()).put("ErrorMessage", e.getMessage());
            }
        }
        return out;
    }

    // ---- search

    /** One table as search sees it: its fields by the names filters and sorting use. */
    private record Candidate(TableRow row, String db, Map<String, Object> fields) {}

    private static final List<String> TIME_FIELDS = List.of("CreateTime", "UpdateTime", "LastAccessTime");

    private ObjectNode searchTables(GlueRequest request) {
        GlueContext.catalogId(request);
        Optional<String> text = request.string("SearchText", 1, 1024);
        List<GlueRequest> filters = request.objects("Filters", 0, Integer.MAX_VALUE).orElse(List.of());
        List<GlueRequest> sort = request.objects("SortCriteria", 0, 1).orElse(List.of());
        int max = request.integer("MaxResults", 1, 1000).orElse(100);
        Optional<String> shareType = request.enumValue("ResourceShareType", List.of("FOREIGN", "ALL", "FEDERATED"));
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "SearchTables");
        String sortField = sort.isEmpty() ? null : sort.get(0).string("FieldName", 1, 1024).orElse(null);
        boolean descending = !sort.isEmpty() && "DESC".equals(sort.get(0).enumValue("Sort", List.of("ASC", "DESC")).orElse("ASC"));
        List<Predicate<Candidate>> predicates = new ArrayList<>();
        for (GlueRequest f : filters) {
            predicates.add(predicate(f));
        }
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("TableList");
        if (shareType.isPresent() && !shareType.get().equals("ALL")) {
            return out;
        }
        List<Candidate> candidates = ctx.tx(c -> {
            List<Candidate> result = new ArrayList<>();
            List<TableRow> all = new ArrayList<>();
            Map<Long, String> dbNames = new HashMap<>();
            for (String dbName : ctx.store.listDatabaseNames(c, GlueContext.HIVE_CATALOG)) {
                Optional<DbRow> db = ctx.store.getDatabase(c, GlueContext.HIVE_CATALOG, dbName, false);
                if (db.isPresent()) {
                    for (TableRow row : ctx.store.listTables(c, db.get().id())) {
                        all.add(row);
                        dbNames.put(row.id(), dbName);
                    }
                }
            }
            Map<Long, Version> known = all.isEmpty() ? Map.of() : ctx.glue.currentVersions(c, all.stream().map(TableRow::id).toList());
            for (TableRow row : all) {
                Version v = known.get(row.id());
                result.add(new Candidate(row, dbNames.get(row.id()), fields(row, dbNames.get(row.id()), v != null && v.table().equals(row.table()) ? v : null)));
            }
            return result;
        });
        Predicate<Candidate> textMatch = text.map(TableOperations::textMatcher).orElse(x -> true);
        Comparator<Candidate> order = Comparator.comparing((Candidate cand) -> sortKey(cand, sortField), TableOperations::compareValues);
        if (descending) {
            order = order.reversed();
        }
        order = order.thenComparing(Candidate::db).thenComparing(cand -> cand.row().table().getTableName());
        List<Candidate> matching = candidates.stream().filter(textMatch).filter(cand -> predicates.stream().allMatch(p -> p.test(cand))).sorted(order).toList();
        int start = 0;
        if (token.isPresent()) {
            List<String> after = token.get().after();
            Comparator<Candidate> o = order;
            start = matching.size();
            for (int i = 0; i < matching.size(); i++) {
                Candidate cand = matching.get(i);
                if (o.compare(cand, tokenCandidate(after, sortField)) > 0) {
                    start = i;
                    break;
                }
            }
        }
        List<Candidate> page = matching.subList(start, Math.min(matching.size(), start + max));
        Map<Long, Version> current = versions.current(page.stream().map(Candidate::row).toList());
        for (Candidate cand : page) {
            list.add(tableJson(current.get(cand.row().id())));
        }
        if (start + max < matching.size() && !page.isEmpty()) {
            Candidate last = page.get(page.size() - 1);
            Object key = sortKey(last, sortField);
            out.put("NextToken", new PageToken("SearchTables", List.of(key == null ? "" : String.valueOf(key), (key == null ? "n" : key instanceof Long ? "l" : "s"),
                    last.db(), last.row().table().getTableName())).encode());
        }
        return out;
    }

    private static Map<String, Object> fields(TableRow row, String db, Version version) {
        Table t = row.table();
        Map<String, Object> fields = new HashMap<>();
        fields.put("DatabaseName", db);
        fields.put("Name", t.getTableName());
        fields.put("TableName", t.getTableName());
        fields.put("Owner", t.getOwner());
        fields.put("TableType", t.getTableType());
        fields.put("Location", t.getSd() == null ? null : t.getSd().getLocation());
        fields.put("CreateTime", (long) t.getCreateTime());
        fields.put("LastAccessTime", (long) t.getLastAccessTime());
        String ddlTime = t.getParameters() == null ? null : t.getParameters().get("transient_lastDdlTime");
        long updated = version != null ? version.updatedAt() : ddlTime != null && ddlTime.matches("\\d+") ? Long.parseLong(ddlTime) : t.getCreateTime();
        fields.put("UpdateTime", updated);
        if (version != null && version.extras().path("Table").has("Description")) {
            fields.put("Description", version.extras().path("Table").path("Description").asText());
        }
        if (t.getParameters() != null) {
            t.getParameters().forEach((k, v) -> fields.putIfAbsent("parameter:" + k, v));
        }
        return fields;
    }

    private static Object sortKey(Candidate cand, String field) {
        if (field == null) {
            return null;
        }
        Object v = cand.fields().get(field);
        return v != null ? v : cand.fields().get("parameter:" + field);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    private static Candidate tokenCandidate(List<String> after, String sortField) {
        Map<String, Object> fields = new HashMap<>();
        if (sortField != null && !"n".equals(after.get(1))) {
            fields.put(sortField, "l".equals(after.get(1)) ? (Object) Long.parseLong(after.get(0)) : after.get(0));
        }
        Table t = new Table();
        t.setTableName(after.get(3));
        return new Candidate(new TableRow(-1, -1, t), after.get(2), fields);
    }

    /** SearchText: a case-insensitive match in names, description, owner, type, parameter values and columns; in quotes, an exact one. */
    private static Predicate<Candidate> textMatcher(String text) {
        boolean exact = text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"");
        String needle = (exact ? text.substring(1, text.length() - 1) : text).toLowerCase(Locale.ROOT);
        return cand -> {
            List<String> haystack = new ArrayList<>();
            for (String f : List.of("DatabaseName", "Name", "Description", "Owner", "TableType")) {
                Object v = cand.fields().get(f);
                if (v != null) {
                    haystack.add(v.toString());
                }
            }
            Table t = cand.row().table();
            if (t.getParameters() != null) {
                haystack.addAll(t.getParameters().values());
            }
            if (t.getSd() != null && t.getSd().getCols() != null) {
                for (FieldSchema col : t.getSd().getCols()) {
                    haystack.add(col.getName());
                    if (col.getComment() != null) {
                        haystack.add(col.getComment());
                    }
                }
            }
            for (String h : haystack) {
                String value = h.toLowerCase(Locale.ROOT);
                if (exact ? value.equals(needle) : value.contains(needle)) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * A PropertyPredicate. Time fields compare as times (epoch seconds or ISO-8601); other fields match
     * when the value equals the field or one of its tokens (the field split at punctuation), as the
     * service's fuzzy match does; a key that is no field names a table parameter.
     */
    private static Predicate<Candidate> predicate(GlueRequest filter) {
        String key = filter.string("Key", 1, 1024).orElseThrow(() -> GlueException.invalidInput("A search filter needs a Key"));
        String value = filter.string("Value", 1, 1024).orElseThrow(() -> GlueException.invalidInput("A search filter needs a Value"));
        String comparator = filter.enumValue("Comparator", List.of("EQUALS", "GREATER_THAN", "LESS_THAN", "GREATER_THAN_EQUALS", "LESS_THAN_EQUALS")).orElse("EQUALS");
        if (TIME_FIELDS.contains(key)) {
            long bound = epochSeconds(value);
            return cand -> {
                long v = (Long) cand.fields().get(key);
                return switch (comparator) {
                    case "GREATER_THAN" -> v > bound;
                    case "LESS_THAN" -> v < bound;
                    case "GREATER_THAN_EQUALS" -> v >= bound;
                    case "LESS_THAN_EQUALS" -> v <= bound;
                    default -> v == bound;
                };
            };
        }
        return cand -> {
            Object field = cand.fields().containsKey(key) ? cand.fields().get(key) : cand.fields().get("parameter:" + key);
            if (field == null) {
                return false;
            }
            String s = field.toString();
            int cmp = s.compareToIgnoreCase(value);
            return switch (comparator) {
                case "GREATER_THAN" -> cmp > 0;
                case "LESS_THAN" -> cmp < 0;
                case "GREATER_THAN_EQUALS" -> cmp >= 0;
                case "LESS_THAN_EQUALS" -> cmp <= 0;
                default -> cmp == 0 || List.of(s.split("[-:#._/\\s,]+")).stream().anyMatch(tok -> tok.equalsIgnoreCase(value));
            };
        };
    }

    private static long epochSeconds(String value) {
        try {
            return new java.math.BigDecimal(value.trim()).longValue();
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(value.trim()).getEpochSecond();
            } catch (DateTimeParseException e2) {
                throw GlueException.invalidInput("Search filter value '" + value + "' is not a time (epoch seconds or ISO-8601)");
            }
        }
    }
}
