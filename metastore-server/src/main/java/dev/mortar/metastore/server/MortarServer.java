package dev.mortar.metastore.server;

import dev.mortar.metastore.config.MortarConfig;
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
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
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

    public MortarServer(MortarConfig config, Path hiveSite) throws Exception {
        this.config = config;
        Files.createDirectories(config.dataDir());
        String url = config.storeUrl();
        this.database = new CatalogDatabase(url, config.get("mortar.store.user"), config.get("mortar.store.password"), config.getInt("mortar.store.pool.size"));
        Configuration hadoop = config.hadoopConfiguration(hiveSite);
        Warehouse warehouse = new Warehouse(config.warehouseDir(), config.get("mortar.warehouse.external.dir"), hadoop);
        this.context = new HmsContext(new CatalogStore(database), warehouse, config);
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
        http.mount("/", dev.mortar.metastore.glue.GlueEndpoint.create(config, context, dispatcher.iface(), metrics));
        LOG.info("Catalog store {}, warehouse {}", redact(url), warehouse.root());
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&;]*", "password=***");
    }

    public MortarServer start() {
        thrift.start();
        http.start();
        return this;
    }

    public int thriftPort() {
        return thrift.port();
    }

    public int httpPort() {
        return http.port();
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
        thrift.close();
        http.close();
        database.close();
        LOG.info("Mortar stopped");
    }
}
