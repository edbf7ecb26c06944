package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One JSON object of a request (the input shape or a nested structure), read member by member with
 * the constraints of the service model: a member of the wrong JSON type is a
 * {@code SerializationException}, a missing required member or one outside its length or range is a
 * {@code ValidationException} that names its path as the service does ({@code tableInput.name}).
 */
public final class GlueRequest {
    /** The length limit of the model's {@code NameString}. */
    public static final int NAME_MAX = 255;

    private final ObjectNode node;
    private final String path;

    GlueRequest(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    public static GlueRequest of(ObjectNode node) {
        return new GlueRequest(node, "");
    }

    public ObjectNode json() {
        return node;
    }

    public boolean has(String member) {
        JsonNode value = node.get(member);
        return value != null && !value.isNull();
    }

    private String pathOf(String member) {
        String lower = Character.toLowerCase(member.charAt(0)) + member.substring(1);
        return path.isEmpty() ? lower : path + "." + lower;
    }

    private JsonNode value(String member) {
        JsonNode value = node.get(member);
        return value == null || value.isNull() ? null : value;
    }

    private static GlueException notNull(String path) {
        return GlueException.validation("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
    }

    private static GlueException wrongType(String path, String expected) {
        return GlueException.serialization("Unexpected JSON type for '" + path + "': expected " + expected);
    }

    // ---- strings

    public Optional<String> string(String member, int min, int max) {
        JsonNode value = value(member);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(pathOf(member), "a string");
        }
        String text = value.textValue();
        checkLength(pathOf(member), text, min, max);
        return Optional.of(text);
    }

    public String requiredString(String member, int min, int max) {
        return string(member, min, max).orElseThrow(() -> notNull(pathOf(member)));
    }

    /** A {@code NameString}: 1 to 255 characters. */
    public Optional<String> name(String member) {
        return string(member, 1, NAME_MAX);
    }

    public String requiredName(String member) {
        return requiredString(member, 1, NAME_MAX);
    }

    static void checkLength(String path, String text, int min, int max) {
        int length = text.codePointCount(0, text.length());
        if (length > max) {
            throw GlueException.validation("Value '" + text + "' at '" + path + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
        }
        if (length < min) {
            throw GlueException.validation("Value '" + text + "' at '" + path + "' failed to satisfy constraint: Member must have length greater than or equal to " + min);
        }
    }

    /** A string member constrained to the model's enum values. */
    public Optional<String> enumValue(String member, List<String> allowed) {
        Optional<String> value = string(member, 0, Integer.MAX_VALUE);
        if (value.isPresent() && !allowed.contains(value.get())) {
            throw GlueException.validation("Value '" + value.get() + "' at '" + pathOf(member) + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
        }
        return value;
    }

    // ---- numbers and booleans

    public Optional<Integer> integer(String member, int min, int max) {
        JsonNode value = value(member);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongType(pathOf(member), "an integer");
        }
        int n = value.intValue();
        if (n > max) {
            throw GlueException.validation("Value '" + n + "' at '" + pathOf(member) + "' failed to satisfy constraint: Member must have value less than or equal to " + max);
        }
        if (n < min) {
            throw GlueException.validation("Value '" + n + "' at '" + pathOf(member) + "' failed to satisfy constraint: Member must have value greater than or equal to " + min);
        }
        return Optional.of(n);
    }

    public int requiredInteger(String member, int min, int max) {
        return integer(member, min, max).orElseThrow(() -> notNull(pathOf(member)));
    }

    public Optional<Long> longValue(String member, long min) {
        JsonNode value = value(member);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(pathOf(member), "an integer");
        }
        long n = value.longValue();
        if (n < min) {
            throw GlueException.validation("Value '" + n + "' at '" + pathOf(member) + "' failed to satisfy constraint: Member must have value greater than or equal to " + min);
        }
        return Optional.of(n);
    }

    public long requiredLong(String member, long min) {
        return longValue(member, min).orElseThrow(() -> notNull(pathOf(member)));
    }

    public Optional<Double> doubleValue(String member) {
        JsonNode value = value(member);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isNumber()) {
            throw wrongType(pathOf(member), "a number");
        }
        return Optional.of(value.doubleValue());
    }

    public double requiredDouble(String member) {
        return doubleValue(member).orElseThrow(() -> notNull(pathOf(member)));
    }

    public Optional<Boolean> bool(String member) {
        JsonNode value = value(member);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw wrongType(pathOf(member), "a boolean");
        }
        return Optional.of(value.booleanValue());
    }

    /** A timestamp as the JSON 1.1 protocol sends it: epoch seconds, possibly with a fraction. */
    public Optional<Long> epochSeconds(String member) {
        JsonNode value = value(member);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isNumber()) {
            throw wrongType(pathOf(member), "epoch seconds");
        }
        return Optional.of(new BigDecimal(value.asText()).longValue());
    }

    public long requiredEpochSeconds(String member) {
        return epochSeconds(member).orElseThrow(() -> notNull(pathOf(member)));
    }

    /** A blob: base64 text. */
    public byte[] requiredBlob(String member) {
        String text = requiredString(member, 0, Integer.MAX_VALUE);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw GlueException.serialization("'" + pathOf(member) + "' is not base64: " + e.getMessage());
        }
    }

    // ---- structures, lists and maps

    public Optional<GlueRequest> object(String member) {
        JsonNode value = value(member);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw wrongType(pathOf(member), "a structure");
        }
        return Optional.of(new GlueRequest((ObjectNode) value, pathOf(member)));
    }

    public GlueRequest requiredObject(String member) {
        return object(member).orElseThrow(() -> notNull(pathOf(member)));
    }

    private Optional<List<JsonNode>> array(String member, int min, int max) {
        JsonNode value = value(member);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw wrongType(pathOf(member), "a list");
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        if (items.size() > max) {
            throw GlueException.validation("Value '" + abbreviate(value.toString()) + "' at '" + pathOf(member) + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
        }
        if (items.size() < min) {
            throw GlueException.validation("Value '" + abbreviate(value.toString()) + "' at '" + pathOf(member) + "' failed to satisfy constraint: Member must have length greater than or equal to " + min);
        }
        return Optional.of(items);
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    public Optional<List<GlueRequest>> objects(String member, int min, int max) {
        return array(member, min, max).map(items -> {
            List<GlueRequest> result = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                String itemPath = pathOf(member) + "." + (i + 1) + ".member";
                if (!(items.get(i) instanceof ObjectNode object)) {
                    throw wrongType(itemPath, "a structure");
                }
                result.add(new GlueRequest(object, itemPath));
            }
            return result;
        });
    }

    public List<GlueRequest> requiredObjects(String member, int min, int max) {
        return objects(member, min, max).orElseThrow(() -> notNull(pathOf(member)));
    }

    public Optional<List<String>> strings(String member, int min, int max, int itemMin, int itemMax) {
        return array(member, min, max).map(items -> {
            List<String> result = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                String itemPath = pathOf(member) + "." + (i + 1) + ".member";
                JsonNode item = items.get(i);
                if (item == null || item.isNull()) {
                    throw notNull(itemPath);
                }
                if (!item.isTextual()) {
                    throw wrongType(itemPath, "a string");
                }
                checkLength(itemPath, item.textValue(), itemMin, itemMax);
                result.add(item.textValue());
            }
            return result;
        });
    }

    public List<String> requiredStrings(String member, int min, int max, int itemMin, int itemMax) {
        return strings(member, min, max, itemMin, itemMax).orElseThrow(() -> notNull(pathOf(member)));
    }

    /** A {@code ParametersMap}: keys of 1 to 255 characters, values of up to 512,000. */
    public Optional<Map<String, String>> parameters(String member) {
        return stringMap(member, 1, NAME_MAX, 0, 512_000);
    }

    public Optional<Map<String, String>> stringMap(String member, int keyMin, int keyMax, int valueMin, int valueMax) {
        JsonNode value = value(member);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw wrongType(pathOf(member), "a map");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String entryPath = pathOf(member);
            checkLength(entryPath + " (key)", e.getKey(), keyMin, keyMax);
            JsonNode v = e.getValue();
            if (v == null || v.isNull()) {
                // The SDKs drop null map values; a raw client sending one gets the same result.
                continue;
            }
            if (!v.isTextual()) {
                throw wrongType(entryPath + "." + e.getKey(), "a string");
            }
            checkLength(entryPath + "." + e.getKey(), v.textValue(), valueMin, valueMax);
            result.put(e.getKey(), v.textValue());
        }
        return Optional.of(result);
    }
}
