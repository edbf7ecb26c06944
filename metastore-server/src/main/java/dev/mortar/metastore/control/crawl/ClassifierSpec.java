package dev.mortar.metastore.control.crawl;

import dev.mortar.crawler.classify.CsvClassifier;
import dev.mortar.crawler.classify.CustomClassifier;
import dev.mortar.metastore.control.ControlException;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A custom classifier's definition, by kind (CreateClassifier's GrokClassifier, XMLClassifier, JsonClassifier or
 * CsvClassifier). Members that were not given are empty, so a definition reads back as given; {@link #custom(String)}
 * is the classifier a crawl applies, with the service's defaults.
 */
public sealed interface ClassifierSpec {
    /** The kind as the API and the store name it. */
    String kind();

    record Grok(String classification, String grokPattern, Optional<String> customPatterns) implements ClassifierSpec {
        public Grok {
            Objects.requireNonNull(classification, "classification");
            Objects.requireNonNull(grokPattern, "grokPattern");
        }

        @Override
        public String kind() {
            return ClassifierDefinitions.GROK;
        }
    }

    record Xml(String classification, Optional<String> rowTag) implements ClassifierSpec {
        public Xml {
            Objects.requireNonNull(classification, "classification");
        }

        @Override
        public String kind() {
            return ClassifierDefinitions.XML;
        }
    }

    record Json(String jsonPath) implements ClassifierSpec {
        public Json {
            Objects.requireNonNull(jsonPath, "jsonPath");
        }

        @Override
        public String kind() {
            return ClassifierDefinitions.JSON_PATH;
        }
    }

    record Csv(Optional<String> delimiter, Optional<String> quoteSymbol, Optional<CsvClassifier.HeaderMode> containsHeader, Optional<List<String>> header,
               Optional<Boolean> disableValueTrimming, Optional<Boolean> allowSingleColumn, Optional<Boolean> customDatatypeConfigured,
               Optional<List<String>> customDatatypes, Optional<String> serde) implements ClassifierSpec {
        public Csv {
            header = header.map(List::copyOf);
            customDatatypes = customDatatypes.map(List::copyOf);
        }

        @Override
        public String kind() {
            return ClassifierDefinitions.CSV;
        }
    }

    /** The classifier a crawl applies under {@code name}. */
    default CustomClassifier custom(String name) {
        return switch (this) {
            case Grok g -> new CustomClassifier.Grok(name, g.classification(), g.grokPattern(), g.customPatterns());
            case Xml x -> new CustomClassifier.Xml(name, x.classification(), x.rowTag());
            case Json j -> new CustomClassifier.Json(name, j.jsonPath());
            case Csv c -> new CustomClassifier.Csv(name, c.delimiter().map(s -> s.charAt(0)), c.quoteSymbol().map(s -> s.charAt(0)),
                    c.containsHeader().orElse(CsvClassifier.HeaderMode.UNKNOWN), c.header().orElse(List.of()),
                    // The model documents value trimming as disabled unless said otherwise.
                    c.disableValueTrimming().orElse(true), c.allowSingleColumn().orElse(false),
                    switch (c.serde().orElse("None")) {
                        case "OpenCSVSerDe" -> CsvClassifier.SerdeChoice.OPEN_CSV;
                        case "LazySimpleSerDe" -> CsvClassifier.SerdeChoice.LAZY_SIMPLE;
                        default -> CsvClassifier.SerdeChoice.AUTO;
                    });
        };
    }

    /** Whether a crawl can apply the definition: the grok pattern and JsonPath compile, the CSV symbols differ. XML is kept, and refused by crawls. */
    default void check(String name) {
        if (this instanceof Csv c && c.delimiter().isPresent() && c.delimiter().get().equals(c.quoteSymbol().orElse("\""))) {
            throw new ControlException.InvalidInput("Classifier " + name + ": Delimiter and QuoteSymbol must differ, both are " + c.delimiter().get());
        }
        if (this instanceof Xml) {
            return;
        }
        try {
            custom(name).classifier();
        } catch (IllegalArgumentException e) {
            throw new ControlException.InvalidInput("Classifier " + name + ": " + e.getMessage());
        }
    }
}
