package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.aws.glue.GlueCatalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Iceberg's GlueCatalog (iceberg-aws) with the SDK endpoint pointed at Mortar: four writers append to
 * one table at once, every commit relying on UpdateTable's VersionId compare-and-swap (GlueCatalog's
 * default when no lock manager is configured), and no commit is lost. The table is the one Iceberg's HiveCatalog would see over Thrift.
 */
class GlueIcebergCatalogTest {
    static TestServer server;
    static final int WRITERS = 4;
    static final int APPENDS_PER_WRITER = 6;

    /** Credentials for the SDK client Iceberg builds (named by {@code client.credentials-provider}). */
    public static final class TestCredentials implements AwsCredentialsProvider {
        private TestCredentials() {}

        public static AwsCredentialsProvider create(Map<String, String> properties) {
            return new TestCredentials();
        }

        @Override
        public AwsCredentials resolveCredentials() {
            return AwsBasicCredentials.create(GlueClients.ACCESS_KEY, GlueClients.SECRET_KEY);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("mortar.glue.access.keys", GlueClients.ACCESS_KEY + ":" + GlueClients.SECRET_KEY));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    static GlueCatalog catalog() {
        GlueCatalog catalog = new GlueCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize("glue", Map.of(
                "warehouse", server.dataDir.resolve("iceberg").toUri().toString(),
                "io-impl", "org.apache.iceberg.hadoop.HadoopFileIO",
                "glue.endpoint", GlueClients.endpoint(server).toString(),
                "client.region", "us-east-1",
                "client.credentials-provider", TestCredentials.class.getName()));
        return catalog;
    }

    @Test
    void concurrentAppendsLoseNoCommit() throws Exception {
        Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()), Types.NestedField.optional(2, "ds", Types.StringType.get()));
        PartitionSpec spec = PartitionSpec.builderFor(schema).identity("ds").build();
        TableIdentifier id = TableIdentifier.of("ice", "events");
        try (GlueCatalog catalog = catalog()) {
            catalog.createNamespace(Namespace.of("ice"));
            Table created = catalog.createTable(id, schema, spec, Map.of("commit.retry.num-retries", "100", "commit.retry.min-wait-ms", "10",
                    "commit.retry.max-wait-ms", "200"));
            assertThat(created.currentSnapshot()).isNull();
        }

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                // Each writer is its own catalog, as separate engines or jobs would be.
                try (GlueCatalog own = catalog()) {
                    Table table = own.loadTable(id);
                    for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                        DataFile file = DataFiles.builder(spec).withPath("/data/ice/events/w" + writer + "-" + i + ".parquet")
                                .withFileSizeInBytes(100).withRecordCount(1).withPartitionPath("ds=2024-01-0" + (1 + i % 3)).build();
                        table.newAppend().appendFile(file).commit();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : writers) {
            f.get();
        }
        pool.shutdown();

        try (GlueCatalog catalog = catalog()) {
            Table table = catalog.loadTable(id);
            Set<String> files = new HashSet<>();
            table.newScan().planFiles().forEach(task -> files.add(task.file().location()));
            assertThat(files).hasSize(WRITERS * APPENDS_PER_WRITER);
            List<Snapshot> snapshots = new ArrayList<>();
            table.snapshots().forEach(snapshots::add);
            assertThat(snapshots).hasSize(WRITERS * APPENDS_PER_WRITER);
            assertThat(table.currentSnapshot().summary()).containsEntry("total-data-files", String.valueOf(WRITERS * APPENDS_PER_WRITER));
            String metadataLocation = ((org.apache.iceberg.BaseTable) table).operations().current().metadataFileLocation();

            // The same table through the HMS API, as Iceberg's HiveCatalog and Trino read it.
            try (HiveMetaStoreClient hive = server.client()) {
                var hiveTable = hive.getTable("ice", "events");
                assertThat(hiveTable.getParameters()).containsEntry("table_type", "ICEBERG").containsEntry("metadata_location", metadataLocation);
                assertThat(hiveTable.getTableType()).isEqualTo("EXTERNAL_TABLE");
            }
            assertThat(catalog.listTables(Namespace.of("ice"))).containsExactly(id);
            assertThat(catalog.dropTable(id, false /* purge */)).isTrue();
            assertThat(catalog.tableExists(id)).isFalse();
        }
    }
}
