package dev.mortar.metastore.cli;

import dev.mortar.metastore.config.MortarConfig;
import dev.mortar.metastore.server.MortarServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The {@code mortar} command. */
@Command(name = "mortar", mixinStandardHelpOptions = true, version = "Mortar 0.1.0",
        description = "Self-hosted data catalog: Hive Metastore, Glue API, crawlers, jobs and a SQL gateway.",
        subcommands = {MortarCli.Server.class, SqlCommand.class, CatalogCommand.class, CrawlerCommand.class, JobCommand.class, TriggerCommand.class, WorkflowCommand.class, WorkerCommand.class})
public final class MortarCli implements Runnable {
    private final boolean terminal;

    private MortarCli(boolean terminal) {
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(commandLine(interactive()).execute(args));
    }

    /**
     * The command line; {@code terminal} says whether its output is a terminal, where progress updates one line
     * in place (otherwise it prints a line per change).
     */
    public static CommandLine commandLine(boolean terminal) {
        return new CommandLine(new MortarCli(terminal));
    }

    boolean terminal() {
        return terminal;
    }

    /** Whether standard output is a terminal. Java 22+ has Console.isTerminal (looked up, as the build targets 21). */
    private static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * {@code conf/mortar.properties} of the installation ({@code bin/mortar} passes its folder as {@code mortar.home}),
     * else of the current folder.
     */
    static Path defaultPropertiesFile() {
        String home = System.getProperty("mortar.home");
        return home != null ? Path.of(home, "conf", "mortar.properties") : Path.of("conf", "mortar.properties");
    }

    @Command(name = "server", mixinStandardHelpOptions = true,
            description = {"Start the all-in-one server. It serves:",
                    "- the Hive Metastore Thrift API (port 9083): Trino, Spark, Hive, Iceberg;",
                    "- on the HTTP port (8910): the AWS Glue Data Catalog API (boto3, the AWS",
                    "  CLI, the SDKs), crawlers and jobs and their runs' logs",
                    "  (/crawlers/NAME/runs/ID/log, /jobs/NAME/runs/ID/log), /health and",
                    "  /metrics (Prometheus);",
                    "- the HiveServer2 SQL gateway (10000; HTTP transport 10001): mortar sql,",
                    "  beeline, JDBC/ODBC tools;",
                    "- with mortar.crawler.workers=external, the worker port (9084) for",
                    "  mortar worker processes.",
                    "Catalog, local warehouse and log (logs/mortar.log) are in the data",
                    "directory (./var). conf/mortar.properties lists every setting; all are",
                    "checked at startup. Ctrl-C stops the server cleanly.",
                    ""})
    static final class Server implements Callable<Integer> {
        @Option(names = "--config", description = "Mortar properties file (default: conf/mortar.properties if present)")
        Path config;

        @Option(names = "--hive-site", description = "A Hive metastore-site.xml or hive-site.xml to read supported keys from")
        Path hiveSite;

        @Option(names = "--thrift-port", description = "HMS Thrift port (mortar.thrift.port, default 9083)")
        String thriftPort;

        @Option(names = "--http-port", description = "HTTP port (mortar.http.port, default 8910)")
        String httpPort;

        @Option(names = "--bind", description = "Address to listen on (mortar.bind.host, default 0.0.0.0)")
        String bind;

        @Option(names = "--data-dir", description = "Data directory (mortar.data.dir, default ./var)")
        String dataDir;

        @Option(names = "--warehouse", description = "Warehouse root, any Hadoop FileSystem URI (mortar.warehouse.dir)")
        String warehouse;

        @Option(names = "--store-url", description = "Catalog store JDBC URL (mortar.store.url; default embedded H2 in the data dir)")
        String storeUrl;

        @Option(names = "--store-user", description = "Catalog store user (mortar.store.user)")
        String storeUser;

        @Option(names = "--store-password", description = "Catalog store password (mortar.store.password)")
        String storePassword;

        @Option(names = "--gateway-port", description = "HiveServer2 gateway port, binary transport (mortar.gateway.port, default 10000)")
        String gatewayPort;

        @Option(names = "--gateway-http-port", description = "HiveServer2 gateway port, HTTP transport (mortar.gateway.http.port, default 10001)")
        String gatewayHttpPort;

        @Option(names = "--max-connections", description = "Most open Thrift connections (mortar.thrift.max.connections)")
        String maxConnections;

        @Option(names = "--max-message-size", description = "Largest Thrift message or frame in bytes (mortar.thrift.max.message.size)")
        String maxMessageSize;

        @Option(names = "--set", description = "Any setting as key=value; repeatable")
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();

        @Option(names = {"-v", "--verbose"}, description = "On a startup failure, print the whole trace too (it is always in <data dir>/logs/mortar.log)")
        boolean verbose;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            MortarServer server;
            try {
                MortarConfig.Builder builder = MortarConfig.builder().hiveSite(hiveSite);
                if (config != null) {
                    builder.requiredPropertiesFile(config);
                } else {
                    builder.propertiesFile(defaultPropertiesFile());
                }
                builder.environment(System.getenv());
                settings.forEach(builder::set);
                builder.set("mortar.thrift.port", thriftPort)
                        .set("mortar.http.port", httpPort)
                        .set("mortar.bind.host", bind)
                        .set("mortar.data.dir", dataDir)
                        .set("mortar.warehouse.dir", warehouse)
                        .set("mortar.store.url", storeUrl)
                        .set("mortar.store.user", storeUser)
                        .set("mortar.store.password", storePassword)
                        .set("mortar.thrift.max.connections", maxConnections)
                        .set("mortar.thrift.max.message.size", maxMessageSize)
                        .set("mortar.gateway.port", gatewayPort)
                        .set("mortar.gateway.http.port", gatewayHttpPort);
                MortarConfig built = builder.build();
                Path logs = built.settings().dataDir().resolve("logs");
                java.nio.file.Files.createDirectories(logs);
                if (System.getProperty("mortar.log.file") == null) {
                    System.setProperty("mortar.log.file", logs.resolve("mortar.log").toString());
                }
                server = new MortarServer(built, hiveSite).start();
            } catch (Exception e) {
                err.println("Error: " + StartupFailure.describe(e));
                if (verbose) {
                    e.printStackTrace(err);
                } else if (!StartupFailure.explained(e)) {
                    err.println("(the details: mortar server --verbose, or " + System.getProperty("mortar.log.file", "the log") + ")");
                }
                if (System.getProperty("mortar.log.file") != null) {
                    // the trace goes to the log file only (log4j2.xml: logger mortar.startup)
                    org.slf4j.LoggerFactory.getLogger("mortar.startup").error("Startup failed: {}", StartupFailure.describe(e), e);
                }
                err.flush();
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                System.out.println("Mortar stopped cleanly.");
                System.out.flush();
                stopped.countDown();
            }, "mortar-shutdown"));
            System.out.printf("Mortar is up: HMS thrift://localhost:%d, HTTP http://localhost:%d%s%s%n", server.thriftPort(), server.httpPort(),
                    server.workerPort() > 0 ? String.format(", workers localhost:%d", server.workerPort()) : "",
                    server.gatewayPort() > 0 ? String.format(", SQL jdbc:hive2://localhost:%d (HTTP transport on %d)", server.gatewayPort(), server.gatewayHttpPort()) : "");
            System.out.flush();
            stopped.await();
            return 0;
        }
    }
}
