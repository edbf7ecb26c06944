package dev.mortar.metastore.cli;

import dev.mortar.crawler.worker.CrawlWorker;
import dev.mortar.metastore.config.MortarConfig;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code mortar worker}: a crawler process that leases crawl tasks from a server (mortar.crawler.workers=external). */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run crawls for a server whose crawlers run in worker processes (mortar.crawler.workers=external), until stopped.")
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
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            main.interrupt();
        }, "worker-shutdown"));
        try {
            worker.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
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
