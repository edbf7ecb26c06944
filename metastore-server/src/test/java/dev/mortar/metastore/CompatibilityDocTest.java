package dev.mortar.metastore;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/HMS-COMPATIBILITY.md names every Thrift method Mortar serves. */
class CompatibilityDocTest {
    @Test
    void everyServedMethodIsDocumented() throws Exception {
        Path doc = Path.of("..", "docs", "HMS-COMPATIBILITY.md");
        String text = Files.readString(doc);
        try (TestServer server = TestServer.start()) {
            Set<String> missing = new TreeSet<>();
            for (String method : server.server.dispatcher().implementedMethods()) {
                if (!text.contains("`" + method + "`")) {
                    missing.add(method);
                }
            }
            assertThat(missing).as("methods served but not listed in " + doc).isEmpty();
            server.deleteData();
        }
    }
}
