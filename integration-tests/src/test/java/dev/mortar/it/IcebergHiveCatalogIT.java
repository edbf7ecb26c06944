package dev.mortar.it;

import dev.mortar.it.support.EngineOutput;
import dev.mortar.it.support.EngineProcess;
import dev.mortar.it.support.ItEnvironment;
import dev.mortar.it.support.MortarServer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Iceberg 1.10's HiveCatalog (Hive 2.3.10 metastore client, forked Java 17 JVM) against Mortar:
 * 4 writers each commit 25 one-file appends to the same table at the same time. Mortar's locks
 * and alter_table must serialize the commits so that none is lost and none is applied twice.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IcebergHiveCatalogIT {
    private static final String DB = "iceberg_commits";
    private static final int WRITERS = 4;
    private static final int COMMITS_PER_WRITER = 25;
    private static final int COMMITS = WRITERS * COMMITS_PER_WRITER;

    private Path work;
    private MortarServer mortar;

    @BeforeAll
    void startMortar() {
        work = ItEnvironment.workDir("IcebergHiveCatalogIT");
        mortar = MortarServer.start(work);
    }

    @AfterAll
    void stopMortar() {
        if (mortar != null) {
            System.out.println(mortar.report(work));
            mortar.close();
        }
    }

    @Test
    void concurrentAppendsAreNeitherLostNorDuplicated() {
        EngineOutput out;
        try (EngineProcess iceberg = EngineProcess.java("iceberg", ItEnvironment.java17Home())
                .jvmArgs("-Xmx512m", "-XX:+UseSerialGC")
                // Iceberg polls check_lock with a backoff of up to 5 s by default; contention here is deliberate
                .systemProperty("iceberg.hive.lock-check-max-wait-ms", "200")
                .classpath(ItEnvironment.engineClasspath("iceberg"))
                .mainClass("dev.mortar.it.engine.IcebergConcurrentCommits")
                .args(mortar.thriftUri(), mortar.warehouseUri(), DB, String.valueOf(WRITERS), String.valueOf(COMMITS_PER_WRITER))
                .workDir(work)
                .logDir(work.resolve("logs"))
                .start()) {
            int exit = iceberg.waitFor(Duration.ofMinutes(8));
            out = EngineOutput.parse(iceberg.stdout());
            assertThat(out.completed()).as("Iceberg program ran to the end (exit %d)\n%s", exit, iceberg.logTail(40)).isTrue();
        }
        System.out.println("Iceberg facts: " + out.facts());

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(out.errors()).as("steps and commits that failed").isEmpty();
        soft.assertThat(out.fact("table.location")).isEqualTo(mortar.warehouseUri() + "/" + DB + ".db/commits");
        soft.assertThat(out.fact("commits.succeeded")).isEqualTo(String.valueOf(COMMITS));
        soft.assertThat(out.fact("commits.failed")).isEqualTo("0");
        soft.assertThat(out.fact("data_files")).as("data files in the table").isEqualTo(String.valueOf(COMMITS));
        soft.assertThat(out.fact("data_files.distinct")).as("distinct data files (none twice)").isEqualTo(String.valueOf(COMMITS));
        soft.assertThat(out.fact("data_files.equal_committed")).as("the table holds exactly the files whose commit succeeded").isEqualTo("true");
        soft.assertThat(out.fact("snapshots")).isEqualTo(String.valueOf(COMMITS));
        soft.assertThat(out.fact("snapshots.ancestry")).as("snapshots in the current snapshot's history").isEqualTo(String.valueOf(COMMITS));
        soft.assertThat(out.fact("snapshots.operations")).isEqualTo("{append=" + COMMITS + "}");
        soft.assertThat(out.fact("snapshots.one_file_appends")).isEqualTo(String.valueOf(COMMITS));
        soft.assertThat(out.fact("snapshot.total-data-files")).isEqualTo(String.valueOf(COMMITS));
        soft.assertThat(out.fact("snapshot.total-records")).isEqualTo(String.valueOf(3 * COMMITS));
        soft.assertThat(out.fact("rows")).isEqualTo(String.valueOf(3 * COMMITS));
        soft.assertThat(out.fact("rows.distinct_ids")).isEqualTo(String.valueOf(3 * COMMITS));
        soft.assertThat(out.fact("dropped")).isEqualTo("true");
        soft.assertThat(out.fact("namespace.dropped")).isEqualTo("true");
        soft.assertThat(regularFiles(mortar.warehouse().resolve(DB + ".db/commits"))).as("files left after DROP TABLE with purge").isEmpty();

        // The commits went through the metastore's lock and alter_table, as with a real Hive Metastore
        soft.assertThat(mortar.calls()).containsKeys("lock", "unlock", "alter_table_with_environment_context", "get_table", "create_table_with_environment_context");
        soft.assertThat(mortar.calls().getOrDefault("alter_table_with_environment_context", 0L)).as("one alter_table per commit").isGreaterThanOrEqualTo(COMMITS);
        soft.assertAll();
    }

    private static java.util.List<Path> regularFiles(Path dir) {
        if (!Files.exists(dir)) {
            return java.util.List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
