package dev.mortar.metastore;

import dev.mortar.metastore.config.MortarConfig;
import dev.mortar.metastore.server.MortarServer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A Mortar server on ephemeral ports with its own data directory, for tests. */
public final class TestServer implements AutoCloseable {
    public final Path dataDir;
    public final MortarServer server;

    private TestServer(Path dataDir, MortarServer server) {
        this.dataDir = dataDir;
        this.server = server;
    }

    public static TestServer start() throws Exception {
        return start(Map.of());
    }

    public static TestServer start(Map<String, String> settings) throws Exception {
        Path dir = Files.createTempDirectory("mortar-test");
        return start(dir, settings);
    }

    public static TestServer start(Path dir, Map<String, String> settings) throws Exception {
        MortarConfig.Builder builder = MortarConfig.builder()
                .set("mortar.data.dir", dir.toString())
                .set("mortar.thrift.port", "0")
                .set("mortar.http.port", "0")
                .set("mortar.gateway.port", "0")
                .set("mortar.gateway.http.port", "0")
                .set("mortar.bind.host", "127.0.0.1");
        settings.forEach(builder::set);
        return new TestServer(dir, new MortarServer(builder.build(), null).start());
    }

    public String uri() {
        return "thrift://127.0.0.1:" + server.thriftPort();
    }

    public Path warehouse() {
        return dataDir.resolve("warehouse");
    }

    /** The real Hive 4 client, as engines use it. */
    public HiveMetaStoreClient client() throws Exception {
        Configuration conf = MetastoreConf.newMetastoreConf();
        MetastoreConf.setVar(conf, MetastoreConf.ConfVars.THRIFT_URIS, uri());
        MetastoreConf.setLongVar(conf, MetastoreConf.ConfVars.THRIFT_CONNECTION_RETRIES, 1);
        MetastoreConf.setBoolVar(conf, MetastoreConf.ConfVars.EXECUTE_SET_UGI, false);
        return new HiveMetaStoreClient(conf);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }

    public void deleteData() throws Exception {
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
