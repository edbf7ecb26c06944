package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.GlueException;
import software.amazon.awssdk.services.glue.model.SerDeInfo;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.TableInput;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The AWS SDK for Java v2 Glue client pointed at a test server, and shapes tests build on. */
final class GlueClients {
    static final String ACCESS_KEY = "AKIDMORTARTEST";
    static final String SECRET_KEY = "mortar-test-secret";

    private GlueClients() {}

    static URI endpoint(TestServer server) {
        return URI.create("http://127.0.0.1:" + server.server.httpPort());
    }

    static GlueClient client(TestServer server) {
        return client(server, ACCESS_KEY, SECRET_KEY);
    }

    /** As applications build it, with the endpoint override; no retries, so that each call is one request. */
    static GlueClient client(TestServer server, String accessKey, String secretKey) {
        return GlueClient.builder()
                .endpointOverride(endpoint(server))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** The call fails with the service error of this type (the {@code __type} the SDK read) and HTTP status. */
    static GlueException assertGlueError(ThrowingCallable call, String errorCode, int status) {
        GlueException e = catchThrowableOfType(GlueException.class, call);
        assertThat(e).as("expected %s", errorCode).isNotNull();
        assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(errorCode);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.requestId()).isNotBlank();
        return e;
    }

    static GlueException assertGlueError(ThrowingCallable call, String errorCode) {
        return assertGlueError(call, errorCode, 400);
    }

    static Column column(String name, String type) {
        return Column.builder().name(name).type(type).build();
    }

    static StorageDescriptor parquet(String location, List<Column> columns) {
        return StorageDescriptor.builder()
                .columns(columns)
                .location(location)
                .inputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
                .outputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat")
                .serdeInfo(SerDeInfo.builder().serializationLibrary("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")
                        .parameters(Map.of("serialization.format", "1")).build())
                .build();
    }

    /** An external Parquet table, as crawlers and Athena create them. */
    static TableInput.Builder externalTable(String name, String location, List<Column> partitionKeys) {
        return TableInput.builder()
                .name(name)
                .tableType("EXTERNAL_TABLE")
                .parameters(Map.of("classification", "parquet"))
                .storageDescriptor(parquet(location, List.of(column("id", "bigint"), column("name", "string"))))
                .partitionKeys(partitionKeys);
    }
}
