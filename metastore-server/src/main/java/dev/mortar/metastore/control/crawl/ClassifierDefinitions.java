package dev.mortar.metastore.control.crawl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortar.crawler.classify.CsvClassifier;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the control store keeps a {@link ClassifierSpec}: its kind ({@code g_classifiers.classifier_kind}) and one JSON
 * document of its members ({@code definition}), under the names classifiers have always been stored with.
 */
final class ClassifierDefinitions {
    static final String GROK = "GrokClassifier";
    static final String XML = "XMLClassifier";
    static final String JSON_PATH = "JsonClassifier";
    static final String CSV = "CsvClassifier";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClassifierDefinitions() {}

    static String write(ClassifierSpec spec) {
        ObjectNode d = JSON.createObjectNode();
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
        return d.toString();
    }

    static ClassifierSpec read(String kind, String document) {
        JsonNode d;
        try {
            d = JSON.readTree(document);
        } catch (IOException e) {
            throw new IllegalStateException("A stored classifier definition is not JSON: " + e.getMessage(), e);
        }
        return switch (kind) {
            case GROK -> new ClassifierSpec.Grok(d.path("Classification").asText(), d.path("GrokPattern").asText(), text(d, "CustomPatterns"));
            case XML -> new ClassifierSpec.Xml(d.path("Classification").asText(), text(d, "RowTag"));
            case JSON_PATH -> new ClassifierSpec.Json(d.path("JsonPath").asText());
            case CSV -> new ClassifierSpec.Csv(text(d, "Delimiter"), text(d, "QuoteSymbol"), text(d, "ContainsHeader").map(CsvClassifier.HeaderMode::valueOf),
                    strings(d, "Header"), bool(d, "DisableValueTrimming"), bool(d, "AllowSingleColumn"), bool(d, "CustomDatatypeConfigured"),
                    strings(d, "CustomDatatypes"), text(d, "Serde"));
            default -> throw new IllegalStateException("Unknown classifier kind " + kind);
        };
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
}
