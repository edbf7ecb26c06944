package dev.mortar.metastore.control;

import dev.mortar.crawler.CrawlLog;
import dev.mortar.crawler.CrawlReport;
import dev.mortar.crawler.CrawlState;
import dev.mortar.testing.TestClock;
import dev.mortar.testing.TestStores;
import dev.mortar.metastore.control.crawl.CrawlRunState;
import dev.mortar.metastore.control.crawl.CrawlRuns;
import dev.mortar.metastore.control.crawl.CrawlerDefinition;
import dev.mortar.metastore.control.crawl.CrawlerState;
import dev.mortar.metastore.store.CatalogDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The control plane's contract, the same on every store (H2, MariaDB, PostgreSQL): crawler definitions, the
 * crawl run state machine, leases with fencing, stop and expiry, with the error type and message of each refusal.
 * Time is a clock the test moves, so leases expire without waiting.
 */
abstract class ControlPlaneContract {
    abstract String kind();

    @TempDir
    Path dir;
    CatalogDatabase database;
    TestClock clock;
    ControlPlane control;

    @BeforeEach
    void open() throws Exception {
        Map<String, String> store = TestStores.fresh(kind(), dir);
        database = new CatalogDatabase(store.get("mortar.store.url"), store.getOrDefault("mortar.store.user", ""), store.getOrDefault("mortar.store.password", ""), 4);
        clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
        control = ControlPlane.create(database, clock, 2);
    }

    @AfterEach
    void close() {
        database.close();
    }

    static CrawlerDefinition definition(String database, String path) {
        return new CrawlerDefinition("role", Optional.of(database), Optional.empty(),
                List.of(new CrawlerDefinition.S3Target(path, List.of("tmp/**"), Optional.empty(), OptionalInt.of(5), Optional.empty(), Optional.empty())),
                List.of(), Optional.empty(), List.of(), Optional.of("p_"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static CrawlReport finished(CrawlState state) {
        CrawlLog log = new CrawlLog();
        log.add(CrawlLog.Kind.TABLE, "t", "formed from 1 folder");
        return new CrawlReport(List.of("p_t"), List.of(), List.of(), 1, 0, 1, 1, 10, List.of(), log, Optional.of(state));
    }

    @Test
    void definitionsAreCreatedChangedAndRemovedWithTheirErrors() {
        control.crawlers().create("c", definition("db", "/data"));
        assertThatThrownBy(() -> control.crawlers().create("c", definition("db", "/data"))).isInstanceOf(ControlException.AlreadyExists.class)
                .hasMessage("Crawler with name c already exists");
        var status = control.crawlers().status("c");
        assertThat(status.crawler().state()).isEqualTo(CrawlerState.READY);
        assertThat(status.crawler().version()).isEqualTo(1);
        assertThat(status.crawler().created()).isEqualTo(clock.instant());
        assertThat(status.crawler().definition()).isEqualTo(definition("db", "/data"));

        clock.advance(Duration.ofSeconds(5));
        control.crawlers().update("c", d -> definition("other", "/elsewhere"));
        status = control.crawlers().status("c");
        assertThat(status.crawler().version()).isEqualTo(2);
        assertThat(status.crawler().updated()).isEqualTo(clock.instant());
        assertThat(status.crawler().definition().databaseName()).contains("other");

        // a definition the service would refuse is refused whole, and nothing changes
        CrawlerDefinition inconsistent = new CrawlerDefinition("role", Optional.of("db"), Optional.empty(), List.of(), List.of(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Optional.of(CrawlerDefinition.RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> control.crawlers().update("c", d -> inconsistent)).isInstanceOf(ControlException.InvalidInput.class)
                .hasMessageContaining("can have only LOG DeleteBehavior value and LOG UpdateBehavior value");
        assertThat(control.crawlers().status("c").crawler().version()).isEqualTo(2);

        assertThatThrownBy(() -> control.crawlers().status("nope")).isInstanceOf(ControlException.NotFound.class)
                .hasMessage("Crawler entry with name nope does not exist");
        control.crawls().start("c");
        assertThatThrownBy(() -> control.crawlers().delete("c")).isInstanceOf(ControlException.Conflict.class)
                .hasMessage("Crawler c is RUNNING and cannot be deleted");
        control.crawls().stop("c");
        control.crawlers().delete("c");
        assertThat(control.crawlers().names("", 10)).isEmpty();
    }

    @Test
    void aRunIsLeasedHeldWithFencingAndEndedWithItsReport() {
        control.crawlers().create("c", definition("db", "/data"));
        assertThat(control.crawls().lease("w1", 30)).isEmpty();
        String crawlId = control.crawls().start("c");
        assertThatThrownBy(() -> control.crawls().start("c")).isInstanceOf(ControlException.Conflict.class)
                .satisfies(e -> assertThat(((ControlException.Conflict) e).reason()).isEqualTo(ControlException.Conflict.Reason.RUNNING))
                .hasMessage("Crawler with name c has already started");

        CrawlRuns.LeasedCrawl first = control.crawls().lease("w1", 30).orElseThrow();
        assertThat(first.crawlId()).isEqualTo(crawlId);
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.expiresAt()).isEqualTo(clock.millis() + 30_000);
        assertThat(first.assignment().target().database()).isEqualTo("db");
        assertThat(first.assignment().target().tablePrefix()).isEqualTo("p_");
        assertThat(first.assignment().target().includes()).singleElement().satisfies(i -> {
            assertThat(i.exclusions()).containsExactly("tmp/**");
            assertThat(i.sampleSize()).hasValue(5);
        });
        assertThat(first.assignment().previous().isEmpty()).isTrue();
        assertThat(control.crawls().lease("w2", 30)).as("held by w1").isEmpty();
        assertThatThrownBy(() -> control.crawls().heartbeat(first.taskId(), "stale", Optional.empty())).isInstanceOf(ControlException.LeaseLost.class)
                .hasMessage("Crawl task " + crawlId + " is not leased with this token (it is leased to w1)");

        // w1 goes silent: once its lease expired, w2 holds the run, and w1's token is fenced off
        clock.advance(Duration.ofSeconds(31));
        CrawlRuns.LeasedCrawl second = control.crawls().lease("w2", 30).orElseThrow();
        assertThat(second.attempt()).isEqualTo(2);
        assertThatThrownBy(() -> control.crawls().complete(first.taskId(), first.token(), finished(CrawlState.empty()), false))
                .isInstanceOf(ControlException.LeaseLost.class);
        assertThat(control.crawls().heartbeat(second.taskId(), second.token(), Optional.empty()).stopRequested()).isFalse();

        CrawlState folders = CrawlState.empty();
        folders.addDataFolder("file:/data/t", "p_t");
        folders.addTable("p_t", "file:/data/t");
        control.crawls().complete(second.taskId(), second.token(), finished(folders), false);
        var status = control.crawlers().status("c");
        assertThat(status.crawler().state()).isEqualTo(CrawlerState.READY);
        assertThat(status.lastEnded().orElseThrow().state()).isEqualTo(CrawlRunState.COMPLETED);
        assertThat(status.lastEnded().orElseThrow().tablesCreated()).isEqualTo(1);
        assertThat(control.crawls().runLog("c", crawlId).log().orElseThrow().entries()).extracting(CrawlLog.Entry::text)
                .containsExactly("TABLE t: formed from 1 folder");

        // the next run starts from the folders this one saw
        control.crawls().start("c");
        CrawlRuns.LeasedCrawl next = control.crawls().lease("w1", 30).orElseThrow();
        assertThat(next.assignment().previous().dataFolders()).containsEntry("file:/data/t", "p_t");
    }

    @Test
    void expiredLeasesFailTheRunAfterTheLastAttempt() {
        control.crawlers().create("c", definition("db", "/data"));
        String crawlId = control.crawls().start("c");
        control.crawls().lease("w1", 10).orElseThrow();
        clock.advance(Duration.ofSeconds(11));
        assertThat(control.crawls().expireLeases()).as("one more attempt allowed").isZero();
        control.crawls().lease("w2", 10).orElseThrow();
        clock.advance(Duration.ofSeconds(11));
        assertThat(control.crawls().expireLeases()).isEqualTo(1);
        var last = control.crawlers().status("c").lastEnded().orElseThrow();
        assertThat(last.crawlId()).isEqualTo(crawlId);
        assertThat(last.state()).isEqualTo(CrawlRunState.FAILED);
        assertThat(last.error()).hasValue("Crawl abandoned: the lease of worker w2 expired on attempt 2 of 2");
        assertThat(control.crawlers().status("c").crawler().state()).isEqualTo(CrawlerState.READY);
        assertThat(control.crawls().lease("w3", 10)).isEmpty();
    }

    @Test
    void stopsEndWaitingRunsAtOnceAndReachHeldOnesThroughTheirHeartbeat() {
        control.crawlers().create("c", definition("db", "/data"));
        assertThatThrownBy(() -> control.crawls().stop("c")).isInstanceOf(ControlException.Conflict.class).hasMessage("Crawler with name c is not running");
        control.crawls().start("c");
        control.crawls().stop("c");
        assertThat(control.crawlers().status("c").lastEnded().orElseThrow().state()).isEqualTo(CrawlRunState.STOPPED);
        assertThat(control.crawls().lease("w1", 30)).as("a stopped run is not leased").isEmpty();

        control.crawls().start("c");
        CrawlRuns.LeasedCrawl held = control.crawls().lease("w1", 30).orElseThrow();
        control.crawls().stop("c");
        assertThatThrownBy(() -> control.crawls().stop("c")).isInstanceOf(ControlException.Conflict.class).hasMessage("Crawler with name c is already stopping");
        assertThat(control.crawls().heartbeat(held.taskId(), held.token(), Optional.empty()).stopRequested()).isTrue();
        // it finished anyway before it heard: still stopped, as asked
        control.crawls().complete(held.taskId(), held.token(), finished(CrawlState.empty()), false);
        assertThat(control.crawlers().status("c").lastEnded().orElseThrow().state()).isEqualTo(CrawlRunState.STOPPED);
    }

    @Test
    void badLeaseRequestsAndUnrunnableDefinitionsAreRefused() {
        assertThatThrownBy(() -> control.crawls().lease("", 30)).isInstanceOf(ControlException.InvalidInput.class).hasMessage("Worker id must be 1 to 255 characters");
        assertThatThrownBy(() -> control.crawls().lease("w", 0)).isInstanceOf(ControlException.InvalidInput.class)
                .hasMessage("Lease seconds must be between 1 and 3600, not 0");
        CrawlerDefinition missingClassifier = new CrawlerDefinition("role", Optional.of("db"), Optional.empty(), List.of(), List.of(), Optional.empty(),
                List.of("gone"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        control.crawlers().create("c", missingClassifier);
        control.crawls().start("c");
        assertThat(control.crawls().lease("w1", 30)).as("the run fails before a worker gets it").isEmpty();
        var last = control.crawlers().status("c").lastEnded().orElseThrow();
        assertThat(last.state()).isEqualTo(CrawlRunState.FAILED);
        assertThat(last.error()).hasValue("Classifier gone named in the crawler's Classifiers does not exist");
        assertThat(control.crawlers().status("c").crawler().state()).isEqualTo(CrawlerState.READY);
    }
}
