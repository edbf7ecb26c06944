package dev.mortar.metastore.server;

import dev.mortar.gateway.GatewayConfig;
import dev.mortar.gateway.QueryGateway;
import dev.mortar.catalog.hms.HmsCatalog;
import dev.mortar.metastore.config.MortarConfig;
import dev.mortar.metastore.control.ControlPlane;
import dev.mortar.metastore.hms.ConstraintHandler;
import dev.mortar.metastore.hms.DatabaseHandler;
import dev.mortar.metastore.hms.FunctionHandler;
import dev.mortar.metastore.hms.HmsContext;
import dev.mortar.metastore.hms.LockHandler;
import dev.mortar.metastore.hms.PartitionHandler;
import dev.mortar.metastore.hms.ServerHandler;
import dev.mortar.metastore.hms.StatisticsHandler;
import dev.mortar.metastore.hms.TableHandler;
import dev.mortar.metastore.store.CatalogDatabase;
import dev.mortar.metastore.store.CatalogStore;
import dev.mortar.metastore.thrift.HmsDispatcher;
import dev.mortar.metastore.thrift.ThriftServer;
import dev.mortar.metastore.warehouse.Warehouse;
import dev.mortar.metastore.worker.CrawlTaskEndpoint;
import dev.mortar.metastore.worker.EmbeddedWorkers;
import dev.mortar.metastore.worker.WorkerProtocolServer;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** The all-in-one Mortar process: catalog store, HMS Thrift API and the HTTP port. */
public final class MortarServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MortarServer.class);

    private final MortarConfig config;
    private final CatalogDatabase database;
    private final HmsDispatcher dispatcher;
    private final ThriftServer thrift;
    private final HttpEndpoint http;
    private final HmsContext context;
    private final HmsCatalog gatewayCatalog;
    private final QueryGateway gateway;
    private final WorkerProtocolServer workers;
    private final ControlPlane control;
    private final EmbeddedWorkers embeddedWorkers;

    public MortarServer(MortarConfig config, Path hiveSite) throws Exception {
        this.config = config;
        Files.createDirectories(config.dataDir());
        String url = config.storeUrl();
        this.database = new CatalogDatabase(url, config.get("mortar.store.user"), config.get("mortar.store.password"), config.getInt("mortar.store.pool.size"));
        Configuration hadoop = config.hadoopConfiguration(hiveSite);
        Warehouse warehouse = new Warehouse(config.warehouseDir(), config.get("mortar.warehouse.external.dir"), hadoop);
        this.context = new HmsContext(new CatalogStore(database, config.getInt("mortar.cache.partitions")), warehouse, config);
        TableHandler tables = new TableHandler(context);
        ConstraintHandler constraints = new ConstraintHandler(context);
        tables.setConstraints(constraints);
        DatabaseHandler databases = new DatabaseHandler(context, tables);
        databases.ensureDefaults();
        this.dispatcher = new HmsDispatcher(List.of(databases, tables, new PartitionHandler(context), new StatisticsHandler(context),
                new FunctionHandler(context), constraints, new LockHandler(context), new ServerHandler(context)));
        Metrics metrics = new Metrics();
        String bind = config.get("mortar.bind.host");
        this.thrift = new ThriftServer(bind, config.getInt("mortar.thrift.port"), dispatcher, tables, metrics,
                config.getInt("mortar.thrift.max.message.size"), config.getInt("mortar.thrift.max.connections"),
                config.getInt("mortar.shutdown.grace.seconds"));
        this.http = new HttpEndpoint(bind, config.getInt("mortar.http.port"), metrics, () -> true);
        this.control = ControlPlane.create(database, Clock.systemUTC(), config.getInt("mortar.crawler.task.max.attempts"));
        var glue = dev.mortar.metastore.glue.GlueEndpoint.create(config, context, dispatcher.iface(), metrics, control);
        http.mount("/", glue);
        http.mount("/crawlers/", glue.crawlRunLogs());
        // Every crawl is a task on one queue: embedded workers lease it here, `mortar worker` processes over the worker port.
        CrawlTaskEndpoint tasks = new CrawlTaskEndpoint(control.crawls(), thrift::port);
        boolean external = switch (config.get("mortar.crawler.workers")) {
            case "in-process" -> false;
            case "external" -> true;
            default -> throw new IllegalArgumentException("Setting mortar.crawler.workers must be in-process or external, not '"
                    + config.get("mortar.crawler.workers") + "'");
        };
        int workerPort = config.getInt("mortar.worker.port");
        this.workers = workerPort < 0 || !external ? null : new WorkerProtocolServer(bind, workerPort, tasks, config.getInt("mortar.thrift.max.message.size"));
        // crawlers read s3:// and s3a:// include paths through S3A whether or not the warehouse does
        Configuration crawlHadoop = config.s3Settings().applyTo(new Configuration(warehouse.conf()));
        this.embeddedWorkers = external ? null : new EmbeddedWorkers(config.getInt("mortar.crawler.embedded.workers"),
                "server-" + InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid(), config.getInt("mortar.crawler.lease.seconds"),
                tasks, control.crawls(), dispatcher.iface(), crawlHadoop);
        if (Boolean.parseBoolean(config.get("mortar.gateway.enabled"))) {
            // the gateway reads the catalog as an HMS client of this server, as it would from another machine
            String catalogHost = InetAddress.getByName(bind).isAnyLocalAddress() ? "127.0.0.1" : bind;
            this.gatewayCatalog = new HmsCatalog(catalogHost, thrift.port());
            this.gateway = new QueryGateway(gatewayConfig(config, bind), gatewayCatalog);
        } else {
            this.gatewayCatalog = null;
            this.gateway = null;
        }
        LOG.info("Catalog store {}, warehouse {}", redact(url), warehouse.root());
    }

    private static GatewayConfig gatewayConfig(MortarConfig config, String bind) {
        return new GatewayConfig(bind,
                config.getInt("mortar.gateway.port"),
                config.getInt("mortar.gateway.http.port"),
                config.get("mortar.gateway.http.path"),
                config.get("mortar.gateway.users"),
                config.getInt("mortar.gateway.max.operations"),
                config.getInt("mortar.gateway.max.operations.per.session"),
                config.getLong("mortar.gateway.query.timeout.seconds"),
                config.getInt("mortar.gateway.fetch.default.rows"),
                config.getInt("mortar.gateway.fetch.max.rows"),
                config.getLong("mortar.gateway.session.idle.timeout.seconds"),
                config.getInt("mortar.thrift.max.message.size"),
                config.get("mortar.gateway.duckdb.memory.limit"),
                config.getInt("mortar.gateway.duckdb.threads"),
                config.dataDir().resolve("tmp").resolve("gateway"),
                config.get("mortar.gateway.engine"),
                config.get("mortar.gateway.trino.url"),
                config.get("mortar.gateway.trino.user"),
                config.get("mortar.gateway.trino.catalog"));
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&;]*", "password=***");
    }

    public MortarServer start() {
        thrift.start();
        http.start();
        if (workers != null) {
            workers.start();
        }
        if (embeddedWorkers != null) {
            embeddedWorkers.start();
        }
        if (gateway != null) {
            gateway.start();
        }
        return this;
    }

    public int thriftPort() {
        return thrift.port();
    }

    /** The query gateway's binary (HiveServer2) port; -1 when the gateway or that transport is off. */
    public int gatewayPort() {
        return gateway == null ? -1 : gateway.port();
    }

    /** The query gateway's HTTP port; -1 when the gateway or that transport is off. */
    public int gatewayHttpPort() {
        return gateway == null ? -1 : gateway.httpPort();
    }

    /** The worker protocol's port; -1 when it is off. */
    public int workerPort() {
        return workers == null ? -1 : workers.port();
    }

    public int httpPort() {
        return http.port();
    }

    /** The control plane this server serves. */
    public ControlPlane control() {
        return control;
    }

    public HmsContext context() {
        return context;
    }

    public HmsDispatcher dispatcher() {
        return dispatcher;
    }

    public HttpEndpoint http() {
        return http;
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
            gatewayCatalog.close();
        }
        if (embeddedWorkers != null) {
            embeddedWorkers.close();
        }
        if (workers != null) {
            workers.close();
        }
        thrift.close();
        http.close();
        database.close();
        LOG.info("Mortar stopped");
    }
}
