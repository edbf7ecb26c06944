package dev.mortar.metastore.cli;

import dev.mortar.testing.Await;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortar.metastore.TestServer;
import dev.mortar.thrift.worker.CrawlProgress;
import dev.mortar.thrift.worker.CrawlReport;
import dev.mortar.thrift.worker.CrawlTask;
import dev.mortar.thrift.worker.CrawlTaskService;
import dev.mortar.thrift.worker.FileError;
import dev.mortar.thrift.worker.InvalidRequestException;
import dev.mortar.thrift.worker.LeaseLostException;
import dev.mortar.thrift.worker.LeaseStatus;
import dev.mortar.thrift.worker.NoSuchTaskException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker protocol on a real server's worker port, spoken by its generated client: leases, heartbeats, stops, and bad leases' errors. */
class CrawlTaskProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static GlueApiClient glue;
    private TFramedTransport transport;
    private CrawlTaskService.Client worker;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("mortar.crawler.workers", "external", "mortar.worker.port", "0", "mortar.crawler.task.max.attempts", "2"));
        glue = new GlueApiClient(URI.create("http://127.0.0.1:" + server.server.httpPort()), "us-east-1", Optional.empty());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        server.deleteData();
    }

    @BeforeEach
    void connect() throws Exception {
        transport = new TFramedTransport(new TSocket("127.0.0.1", server.server.workerPort()));
        transport.open();
        worker = new CrawlTaskService.Client(new TBinaryProtocol(transport));
    }

    @AfterEach
    void disconnect() {
        transport.close();
    }

    private static void startCrawler(String name) throws Exception {
        ObjectNodeBuilder.create(name);
        glue.call("StartCrawler", GlueApiClient.object().put("Name", name));
    }

    /** CreateCrawler with one path, an exclusion and a table prefix. */
    private static final class ObjectNodeBuilder {
        static void create(String name) throws Exception {
            var input = GlueApiClient.object().put("Name", name).put("Role", "r").put("DatabaseName", "db_" + name).put("TablePrefix", "p_");
            input.putObject("Targets").putArray("S3Targets").addObject().put("Path", "/data/" + name).putArray("Exclusions").add("tmp/**");
            glue.call("CreateCrawler", input);
        }
    }

    private static JsonNode crawler(String name) throws Exception {
        return glue.call("GetCrawler", GlueApiClient.object().put("Name", name)).path("Crawler");
    }

    private static JsonNode lastRun(String name) throws Exception {
        return glue.call("ListCrawls", GlueApiClient.object().put("CrawlerName", name)).path("Crawls").get(0);
    }

    private static void awaitExpiry(CrawlTask task) throws Exception {
        Await.until("the lease to expire", Duration.ofSeconds(30),
                () -> System.currentTimeMillis() > task.getLeaseExpiresAtMillis() ? Optional.of(true) : Optional.empty());
    }

    private static CrawlReport report(boolean stopped) {
        return new CrawlReport(List.of("p_a"), List.of(), 3, 7, List.of(new FileError("file:/data/x.bin", "No classifier recognised the file (UNKNOWN)")), stopped);
    }

    @Test
    void leaseHeartbeatExpiryReleaseStopAndComplete() throws Exception {
        assertThatThrownBy(() -> worker.leaseTask("", 30)).isInstanceOf(InvalidRequestException.class).hasMessage("Worker id must be 1 to 255 characters");
        assertThatThrownBy(() -> worker.leaseTask("w1", 0)).isInstanceOf(InvalidRequestException.class).hasMessage("Lease seconds must be between 1 and 3600, not 0");
        startCrawler("leased");

        // long enough for the calls below on a busy machine; the test then waits for it to expire
        CrawlTask task = worker.leaseTask("w1", 4).getTask();
        assertThat(task.getCrawlerName()).isEqualTo("leased");
        assertThat(task.getAttempt()).isEqualTo(1);
        assertThat(task.getCrawlId()).isEqualTo(lastRun("leased").path("CrawlId").asText());
        assertThat(task.getMetastorePort()).isEqualTo(server.server.thriftPort());
        assertThat(task.getTarget().getDatabaseName()).isEqualTo("db_leased");
        assertThat(task.getTarget().getTablePrefix()).isEqualTo("p_");
        // the crawler's policy travels typed, with the folder state of its last run (none yet)
        assertThat(task.getTarget().getPolicy().getUpdateBehavior()).isEqualTo(dev.mortar.thrift.worker.UpdateBehavior.UPDATE_IN_DATABASE);
        assertThat(task.getTarget().getPolicy().getDeleteBehavior()).isEqualTo(dev.mortar.thrift.worker.DeleteBehavior.DEPRECATE_IN_DATABASE);
        assertThat(task.getPrevious().getDataFolders()).isEmpty();
        assertThat(task.getTarget().getIncludes()).singleElement().satisfies(i -> {
            assertThat(i.getPath()).isEqualTo("/data/leased");
            assertThat(i.getExclusions()).containsExactly("tmp/**");
        });
        // held: nobody else gets it
        assertThat(worker.leaseTask("w2", 30).isSetTask()).isFalse();

        assertThatThrownBy(() -> worker.heartbeat(task.getTaskId(), "not-the-token", new CrawlProgress(1, 2, 0)))
                .isInstanceOf(LeaseLostException.class).hasMessage("Crawl task " + task.getTaskId() + " is not leased with this token (it is leased to w1)");
        assertThatThrownBy(() -> worker.heartbeat("no-such-task", task.getLeaseToken(), new CrawlProgress(1, 2, 0)))
                .isInstanceOf(NoSuchTaskException.class).hasMessage("No crawl task no-such-task");
        var beat = worker.heartbeat(task.getTaskId(), task.getLeaseToken(), new CrawlProgress(12, 3456, 2));
        assertThat(beat.getStatus()).isEqualTo(LeaseStatus.EXTENDED);
        JsonNode progress = crawler("leased").path("MortarProgress");
        assertThat(progress.path("CrawlId").asText()).isEqualTo(task.getCrawlId());
        assertThat(progress.path("FilesSeen").asLong()).isEqualTo(12);
        assertThat(progress.path("BytesSeen").asLong()).isEqualTo(3456);
        assertThat(progress.path("TablesFound").asInt()).isEqualTo(2);
        assertThat(progress.path("Worker").asText()).isEqualTo("w1");

        CrawlTask renewed = new CrawlTask(task).setLeaseExpiresAtMillis(beat.getLeaseExpiresAtMillis());
        awaitExpiry(renewed);
        assertThatThrownBy(() -> worker.heartbeat(task.getTaskId(), task.getLeaseToken(), new CrawlProgress(13, 3500, 2)))
                .isInstanceOf(LeaseLostException.class).hasMessageContaining("expired").hasMessageEndingWith("the task will be leased again");

        CrawlTask second = worker.leaseTask("w2", 30).getTask();
        assertThat(second.getTaskId()).isEqualTo(task.getTaskId());
        assertThat(second.getAttempt()).isEqualTo(2);
        assertThat(second.getLeaseToken()).isNotEqualTo(task.getLeaseToken());
        assertThatThrownBy(() -> worker.completeTask(task.getTaskId(), task.getLeaseToken(), report(false)))
                .isInstanceOf(LeaseLostException.class).hasMessageContaining("it is leased to w2");
        assertThat(crawler("leased").path("State").asText()).isEqualTo("RUNNING");

        // StopCrawler reaches the worker through its next heartbeat
        glue.call("StopCrawler", GlueApiClient.object().put("Name", "leased"));
        assertThat(crawler("leased").path("State").asText()).isEqualTo("STOPPING");
        assertThat(worker.heartbeat(second.getTaskId(), second.getLeaseToken(), new CrawlProgress(1, 1, 1)).getStatus()).isEqualTo(LeaseStatus.STOP_REQUESTED);
        worker.completeTask(second.getTaskId(), second.getLeaseToken(), report(true));

        JsonNode crawler = crawler("leased");
        assertThat(crawler.path("State").asText()).isEqualTo("READY");
        assertThat(crawler.has("MortarProgress")).isFalse();
        assertThat(crawler.path("LastCrawl").path("Status").asText()).isEqualTo("CANCELLED");
        JsonNode run = lastRun("leased");
        assertThat(run.path("State").asText()).isEqualTo("STOPPED");
        JsonNode summary = JSON.readTree(run.path("Summary").asText());
        assertThat(summary.at("/TABLE/ADD/Count").asInt()).isEqualTo(1);
        assertThat(summary.at("/PARTITION/ADD/Count").asInt()).isEqualTo(3);
        assertThat(summary.at("/FILE/READ/Count").asInt()).isEqualTo(7);
        assertThat(summary.at("/Errors/0/Path").asText()).isEqualTo("file:/data/x.bin");

        assertThatThrownBy(() -> worker.heartbeat(second.getTaskId(), second.getLeaseToken(), new CrawlProgress(1, 1, 1)))
                .isInstanceOf(LeaseLostException.class).hasMessageEndingWith("(the task has ended)");
        assertThatThrownBy(() -> worker.completeTask(second.getTaskId(), second.getLeaseToken(), report(false)))
                .isInstanceOf(LeaseLostException.class);
        assertThat(lastRun("leased").path("State").asText()).isEqualTo("STOPPED");
    }

    @Test
    void failedTasksFailTheirRunAndALeaseExpiringTooOftenFailsIt() throws Exception {
        startCrawler("fails");
        CrawlTask task = worker.leaseTask("w1", 30).getTask();
        worker.failTask(task.getTaskId(), task.getLeaseToken(), "Metastore refused to create table db_fails.p_a: boom", report(false));
        JsonNode run = lastRun("fails");
        assertThat(run.path("State").asText()).isEqualTo("FAILED");
        assertThat(run.path("ErrorMessage").asText()).isEqualTo("Metastore refused to create table db_fails.p_a: boom");
        assertThat(crawler("fails").path("State").asText()).isEqualTo("READY");

        startCrawler("abandoned");
        CrawlTask first = worker.leaseTask("w1", 1).getTask();
        awaitExpiry(first);
        CrawlTask second = worker.leaseTask("w2", 1).getTask();
        assertThat(second.getAttempt()).isEqualTo(2);
        awaitExpiry(second);
        // mortar.crawler.task.max.attempts=2: the run fails instead of a third lease
        assertThat(worker.leaseTask("w3", 30).isSetTask()).isFalse();
        JsonNode abandoned = lastRun("abandoned");
        assertThat(abandoned.path("State").asText()).isEqualTo("FAILED");
        assertThat(abandoned.path("ErrorMessage").asText()).isEqualTo("Crawl abandoned: the lease of worker w2 expired on attempt 2 of 2");
        assertThat(crawler("abandoned").path("State").asText()).isEqualTo("READY");
    }

    @Test
    void stoppingAQueuedCrawlEndsItAtOnceAndGarbageOnTheWorkerPortChangesNothing() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.server.workerPort())) {
            OutputStream out = raw.getOutputStream();
            out.write(new byte[] {0, 0, 0, 9, 'n', 'o', 't', ' ', 't', 'h', 'r', 'i', 'f'});
            out.flush();
            assertThat(raw.getInputStream().read()).isEqualTo(-1);
        }
        startCrawler("queued");
        glue.call("StopCrawler", GlueApiClient.object().put("Name", "queued"));
        assertThat(crawler("queued").path("State").asText()).isEqualTo("READY");
        assertThat(lastRun("queued").path("State").asText()).isEqualTo("STOPPED");
        assertThat(worker.leaseTask("w1", 30).isSetTask()).isFalse();
    }
}
