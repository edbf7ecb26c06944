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
 * Hive 2.3.10's HiveMetaStoreClient (the client built into Spark; it still calls the legacy
 * get_table and get_table_objects_by_name) in a forked Java 17 JVM, against Mortar.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Hive2ClientIT {
    private static final String DB = "hive2_client_db";

    private Path work;
    private MortarServer mortar;

    @BeforeAll
    void startMortar() {
        work = ItEnvironment.workDir("Hive2ClientIT");
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
    void catalogCallsOfTheHive23Client() {
        EngineOutput out;
        try (EngineProcess client = EngineProcess.java("hive2-client", ItEnvironment.java17Home())
                .jvmArgs("-Xmx256m", "-XX:+UseSerialGC")
                .classpath(ItEnvironment.engineClasspath("hive2-client"))
                .mainClass("dev.mortar.it.engine.Hive2ClientDriver")
                .args(mortar.thriftUri(), DB)
                .workDir(work)
                .logDir(work.resolve("logs"))
                .start()) {
            int exit = client.waitFor(Duration.ofMinutes(3));
            out = EngineOutput.parse(client.stdout());
            assertThat(out.completed()).as("client ran to the end (exit %d)\n%s", exit, client.logTail(40)).isTrue();
        }

        String warehouse = mortar.warehouseUri();
        String dbLocation = warehouse + "/" + DB + ".db";
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(out.errors()).as("calls that failed").isEmpty();

        soft.assertThat(out.fact("databases")).isEqualTo("[default]");
        soft.assertThat(out.fact("default.location")).isEqualTo(warehouse);
        soft.assertThat(out.fact("db.name")).isEqualTo(DB);
        soft.assertThat(out.fact("db.description")).isEqualTo("created by the Hive 2.3 client");
        soft.assertThat(out.fact("db.location")).isEqualTo(dbLocation);
        soft.assertThat(out.fact("db.param.team")).isEqualTo("integration");
        soft.assertThat(out.fact("db.owner_name")).isEqualTo("integration");
        // Trino fails on a database with an owner but no owner type ("principalType is null")
        soft.assertThat(out.fact("db.owner_type")).as("owner type defaulted like the Hive Metastore's ObjectStore does").isEqualTo("USER");
        soft.assertThat(out.fact("create_database.again")).isEqualTo("AlreadyExistsException");
        soft.assertThat(out.fact("get_database.missing")).isEqualTo("NoSuchObjectException");

        // get_table (the legacy call)
        soft.assertThat(out.fact("table.name")).isEqualTo(DB + ".events");
        soft.assertThat(out.fact("table.type")).isEqualTo("MANAGED_TABLE");
        soft.assertThat(out.fact("table.owner")).isEqualTo("integration");
        soft.assertThat(out.fact("table.location")).isEqualTo(dbLocation + "/events");
        soft.assertThat(out.fact("table.columns")).isEqualTo("[id:bigint, name:string]");
        soft.assertThat(out.fact("table.partition_keys")).isEqualTo("[ds:string]");
        soft.assertThat(out.fact("table.serde")).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
        soft.assertThat(out.fact("table.input_format")).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
        soft.assertThat(out.fact("table.param.comment")).isEqualTo("events table");
        soft.assertThat(out.fact("get_table.missing")).isEqualTo("NoSuchObjectException");
        soft.assertThat(out.fact("create_table.again")).isEqualTo("AlreadyExistsException");

        soft.assertThat(out.fact("tables.all")).isEqualTo("[clicks, events]");
        soft.assertThat(out.fact("tables.pattern_ev")).isEqualTo("[events]");
        soft.assertThat(out.fact("tables.get_all_tables")).isEqualTo("[clicks, events]");
        soft.assertThat(out.fact("table_objects")).isEqualTo("[clicks, events]");
        soft.assertThat(out.fact("table_objects.columns")).isEqualTo("[clicks:[id:bigint, name:string], events:[id:bigint, name:string]]");

        soft.assertThat(out.fact("add_partitions.count")).isEqualTo("3");
        soft.assertThat(out.fact("add_partitions.duplicate")).isEqualTo("AlreadyExistsException");
        soft.assertThat(out.fact("partition_names")).isEqualTo("[ds=2024-01-01, ds=2024-01-02, ds=2024-01-03]");
        soft.assertThat(out.fact("filter.ge")).isEqualTo("[ds=2024-01-02, ds=2024-01-03]");
        soft.assertThat(out.fact("filter.eq")).isEqualTo("[ds=2024-01-01]");
        soft.assertThat(out.fact("filter.eq.location")).isEqualTo(dbLocation + "/events/ds=2024-01-01");
        soft.assertThat(out.fact("filter.none")).isEqualTo("[]");

        soft.assertThat(out.fact("altered.columns")).isEqualTo("[id:bigint, name:string, score:double]");
        soft.assertThat(out.fact("altered.param.altered")).isEqualTo("yes");
        soft.assertThat(out.fact("altered.partition_names")).isEqualTo("[ds=2024-01-01, ds=2024-01-02, ds=2024-01-03]");
        soft.assertThat(out.fact("renamed.tables")).isEqualTo("[clicks_renamed, events]");
        // Like Hive, a managed table with the default location follows its new name
        soft.assertThat(out.fact("renamed.location")).isEqualTo(dbLocation + "/clicks_renamed");

        soft.assertThat(out.fact("lock.first")).isEqualTo("ACQUIRED");
        soft.assertThat(out.fact("lock.second")).as("a second exclusive lock on the same table waits").isEqualTo("WAITING");
        soft.assertThat(out.fact("lock.other_table")).isEqualTo("ACQUIRED");
        soft.assertThat(out.fact("check_lock.second.while_held")).isEqualTo("WAITING");
        soft.assertThat(out.fact("check_lock.second.after_unlock")).isEqualTo("ACQUIRED");

        soft.assertThat(out.fact("dropped.tables")).isEqualTo("[]");
        soft.assertThat(out.fact("drop_table.missing")).isEqualTo("NoSuchObjectException");
        soft.assertThat(out.fact("dropped.databases")).isEqualTo("[default]");
        soft.assertThat(Files.exists(mortar.warehouse().resolve(DB + ".db/events"))).as("events directory deleted with the table").isFalse();
        soft.assertThat(Files.exists(mortar.warehouse().resolve(DB + ".db"))).as("database directory deleted with the database").isFalse();

        // The legacy calls really went over the wire (not their Hive 4 *_req forms)
        soft.assertThat(mortar.calls()).containsKeys("get_table", "get_table_objects_by_name", "get_all_databases", "get_database",
                "create_database", "get_tables", "add_partitions", "get_partitions_by_filter", "get_partition_names",
                "alter_table_with_environment_context", "drop_database", "lock", "check_lock", "unlock");
        soft.assertAll();
    }
}
