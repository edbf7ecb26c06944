package dev.mortar.crawler.classify;

import dev.mortar.catalog.Column;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * JSON lines: every sampled line is a JSON object. Column types are merged across records; nested
 * objects become structs, arrays arrays of their merged element type.
 */
public final class JsonClassifier implements Classifier {
    public static final String SERDE = "org.openx.data.jsonserde.JsonSerDe";
    public static final String INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat";
    public static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Optional<Classification> classify(SampledFile file) throws IOException {
        byte[] sample = file.content(SampledFile.JSON_SAMPLE_BYTES);
        boolean truncated = sample.length == SampledFile.JSON_SAMPLE_BYTES;
        String[] lines = new String(sample, StandardCharsets.UTF_8).split("\r?\n");
        List<Column> columns = new ArrayList<>();
        int records = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                if (truncated && i == lines.length - 1) {
                    break; // the sample cut the last record
                }
                return Optional.empty();
            }
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            columns = HiveTypes.mergeColumns(columns, fields(node));
            records++;
        }
        if (records == 0) {
            return Optional.empty();
        }
        List<Column> typed = columns.stream().map(c -> new Column(c.name(), c.type().equals(HiveTypes.UNKNOWN) ? "string" : c.type())).toList();
        Compression compression = file.compression();
        String explanation = "json: every one of the " + records + " sampled lines is a JSON object; " + typed.size() + " fields merged across them"
                + (compression == Compression.NONE ? "" : " (" + compression.tableValue() + " compressed, read transparently)");
        return Optional.of(new Classification("json", typed, SERDE, Map.of("paths", String.join(",", typed.stream().map(Column::name).toList())),
                INPUT_FORMAT, OUTPUT_FORMAT, Map.of("classification", "json", "typeOfData", "file", "compressionType", compression.tableValue()), explanation));
    }

    static List<Column> fields(JsonNode object) {
        List<Column> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            var e = it.next();
            String type = type(e.getValue());
            // A field only ever null stays untyped until a record gives it a type (string if none does).
            fields.add(new Column(e.getKey().toLowerCase(Locale.ROOT), type == null ? HiveTypes.UNKNOWN : type));
        }
        return fields;
    }


    static String type(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? "bigint" : "decimal(38,0)";
        }
        if (value.isNumber()) {
            return "double";
        }
        if (value.isObject()) {
            return HiveTypes.struct(fields(value).stream().map(c -> c.type().equals(HiveTypes.UNKNOWN) ? new Column(c.name(), "string") : c).toList());
        }
        if (value.isArray()) {
            String element = null;
            for (JsonNode item : value) {
                element = HiveTypes.merge(element, type(item));
            }
            return "array<" + (element == null ? "string" : element) + ">";
        }
        return "string";
    }
}
