package dev.mortar.metastore.cli;

import dev.mortar.metastore.config.MortarConfig;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** Where the server's Glue API is, and the keys to sign with: the options every client command of the API takes. */
final class ApiOptions {
    @Option(names = "--endpoint", description = "Glue API of the server (default: http://127.0.0.1:<mortar.http.port of the config>)")
    String endpoint;

    @Option(names = "--config", description = "Mortar properties file (default: conf/mortar.properties if present)")
    Path config;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Region in the request signature (default: ${DEFAULT-VALUE})")
    String region;

    @Option(names = "--access-key-id", description = "Sign requests with this key (default: AWS_ACCESS_KEY_ID, or the first of mortar.glue.access.keys)")
    String accessKeyId;

    @Option(names = "--secret-access-key", description = "Secret of --access-key-id (default: AWS_SECRET_ACCESS_KEY)")
    String secretAccessKey;

    GlueApiClient client() {
        MortarConfig.Builder builder = MortarConfig.builder();
        if (this.config != null) {
            builder.requiredPropertiesFile(this.config);
        } else {
            builder.propertiesFile(MortarCli.defaultPropertiesFile());
        }
        MortarConfig config = builder.environment(System.getenv()).build();
        String url = endpoint != null ? endpoint : "http://127.0.0.1:" + config.getInt("mortar.http.port");
        Optional<GlueApiClient.Credentials> credentials = Optional.empty();
        if (accessKeyId != null || secretAccessKey != null) {
            if (accessKeyId == null || secretAccessKey == null) {
                throw new IllegalArgumentException("--access-key-id and --secret-access-key go together");
            }
            credentials = Optional.of(new GlueApiClient.Credentials(accessKeyId, secretAccessKey));
        } else if (System.getenv("AWS_ACCESS_KEY_ID") != null && System.getenv("AWS_SECRET_ACCESS_KEY") != null) {
            credentials = Optional.of(new GlueApiClient.Credentials(System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY")));
        } else if (!config.get("mortar.glue.access.keys").isBlank()) {
            String first = config.get("mortar.glue.access.keys").split(",")[0].trim();
            int colon = first.indexOf(':');
            if (colon > 0) {
                credentials = Optional.of(new GlueApiClient.Credentials(first.substring(0, colon), first.substring(colon + 1)));
            }
        }
        return new GlueApiClient(URI.create(url), region, credentials);
    }
}
