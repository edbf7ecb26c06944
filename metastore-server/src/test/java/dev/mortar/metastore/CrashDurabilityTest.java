package dev.mortar.metastore;

import dev.mortar.testing.TestStores;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import dev.mortar.testing.Await;
import dev.mortar.testing.ServerProcess;
import dev.mortar.testing.ServerProcesses;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionResponse;
import software.amazon.awssdk.services.glue.model.PartitionInput;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a server acknowledged survives kill -9: a real {@code mortar server} process takes batches of
 * partitions from Hive's client (add_partitions, 1,000 each) and from the AWS SDK's Glue client
 * (BatchCreatePartition, 100 each) until it is killed with SIGKILL in the middle of the load; started
 * again on the same store, it holds every batch it acknowledged, and no batch in part.
 */
class CrashDurabilityTest {
    private static final int ROUNDS = 3;
    private static final int HMS_BATCH = 1000;
    private static final int GLUE_BATCH = 100;
    private static final Pattern NAME = Pattern.compile("batch=([a-z]+-\\d+-\\d+)/n=\\d+");

    @RegisterExtension
    final ServerProcesses processes = new ServerProcesses(List.of("-Xmx384m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));

    private static HiveMetaStoreClient hms(ServerProcess server) throws Exception {
        Configuration conf = MetastoreConf.newMetastoreConf();
        MetastoreConf.setVar(conf, MetastoreConf.ConfVars.THRIFT_URIS, "thrift://127.0.0.1:" + server.thriftPort());
        MetastoreConf.setLongVar(conf, MetastoreConf.ConfVars.THRIFT_CONNECTION_RETRIES, 1);
        MetastoreConf.setBoolVar(conf, MetastoreConf.ConfVars.EXECUTE_SET_UGI, false);
        return new HiveMetaStoreClient(conf);
    }

    private static GlueClient glue(ServerProcess server) {
        return GlueClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.httpPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMORTARTEST", "mortar-test-secret")))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void everyAcknowledgedBatchSurvivesKillNine(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-crash-" + kind);
        Map<String, String> store = TestStores.fresh(kind, dir);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Map<String, Integer> sizes = new ConcurrentHashMap<>();

        ServerProcess server = start(dir, store, 0);
        try {
            try (HiveMetaStoreClient hms = hms(server)) {
                hms.createDatabase(Fixtures.database("crash"));
                Table table = Fixtures.table("crash", "events", List.of(new FieldSchema("batch", "string", null), new FieldSchema("n", "int", null)));
                table.setTableType("EXTERNAL_TABLE");
                table.getParameters().put("EXTERNAL", "TRUE");
                table.getSd().setLocation(dir.resolve("lake").toUri().toString());
                hms.createTable(table);
            }
            for (int r = 1; r <= ROUNDS; r++) {
                int round = r;
                int hmsAcked = acknowledged.size();
                load(server, round, sent, acknowledged, sizes);
                assertThat(acknowledged.size()).as("round %d: batches acknowledged before the kill", round).isGreaterThan(hmsAcked);

                server = start(dir, store, round);
                Map<String, Long> stored;
                try (HiveMetaStoreClient hms = hms(server)) {
                    stored = hms.listPartitionNames("crash", "events", (short) -1).stream()
                            .map(name -> {
                                Matcher m = NAME.matcher(name);
                                assertThat(m.matches()).as(name).isTrue();
                                return m.group(1);
                            })
                            .collect(Collectors.groupingBy(b -> b, TreeMap::new, Collectors.counting()));
                }
                Set<String> lost = acknowledged.stream().filter(b -> !stored.containsKey(b)).collect(Collectors.toCollection(java.util.TreeSet::new));
                assertThat(lost).as("round %d on %s: acknowledged batches missing after kill -9 (of %d acknowledged)", round, kind, acknowledged.size()).isEmpty();
                stored.forEach((batch, count) -> {
                    assertThat(sent).as("a stored batch was sent").contains(batch);
                    assertThat(count).as("round %d: partitions of batch %s (no batch in part)", round, batch).isEqualTo((long) sizes.get(batch));
                });
                // A batch in flight at the kill may or may not be there, but then wholly; from now on it counts as stored.
                acknowledged.addAll(stored.keySet());
            }
        } finally {
            server.kill();
        }
    }

    private ServerProcess start(Path dir, Map<String, String> store, int start) throws Exception {
        return processes.start("server-" + start, dir, store);
    }

    /** Batches from both clients until the server is killed, at a random moment 3 to 6 s into the load. */
    private static void load(ServerProcess server, int round, Set<String> sent, Set<String> acknowledged, Map<String, Integer> sizes) throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread hmsLoad = Thread.ofPlatform().name("hms-load").start(() -> {
            try (HiveMetaStoreClient hms = hms(server)) {
                Table table = hms.getTable("crash", "events");
                for (int i = 0; !killed.get(); i++) {
                    String batch = "hms-" + round + "-" + i;
                    List<Partition> partitions = new ArrayList<>(HMS_BATCH);
                    for (int n = 0; n < HMS_BATCH; n++) {
                        partitions.add(Fixtures.partition(table, batch, String.valueOf(n)));
                    }
                    sizes.put(batch, HMS_BATCH);
                    sent.add(batch);
                    hms.add_partitions(partitions);
                    acknowledged.add(batch);
                }
            } catch (Exception e) {
                if (!killed.get()) {
                    failures.add(e);
                }
            }
        });
        Thread glueLoad = Thread.ofPlatform().name("glue-load").start(() -> {
            try (GlueClient glue = glue(server)) {
                for (int i = 0; !killed.get(); i++) {
                    String batch = "glue-" + round + "-" + i;
                    List<PartitionInput> inputs = new ArrayList<>(GLUE_BATCH);
                    for (int n = 0; n < GLUE_BATCH; n++) {
                        inputs.add(PartitionInput.builder().values(batch, String.valueOf(n)).build());
                    }
                    sizes.put(batch, GLUE_BATCH);
                    sent.add(batch);
                    BatchCreatePartitionResponse response = glue.batchCreatePartition(r -> r.databaseName("crash").tableName("events").partitionInputList(inputs));
                    if (response.errors().isEmpty()) {
                        acknowledged.add(batch);
                    } else if (!killed.get()) {
                        failures.add(new AssertionError("BatchCreatePartition failed: " + response.errors()));
                    }
                }
            } catch (RuntimeException e) {
                if (!killed.get()) {
                    failures.add(e);
                }
            }
        });
        // the kill comes at a random moment once the round's load is going (a busy machine may take a while to answer its first batch)
        int before = acknowledged.size();
        Await.untilTrue("the round's first acknowledged batch", Duration.ofMinutes(2), () -> acknowledged.size() > before || !failures.isEmpty());
        Thread.sleep(ThreadLocalRandom.current().nextLong(3000, 6000));
        killed.set(true);
        server.kill();
        hmsLoad.join();
        glueLoad.join();
        assertThat(failures).as("calls that failed before the kill").isEmpty();
    }
}
