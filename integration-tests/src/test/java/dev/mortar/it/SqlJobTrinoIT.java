package dev.mortar.it;

import dev.mortar.catalog.hms.HmsCatalog;
import dev.mortar.catalog.hms.HmsCatalogWriter;
import dev.mortar.etl.JobRequest;
import dev.mortar.etl.RunResult;
import dev.mortar.etl.SqlJobRunner;
import dev.mortar.etl.duckdb.DuckDbEngine;
import dev.mortar.it.support.ItEnvironment;
import dev.mortar.it.support.MortarServer;
import dev.mortar.it.support.Trino;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trino 476 writes a partitioned text table into Mortar; a SQL job reads it through the catalog and writes a
 * partitioned Parquet table (then replaces one partition); Trino reads exactly the job's rows from the output table.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlJobTrinoIT {
    private Path work;
    private MortarServer mortar;
    private Trino trino;

    @BeforeAll
    void start() {
        work = ItEnvironment.workDir("SqlJobTrinoIT");
        mortar = MortarServer.start(work);
        trino = Trino.start(mortar, work);
    }

    @AfterAll
    void stop() {
        try {
            if (trino != null) {
                trino.close();
            }
        } finally {
            if (mortar != null) {
                mortar.close();
            }
        }
    }

    @Test
    void trinoReadsTheTableAJobWrote() {
        trino.query("CREATE SCHEMA hive.src");
        trino.query("CREATE SCHEMA hive.out");
        trino.query("CREATE TABLE hive.src.events (id bigint, name varchar, amount integer, dt varchar) "
                + "WITH (format = 'TEXTFILE', partitioned_by = ARRAY['dt'])");
        trino.query("INSERT INTO hive.src.events VALUES (1, 'apple', 10, '2024-01-01'), (2, 'pear', 20, '2024-01-01'), (3, 'plum', 7, '2024-01-02')");

        RunResult result;
        try (HmsCatalog catalog = new HmsCatalog("127.0.0.1", mortar.thriftPort());
             HmsCatalogWriter writer = new HmsCatalogWriter("127.0.0.1", mortar.thriftPort())) {
            result = new SqlJobRunner(new DuckDbEngine("256MB", 1), catalog, writer).run(new JobRequest("jr_trino", """
                    CREATE TABLE ${out}.daily PARTITIONED BY (dt) AS
                    SELECT id, upper(name) AS name, amount * 2 AS doubled, dt FROM src.events;
                    INSERT OVERWRITE TABLE ${out}.daily PARTITION (dt = '2024-01-02') SELECT 30, 'FIG', 1
                    """, Map.of("--out", "out")));
        }
        assertThat(result.rowsWritten()).isEqualTo(4);

        assertThat(trino.query("SELECT dt, count(*), sum(doubled), array_join(array_agg(name ORDER BY id), ',') FROM hive.out.daily GROUP BY dt ORDER BY dt").rows())
                .containsExactly(List.of("2024-01-01", "2", "60", "APPLE,PEAR"), List.of("2024-01-02", "1", "1", "FIG"));
        assertThat(trino.query("SELECT count(*) FROM hive.out.daily WHERE dt = '2024-01-01'").rows()).containsExactly(List.of("2"));
    }
}
