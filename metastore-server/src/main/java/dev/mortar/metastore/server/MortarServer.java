package dev.mortar.metastore.server;

import dev.mortar.gateway.GatewayConfig;
import dev.mortar.gateway.QueryGateway;
import dev.mortar.catalog.hms.HmsCatalog;
import dev.mortar.metastore.config.MortarConfig;
import dev.mortar.metastore.config.ServerSettings;
import dev.mortar.metastore.control.ControlPlane;
import dev.mortar.metastore.control.schedule.Scheduling;
import dev.mortar.scheduler.engine.SchedulerSettings;
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
import dev.mortar.metastore.worker.EmbeddedJobWorkers;
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
    private final DataDirectoryLock dataDirLock;
    private final ControlPlane control;
    private final EmbeddedWorkers embeddedWorkers;
    private final EmbeddedJobWorkers jobWorkers;
    private final dev.mortar.scheduler.engine.SchedulerListener schedulerListener;

    public MortarServer(MortarConfig config, Path hiveSite) throws Exception {
        this.config = config;
        ServerSettings settings = config.settings();
        Files.createDirectories(settings.dataDir());
        // one server per embedded store: a second one on the same data directory is refused before H2 is asked
        this.dataDirLock = settings.store().url().startsWith("jdbc:h2:file:" + settings.dataDir()) ? DataDirectoryLock.acquire(settings.dataDir()) : null;
        CatalogDatabase opened = null;
        ThriftServer thriftServer = null;
        HttpEndpoint httpEndpoint = null;
        WorkerProtocolServer workerServer = null;
        HmsCatalog catalogClient = null;
        try {
            ServerSettings.StoreSettings store = settings.store();
            opened = new CatalogDatabase(store.url(), store.user(), store.password(), store.poolSize());
            Configuration hadoop = config.hadoopConfiguration(hiveSite);
            Warehouse warehouse = new Warehouse(settings.warehouseDir(), settings.externalWarehouseDir(), hadoop);
            this.context = new HmsContext(new CatalogStore(opened, settings.partitionCacheSize()), warehouse, config);
            TableHandler tables = new TableHandler(context);
            ConstraintHandler constraints = new ConstraintHandler(context);
            tables.setConstraints(constraints);
            DatabaseHandler databases = new DatabaseHandler(context, tables);
            databases.ensureDefaults();
            this.dispatcher = new HmsDispatcher(List.of(databases, tables, new PartitionHandler(context), new StatisticsHandler(context),
                    new FunctionHandler(context), constraints, new LockHandler(context), new ServerHandler(context)));
            Metrics metrics = new Metrics();
            String bind = settings.bindHost();
            thriftServer = bound("HMS Thrift", "mortar.thrift.port", "--thrift-port", settings.thriftPort(), () -> new ThriftServer(bind,
                    settings.thriftPort(), dispatcher, tables, metrics, settings.maxMessageSize(), settings.maxThriftConnections(), settings.shutdownGraceSeconds()));
            ThriftServer hms = thriftServer;
            httpEndpoint = bound("HTTP", "mortar.http.port", "--http-port", settings.httpPort(), () -> new HttpEndpoint(bind, settings.httpPort(), metrics, () -> true));
            ServerSettings.CrawlSettings crawls = settings.crawls();
            ServerSettings.SchedulerSettings scheduling = settings.scheduler();
            this.control = ControlPlane.create(opened, Clock.systemUTC(), crawls.maxAttempts(), new Scheduling.Options(
                    java.time.Duration.ofMinutes(scheduling.minIntervalMinutes()), new SchedulerSettings(java.time.Duration.ofSeconds(scheduling.leaseSeconds()),
                    java.time.Duration.ofMillis(scheduling.pollMillis()), java.time.Duration.ofSeconds(Math.max(60, 2L * scheduling.leaseSeconds())),
                    scheduling.catchUp(), 100)));
            this.schedulerListener = metrics.scheduler();
            control.crawls().countWith(metrics.crawls());
            control.jobRuns().countWith(metrics.jobs());
            metrics.partitionCache(context.store.partitionCache());
            var glue = dev.mortar.metastore.glue.GlueEndpoint.create(config, context, dispatcher.iface(), metrics, control);
            httpEndpoint.mount("/", glue);
            httpEndpoint.mount("/crawlers/", glue.crawlRunLogs());
            httpEndpoint.mount("/jobs/", glue.jobRunLogs());
            QueryHistory history = new QueryHistory(settings.queryHistorySize(), Clock.systemUTC(), InetAddress.getLocalHost().getHostName() + ":" + settings.httpPort());
            httpEndpoint.mount("/queries", glue.signedReads(history::read));
            // Every crawl is a task on one queue: this server's workers lease it directly, `mortar worker` processes over the worker port.
            ServerSettings.JobSettings jobs = settings.jobs();
            String localHost = InetAddress.getByName(bind).isAnyLocalAddress() ? "127.0.0.1" : bind;
            int httpPort = httpEndpoint.port();
            java.util.Map<String, String> jobEnvironment = pythonEnvironment(config, jobs, "http://" + localHost + ":" + httpPort);
            CrawlTaskEndpoint tasks = new CrawlTaskEndpoint(control.crawls(), control.jobRuns(), hms::port, () -> jobEnvironment);
            if (settings.workerPort().isPresent()) {
                int port = settings.workerPort().get();
                workerServer = bound("worker", "mortar.worker.port", "--set mortar.worker.port=...", port,
                        () -> new WorkerProtocolServer(bind, port, tasks, settings.maxMessageSize()));
            }
            // crawlers read s3:// and s3a:// include paths through S3A whether or not the warehouse does
            Configuration crawlHadoop = config.s3Settings().applyTo(new Configuration(warehouse.conf()));
            this.embeddedWorkers = crawls.external() ? null : new EmbeddedWorkers(crawls.embeddedWorkers(),
                    "server-" + InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid(), crawls.leaseSeconds(), tasks, control.crawls(),
                    dispatcher.iface(), crawlHadoop);
            // with no workers here (external, or 0), the server still ends runs whose holder's lease expired
            this.jobWorkers = new EmbeddedJobWorkers(jobs.external() ? 0 : jobs.embeddedWorkers(),
                    "server-" + InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid(), jobs.leaseSeconds(), tasks, control.jobRuns(),
                    dispatcher.iface(), crawlHadoop, jobs.python(), jobs.duckDbMemoryLimit(), jobs.duckDbThreads(), jobs.workDir());
            if (settings.gateway().isPresent()) {
                GatewayConfig gatewayConfig = settings.gateway().get();
                // the gateway reads the catalog through the HMS API, bound to this server's own handler (as its embedded
                // workers are): the same calls, checks and transactions as over a socket, without a loopback round trip
                catalogClient = new HmsCatalog(dispatcher.iface());
                HmsCatalog gatewayCatalogClient = catalogClient;
                this.gateway = bound("SQL gateway", "mortar.gateway.port " + gatewayConfig.port() + " or mortar.gateway.http.port " + gatewayConfig.httpPort(),
                        "--gateway-port/--gateway-http-port", -1, () -> new QueryGateway(gatewayConfig, gatewayCatalogClient, outcome -> {
                            metrics.recordQuery(outcome);
                            history.ended(outcome);
                        }));
            } else {
                this.gateway = null;
            }
            LOG.info("Catalog store {}, warehouse {}", store.redactedUrl(), warehouse.root());
        } catch (Exception | Error e) {
            for (AutoCloseable c : new AutoCloseable[] {workerServer, catalogClient, thriftServer, httpEndpoint, opened, dataDirLock}) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
            }
            throw e;
        }
        this.database = opened;
        this.thrift = thriftServer;
        this.http = httpEndpoint;
        this.workers = workerServer;
        this.gatewayCatalog = catalogClient;
    }

    /** What a Python shell job's AWS clients need to reach this server: its endpoint, a region, and credentials it accepts. */
    private static java.util.Map<String, String> pythonEnvironment(MortarConfig config, ServerSettings.JobSettings jobs, String endpoint) {
        var keys = dev.mortar.metastore.glue.GlueEndpoint.accessKeys(config);
        var key = keys.entrySet().stream().findFirst();
        return java.util.Map.of("AWS_ENDPOINT_URL", endpoint, "AWS_ENDPOINT_URL_GLUE", endpoint, "AWS_DEFAULT_REGION", jobs.region(), "AWS_REGION",
                jobs.region(), "AWS_ACCESS_KEY_ID", key.map(java.util.Map.Entry::getKey).orElse("mortar"), "AWS_SECRET_ACCESS_KEY",
                key.map(java.util.Map.Entry::getValue).orElse("mortar"));
    }

    @FunctionalInterface
    private interface Listener<T> {
        T open() throws java.io.IOException;
    }

    /** Opens a listening socket; a port taken by another process is a {@link StartupException} that names it. */
    private static <T> T bound(String what, String key, String flag, int port, Listener<T> listener) throws java.io.IOException {
        try {
            return listener.open();
        } catch (java.net.BindException e) {
            String which = port > 0 ? what + " port " + port + " (" + key + ")" : what + " port (" + key + ")";
            throw new StartupException("The " + which + " is in use by another process: stop it, or choose another port with " + flag, e);
        }
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
        if (jobWorkers != null) {
            jobWorkers.start();
        }
        if (gateway != null) {
            gateway.start();
        }
        if (config.settings().scheduler().enabled()) {
            control.scheduling().start(schedulerHolder(), schedulerListener);
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

    /** This server's name as a scheduler: unique among the servers on one store. */
    private String schedulerHolder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return "server-" + host + "-" + ProcessHandle.current().pid() + "-" + http.port();
    }

    @Override
    public void close() {
        control.scheduling().close();
        if (gateway != null) {
            gateway.close();
            gatewayCatalog.close();
        }
        if (embeddedWorkers != null) {
            embeddedWorkers.close();
        }
        if (jobWorkers != null) {
            jobWorkers.close();
        }
        if (workers != null) {
            workers.close();
        }
        thrift.close();
        http.close();
        database.close();
        if (dataDirLock != null) {
            try {
                dataDirLock.close();
            } catch (java.io.IOException e) {
                LOG.warn("Cannot release the lock of the data directory", e);
            }
        }
        LOG.info("Mortar stopped");
    }
}
