package dev.mortar.metastore.cli;

import dev.mortar.crawler.worker.CrawlWorker;
import dev.mortar.metastore.config.MortarConfig;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.mortar.catalog.hms.HmsCatalog;
import dev.mortar.catalog.hms.HmsCatalogWriter;
import dev.mortar.etl.duckdb.DuckDbEngine;
import dev.mortar.etl.worker.JobWorker;
import dev.mortar.etl.worker.ThriftJobTaskService;
import dev.mortar.metastore.config.ServerSettings;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code mortar worker}: a process that leases crawl tasks and job runs from a server's worker port
 * (mortar.crawler.workers=external, mortar.jobs.workers=external) and runs them, until stopped.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run crawls and job runs for servers whose crawls or jobs run in worker processes (mortar.crawler.workers=external, "
                + "mortar.jobs.workers=external), until stopped.")
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--server", description = "The server's worker port, host:port (default: 127.0.0.1:<mortar.worker.port of the config>)")
    String server;

    @Option(names = "--config", description = "Mortar properties file (default: conf/mortar.properties if present)")
    Path config;

    @Option(names = "--metastore", description = "HMS Thrift API to write tables through, host:port (default: the server's host and its HMS port)")
    String metastore;

    @Option(names = "--id", description = "Name of this worker in leases (default: <host>-<pid>)")
    String id;

    @Option(names = "--lease-seconds", defaultValue = "60", description = "Seconds a lease lasts without a heartbeat (default: ${DEFAULT-VALUE})")
    int leaseSeconds;

    @Option(names = "--heartbeat-ms", description = "Milliseconds between heartbeats, which report progress (default: a third of the lease, at most 2000)")
    Long heartbeatMillis;

    @Option(names = "--poll-ms", defaultValue = "2000", description = "Milliseconds between asks when no task is waiting (default: ${DEFAULT-VALUE})")
    long pollMillis;

    @Option(names = "--job-slots", defaultValue = "1", description = "Job runs this worker runs at once; 0 runs none (default: ${DEFAULT-VALUE})")
    int jobSlots;

    @Option(names = "--glue-endpoint", description = "The server's Glue API as Python shell jobs' boto3 should reach it (default: the server's own "
            + "answer, with its host replaced by --server's host when that answer names this machine's loopback)")
    String glueEndpoint;

    @Override
    public Integer call() throws Exception {
        MortarConfig.Builder builder = MortarConfig.builder();
        if (config != null) {
            builder.requiredPropertiesFile(config);
        } else {
            builder.propertiesFile(MortarCli.defaultPropertiesFile());
        }
        MortarConfig conf = builder.environment(System.getenv()).build();
        HostPort at = HostPort.parse(server != null ? server : "127.0.0.1:" + conf.getInt("mortar.worker.port"), "--server");
        Optional<HostPort> hms = metastore == null ? Optional.empty() : Optional.of(HostPort.parse(metastore, "--metastore"));
        String workerId = id != null ? id : InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
        // Heartbeats carry the progress that `crawler start --wait` shows, so they come at least every 2 s.
        Duration heartbeat = Duration.ofMillis(heartbeatMillis != null ? heartbeatMillis : Math.min(2000L, leaseSeconds * 1000L / 3));
        CrawlWorker worker = new CrawlWorker(new CrawlWorker.Settings(at.host(), at.port(), workerId, leaseSeconds, heartbeat, Duration.ofMillis(pollMillis),
                hms.map(HostPort::host), hms.map(HostPort::port)), new Configuration());
        List<JobWorker> jobWorkers = new ArrayList<>();
        List<Thread> jobThreads = new ArrayList<>();
        ThriftJobTaskService jobService = ThriftJobTaskService.connect(at.host(), at.port());
        if (jobSlots > 0) {
            ServerSettings.JobSettings jobs = conf.settings().jobs();
            Configuration hadoop = conf.s3Settings().applyTo(new Configuration());
            JobWorker.Environment environment = new JobWorker.Environment(new DuckDbEngine(jobs.duckDbMemoryLimit(), jobs.duckDbThreads()),
                    task -> new HmsCatalog(hms.map(HostPort::host).orElse(at.host()), hms.map(HostPort::port).orElse(task.metastorePort())),
                    task -> new HmsCatalogWriter(hms.map(HostPort::host).orElse(at.host()), hms.map(HostPort::port).orElse(task.metastorePort())),
                    hadoop, jobs.python(), task -> endpointFor(task.environment(), at.host()), Files.createTempDirectory("mortar-worker-jobs"));
            for (int i = 0; i < jobSlots; i++) {
                JobWorker jobWorker = new JobWorker(workerId + "-job-" + i, leaseSeconds, heartbeat.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1)
                        : heartbeat, jobService, environment);
                jobWorkers.add(jobWorker);
                jobThreads.add(Thread.ofPlatform().name("job-" + jobWorker.workerId()).start(() -> jobLoop(jobWorker)));
            }
        }
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            // a run cut short here ends FAILED through its worker; one still held after a grace is left to its lease's expiry
            jobWorkers.forEach(w -> w.shutDown("The worker process stopped during the run"));
            for (Thread t : jobThreads) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    break;
                }
            }
            jobWorkers.forEach(JobWorker::close);
            jobService.close();
            main.interrupt();
        }, "worker-shutdown"));
        try {
            worker.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private void jobLoop(JobWorker worker) {
        while (!worker.isShutDown() && !Thread.currentThread().isInterrupted()) {
            boolean worked;
            try {
                worked = worker.runOne();
            } catch (RuntimeException e) {
                System.err.println("Job worker " + worker.workerId() + ": " + e.getMessage());
                worked = false;
            }
            if (!worked && !worker.isShutDown()) {
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The Glue endpoint a Python shell job of this worker gets: --glue-endpoint, or the server's with a loopback host replaced by the server's host. */
    private Map<String, String> endpointFor(Map<String, String> given, String serverHost) {
        String endpoint = glueEndpoint;
        if (endpoint == null) {
            String theirs = given.get("AWS_ENDPOINT_URL");
            if (theirs == null) {
                return Map.of();
            }
            URI uri = URI.create(theirs);
            boolean loopback = "127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost());
            endpoint = loopback ? uri.getScheme() + "://" + serverHost + ":" + uri.getPort() : theirs;
        }
        return Map.of("AWS_ENDPOINT_URL", endpoint, "AWS_ENDPOINT_URL_GLUE", endpoint);
    }

    record HostPort(String host, int port) {
        static HostPort parse(String value, String option) {
            int colon = value.lastIndexOf(':');
            try {
                return new HostPort(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(option + " must be host:port, not '" + value + "'");
            }
        }
    }
}
