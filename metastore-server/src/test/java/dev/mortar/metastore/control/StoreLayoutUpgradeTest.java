package dev.mortar.metastore.control;

import dev.mortar.crawler.CrawlLog;
import dev.mortar.crawler.CrawlReport;
import dev.mortar.crawler.CrawlState;
import dev.mortar.metastore.control.connection.ConnectionDefinition;
import dev.mortar.metastore.control.crawl.CrawlRecord;
import dev.mortar.metastore.control.crawl.CrawlRunState;
import dev.mortar.metastore.control.crawl.CrawlRuns;
import dev.mortar.metastore.control.crawl.CrawlerState;
import dev.mortar.metastore.control.job.JobDefinition;
import dev.mortar.metastore.control.job.JobRunRecord;
import dev.mortar.metastore.control.job.JobRuns;
import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.metastore.store.Dialect;
import dev.mortar.testing.TestClock;
import dev.mortar.testing.TestStores;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The control plane's crawler tables and run queue are made by its own migrations ({@code db/control}), no longer by
 * the catalog's. Stores made with the layout before (the catalog's V3–V7 made them; copies of those migration files,
 * as they shipped, are this test's resources under {@code store-layouts/}) are opened by this build with their
 * crawlers, crawls, connections and jobs, and new runs go through their queue.
 */
class StoreLayoutUpgradeTest {
    private static final String OLD_LAYOUT = "classpath:store-layouts/v22-crawlers-in-catalog/";
    /** Everything the control plane writes for the objects made below. */
    private static final List<String> CONTROL_TABLES = List.of("g_crawlers", "g_crawls", "g_crawl_tasks", "g_crawl_logs", "g_crawler_folders",
            "g_connections", "c_jobs", "c_job_runs");

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-06-01T00:00:00Z"));

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void aFreshStoreGetsTheControlTablesFromTheControlPlanesMigrations(String kind) throws Exception {
        Map<String, String> store = TestStores.fresh(kind, dir);
        try (CatalogDatabase database = open(store)) {
            assertThat(tables(store)).as("the catalog's migrations alone").doesNotContain("g_crawlers", "g_crawl_tasks", "g_connections", "c_jobs")
                    .contains("m_tbls", "g_tables");
            ControlPlane.create(database, clock, 2);
            assertThat(tables(store)).containsAll(CONTROL_TABLES).contains("g_classifiers", "c_triggers");
        }
        assertThat(history(store, "m_schema_history")).doesNotContain("3", "4", "5", "6", "7").contains("1", "2", "8");
        assertThat(history(store, "c_schema_history")).contains("0.1", "1", "2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void aStoreOfTheLayoutBeforeKeepsItsCrawlersCrawlsConnectionsAndJobs(String kind) throws Exception {
        Map<String, String> old = TestStores.fresh(kind, dir.resolve("old"));
        Dialect dialect = Dialect.fromJdbcUrl(old.get("mortar.store.url"));
        // the Flyway configuration of the builds before, on their migration files
        flyway(old, dialect, OLD_LAYOUT + "migration", "m_schema_history").baselineOnMigrate(false).load().migrate();
        flyway(old, dialect, OLD_LAYOUT + "control", "c_schema_history").baselineOnMigrate(true).baselineVersion("0").load().migrate();
        copyRows(writeObjects(kind, true), old);

        try (CatalogDatabase database = open(old)) {
            ControlPlane control = ControlPlane.create(database, clock, 2);
            assertReadBack(control, true);
            assertRunsGoThroughTheQueue(control);
        }
        assertThat(history(old, "m_schema_history")).as("the catalog's history is kept as it was").contains("3", "4", "5", "6", "7");
        assertThat(history(old, "c_schema_history")).doesNotContain("0.1").contains("1", "2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void aStoreFromBeforeTheControlPlanesOwnMigrationsKeepsItsCrawlersAndConnections(String kind) throws Exception {
        Map<String, String> old = TestStores.fresh(kind, dir.resolve("older"));
        Dialect dialect = Dialect.fromJdbcUrl(old.get("mortar.store.url"));
        flyway(old, dialect, OLD_LAYOUT + "migration", "m_schema_history").baselineOnMigrate(false).load().migrate();
        // (no jobs: the queue of those builds had crawl tasks only)
        copyRows(writeObjects(kind, false), old);

        try (CatalogDatabase database = open(old)) {
            ControlPlane control = ControlPlane.create(database, clock, 2);
            assertReadBack(control, false);
            assertRunsGoThroughTheQueue(control);
        }
        assertThat(history(old, "c_schema_history")).as("started after the version that makes the crawler tables")
                .contains("0.1", "1", "2").doesNotContain("0");
    }

    @org.junit.jupiter.api.Test
    void aCatalogHistoryWithAnotherVersionThisBuildDoesNotHaveIsRefused() throws Exception {
        Map<String, String> store = TestStores.fresh("h2", dir);
        open(store).close();
        try (Connection c = connect(store); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO \"m_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", \"script\", \"checksum\","
                    + " \"installed_by\", \"installed_on\", \"execution_time\", \"success\")"
                    + " VALUES (100, '2.5', 'gone', 'SQL', 'V2_5__gone.sql', 1, 'sa', CURRENT_TIMESTAMP, 1, TRUE)");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> open(store))
                .isInstanceOf(dev.mortar.metastore.store.StoreException.class)
                .hasMessage("The catalog store's history has migration 2.5 (gone), which this build does not have");
    }

    /** A crawler with a finished crawl, a connection and a job with a run, written by this build on a store of its own. */
    private Map<String, String> writeObjects(String kind, boolean withJobs) throws Exception {
        Map<String, String> source = TestStores.fresh(kind, dir.resolve("source"));
        try (CatalogDatabase database = open(source)) {
            ControlPlane control = ControlPlane.create(database, clock, 2);
            control.crawlers().create("sales", ControlPlaneContract.definition("db", "/data/sales"));
            String crawlId = control.crawls().start("sales");
            CrawlRuns.LeasedCrawl leased = control.crawls().lease("w1", 30).orElseThrow();
            assertThat(leased.crawlId()).isEqualTo(crawlId);
            CrawlState folders = CrawlState.empty();
            folders.addDataFolder("file:/data/sales/t", "p_t");
            folders.addTable("p_t", "file:/data/sales/t");
            CrawlLog log = new CrawlLog();
            log.add(CrawlLog.Kind.TABLE, "p_t", "formed from 1 folder");
            control.crawls().complete(leased.taskId(), leased.token(),
                    new CrawlReport(List.of("p_t"), List.of(), List.of(), 1, 0, 1, 1, 10, List.of(), log, Optional.of(folders)), false);
            control.connections().create("warehouse", connection());
            if (withJobs) {
                control.jobs().create("daily", job(), Map.of());
                control.jobRuns().start("daily", JobRuns.StartRequest.of(Map.of("--day", "2026-06-01")));
            }
        }
        return source;
    }

    private static void assertReadBack(ControlPlane control, boolean withJobs) {
        var crawler = control.crawlers().status("sales").crawler();
        assertThat(crawler.definition()).isEqualTo(ControlPlaneContract.definition("db", "/data/sales"));
        assertThat(crawler.state()).isEqualTo(CrawlerState.READY);
        List<CrawlRecord> crawls = control.crawlers().runs("sales");
        assertThat(crawls).singleElement().satisfies(c -> {
            assertThat(c.state()).isEqualTo(CrawlRunState.COMPLETED);
            assertThat(c.tablesCreated()).isEqualTo(1);
            assertThat(c.filesRead()).isEqualTo(1);
        });
        assertThat(control.crawls().runLog("sales", crawls.get(0).crawlId()).log().orElseThrow().entries())
                .singleElement().satisfies(e -> assertThat(e.toString()).contains("formed from 1 folder"));
        assertThat(control.connections().get("warehouse").definition()).isEqualTo(connection());
        if (withJobs) {
            assertThat(control.jobs().jobs(List.of("daily"))).singleElement().satisfies(j -> {
                assertThat(j.definition().command()).isEqualTo(job().command());
                assertThat(j.definition().maxConcurrentRuns()).hasValue(5);
                assertThat(j.definition().defaultArguments()).isEqualTo(Map.of("--day", "default"));
                assertThat(j.definition().nonOverridableArguments()).isEqualTo(Map.of("--fixed", "1"));
            });
            List<JobRunRecord> runs = control.jobRuns().runs("daily", Optional.empty(), 10);
            assertThat(runs).singleElement().satisfies(r -> assertThat(r.settings().arguments()).containsEntry("--day", "2026-06-01"));
        }
    }

    /** A new crawl is queued, leased with the folder state of the last one, and ended; the crawler is ready again. */
    private void assertRunsGoThroughTheQueue(ControlPlane control) {
        String crawlId = control.crawls().start("sales");
        CrawlRuns.LeasedCrawl leased = control.crawls().lease("w2", 30).orElseThrow();
        assertThat(leased.crawlId()).isEqualTo(crawlId);
        assertThat(leased.assignment().previous().isEmpty()).as("the folder state of the crawl before").isFalse();
        CrawlLog log = new CrawlLog();
        control.crawls().complete(leased.taskId(), leased.token(),
                new CrawlReport(List.of(), List.of(), List.of(), 0, 0, 0, 0, 0, List.of(), log, Optional.of(CrawlState.empty())), false);
        assertThat(control.crawlers().status("sales").crawler().state()).isEqualTo(CrawlerState.READY);
        assertThat(control.crawlers().runs("sales")).hasSize(2);
    }

    static ConnectionDefinition connection() {
        return new ConnectionDefinition("JDBC", Map.of("JDBC_CONNECTION_URL", "jdbc:postgresql://db:5432/shop", "USERNAME", "u", "PASSWORD", "p"),
                Optional.of("the shop"), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static JobDefinition job() {
        return new JobDefinition("role", new JobDefinition.Command("glueetl", "s3://scripts/x.sql", Optional.empty(), Optional.empty()), Optional.empty(),
                Optional.empty(), Optional.of(5), Map.of("--day", "default"), Map.of("--fixed", "1"), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
    }

    private static CatalogDatabase open(Map<String, String> store) {
        return new CatalogDatabase(store.get("mortar.store.url"), store.getOrDefault("mortar.store.user", ""), store.getOrDefault("mortar.store.password", ""), 4);
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(Map<String, String> store, Dialect dialect, String location, String table) {
        return Flyway.configure().dataSource(store.get("mortar.store.url"), store.getOrDefault("mortar.store.user", ""), store.getOrDefault("mortar.store.password", ""))
                .locations(location).placeholders(dialect.migrationPlaceholders()).table(table);
    }

    private static Connection connect(Map<String, String> store) throws SQLException {
        return DriverManager.getConnection(store.get("mortar.store.url"), store.getOrDefault("mortar.store.user", ""), store.getOrDefault("mortar.store.password", ""));
    }

    /** The store's tables, lower case. */
    private static Set<String> tables(Map<String, String> store) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Connection c = connect(store); ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** The versions a history holds, applied or baseline. */
    private static List<String> history(Map<String, String> store, String table) throws SQLException {
        boolean h2 = store.get("mortar.store.url").startsWith("jdbc:h2:");
        String sql = h2 ? "SELECT \"version\" FROM \"" + table + "\" WHERE \"version\" IS NOT NULL" : "SELECT version FROM " + table + " WHERE version IS NOT NULL";
        List<String> versions = new ArrayList<>();
        try (Connection c = connect(store); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }

    /** Copies the rows of the control tables, in the columns both stores have. */
    private static void copyRows(Map<String, String> from, Map<String, String> to) throws SQLException {
        try (Connection source = connect(from); Connection target = connect(to)) {
            Set<String> targetTables = tables(to);
            for (String table : CONTROL_TABLES) {
                if (!targetTables.contains(table)) {
                    continue;
                }
                Set<String> targetColumns = new HashSet<>();
                try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        targetColumns.add(rs.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT));
                    }
                }
                try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    List<Integer> columns = new ArrayList<>();
                    List<String> names = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        String name = rs.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT);
                        if (targetColumns.contains(name)) {
                            columns.add(i);
                            names.add(name);
                        }
                    }
                    String insert = "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES (" + "?, ".repeat(names.size() - 1) + "?)";
                    try (PreparedStatement ps = target.prepareStatement(insert)) {
                        while (rs.next()) {
                            for (int i = 0; i < columns.size(); i++) {
                                Object value = rs.getObject(columns.get(i));
                                if (value instanceof Clob) {
                                    value = rs.getString(columns.get(i));
                                } else if (value instanceof Blob) {
                                    value = rs.getBytes(columns.get(i));
                                }
                                ps.setObject(i + 1, value);
                            }
                            ps.executeUpdate();
                        }
                    }
                }
            }
            if (!target.getAutoCommit()) {
                target.commit();
            }
        }
    }
}
