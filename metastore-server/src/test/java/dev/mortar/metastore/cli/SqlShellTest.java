package dev.mortar.metastore.cli;

import dev.mortar.metastore.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** `mortar sql` (over the gateway, with the Hive JDBC driver) and `mortar catalog` against a real server with a crawled table. */
class SqlShellTest {
    static TestServer server;
    static String url;
    static String endpoint;

    @TempDir
    static Path lake;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        url = "jdbc:hive2://127.0.0.1:" + server.server.gatewayPort() + "/shop";
        endpoint = "--endpoint=http://127.0.0.1:" + server.server.httpPort();
        write(lake.resolve("orders/ds=2024-01-01/part-0.csv"), "id,amount\n1,12.50\n2,7.25\n");
        write(lake.resolve("orders/ds=2024-01-02/part-0.csv"), "id,amount\n3,30.00\n");
        assertThat(CliRun.of("crawler", "create", "shop", endpoint, "-d", "shop", "-p", lake.toString()).exitCode()).isZero();
        CliRun crawl = CliRun.of("crawler", "start", "shop", endpoint, "--wait", "--interval-ms", "50");
        assertThat(crawl.exitCode()).as(crawl.toString()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    private static void write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** The output without the timings, which vary. */
    private static String untimed(String out) {
        return out.replaceAll(", \\d+\\.\\d\\d s\\)", ")").replaceAll("OK \\(\\d+\\.\\d\\d s\\)", "OK");
    }

    @Test
    void executePrintsAlignedTables() {
        CliRun run = CliRun.of("sql", "-u", url, "-e", "SELECT ds, count(*) AS orders, sum(amount) AS total FROM orders GROUP BY ds ORDER BY ds; "
                + "SELECT CAST(NULL AS VARCHAR) AS nothing, 'a;b' AS text");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(untimed(run.out())).isEqualTo("""
                ds          orders  total
                ----------  ------  -----
                2024-01-01  2       19.75
                2024-01-02  1       30.0
                (2 rows)
                nothing  text
                -------  ----
                NULL     a;b
                (1 row)
                """);
    }

    @Test
    void aFileOfMultiLineStatementsStopsAtTheFirstError(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("report.sql");
        Files.writeString(script, """
                -- orders per day; a comment; with semicolons
                SELECT count(*) AS n
                  FROM orders
                 WHERE ds >= '2024-01-02';
                SELECT no_such_column FROM orders;
                SELECT 'not run' AS never;
                """);
        CliRun run = CliRun.of("sql", "-u", url, "-f", script.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(untimed(run.out())).isEqualTo("n\n-\n1\n(1 row)\n");
        assertThat(run.err()).startsWith("Error: ").contains("no_such_column").doesNotContain("never");
    }

    @Test
    void aQueryOverMissingFilesWarnsWithTheLocations(@TempDir Path dir) throws Exception {
        write(dir.resolve("visits/ds=2024-02-01/a.csv"), "id,page\n1,home\n");
        write(dir.resolve("visits/ds=2024-02-02/b.csv"), "id,page\n2,cart\n");
        assertThat(CliRun.of("crawler", "create", "visits", endpoint, "-d", "web", "-p", dir.toString()).exitCode()).isZero();
        assertThat(CliRun.of("crawler", "start", "visits", endpoint, "--wait", "--interval-ms", "50").exitCode()).isZero();
        Files.delete(dir.resolve("visits/ds=2024-02-02/b.csv"));
        Files.delete(dir.resolve("visits/ds=2024-02-02"));
        CliRun run = CliRun.of("sql", "-u", url, "-e", "SELECT count(*) AS n FROM web.visits");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(untimed(run.out())).isEqualTo("n\n-\n1\n(1 row)\n");
        assertThat(run.err()).isEqualTo("WARNING: 1 location of web.visits does not exist, so their rows are missing from the result: file:"
                + dir.resolve("visits/ds=2024-02-02") + "\n");
    }

    @Test
    void noGatewayIsOneLineAndExitOne() {
        CliRun run = CliRun.of("sql", "-u", "jdbc:hive2://127.0.0.1:1/default", "-e", "SELECT 1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("Error: cannot connect to the SQL gateway at jdbc:hive2://127.0.0.1:1/default: ").endsWith("(is the server running? -u sets where)\n");
    }

    @Test
    void theInteractiveShellReadsStatementsOverLinesAndKeepsAHistory(@TempDir Path home) throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("bin/mortar").toString(), "sql", "-u", url).directory(home.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MORTAR_"));
        pb.environment().put("MORTAR_CLASSPATH", Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("hive-jdbc")).collect(Collectors.joining(File.pathSeparator)));
        pb.environment().put("MORTAR_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Duser.home=" + home);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process shell = pb.start();
        shell.getOutputStream().write("SELECT 1 AS one;\nSELECT\n  max(amount) AS most\n  FROM orders;\nSELECT nope;\nSELECT 2 AS two;\nquit\n".getBytes(StandardCharsets.UTF_8));
        shell.getOutputStream().close();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(shell.exitValue()).as(out).isZero();
        assertThat(untimed(out)).contains("one\n---\n1\n(1 row)", "most\n----\n30.0\n(1 row)", "Error: ", "two\n---\n2\n(1 row)");
        List<String> history = Files.readAllLines(home.resolve(".mortar_sql_history"));
        assertThat(String.join("\n", history)).contains("SELECT 1 AS one;", "max(amount) AS most", "SELECT 2 AS two;");
    }

    @Test
    void catalogCommandsShowDatabasesTablesATableAndPartitions() {
        CliRun databases = CliRun.of("catalog", "databases", endpoint);
        assertThat(databases.exitCode()).as(databases.toString()).isZero();
        assertThat(databases.out().lines()).first().asString().startsWith("DATABASE  LOCATION");
        assertThat(databases.out()).contains("\nshop ", "\ndefault ");

        CliRun tables = CliRun.of("catalog", "tables", "shop", endpoint);
        assertThat(tables.out().lines().toList()).containsExactly("TABLE   TYPE            FORMAT  COLUMNS  PARTITION KEYS  LOCATION",
                "orders  EXTERNAL_TABLE  csv     2        ds              file:" + lake.resolve("orders"));

        CliRun table = CliRun.of("catalog", "table", "shop.orders", endpoint);
        assertThat(table.out()).contains("Table     shop.orders (EXTERNAL_TABLE)\nLocation  file:" + lake.resolve("orders") + "\nFormat    csv ",
                "id      bigint  column", "amount  double  column", "ds      string  partition key", "classification ");

        CliRun partitions = CliRun.of("catalog", "partitions", "shop.orders", endpoint, "--filter", "ds >= '2024-01-02'");
        assertThat(partitions.out().lines().toList()).containsExactly("DS          LOCATION",
                "2024-01-02  file:" + lake.resolve("orders/ds=2024-01-02"), "(1 partition)");
        assertThat(CliRun.of("catalog", "partitions", "shop.orders", endpoint).out()).endsWith("(2 partitions)\n");

        CliRun missing = CliRun.of("catalog", "table", "shop.nope", endpoint);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("Error: EntityNotFoundException: Table nope not found.\n");
        CliRun unqualified = CliRun.of("catalog", "table", "orders", endpoint);
        assertThat(unqualified.err()).isEqualTo("Error: Name the table as DATABASE.TABLE, not 'orders'\n");
    }
}
