package dev.mortar.metastore.gateway;

import dev.mortar.metastore.config.MortarConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** conf/mortar.properties documents every gateway setting with its default, and docs/QUERY-GATEWAY.md names it. */
class GatewayDocTest {
    @Test
    void everyGatewaySettingIsDocumented() throws Exception {
        String conf = Files.readString(Path.of("..", "conf", "mortar.properties"));
        String doc = Files.readString(Path.of("..", "docs", "QUERY-GATEWAY.md"));
        long keys = MortarConfig.DEFAULTS.entrySet().stream().filter(e -> e.getKey().startsWith("mortar.gateway.")).peek(e -> {
            assertThat(conf).contains("#" + e.getKey() + "=" + e.getValue());
            assertThat(doc).contains(e.getKey());
        }).count();
        assertThat(keys).isGreaterThan(10);
    }
}
