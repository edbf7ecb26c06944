package dev.mortar.thrift;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The committed Java is what generate.sh makes from the IDL now (bin/mortar-test installs the compiler, so CI always checks). */
class ThriftIdlCurrentTest {
    @Test
    void generatedJavaMatchesTheIdl(@TempDir Path out) throws Exception {
        assumeTrue(compilerInstalled(), "the Thrift compiler (thrift-compiler) is not installed; bin/mortar-test installs it");
        Process p = new ProcessBuilder("bash", "generate.sh", out.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(files(out)).as("src/main/java is stale: run thrift-idl/generate.sh and commit the result")
                .isEqualTo(files(Path.of("src/main/java")));
    }

    private static boolean compilerInstalled() {
        try {
            return new ProcessBuilder("thrift", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root.resolve("dev/mortar/thrift"))) {
            for (Path f : paths.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(f).toString(), Files.readString(f));
            }
        }
        return files;
    }
}
