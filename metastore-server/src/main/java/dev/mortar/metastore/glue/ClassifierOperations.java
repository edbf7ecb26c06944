package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.crawler.classify.CsvClassifier;
import dev.mortar.metastore.control.crawl.ClassifierRecord;
import dev.mortar.metastore.control.crawl.ClassifierSpec;
import dev.mortar.metastore.control.crawl.CustomClassifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CreateClassifier, GetClassifier, GetClassifiers, UpdateClassifier, DeleteClassifier: custom classifiers (grok,
 * XML, JSON path, CSV) kept in {@code g_classifiers} ({@code db/control/V0_1__crawler_tables.sql}). A crawler's {@code Classifiers}
 * name them; its runs try them, in that order, before the built-in classifiers.
 */
final class ClassifierOperations {
    static final String GROK = "GrokClassifier";
    static final String XML = "XMLClassifier";
    static final String JSON_PATH = "JsonClassifier";
    static final String CSV = "CsvClassifier";
    private static final List<String> KINDS = List.of(GROK, XML, JSON_PATH, CSV);
    /** The definition members of each kind, as the model names them. */
    private static final Map<String, List<String>> MEMBERS = Map.of(
            GROK, List.of("Classification", "GrokPattern", "CustomPatterns"),
            XML, List.of("Classification", "RowTag"),
            JSON_PATH, List.of("JsonPath"),
            CSV, List.of("Delimiter", "QuoteSymbol", "ContainsHeader", "Header", "DisableValueTrimming", "AllowSingleColumn",
                    "CustomDatatypeConfigured", "CustomDatatypes", "Serde"));

    private final CustomClassifiers classifiers;

    ClassifierOperations(CustomClassifiers classifiers) {
        this.classifiers = classifiers;
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
        classifiers.create(name, spec(kind, definition(kind, given.getValue(), true)));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode updateClassifier(GlueRequest request) {
        Map.Entry<String, GlueRequest> given = onlyKind(request, "UpdateClassifier");
        String kind = given.getKey();
        String name = given.getValue().requiredName("Name");
        ObjectNode changes = definition(kind, given.getValue(), false);
        classifiers.update(name, kind, current -> {
            ObjectNode merged = members(current);
            merged.setAll(changes);
            return spec(kind, merged);
        });
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode deleteClassifier(GlueRequest request) {
        classifiers.delete(request.requiredName("Name"));
        return HiveShapes.JSON.createObjectNode();
    }

    private ObjectNode getClassifier(GlueRequest request) {
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        out.set("Classifier", json(classifiers.get(request.requiredName("Name"))));
        return out;
    }

    private ObjectNode getClassifiers(GlueRequest request) {
        int max = request.integer("MaxResults", 1, 1000).orElse(100);
        Optional<PageToken> token = PageToken.decode(request.string("NextToken", 0, Integer.MAX_VALUE), "GetClassifiers");
        List<ClassifierRecord> rows = classifiers.page(token.map(t -> t.after().get(0)).orElse(""), max + 1);
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ArrayNode list = out.putArray("Classifiers");
        rows.stream().limit(max).forEach(r -> list.add(json(r)));
        if (rows.size() > max) {
            out.put("NextToken", new PageToken("GetClassifiers", List.of(rows.get(max - 1).name())).encode());
        }
        return out;
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

    /** The typed definition of the members of one kind. */
    private static ClassifierSpec spec(String kind, ObjectNode d) {
        return switch (kind) {
            case GROK -> new ClassifierSpec.Grok(d.path("Classification").asText(), d.path("GrokPattern").asText(), text(d, "CustomPatterns"));
            case XML -> new ClassifierSpec.Xml(d.path("Classification").asText(), text(d, "RowTag"));
            case JSON_PATH -> new ClassifierSpec.Json(d.path("JsonPath").asText());
            case CSV -> new ClassifierSpec.Csv(text(d, "Delimiter"), text(d, "QuoteSymbol"), text(d, "ContainsHeader").map(CsvClassifier.HeaderMode::valueOf),
                    strings(d, "Header"), bool(d, "DisableValueTrimming"), bool(d, "AllowSingleColumn"), bool(d, "CustomDatatypeConfigured"),
                    strings(d, "CustomDatatypes"), text(d, "Serde"));
            default -> throw new IllegalStateException(kind);
        };
    }

    /** The members of a typed definition, as the Classifier shape names them. */
    private static ObjectNode members(ClassifierSpec spec) {
        ObjectNode d = HiveShapes.JSON.createObjectNode();
        switch (spec) {
            case ClassifierSpec.Grok g -> {
                d.put("Classification", g.classification()).put("GrokPattern", g.grokPattern());
                g.customPatterns().ifPresent(v -> d.put("CustomPatterns", v));
            }
            case ClassifierSpec.Xml x -> {
                d.put("Classification", x.classification());
                x.rowTag().ifPresent(v -> d.put("RowTag", v));
            }
            case ClassifierSpec.Json j -> d.put("JsonPath", j.jsonPath());
            case ClassifierSpec.Csv c -> {
                c.delimiter().ifPresent(v -> d.put("Delimiter", v));
                c.quoteSymbol().ifPresent(v -> d.put("QuoteSymbol", v));
                c.containsHeader().ifPresent(v -> d.put("ContainsHeader", v.name()));
                c.header().ifPresent(v -> v.forEach(d.putArray("Header")::add));
                c.disableValueTrimming().ifPresent(v -> d.put("DisableValueTrimming", v));
                c.allowSingleColumn().ifPresent(v -> d.put("AllowSingleColumn", v));
                c.customDatatypeConfigured().ifPresent(v -> d.put("CustomDatatypeConfigured", v));
                c.customDatatypes().ifPresent(v -> v.forEach(d.putArray("CustomDatatypes")::add));
                c.serde().ifPresent(v -> d.put("Serde", v));
            }
        }
        return d;
    }

    private static Optional<String> text(JsonNode d, String member) {
        return d.hasNonNull(member) ? Optional.of(d.get(member).asText()) : Optional.empty();
    }

    private static Optional<Boolean> bool(JsonNode d, String member) {
        return d.hasNonNull(member) ? Optional.of(d.get(member).asBoolean()) : Optional.empty();
    }

    private static Optional<List<String>> strings(JsonNode d, String member) {
        if (!d.has(member)) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        d.get(member).forEach(e -> out.add(e.asText()));
        return Optional.of(out);
    }

    /** The {@code Classifier} shape: one member named for the kind, with the name, times and version. */
    private static ObjectNode json(ClassifierRecord row) {
        ObjectNode out = HiveShapes.JSON.createObjectNode();
        ObjectNode body = out.putObject(row.spec().kind());
        body.put("Name", row.name());
        body.setAll(members(row.spec()));
        body.put("CreationTime", row.created().toEpochMilli() / 1000.0);
        body.put("LastUpdated", row.updated().toEpochMilli() / 1000.0);
        body.put("Version", row.version());
        return out;
    }
}
