package dev.mortar.metastore.control.crawl;

import dev.mortar.metastore.control.ControlException;
import dev.mortar.metastore.control.tag.Tags;
import dev.mortar.metastore.store.CatalogDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static dev.mortar.metastore.store.CatalogStore.query;
import static dev.mortar.metastore.store.CatalogStore.queryOne;
import dev.mortar.metastore.store.CatalogStore;

/**
 * Crawlers and their run records ({@code g_crawlers}, {@code g_crawls}, {@code db/control/V0_1__crawler_tables.sql}): defined, changed
 * and removed while no run is on, each change one transaction and one log line. Runs are {@link CrawlRuns}'.
 */
public final class Crawlers {
    private static final Logger LOG = LoggerFactory.getLogger(Crawlers.class);

    private final CatalogDatabase database;
    private final InstantSource clock;
    private final CrawlRuns runs;

    public Crawlers(CatalogDatabase database, InstantSource clock, CrawlRuns runs) {
        this.database = database;
        this.clock = clock;
        this.runs = runs;
    }

    /** A crawler with its open run (if any), its last ended run (if any) and the open run's progress. */
    public record CrawlerStatus(CrawlerRecord crawler, Optional<CrawlRecord> current, Optional<CrawlRecord> lastEnded, Optional<CrawlRuns.RunProgress> progress) {}

    private <T> T tx(CatalogDatabase.TransactionBody<T, RuntimeException> body) {
        return database.inTransaction(body);
    }

    private static ControlException notFound(String name) {
        return new ControlException.NotFound("Crawler entry with name " + name + " does not exist");
    }

    public void create(String name, CrawlerDefinition definition) {
        create(name, definition, java.util.Map.of());
    }

    /** Creates a crawler with its tags, in one transaction. */
    public void create(String name, CrawlerDefinition definition, java.util.Map<String, String> tags) {
        create(name, definition, tags, Written.NONE);
    }

    /** What else a crawler's write changes, in the write's transaction (say, its schedule's state). */
    @FunctionalInterface
    public interface Written {
        Written NONE = (c, definition) -> {};

        void written(java.sql.Connection c, CrawlerDefinition definition) throws java.sql.SQLException;
    }

    /** Creates a crawler with its tags and what {@code written} adds, in one transaction. */
    public void create(String name, CrawlerDefinition definition, java.util.Map<String, String> tags, Written written) {
        definition.policy();
        long now = clock.millis();
        tx(c -> {
            if (crawler(c, name, false).isPresent()) {
                throw new ControlException.AlreadyExists("Crawler with name " + name + " already exists");
            }
            CatalogStore.update(c, "INSERT INTO g_crawlers (crawler_name, definition, crawler_state, created_at, updated_at, version_no) VALUES (?, ?, ?, ?, ?, ?)",
                    name, CrawlerDocument.write(definition), CrawlerState.READY.name(), now, now, 1L);
            Tags.set(c, Tags.Kind.CRAWLER, name, tags);
            written.written(c, definition);
            return null;
        });
        LOG.info("Crawler {}: created", name);
    }

    /** Changes the definition of a crawler with no run on. */
    public void update(String name, UnaryOperator<CrawlerDefinition> change) {
        update(name, change, Written.NONE);
    }

    /** Changes the definition of a crawler with no run on, and what {@code written} adds, in one transaction. */
    public void update(String name, UnaryOperator<CrawlerDefinition> change, Written written) {
        tx(c -> {
            CrawlerRecord current = crawler(c, name, true).orElseThrow(() -> notFound(name));
            if (current.state() != CrawlerState.READY) {
                throw new ControlException.Conflict(ControlException.Conflict.Reason.RUNNING, "Crawler " + name + " is " + current.state() + " and cannot be updated");
            }
            CrawlerDefinition changed = change.apply(current.definition());
            changed.policy();
            CatalogStore.update(c, "UPDATE g_crawlers SET definition = ?, updated_at = ?, version_no = version_no + 1 WHERE crawler_name = ?",
                    CrawlerDocument.write(changed), clock.millis(), name);
            written.written(c, changed);
            return null;
        });
        LOG.info("Crawler {}: updated", name);
    }

    /** UpdateCrawlerSchedule: the crawler's schedule alone changes (empty: no schedule), whether or not a run is on. */
    public void updateSchedule(String name, Optional<String> schedule, Written written) {
        tx(c -> {
            CrawlerRecord current = crawler(c, name, true).orElseThrow(() -> notFound(name));
            CrawlerDefinition d = current.definition();
            CrawlerDefinition changed = new CrawlerDefinition(d.role(), d.databaseName(), d.description(), d.s3Targets(), d.jdbcTargets(), schedule,
                    d.classifiers(), d.tablePrefix(), d.schemaChangePolicy(), d.recrawlBehavior(), d.lineageSettings(), d.lakeFormation(), d.configuration(),
                    d.securityConfiguration());
            CatalogStore.update(c, "UPDATE g_crawlers SET definition = ?, updated_at = ?, version_no = version_no + 1 WHERE crawler_name = ?",
                    CrawlerDocument.write(changed), clock.millis(), name);
            written.written(c, changed);
            return null;
        });
        LOG.info("Crawler {}: schedule set to {}", name, schedule.orElse("none"));
    }

    /** Removes a crawler with no run on, with its run records, folder state and logs. */
    public void delete(String name) {
        tx(c -> {
            CrawlerRecord current = crawler(c, name, true).orElseThrow(() -> notFound(name));
            if (current.state() != CrawlerState.READY) {
                throw new ControlException.Conflict(ControlException.Conflict.Reason.RUNNING, "Crawler " + name + " is " + current.state() + " and cannot be deleted");
            }
            CatalogStore.update(c, "DELETE FROM g_crawls WHERE crawler_name = ?", name);
            CrawlRuns.deleteState(c, name);
            Tags.delete(c, Tags.Kind.CRAWLER, name);
            CatalogStore.update(c, "DELETE FROM g_crawlers WHERE crawler_name = ?", name);
            return null;
        });
        LOG.info("Crawler {}: deleted", name);
    }

    public CrawlerStatus status(String name) {
        return tx(c -> status(c, name)).orElseThrow(() -> notFound(name));
    }

    /** The statuses of the crawlers that exist among {@code names}, in their order. */
    public List<CrawlerStatus> statuses(List<String> names) {
        return tx(c -> {
            List<CrawlerStatus> found = new java.util.ArrayList<>();
            for (String n : names) {
                status(c, n).ifPresent(found::add);
            }
            return found;
        });
    }

    private Optional<CrawlerStatus> status(Connection c, String name) throws SQLException {
        Optional<CrawlerRecord> crawler = crawler(c, name, false);
        if (crawler.isEmpty()) {
            return Optional.empty();
        }
        List<CrawlRecord> all = runs(c, name);
        Optional<CrawlRecord> current = all.stream().filter(r -> r.ended().isEmpty()).findFirst();
        Optional<CrawlRecord> last = all.stream().filter(r -> r.ended().isPresent()).findFirst();
        Optional<CrawlRuns.RunProgress> progress = crawler.get().state() == CrawlerState.READY ? Optional.empty() : runs.progress(c, name);
        return Optional.of(new CrawlerStatus(crawler.get(), current, last, progress));
    }

    /** Up to {@code limit} crawler names after {@code after}, in name order. */
    public List<String> names(String after, int limit) {
        return names(after, limit, java.util.Map.of());
    }

    /** Up to {@code limit} names of crawlers after {@code after} that carry all of {@code tags}, in name order. */
    public List<String> names(String after, int limit, java.util.Map<String, String> tags) {
        return tx(c -> {
            List<String> names = new java.util.ArrayList<>();
            for (String name : query(c, "SELECT crawler_name FROM g_crawlers WHERE crawler_name > ? ORDER BY crawler_name", rs -> rs.getString(1), after)) {
                if (names.size() == limit) {
                    break;
                }
                if (tags.isEmpty() || Tags.tags(c, Tags.Kind.CRAWLER, name).entrySet().containsAll(tags.entrySet())) {
                    names.add(name);
                }
            }
            return names;
        });
    }

    /** The crawler's runs, newest first. */
    public List<CrawlRecord> runs(String name) {
        return tx(c -> {
            crawler(c, name, false).orElseThrow(() -> notFound(name));
            return runs(c, name);
        });
    }

    private static Optional<CrawlerRecord> crawler(Connection c, String name, boolean lock) throws SQLException {
        return queryOne(c, "SELECT crawler_name, definition, crawler_state, created_at, updated_at, version_no FROM g_crawlers WHERE crawler_name = ?"
                        + (lock ? " FOR UPDATE" : ""),
                rs -> new CrawlerRecord(rs.getString(1), CrawlerDocument.read(rs.getString(2)), CrawlerState.valueOf(rs.getString(3)),
                        Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)), rs.getLong(6)), name);
    }

    private static List<CrawlRecord> runs(Connection c, String name) throws SQLException {
        return query(c, "SELECT crawl_id, crawler_name, crawl_state, started_at, ended_at, tables_created, tables_updated, partitions_added, files_read, "
                + "summary, error_message FROM g_crawls WHERE crawler_name = ? ORDER BY started_at DESC, crawl_id", Crawlers::run, name);
    }

    private static CrawlRecord run(ResultSet rs) throws SQLException {
        long ended = rs.getLong(5);
        Optional<Instant> endedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ended));
        return new CrawlRecord(rs.getString(1), rs.getString(2), CrawlRunState.valueOf(rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4)), endedAt,
                rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), Optional.ofNullable(rs.getString(10)), Optional.ofNullable(rs.getString(11)));
    }
}
