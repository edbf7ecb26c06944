package dev.mortar.crawler.classify;

import dev.mortar.catalog.Column;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A custom JSON classifier: a JsonPath ({@code $[*]}, {@code $.records[*]}, {@code $.data.items[*]}) selects the
 * records of each JSON document (a file that is one document, or JSON lines, one document a line); the records must
 * be objects, and their fields, merged, are the columns. The table keeps the path as {@code jsonPath}.
 */
public final class JsonPathClassifier implements Classifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.jayway.jsonpath.Configuration PATHS = com.jayway.jsonpath.Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(JSON)).mappingProvider(new JacksonMappingProvider(JSON))
            .options(Option.SUPPRESS_EXCEPTIONS).build();

    private final String name;
    private final String jsonPath;
    private final JsonPath path;

    /** A path JsonPath cannot compile is {@link IllegalArgumentException}. */
    public JsonPathClassifier(String name, String jsonPath) {
        this.name = name;
        this.jsonPath = jsonPath;
        try {
            this.path = JsonPath.compile(jsonPath);
        } catch (InvalidPathException | IllegalArgumentException e) {
            throw new IllegalArgumentException("JsonPath " + jsonPath + " is not valid: " + e.getMessage(), e);
        }
        if (!jsonPath.startsWith("$")) {
            throw new IllegalArgumentException("JsonPath " + jsonPath + " is not valid: it must start at the root, $");
        }
    }

    @Override
    public Optional<Classification> classify(SampledFile file) throws IOException {
        byte[] sample = file.content(SampledFile.JSON_SAMPLE_BYTES);
        String text = new String(sample, StandardCharsets.UTF_8);
        List<JsonNode> documents = new ArrayList<>();
        try {
            JsonNode whole = JSON.readTree(text);
            if (whole == null || whole.isMissingNode()) {
                return Optional.empty();
            }
            documents.add(whole);
        } catch (JsonProcessingException notOneDocument) {
            for (String line : text.split("\\r?\\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    documents.add(JSON.readTree(line));
                } catch (JsonProcessingException e) {
                    return Optional.empty(); // neither one JSON document (within the sample) nor JSON lines
                }
            }
        }
        List<Column> columns = new ArrayList<>();
        int records = 0;
        for (JsonNode document : documents) {
            Object selected = path.read(document, PATHS);
            if (!(selected instanceof JsonNode node) || node.isNull() || node.isMissingNode()) {
                return Optional.empty();
            }
            List<JsonNode> found = new ArrayList<>();
            if (path.isDefinite() && node.isObject()) {
                found.add(node);
            } else if (node.isArray()) {
                node.forEach(found::add);
            } else {
                return Optional.empty();
            }
            for (JsonNode record : found) {
                if (!record.isObject()) {
                    return Optional.empty();
                }
                columns = HiveTypes.mergeColumns(columns, JsonClassifier.fields(record));
                records++;
            }
        }
        if (records == 0) {
            return Optional.empty();
        }
        List<Column> typed = columns.stream().map(c -> new Column(c.name(), c.type().equals(HiveTypes.UNKNOWN) ? "string" : c.type())).toList();
        Compression compression = file.compression();
        String explanation = "custom JSON classifier '" + name + "': " + jsonPath + " selects " + records + " records (all objects) in "
                + documents.size() + (documents.size() == 1 ? " document" : " documents") + "; " + typed.size() + " fields merged across them"
                + (compression == Compression.NONE ? "" : "; " + compression.tableValue() + " compressed, read transparently");
        return Optional.of(new Classification("json", typed, JsonClassifier.SERDE, Map.of("paths", String.join(",", typed.stream().map(Column::name).toList())),
                JsonClassifier.INPUT_FORMAT, JsonClassifier.OUTPUT_FORMAT,
                Map.of("classification", "json", "typeOfData", "file", "compressionType", compression.tableValue(), "jsonPath", jsonPath), explanation));
    }
}
