package dev.mortar.metastore;

import dev.mortar.testing.TestStores;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.RuntimeStat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hive's runtime statistics through HiveMetaStoreClient on every store: kept with the server's create time, read newest
 * first until their weights reach the asked maximum, and before a create time; a statistic without a payload changes nothing.
 */
class RuntimeStatsTest {
    private static RuntimeStat stat(int weight) {
        byte[] payload = new byte[weight];
        Arrays.fill(payload, (byte) 'x');
        RuntimeStat stat = new RuntimeStat();
        stat.setWeight(weight);
        stat.setPayload(payload);
        return stat;
    }

    private static List<Integer> weights(List<RuntimeStat> stats) {
        return stats.stream().map(RuntimeStat::getWeight).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void keptAndReadByWeightAndTime(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-runtime-stats-" + kind);
        Map<String, String> store = kind.equals("h2") ? Map.of() : TestStores.fresh(kind, dir);
        try (TestServer server = TestServer.start(dir, store)) {
            HiveMetaStoreClient client = server.client();
            assertThat(client.getRuntimeStats(-1, -1)).isEmpty();
            for (int w = 1; w <= 4; w++) {
                client.addRuntimeStat(stat(w));
            }
            List<RuntimeStat> all = client.getRuntimeStats(-1, -1);
            assertThat(weights(all)).containsExactly(4, 3, 2, 1);
            assertThat(all.getFirst().getPayload()).isEqualTo(stat(4).getPayload());
            assertThat(all).allSatisfy(s -> assertThat(s.getCreateTime()).isPositive());
            // newest first until the weights reach the maximum, the one that reaches it included
            assertThat(weights(client.getRuntimeStats(3, -1))).containsExactly(4);
            assertThat(weights(client.getRuntimeStats(5, -1))).containsExactly(4, 3);
            // only those created before the given time
            int newest = all.getFirst().getCreateTime();
            assertThat(weights(client.getRuntimeStats(-1, newest + 1))).containsExactly(4, 3, 2, 1);
            assertThat(client.getRuntimeStats(-1, all.getLast().getCreateTime())).isEmpty();

            // a statistic without its payload (the client refuses it half-sent): nothing kept, and the server goes on serving
            RuntimeStat empty = new RuntimeStat();
            empty.setWeight(1);
            assertThatThrownBy(() -> client.addRuntimeStat(empty)).isInstanceOf(org.apache.thrift.TException.class);
            client.close();
            HiveMetaStoreClient again = server.client();
            assertThat(again.getRuntimeStats(-1, -1)).hasSize(4);
            again.close();
            server.deleteData();
        }
    }
}
