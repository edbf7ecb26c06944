package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.crawler.classify.Classifier;
import dev.mortar.crawler.classify.Classifiers;
import dev.mortar.crawler.classify.CsvClassifier;
import dev.mortar.crawler.classify.CustomClassifier;
import dev.mortar.metastore.control.crawl.ClassifierDefinitions;
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
 * CreateClassifier, GetClassifier, GetClassifiers, UpdateClassifier, DeleteClassifier: custom classifiers (grok,
 * XML, JSON path, CSV) kept in {@code g_classifiers} ({@code V4__classifiers.sql}). A crawler's {@code Classifiers}
 * name them; its runs try them, in that order, before the built-in classifiers.
 */
final class ClassifierOperations {
    private static final Logger LOG = LoggerFactory.getLogger(ClassifierOperations.class);
    static final String GROK = ClassifierDefinitions.GROK;
    static final String XML = ClassifierDefinitions.XML;
    static final String JSON_PATH = ClassifierDefinitions.JSON_PATH;
    static final String CSV = ClassifierDefinitions.CSV;
    private static final List<String> KINDS = List.of(GROK, XML, JSON_PATH, CSV);
    /** The definition members of each kind, as the model names them. */
    private static final Map<String, List<String>> MEMBERS = Map.of(
            GROK, List.of("Classification", "GrokPattern", "CustomPatterns"),
            XML, List.of("Classification", "RowTag"),
            JSON_PATH, List.of("JsonPath"),
            CSV, List.of("Delimiter", "QuoteSymbol", "ContainsHeader", "Header", "DisableValueTrimming", "AllowSingleColumn",
                    "CustomDatatypeConfigured", "CustomDatatypes", "Serde"));

    private final GlueContext ctx;

    private record ClassifierRow(String name, String kind, ObjectNode definition, long createdAt, long updatedAt, long version) {}

    ClassifierOperations(GlueContext ctx) {
        this.ctx = ctx;
    }

    void register(Map<String, GlueOperation> ops) {
        ops.put("CreateClassifier", this::createClassifier);
        ops.put("GetClassifier", this::getClassifier);
        ops.put("GetClassifiers", this::getClassifiers);
        ops.put("UpdateClassifier", this::updateClassifier);
        ops.put("DeleteClassifier", this::deleteClassifier);
    }

    // ---- operations

    /** The one classifier member of a Create/UpdateClassifier request, by kind. */
    private static Map.Entry<String, GlueRequest> onlyKind(GlueRequest request, String operation) {
        List<String> present = KINDS.stream().filter(request::has).toList();
        if (present.size() != 1) {
            throw GlueException.invalidInput(operation + " takes exactly one of GrokClassifier, XMLClassifier, JsonClassifier or CsvClassifier"
                    + (present.isEmpty() ? "" : "; got " + String.join(", ", present)));
        }
        String kind = present.get(0);
        return Map.entry(kind, request.requiredObject(kind));
    }

    private ObjectNode createClassifier(GlueRequest request) {
        Map.Entry<String, GlueRequest> given = onlyKind(request, "CreateClassifier");
        String kind = given.getKey();
        String name = given.getValue().requiredName("Name");
        ObjectNode definition = definition(kind, given.getValue(), true);
        check(kind, name, definition);
        long now = System.currentTimeMillis();
        ctx.tx(c -> {
            if (classifier(c, name).isPresent()) {
                throw GlueException.alreadyExists("Classifier with name " + name + " already exists");
            }
            update(c, "INSERT INTO g_classifiers (classifier_name, classifier_kind, definition, created_at, updated_at, version_no) VALUES (?, ?, ?, ?, ?, ?)",
                    name, kind, definition.toString(), now, now, 1L);
            return null;
        });
        LOG.info("Glue: created {} {}", kind, name);
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode updateClassifier(GlueRequest request) {
        Map.Entry<String, GlueRequest> given = onlyKind(request, "UpdateClassifier");
        String kind = given.getKey();
        String name = given.getValue().requiredName("Name");
        ObjectNode changes = definition(kind, given.getValue(), false);
        ctx.tx(c -> {
            queryOne(c, "SELECT classifier_name FROM g_classifiers WHERE classifier_name = ? FOR UPDATE", rs -> rs.getString(1), name);
            ClassifierRow row = require(c, name);
            if (!row.kind().equals(kind)) {
                throw GlueException.invalidInput("Classifier " + name + " is a " + row.kind() + ", not a " + kind + "; delete it and create it anew to change its kind");
            }
            ObjectNode merged = row.definition().deepCopy();
            merged.setAll(changes);
            check(kind, name, merged);
            update(c, "UPDATE g_classifiers SET definition = ?, updated_at = ?, version_no = version_no + 1 WHERE classifier_name = ?",
                    merged.toString(), System.currentTimeMillis(), name);
            return null;
        });
        LOG.info("Glue: updated {} {}", kind, name);
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode deleteClassifier(GlueRequest request) {
        String name = request.requiredName("Name");
        ctx.tx(c -> {
            if (update(c, "DELETE FROM g_classifiers WHERE classifier_name = ?", name) != 1) {
                throw notFound(name);
            }
            return null;
        });
        LOG.info("Glue: deleted classifier {}", name);
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode getClassifier(GlueRequest request) {
        String name = request.requiredName("Name");
        return ctx.tx(c -> {
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            out.set("Classifier", json(require(c, name)));
            return out;
        });
    }

    private ObjectNode getClassifiers(GlueRequest request) {
        int max = request.integer("MaxResults", 1, 1000).orElse(100);
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetClassifiers");
        String after = token.map(t -> t.after().get(0)).orElse("");
        return ctx.tx(c -> {
            List<ClassifierRow> rows = query(c, "SELECT classifier_name, classifier_kind, definition, created_at, updated_at, version_no FROM g_classifiers"
                    + " WHERE classifier_name > ? ORDER BY classifier_name", ClassifierOperations::row, after);
            ObjectNode out = HiveShapes.JSON.createObjectNode();
            ArrayNode list = out.putArray("Classifiers");
            rows.stream().limit(max).forEach(r -> list.add(json(r)));
            if (rows.size() > max) {
                out.put("NextToken", new PageToken("GetClassifiers", List.of(rows.get(max - 1).name())).encode());
            }
            return out;
        });
    }

    // ---- definitions

    /** The definition members of one kind, validated against the model; {@code create} requires what CreateClassifier requires. */
    private static ObjectNode definition(String kind, GlueRequest spec, boolean create) {
        ObjectNode def = HiveShapes.JSON.createObjectNode();
        switch (kind) {
            case GROK -> {
                string(spec, "Classification", 1, Integer.MAX_VALUE, create).ifPresent(v -> def.put("Classification", v));
                string(spec, "GrokPattern", 1, 2048, create).ifPresent(v -> def.put("GrokPattern", v));
                spec.string("CustomPatterns", 0, 16000).ifPresent(v -> def.put("CustomPatterns", v));
            }
            case XML -> {
                string(spec, "Classification", 1, Integer.MAX_VALUE, create).ifPresent(v -> def.put("Classification", v));
                spec.string("RowTag", 0, Integer.MAX_VALUE).ifPresent(v -> def.put("RowTag", v));
            }
            case JSON_PATH -> string(spec, "JsonPath", 1, Integer.MAX_VALUE, create).ifPresent(v -> def.put("JsonPath", v));
            case CSV -> {
                spec.string("Delimiter", 1, 1).ifPresent(v -> def.put("Delimiter", singleCharacter("Delimiter", v)));
                spec.string("QuoteSymbol", 1, 1).ifPresent(v -> def.put("QuoteSymbol", singleCharacter("QuoteSymbol", v)));
                spec.enumValue("ContainsHeader", List.of("UNKNOWN", "PRESENT", "ABSENT")).ifPresent(v -> def.put("ContainsHeader", v));
                spec.strings("Header", 0, Integer.MAX_VALUE, 1, 255).ifPresent(v -> v.forEach(def.putArray("Header")::add));
                spec.bool("DisableValueTrimming").ifPresent(v -> def.put("DisableValueTrimming", v));
                spec.bool("AllowSingleColumn").ifPresent(v -> def.put("AllowSingleColumn", v));
                spec.bool("CustomDatatypeConfigured").ifPresent(v -> def.put("CustomDatatypeConfigured", v));
                spec.strings("CustomDatatypes", 0, Integer.MAX_VALUE, 1, 255).ifPresent(v -> v.forEach(def.putArray("CustomDatatypes")::add));
                spec.enumValue("Serde", List.of("OpenCSVSerDe", "LazySimpleSerDe", "None")).ifPresent(v -> def.put("Serde", v));
            }
            default -> throw new IllegalStateException(kind);
        }
        return def;
    }

    /** A string member, required when {@code required} (CreateClassifier's required members are optional in UpdateClassifier). */
    private static Optional<String> string(GlueRequest spec, String member, int min, int max, boolean required) {
        return required ? Optional.of(spec.requiredString(member, min, max)) : spec.string(member, min, max);
    }

    private static String singleCharacter(String member, String value) {
        if (value.equals("\r") || value.equals("\n")) {
            throw GlueException.invalidInput(member + " must not be a line break");
        }
        return value;
    }

    /** Whether a complete definition can be applied: the grok pattern and JsonPath compile, the CSV symbols differ. */
    private static void check(String kind, String name, ObjectNode definition) {
        if (kind.equals(CSV) && definition.hasNonNull("Delimiter") && definition.path("Delimiter").asText().equals(definition.path("QuoteSymbol").asText("\""))) {
            throw GlueException.invalidInput("Classifier " + name + ": Delimiter and QuoteSymbol must differ, both are " + definition.path("Delimiter").asText());
        }
        CustomClassifier custom = custom(kind, name, definition);
        if (custom instanceof CustomClassifier.Xml) {
            return; // kept, and refused when a crawl would use it
        }
        try {
            custom.classifier();
        } catch (IllegalArgumentException e) {
            throw GlueException.invalidInput("Classifier " + name + ": " + e.getMessage());
        }
    }

    static CustomClassifier custom(String kind, String name, JsonNode d) {
        return ClassifierDefinitions.custom(kind, name, d);
    }

    // ---- store and shapes

    private static ClassifierRow row(java.sql.ResultSet rs) throws SQLException {
        return new ClassifierRow(rs.getString(1), rs.getString(2), GlueStore.json(rs.getString(3)), rs.getLong(4), rs.getLong(5), rs.getLong(6));
    }

    private static Optional<ClassifierRow> classifier(Connection c, String name) throws SQLException {
        return queryOne(c, "SELECT classifier_name, classifier_kind, definition, created_at, updated_at, version_no FROM g_classifiers WHERE classifier_name = ?",
                ClassifierOperations::row, name);
    }

    private static ClassifierRow require(Connection c, String name) throws SQLException {
        return classifier(c, name).orElseThrow(() -> notFound(name));
    }

    private static GlueException notFound(String name) {
        return GlueException.entityNotFound("Classifier with name " + name + " does not exist");
    }

    /** The {@code Classifier} shape: one member named for the kind, with the name, times and version. */
    private static ObjectNode json(ClassifierRow row) {
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ObjectNode body = out.putObject(row.kind());
        body.put("Name", row.name());
        body.setAll(row.definition());
        body.put("CreationTime", row.createdAt() / 1000.0);
        body.put("LastUpdated", row.updatedAt() / 1000.0);
        body.put("Version", row.version());
        return out;
    }
}
