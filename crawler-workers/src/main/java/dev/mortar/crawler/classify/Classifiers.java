package dev.mortar.crawler.classify;

import java.util.ArrayList;
import java.util.List;

/** The ordered classifiers of a crawl: the crawler's custom classifiers in its order, then the built-ins in the service's order. */
public final class Classifiers {
    private Classifiers() {}

    /**
     * The built-in classifiers, in the service's order: Avro, ORC, Parquet, JSON, the combined and common Apache access
     * logs (grok, with RegexSerDe), CSV.
     */
    public static List<Classifier> builtIn() {
        return List.of(new AvroClassifier(), new OrcClassifier(), new ParquetClassifier(), new JsonClassifier(),
                GrokClassifier.builtIn("combined_apache", "%{COMBINEDAPACHELOG}"), GrokClassifier.builtIn("apache", "%{COMMONAPACHELOG}"),
                new CsvClassifier());
    }

    /**
     * The custom classifiers' classifiers followed by the built-ins.
     *
     * @throws CustomClassifier.UnsupportedClassifierException for a custom classifier crawls cannot apply
     * @throws IllegalArgumentException for a definition that does not compile (a grok pattern, a JsonPath)
     */
    public static List<Classifier> forCrawler(List<CustomClassifier> custom) {
        List<Classifier> all = new ArrayList<>();
        for (CustomClassifier c : custom) {
            all.add(c.classifier());
        }
        all.addAll(builtIn());
        return List.copyOf(all);
    }
}
