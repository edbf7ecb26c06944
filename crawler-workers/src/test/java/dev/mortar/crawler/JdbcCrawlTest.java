package dev.mortar.crawler;

import dev.mortar.catalog.CatalogTable;
import dev.mortar.catalog.Column;
import dev.mortar.crawler.jdbc.JdbcCrawler;
import dev.mortar.crawler.jdbc.JdbcInclude;
import dev.mortar.crawler.jdbc.JdbcSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JDBC include paths crawled through the drivers' metadata, against the machine's MariaDB (127.0.0.1:3306) and
 * PostgreSQL (127.0.0.1:5432) servers: a database and a schema made for the test, with columns of many types.
 */
class JdbcCrawlTest {
    static final String NAME = "mortar_crawl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static final String MARIADB = "jdbc:mysql://127.0.0.1:3306/";
    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/postgres";

    @BeforeAll
    static void createSources() throws SQLException {
        try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + NAME);
            s.execute("CREATE TABLE " + NAME + ".orders (id BIGINT PRIMARY KEY, small_n SMALLINT, tiny_n TINYINT, flag BOOLEAN, medium_n MEDIUMINT, "
                    + "int_n INT, uint_n INT UNSIGNED, ubig_n BIGINT UNSIGNED, price DECIMAL(10,2), ratio FLOAT, score DOUBLE, Name VARCHAR(100), "
                    + "code CHAR(3), notes TEXT, born DATE, created DATETIME, changed TIMESTAMP NULL, at_time TIME, yr YEAR, data BLOB, bits BIT(8), "
                    + "kind ENUM('a','b'), doc JSON)");
            s.execute("CREATE TABLE " + NAME + ".customers (id INT, email VARCHAR(200))");
            s.execute("CREATE TABLE " + NAME + ".tmp_scratch (x INT)");
            s.execute("CREATE VIEW " + NAME + ".big_orders AS SELECT id, price FROM " + NAME + ".orders WHERE price > 100");
        }
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + NAME);
            s.execute("CREATE TABLE " + NAME + ".events (id bigserial PRIMARY KEY, s smallint, i integer, b boolean, r real, d double precision, "
                    + "n numeric(12,3), nu numeric, m money, t text, vc varchar(20), c char(2), dt date, ts timestamp, tstz timestamptz, tm time, "
                    + "by bytea, u uuid, j jsonb, ia integer[], ta text[], iv interval)");
            s.execute("CREATE TABLE " + NAME + ".users (id integer, name text)");
        }
    }

    @AfterAll
    static void dropSources() throws SQLException {
        try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + NAME);
        }
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + NAME + " CASCADE");
        }
    }

    private static List<String> columns(CatalogTable table) {
        return table.columns().stream().map(c -> c.name() + " " + c.type()).toList();
    }

    @Test
    void mariadbTablesAndViewsWithTheirHiveTypes() {
        MemoryCatalog catalog = new MemoryCatalog();
        JdbcSource source = new JdbcSource("maria", MARIADB + NAME, "root", "");
        CrawlReport report = new JdbcCrawler(catalog).crawl(source, new JdbcInclude(NAME + "/%", List.of("**/tmp_*")), "db", "src_", true, () -> false);

        assertThat(report.errors()).isEmpty();
        assertThat(report.tablesCreated()).containsExactlyInAnyOrder("src_" + NAME + "_orders", "src_" + NAME + "_customers", "src_" + NAME + "_big_orders");
        CatalogTable orders = catalog.tables.get("db.src_" + NAME + "_orders");
        assertThat(columns(orders)).containsExactly("id bigint", "small_n smallint", "tiny_n tinyint", "flag boolean", "medium_n int", "int_n int",
                "uint_n bigint", "ubig_n decimal(20,0)", "price decimal(10,2)", "ratio float", "score double", "name string", "code string",
                "notes string", "born date", "created timestamp", "changed timestamp", "at_time string", "yr int", "data binary", "bits binary",
                "kind string", "doc string");
        assertThat(orders.location()).contains(NAME + ".orders");
        assertThat(orders.partitionKeys()).isEmpty();
        assertThat(orders.parameters()).isEqualTo(Map.of("classification", "mysql", "connectionName", "maria", "typeOfData", "table",
                "compressionType", "none"));
        CatalogTable view = catalog.tables.get("db.src_" + NAME + "_big_orders");
        assertThat(columns(view)).containsExactly("id bigint", "price decimal(10,2)");
        assertThat(view.parameters()).containsEntry("typeOfData", "view");

        // One table by its path; a re-crawl of an unchanged table changes nothing
        report = new JdbcCrawler(catalog).crawl(source, new JdbcInclude(NAME + "/customers", List.of()), "db", "src_", true, () -> false);
        assertThat(report.tablesCreated()).isEmpty();
        assertThat(report.tablesUpdated()).isEmpty();
        assertThat(report.errors()).isEmpty();
        assertThat(columns(catalog.tables.get("db.src_" + NAME + "_customers"))).containsExactly("id int", "email string");
    }

    @Test
    void postgresqlSchemasTablesAndTypes() {
        MemoryCatalog catalog = new MemoryCatalog();
        JdbcSource source = new JdbcSource("pg", POSTGRES, "postgres", "");
        CrawlReport report = new JdbcCrawler(catalog).crawl(source, new JdbcInclude("postgres/" + NAME + "/%", List.of()), "db", "", true, () -> false);

        assertThat(report.errors()).isEmpty();
        assertThat(report.tablesCreated()).containsExactlyInAnyOrder("postgres_" + NAME + "_events", "postgres_" + NAME + "_users");
        CatalogTable events = catalog.tables.get("db.postgres_" + NAME + "_events");
        assertThat(columns(events)).containsExactly("id bigint", "s smallint", "i int", "b boolean", "r float", "d double", "n decimal(12,3)",
                "nu decimal(38,18)", "m double", "t string", "vc string", "c string", "dt date", "ts timestamp", "tstz timestamp", "tm string",
                "by binary", "u string", "j string", "ia array<int>", "ta array<string>", "iv string");
        assertThat(events.location()).contains("postgres." + NAME + ".events");
        assertThat(events.parameters()).isEqualTo(Map.of("classification", "postgresql", "connectionName", "pg", "typeOfData", "table",
                "compressionType", "none"));
    }

    @Test
    void badPathsAndConnectionsAreReportedErrors() {
        MemoryCatalog catalog = new MemoryCatalog();
        JdbcCrawler crawler = new JdbcCrawler(catalog);
        CrawlReport wrongDatabase = crawler.crawl(new JdbcSource("pg", POSTGRES, "postgres", ""), new JdbcInclude("otherdb/public/%", List.of()), "db", "", true, () -> false);
        assertThat(wrongDatabase.errors()).extracting(CrawlReport.FileError::message)
                .containsExactly("Path otherdb/public/% names database otherdb but the connection's URL opens database postgres");
        CrawlReport missingDatabase = crawler.crawl(new JdbcSource("maria", MARIADB, "root", ""), new JdbcInclude(NAME + "_missing/%", List.of()), "db", "", true, () -> false);
        assertThat(missingDatabase.errors()).extracting(CrawlReport.FileError::message)
                .containsExactly("Path " + NAME + "_missing/% names database " + NAME + "_missing, which does not exist or cannot be read");
        CrawlReport tooDeep = crawler.crawl(new JdbcSource("maria", MARIADB, "root", ""), new JdbcInclude(NAME + "/x/y", List.of()), "db", "", true, () -> false);
        assertThat(tooDeep.errors().get(0).message()).startsWith("Path " + NAME + "/x/y is not database/table");
        CrawlReport badPassword = crawler.crawl(new JdbcSource("pgbad", "jdbc:postgresql://127.0.0.1:1/postgres", "postgres", ""), new JdbcInclude("postgres/%", List.of()), "db", "", true, () -> false);
        assertThat(badPassword.errors()).hasSize(1);
        assertThat(badPassword.errors().get(0).path()).isEqualTo("pgbad:postgres/%");
        assertThat(badPassword.errors().get(0).message()).startsWith("Cannot read through connection pgbad: ");
        assertThat(catalog.tables).isEmpty();
    }

    @Test
    void columnsOfAChangedSourceTableReplaceTheCatalogs() throws SQLException {
        MemoryCatalog catalog = new MemoryCatalog();
        JdbcSource source = new JdbcSource("pg", POSTGRES, "postgres", "");
        JdbcInclude users = new JdbcInclude("postgres/" + NAME + "/users", List.of());
        new JdbcCrawler(catalog).crawl(source, users, "db", "", true, () -> false);
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + NAME + ".users ADD COLUMN joined date");
        }
        CrawlReport logged = new JdbcCrawler(catalog).crawl(source, users, "db", "", false, () -> false);
        assertThat(logged.tablesUpdated()).isEmpty();
        assertThat(logged.errors()).hasSize(1);
        assertThat(catalog.tables.get("db.postgres_" + NAME + "_users").columns()).containsExactly(new Column("id", "int"), new Column("name", "string"));
        CrawlReport report = new JdbcCrawler(catalog).crawl(source, users, "db", "", true, () -> false);
        assertThat(report.tablesUpdated()).containsExactly("postgres_" + NAME + "_users");
        assertThat(catalog.tables.get("db.postgres_" + NAME + "_users").columns())
                .containsExactly(new Column("id", "int"), new Column("name", "string"), new Column("joined", "date"));
    }
}
