package dev.mortar.crawler.classify;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A custom classifier as the service defines it ({@code CreateClassifier}): grok, JSON path, CSV or XML. */
public sealed interface CustomClassifier {
    String name();

    /** The classifier that applies this definition; an XML classifier is {@link UnsupportedClassifierException}. */
    Classifier classifier();

    record Grok(String name, String classification, String grokPattern, Optional<String> customPatterns) implements CustomClassifier {
        public Grok {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(classification, "classification");
            Objects.requireNonNull(grokPattern, "grokPattern");
            Objects.requireNonNull(customPatterns, "customPatterns");
        }

        @Override
        public GrokClassifier classifier() {
            return new GrokClassifier(name, classification, grokPattern, customPatterns.orElse(""));
        }
    }

    record Json(String name, String jsonPath) implements CustomClassifier {
        public Json {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(jsonPath, "jsonPath");
        }

        @Override
        public JsonPathClassifier classifier() {
            return new JsonPathClassifier(name, jsonPath);
        }
    }

    /**
     * The service's CSV classifier. {@code CustomDatatypes} are kept by the API but not applied here: columns get the
     * built-in types.
     */
    record Csv(String name, Optional<Character> delimiter, Optional<Character> quoteSymbol, CsvClassifier.HeaderMode containsHeader,
               List<String> header, boolean disableValueTrimming, boolean allowSingleColumn, CsvClassifier.SerdeChoice serde) implements CustomClassifier {
        public Csv {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(delimiter, "delimiter");
            Objects.requireNonNull(quoteSymbol, "quoteSymbol");
            Objects.requireNonNull(containsHeader, "containsHeader");
            header = List.copyOf(header);
            Objects.requireNonNull(serde, "serde");
        }

        @Override
        public CsvClassifier classifier() {
            return new CsvClassifier(new CsvClassifier.Options(Optional.of(name), delimiter, quoteSymbol.orElse('"'), containsHeader, header,
                    !disableValueTrimming, allowSingleColumn, serde));
        }
    }

    /** Kept by the API; crawls refuse it, as no XML reader that Hive ships is there to record for such tables. */
    record Xml(String name, String classification, Optional<String> rowTag) implements CustomClassifier {
        public Xml {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(classification, "classification");
            Objects.requireNonNull(rowTag, "rowTag");
        }

        @Override
        public Classifier classifier() {
            throw new UnsupportedClassifierException("Custom XML classifier " + name + " cannot be used by crawls yet: XML files are not classified"
                    + " (Hive ships no XML SerDe to record for their tables); remove it from the crawler's Classifiers");
        }
    }

    /** A custom classifier that crawls cannot apply. */
    final class UnsupportedClassifierException extends RuntimeException {
        public UnsupportedClassifierException(String message) {
            super(message);
        }
    }
}
