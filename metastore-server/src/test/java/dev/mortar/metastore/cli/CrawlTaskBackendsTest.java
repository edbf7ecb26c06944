package dev.mortar.metastore.cli;

import dev.mortar.metastore.TestServer;
import dev.mortar.testing.TestStores;
import dev.mortar.thrift.worker.CrawlProgress;
import dev.mortar.thrift.worker.CrawlReport;
import dev.mortar.thrift.worker.CrawlTask;
import dev.mortar.thrift.worker.CrawlTaskService;
import dev.mortar.thrift.worker.LeaseLostException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Crawl task leases on every supported store (the V6 migration and the conditional UPDATE that leases): workers
 * leasing at the same moment on embedded H2 and the machine's MariaDB and PostgreSQL each get different tasks, and
 * every task is leased exactly once.
 */
class CrawlTaskBackendsTest {
    private static final int CRAWLERS = 8;
    private static final int WORKERS = 4;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgres"})
    void concurrentWorkersNeverShareATask(String kind) throws Exception {
        Path dir = Files.createTempDirectory("mortar-tasks-" + kind);
        Map<String, String> settings = new HashMap<>(TestStores.fresh(kind, dir));
        settings.put("mortar.crawler.workers", "external");
        settings.put("mortar.worker.port", "0");
        try (TestServer server = TestServer.start(dir, settings)) {
            GlueApiClient glue = new GlueApiClient(URI.create("http://127.0.0.1:" + server.server.httpPort()), "us-east-1", Optional.empty());
            for (int i = 0; i < CRAWLERS; i++) {
                var input = GlueApiClient.object().put("Name", "c" + i).put("Role", "r").put("DatabaseName", "db");
                input.putObject("Targets").putArray("S3Targets").addObject().put("Path", "/data/c" + i);
                glue.call("CreateCrawler", input);
                glue.call("StartCrawler", GlueApiClient.object().put("Name", "c" + i));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<CrawlTask>>> leased = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(WORKERS)) {
                for (int w = 0; w < WORKERS; w++) {
                    String id = "w" + w;
                    leased.add(pool.submit(() -> {
                        List<CrawlTask> mine = new ArrayList<>();
                        try (TFramedTransport transport = new TFramedTransport(new TSocket("127.0.0.1", server.server.workerPort()))) {
                            transport.open();
                            CrawlTaskService.Client client = new CrawlTaskService.Client(new TBinaryProtocol(transport));
                            go.await();
                            while (true) {
                                var reply = client.leaseTask(id, 300);
                                if (!reply.isSetTask()) {
                                    return mine;
                                }
                                mine.add(reply.getTask());
                            }
                        }
                    }));
                }
                go.countDown();
            }
            List<CrawlTask> all = new ArrayList<>();
            for (Future<List<CrawlTask>> f : leased) {
                all.addAll(f.get());
            }
            assertThat(all).extracting(CrawlTask::getCrawlerName).hasSize(CRAWLERS).doesNotHaveDuplicates();
            assertThat(all).extracting(CrawlTask::getAttempt).containsOnly(1);

            try (TFramedTransport transport = new TFramedTransport(new TSocket("127.0.0.1", server.server.workerPort()))) {
                transport.open();
                CrawlTaskService.Client client = new CrawlTaskService.Client(new TBinaryProtocol(transport));
                CrawlTask first = all.get(0);
                assertThatThrownBy(() -> client.heartbeat(first.getTaskId(), "stale", new CrawlProgress(0, 0, 0))).isInstanceOf(LeaseLostException.class);
                for (CrawlTask t : all) {
                    client.heartbeat(t.getTaskId(), t.getLeaseToken(), new CrawlProgress(1, 10, 1));
                    client.completeTask(t.getTaskId(), t.getLeaseToken(), new CrawlReport(List.of(), List.of(), 0, 1, List.of(), false));
                }
            }
            for (int i = 0; i < CRAWLERS; i++) {
                var crawls = glue.call("ListCrawls", GlueApiClient.object().put("CrawlerName", "c" + i)).path("Crawls");
                assertThat(crawls).hasSize(1);
                assertThat(crawls.get(0).path("State").asText()).isEqualTo("COMPLETED");
                assertThat(glue.call("GetCrawler", GlueApiClient.object().put("Name", "c" + i)).path("Crawler").path("State").asText()).isEqualTo("READY");
            }
            server.deleteData();
        }
    }
}
