package dev.mortar.metastore.glue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Checks AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
 * Signature=...}) against the configured access keys, as the service does before running anything:
 * the canonical request over exactly the signed headers, the credential scope, the HMAC key chain, a
 * constant-time comparison and a limit on clock skew. Failures carry the service's error types and
 * HTTP 403.
 */
final class SigV4Verifier {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String SERVICE = "glue";
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** The request as signed: method, raw path and query, headers by lower-case name, body. */
    record SignedRequest(String method, String rawPath, String rawQuery, Function<String, List<String>> headers, byte[] body) {}

    private final Map<String, String> secrets;
    private final Clock clock;

    SigV4Verifier(Map<String, String> secrets, Clock clock) {
        this.secrets = Map.copyOf(secrets);
        this.clock = clock;
    }

    /** Access keys from {@code mortar.glue.access.keys}: {@code AKID:SECRET} pairs separated by commas. */
    static Map<String, String> parseKeys(String setting) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (setting == null || setting.isBlank()) {
            return keys;
        }
        for (String pair : setting.split(",")) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new IllegalArgumentException("Setting mortar.glue.access.keys must be AKID:SECRET pairs separated by commas; '"
                        + trimmed.substring(0, Math.min(4, trimmed.length())) + "...' is not");
            }
            keys.put(trimmed.substring(0, colon).trim(), trimmed.substring(colon + 1).trim());
        }
        return keys;
    }

    boolean enabled() {
        return !secrets.isEmpty();
    }

    /** Returns the access key that signed the request, or throws the service's authentication error. */
    String verify(SignedRequest request) {
        String authorization = first(request, "authorization");
        if (authorization == null) {
            throw denied("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        if (!authorization.startsWith(ALGORITHM + " ")) {
            throw denied("IncompleteSignatureException", "Unsupported authorization type: only " + ALGORITHM + " is accepted");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length()).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            throw denied("IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=" + ALGORITHM);
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            throw denied("IncompleteSignatureException", "Credential should be scoped to a valid region and service: " + credential.substring(credential.indexOf('/') + 1));
        }
        String accessKey = scope[0];
        String secret = secrets.get(accessKey);
        if (secret == null) {
            throw denied("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (!SERVICE.equals(scope[3])) {
            throw denied("InvalidSignatureException", "Credential should be scoped to correct service: '" + SERVICE + "'.");
        }
        String amzDate = first(request, "x-amz-date");
        if (amzDate == null) {
            throw denied("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            throw denied("IncompleteSignatureException", "X-Amz-Date '" + amzDate + "' is not in the form yyyyMMdd'T'HHmmss'Z'");
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(MAX_SKEW)) || signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw denied("InvalidSignatureException", "Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW))
                    + " (" + AMZ_DATE.format(now) + " - 5 min.)");
        }
        if (!amzDate.startsWith(scope[1])) {
            throw denied("InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + scope[1] + "' != '" + amzDate.substring(0, 8) + "'");
        }
        List<String> headerNames = List.of(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
        if (!headerNames.contains("host")) {
            throw denied("InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
        String bodyHash = hex(sha256(request.body()));
        String canonical = request.method() + "\n"
                + canonicalPath(request.rawPath()) + "\n"
                + canonicalQuery(request.rawQuery()) + "\n"
                + canonicalHeaders(request, headerNames) + "\n"
                + String.join(";", headerNames) + "\n"
                + bodyHash;
        String credentialScope = scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + credentialScope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, "aws4_request");
        byte[] expected = hex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw denied("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }
        return accessKey;
    }

    private static GlueException denied(String type, String message) {
        return new GlueException(type, 403, message);
    }

    private static String first(SignedRequest request, String header) {
        List<String> values = request.headers().apply(header);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String canonicalHeaders(SignedRequest request, List<String> names) {
        StringBuilder result = new StringBuilder();
        for (String name : names) {
            List<String> values = request.headers().apply(name);
            if (values == null) {
                throw denied("InvalidSignatureException", "Signed header '" + name + "' is missing from the request");
            }
            List<String> trimmed = new ArrayList<>();
            for (String v : values) {
                trimmed.add(v.trim().replaceAll("\\s+", " "));
            }
            result.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        return result.toString();
    }

    /** Each path segment URI-encoded once more, as signers of services other than S3 do. */
    static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder result = new StringBuilder();
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            result.append(c == '/' ? "/" : encode(String.valueOf(c)));
        }
        return result.toString();
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(encode(name), k -> new ArrayList<>()).add(encode(value));
        }
        List<String> result = new ArrayList<>();
        params.forEach((name, values) -> values.stream().sorted().forEach(v -> result.add(name + "=" + v)));
        return String.join("&", result);
    }

    /** RFC 3986 encoding of everything but the unreserved characters. */
    static String encode(String text) {
        StringBuilder result = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                result.append(c);
            } else {
                result.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return result.toString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
