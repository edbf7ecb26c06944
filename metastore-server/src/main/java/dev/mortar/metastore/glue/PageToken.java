package dev.mortar.metastore.glue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A {@code NextToken}: the sort key of the last item returned, for the operation that issued it.
 * Listings continue after that key rather than at an offset, so items inserted or deleted between
 * pages never shift the rest: each item present throughout is returned exactly once. Opaque to
 * clients (base64 of a small JSON array).
 */
record PageToken(String operation, List<String> after) {
    private static final ObjectMapper JSON = new ObjectMapper();

    PageToken {
        after = List.copyOf(after);
    }

    String encode() {
        ArrayNode array = JSON.createArrayNode();
        array.add(1);
        array.add(operation);
        after.forEach(array::add);
        String body = array.toString();
        // A checksum makes a mangled token invalid input rather than a cursor somewhere else.
        return Base64.getUrlEncoder().withoutPadding().encodeToString((checksum(body) + ":" + body).getBytes(StandardCharsets.UTF_8));
    }

    private static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    /** The token a client sent back, or empty when it sent none; a token of another operation or a forged one is invalid input. */
    static Optional<PageToken> decode(Optional<String> token, String operation) {
        if (token.isEmpty() || token.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token.get()), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon < 0 || !checksum(text.substring(colon + 1)).equals(text.substring(0, colon))) {
                throw new IllegalArgumentException("checksum mismatch");
            }
            JsonNode array = JSON.readTree(text.substring(colon + 1));
            if (array == null || !array.isArray() || array.size() < 2 || array.get(0).asInt() != 1 || !operation.equals(array.get(1).asText())) {
                throw new IllegalArgumentException("not a " + operation + " token");
            }
            List<String> after = new ArrayList<>();
            for (int i = 2; i < array.size(); i++) {
                after.add(array.get(i).asText());
            }
            return Optional.of(new PageToken(operation, after));
        } catch (Exception e) {
            throw GlueException.invalidInput("Invalid NextToken for " + operation + ": it was not issued by this operation");
        }
    }
}
