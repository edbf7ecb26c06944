package dev.mortar.metastore.glue;

import dev.mortar.metastore.TestServer;
import dev.mortar.metastore.config.MortarConfig;
import dev.mortar.metastore.server.Metrics;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/GLUE-API.md names every Glue operation Mortar serves, and conf/mortar.properties every Glue setting. */
class GlueApiDocTest {
    @Test
    void everyServedOperationAndSettingIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "GLUE-API.md"));
        String conf = Files.readString(Path.of("..", "conf", "mortar.properties"));
        try (TestServer server = TestServer.start()) {
            GlueEndpoint endpoint = GlueEndpoint.create(MortarConfig.defaults(), server.server.context(), server.server.dispatcher().iface(), new Metrics(), server.server.control());
            Set<String> missing = new TreeSet<>();
            for (String operation : endpoint.operations()) {
                if (!doc.contains("| `" + operation + "` |")) {
                    missing.add(operation);
                }
            }
            assertThat(endpoint.operations()).hasSize(102);
            assertThat(missing).as("operations served but not listed in docs/GLUE-API.md").isEmpty();
            for (String key : MortarConfig.DEFAULTS.keySet()) {
                if (key.startsWith("mortar.glue.")) {
                    assertThat(conf).contains("#" + key + "=" + MortarConfig.DEFAULTS.get(key));
                }
            }
            server.deleteData();
        }
    }
}
