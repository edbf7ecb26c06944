package dev.mortar.metastore.control.crawl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortar.crawler.classify.CsvClassifier;
import dev.mortar.crawler.classify.CustomClassifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A stored custom classifier ({@code g_classifiers}: its kind and definition document) as the classifier a crawl applies. */
public final class ClassifierDefinitions {
    public static final String GROK = "GrokClassifier";
    public static final String XML = "XMLClassifier";
    public static final String JSON_PATH = "JsonClassifier";
    public static final String CSV = "CsvClassifier";

    private ClassifierDefinitions() {}

    public static CustomClassifier custom(String kind, String name, JsonNode d) {
        return switch (kind) {
            case GROK -> new CustomClassifier.Grok(name, d.path("Classification").asText(), d.path("GrokPattern").asText(), text(d, "CustomPatterns"));
            case XML -> new CustomClassifier.Xml(name, d.path("Classification").asText(), text(d, "RowTag"));
            case JSON_PATH -> new CustomClassifier.Json(name, d.path("JsonPath").asText());
            case CSV -> {
                List<String> header = new ArrayList<>();
                d.path("Header").forEach(h -> header.add(h.asText()));
                yield new CustomClassifier.Csv(name, text(d, "Delimiter").map(s -> s.charAt(0)), text(d, "QuoteSymbol").map(s -> s.charAt(0)),
                        CsvClassifier.HeaderMode.valueOf(d.path("ContainsHeader").asText("UNKNOWN")), header,
                        // The model documents value trimming as disabled unless said otherwise.
                        d.path("DisableValueTrimming").asBoolean(true), d.path("AllowSingleColumn").asBoolean(false),
                        switch (d.path("Serde").asText("None")) {
                            case "OpenCSVSerDe" -> CsvClassifier.SerdeChoice.OPEN_CSV;
                            case "LazySimpleSerDe" -> CsvClassifier.SerdeChoice.LAZY_SIMPLE;
                            default -> CsvClassifier.SerdeChoice.AUTO;
                        });
            }
            default -> throw new IllegalStateException("Unknown classifier kind " + kind);
        };
    }

    private static Optional<String> text(JsonNode d, String member) {
        return d.hasNonNull(member) ? Optional.of(d.get(member).asText()) : Optional.empty();
    }
}
